"""The training engine: one run file in, a trained adapter (or model) out, every step
reported as an event and recorded in the run store.

Gradients come from mindtorch's functional ``value_and_grad`` (``loss.backward()`` is a no-op
on this stack); it adds into ``p.grad``, which makes gradient accumulation free and means
grads must be cleared after every optimizer step.
"""

from __future__ import annotations

import contextlib
import math
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import atomic, checkpoints
from .checkpoints import TrainerState
from .config import RunConfig
from .errors import StopRequested, StudioError
from .evaluation import METRIC_MODES, evaluation_sums, improved, metrics_from_sums
from .messages import msg

Emit = Callable[..., None]
STOP_FILE = "STOP"


@dataclass
class Outcome:
    status: str            # completed / stopped / early_stopped / failed
    step: int
    metrics: dict[str, float]
    output_dir: Path


class StopFlag:
    """Set by SIGTERM/SIGINT or by a STOP file in the output folder; checked between steps."""

    def __init__(self, stop_file: Path):
        self.stop_file = stop_file
        self.requested = False

    def install_signal_handlers(self) -> None:
        def handler(signum, frame):
            self.requested = True

        for sig in (signal.SIGTERM, signal.SIGINT):
            # not the main thread (tests, GUI threads): stop file only
            with contextlib.suppress(ValueError):
                signal.signal(sig, handler)

    def __bool__(self) -> bool:
        return self.requested or self.stop_file.exists()


class Trainer:
    def __init__(self, config: RunConfig, run_id: str, output_dir: Path, emit: Emit,
                 store=None, resume: bool = False, comm=None):
        self.config = config
        # comm: a collective.Collective when msrun started this process as one of several
        # data parallel workers; only rank 0 writes (events, store, checkpoints, result).
        self.comm = comm
        self.rank = comm.rank if comm is not None else 0
        self._stop_agreed = False
        self.run_id = run_id
        self.output_dir = output_dir
        self.emit = emit
        self.store = store
        self.resume = resume
        self.stop = StopFlag(output_dir / STOP_FILE)
        # A stop asked for while the model loads is honoured at the first step boundary.
        self.stop.stop_file.unlink(missing_ok=True)
        self.stop.install_signal_handlers()
        self._pending_metrics: list[tuple[int, str, str, float]] = []

    # ---- setup -------------------------------------------------------------------------
    def _download_log(self):
        """Download events as log lines: the plan, then progress at most every 2 seconds."""
        from .download import describe

        last = [0.0]

        def report(kind: str, fields: dict[str, Any]) -> None:
            now = time.monotonic()
            if kind == "download_progress" and now - last[0] < 2 \
                    and fields["bytes_done"] < fields["bytes_total"]:
                return
            last[0] = now
            self.emit("log", level="info", message=describe(kind, fields))

        return report

    def setup(self) -> None:
        from . import data, download, modelinfo, weightsafety
        from .modeling import (
            LoadedModel,
            apply_method,
            count_params,
            load_base_model,
            load_tokenizer,
        )
        from .runtime import bootstrap, select_device

        bootstrap()
        import torch

        cfg = self.config
        weightsafety.allow_pickle(cfg.allow_pickle_weights)
        self.device = select_device(cfg.device)
        # A hub id is downloaded here, with progress, never implicitly inside from_pretrained.
        model_path = download.ensure(cfg.model, self._download_log())
        info = modelinfo.inspect(model_path)
        self.family = info.family
        self.emit("log", level="info", message=msg("engine.preparing_data_from",
                                                   path=cfg.dataset.path))
        if cfg.task is None:
            detected = data.detect_format(data.read_rows(cfg.dataset), cfg.dataset).format
            cfg.task = modelinfo.detect_task(info, detected)
        self.task = cfg.task
        tokenizer = load_tokenizer(model_path, self.task)
        self.prepared = data.prepare(cfg.dataset, self.task, tokenizer, cfg.training.max_length)
        if not self.prepared.train:
            raise StudioError(msg("engine.dataset_no_training_examples"))
        self.pad_id = tokenizer.pad_token_id
        tr = cfg.training
        self.eval_batch_size = tr.eval_batch_size or tr.batch_size
        self.micro_per_epoch = math.ceil(len(self.prepared.train) / tr.batch_size)
        self.steps_per_epoch = math.ceil(self.micro_per_epoch / tr.gradient_accumulation_steps)
        self.total_steps = tr.max_steps or max(1, math.ceil(tr.epochs * self.steps_per_epoch))

        torch.manual_seed(tr.seed)
        np.random.seed(tr.seed)
        self.emit("log", level="info", message=msg("engine.loading", model=cfg.model,
                                                   task=self.task))
        base = load_base_model(model_path, self.task, tokenizer, tr.dtype,
                               self.prepared.label_names)
        if model_path != cfg.model:   # results name the hub id, not the cache folder
            base.config._name_or_path = base.name_or_path = cfg.model
        model, kind = apply_method(base, cfg.method, self.task, self.family, model_path,
                                   total_steps=self.total_steps)
        model.train()
        trainable, total = count_params(model)
        self.loaded = LoadedModel(model, tokenizer, kind, trainable, total, card={
            "base_model": cfg.model, "task": self.task, "method": cfg.method.name,
            "data_format": self.prepared.format, "system_prompt": cfg.dataset.system_prompt,
            "label_names": self.prepared.label_names, "run_id": self.run_id})
        self.params = [p for p in model.parameters() if p.requires_grad]
        if not self.params:
            raise StudioError(msg("engine.method_left_no_trainable"))

        decay = [p for n, p in model.named_parameters() if p.requires_grad and p.ndim >= 2]
        no_decay = [p for n, p in model.named_parameters() if p.requires_grad and p.ndim < 2]
        groups = [g for g in ({"params": decay, "weight_decay": tr.weight_decay},
                              {"params": no_decay, "weight_decay": 0.0}) if g["params"]]
        self.optimizer = torch.optim.AdamW(groups, lr=tr.learning_rate)
        from transformers import get_scheduler

        warmup = tr.warmup_steps or int(tr.warmup_ratio * self.total_steps)
        name = {"constant": "constant_with_warmup"}.get(tr.scheduler, tr.scheduler)
        self.scheduler = get_scheduler(name, self.optimizer, num_warmup_steps=warmup,
                                       num_training_steps=self.total_steps)
        self.state = TrainerState(total_steps=self.total_steps)
        if self.resume:
            self._restore(model)

        accum = tr.gradient_accumulation_steps
        keys = ("input_ids", "attention_mask", "labels")

        self._loss_scale = 1.0 / accum

        def loss_fn(*tensors):
            return model(**dict(zip(keys, tensors))).loss * self._loss_scale

        self._keys = keys
        self._grad_fn = torch.autograd.value_and_grad(loss_fn, self.params)
        self._compiled = self._compiled_step(model)
        self._best_state: dict[str, Any] | None = None

    def _compiled_step(self, model):
        """The compiled training step (fastpaths ``compiled_train_step``) where it applies:
        one process, a model and method it covers; None runs the plain step."""
        from . import compiledstep, fastpaths

        if (self.comm is not None or not fastpaths.is_active(compiledstep.NAME)
                or compiledstep.unsupported(model, self.task, self.optimizer) is not None):
            return None
        tr = self.config.training
        try:
            return compiledstep.CompiledStep(model, self.optimizer, tr.batch_size,
                                             tr.gradient_accumulation_steps, tr.max_grad_norm,
                                             self.pad_id, tr.seed)
        except ValueError:   # a layer or trainable tensor the graph does not cover
            return None

    def _restore(self, model) -> None:
        """The newest checkpoint that reads back whole (a damaged one is reported and the one
        before it used); metrics recorded after it are dropped, as training logs them again."""
        def warn(message: str) -> None:
            self.emit("log", level="warning", message=message)

        found = checkpoints.load_latest(self.output_dir, model, self.optimizer, self.scheduler,
                                        warn)
        step = 0
        if found is not None:
            self.state, folder = found
            self.state.total_steps = self.total_steps
            step = self.state.global_step
            self.emit("log", level="info", message=msg("engine.resumed_from_at_step",
                                                       checkpoint=folder.name, step=step))
        if self.store is not None:
            self.store.truncate_metrics_after(self.run_id, step)

    # ---- batches -----------------------------------------------------------------------
    def _epoch_order(self, epoch: int) -> np.ndarray:
        rng = np.random.RandomState(self.config.training.seed + epoch)
        return rng.permutation(len(self.prepared.train))

    def _train_batches(self, epoch: int, start: int):
        from .data import collate

        bs = self.config.training.batch_size
        order = self._epoch_order(epoch)
        for micro in range(start, self.micro_per_epoch):
            rows = [self.prepared.train[i] for i in order[micro * bs:(micro + 1) * bs]]
            yield micro, collate(rows, self.pad_id, self.task)

    def _eval_batches(self):
        from .data import collate
        from .distributed import shard_batch

        rows = self.prepared.validation
        bs = self.eval_batch_size
        for i in range(0, len(rows), bs):
            batch = collate(rows[i:i + bs], self.pad_id, self.task)
            if self.comm is not None:  # each worker evaluates its share of every batch
                batch = shard_batch(batch, self.rank, self.comm.size)
                if not len(batch["input_ids"]):
                    continue
            yield batch

    # ---- the loop ----------------------------------------------------------------------
    def run(self) -> Outcome:
        import torch

        cfg, tr, st = self.config, self.config.training, self.state
        self.emit("run_started", run_id=self.run_id, name=cfg.name, output_dir=str(self.output_dir),
                  total_steps=self.total_steps, start_step=st.global_step, epochs=tr.epochs,
                  steps_per_epoch=self.steps_per_epoch,
                  trainable_params=self.loaded.trainable_params,
                  total_params=self.loaded.total_params, device=self.device,
                  method=cfg.method.name, task=self.task,
                  train_examples=len(self.prepared.train),
                  eval_examples=len(self.prepared.validation),
                  workers=self.comm.size if self.comm is not None else 1)
        if self.store is not None:
            self.store.update_run(self.run_id, total_steps=self.total_steps, task=self.task,
                                  trainable_params=self.loaded.trainable_params,
                                  total_params=self.loaded.total_params, device=self.device)
        accum = tr.gradient_accumulation_steps
        started = time.time()
        start_step, start_elapsed = st.global_step, st.elapsed
        last_metrics: dict[str, float] = {}
        status = "completed"
        micro_losses: list[float] = []
        tokens_in_step = 0
        try:
            while st.global_step < self.total_steps:
                if st.micro_step >= self.micro_per_epoch:
                    st.epoch, st.micro_step = st.epoch + 1, 0
                for micro, batch in self._train_batches(st.epoch, st.micro_step):
                    part = self._local_part(batch)
                    compiled_norm: float | None = None
                    if part is None:  # a short last batch left this worker no rows
                        micro_losses.append(0.0)
                    elif self._compiled is not None:
                        closes = (len(micro_losses) + 1 >= accum
                                  or micro + 1 >= self.micro_per_epoch)
                        loss, compiled_norm = self._compiled.micro(part, closes,
                                                                   self._loss_scale)
                        micro_losses.append(loss * accum)
                    else:
                        tensors = [torch.tensor(part[k]) for k in self._keys]
                        loss = self._grad_fn(*tensors)
                        micro_losses.append(float(loss.item()) * accum)
                    tokens_in_step += int(batch["attention_mask"].sum())
                    st.micro_step = micro + 1
                    epoch_end = st.micro_step >= self.micro_per_epoch
                    if len(micro_losses) < accum and not epoch_end:
                        continue
                    step_loss = self._reduce(micro_losses)
                    if self._compiled is not None and compiled_norm is not None:
                        grad_norm = compiled_norm
                        self.scheduler.step()
                    else:
                        grad_norm = self._clip_and_step()
                    st.global_step += 1
                    st.tokens_seen += tokens_in_step
                    micro_losses, tokens_in_step = [], 0
                    st.elapsed = start_elapsed + (time.time() - started)
                    self._log_step(step_loss, grad_norm, st, started, start_step)
                    at_end = st.global_step >= self.total_steps
                    on_eval_step = bool(tr.eval_steps) and st.global_step % tr.eval_steps == 0
                    do_eval = on_eval_step or epoch_end or at_end
                    if do_eval and self.prepared.validation:
                        last_metrics = self._evaluate()
                        if self._early_stop(last_metrics):
                            status = "early_stopped"
                            raise StopRequested
                    if (tr.save_steps and st.global_step % tr.save_steps == 0) or epoch_end:
                        self._checkpoint()
                    if at_end:
                        break
                    if self._stop_agreed if self.comm is not None else self.stop:
                        status = "stopped"
                        raise StopRequested
        except StopRequested:
            pass
        self._flush_metrics()
        saved = checkpoints.list_checkpoints(self.output_dir)
        if not saved or saved[-1][0] != st.global_step:
            self._checkpoint()
        if status != "stopped":
            if status == "early_stopped" and self._best_state is not None:
                from .modeling import load_trainable_state

                load_trainable_state(self.loaded.model, self._best_state)
                self.emit("log", level="info",
                          message=msg("engine.early_stopping_keeping_best", step=st.best_step))
            self._save_result()
        self.stop.stop_file.unlink(missing_ok=True)
        return Outcome(status, st.global_step, last_metrics, self.output_dir)

    def _local_part(self, batch: dict[str, Any]) -> dict[str, Any] | None:
        """This worker's rows of a global batch (collated whole, so every worker pads to the
        same width as one process would), with the loss scaled by its share of the batch."""
        accum = self.config.training.gradient_accumulation_steps
        if self.comm is None:
            self._loss_scale = 1.0 / accum
            return batch
        from .distributed import loss_items, shard_batch

        part = shard_batch(batch, self.rank, self.comm.size)
        mine, whole = loss_items(part, self.task), loss_items(batch, self.task)
        if not len(part["input_ids"]) or not mine:
            return None
        self._loss_scale = mine / whole / accum
        return part

    def _reduce(self, micro_losses: list[float]) -> float:
        """The step's global loss. With several workers: one all-reduce of every trainable
        gradient, the loss and the stop flag flattened together, so each worker applies the
        same update and stops at the same step."""
        if self.comm is None:
            return float(np.mean(micro_losses))
        import torch

        local = []
        for p in self.params:
            grad = p.grad
            local.append(np.zeros(int(p.numel()), np.float32) if grad is None
                         else grad.numpy().astype(np.float32).ravel())
        local.append(np.array([sum(micro_losses), float(bool(self.stop))], np.float32))
        total = self.comm.sum(np.concatenate(local))
        offset = 0
        for p in self.params:
            size = int(p.numel())
            chunk = total[offset:offset + size].reshape(tuple(p.shape))
            p.grad = torch.tensor(chunk, dtype=p.dtype)
            offset += size
        self._stop_agreed = bool(total[-1] > 0)
        return float(total[-2]) / len(micro_losses)

    def _clip_and_step(self) -> float:
        import torch

        tr = self.config.training
        grads = [p.grad for p in self.params if p.grad is not None]
        if not grads:
            raise StudioError(msg("engine.no_gradients_reached_trainable"))
        if tr.max_grad_norm:
            norm = float(torch.nn.utils.clip_grad_norm_(self.params, tr.max_grad_norm))
        else:
            norm = math.sqrt(sum(float((g * g).sum()) for g in grads))
        self.optimizer.step()
        base = getattr(self.loaded.model, "base_model", None)
        if hasattr(base, "update_and_allocate"):  # AdaLoRA's rank budget uses this step's grads
            base.update_and_allocate(self.state.global_step)
        self.scheduler.step()
        self.loaded.model.zero_grad()
        return norm

    # ---- reporting ---------------------------------------------------------------------
    def _log_step(self, loss: float, grad_norm: float, st: TrainerState, started: float,
                  start_step: int) -> None:
        tr = self.config.training
        if not math.isfinite(loss):
            raise StudioError(msg("engine.loss_became_at_step", loss=loss, step=st.global_step))
        wall = time.time() - started
        done_here = st.global_step - start_step
        per_step = wall / max(done_here, 1)
        eta = per_step * (self.total_steps - st.global_step)
        lr = float(self.scheduler.get_last_lr()[0])
        epoch = st.epoch + st.micro_step / self.micro_per_epoch
        tps = st.tokens_seen / st.elapsed if st.elapsed > 0 else 0.0
        metrics = {"loss": loss, "lr": lr, "grad_norm": grad_norm, "tokens_per_second": tps}
        self._pending_metrics += [(st.global_step, "train", k, v) for k, v in metrics.items()]
        if st.global_step % max(tr.logging_steps, 1) == 0 or st.global_step == self.total_steps:
            self.emit("step", step=st.global_step, total_steps=self.total_steps, epoch=epoch,
                      loss=loss, lr=lr, grad_norm=grad_norm, tokens_per_second=tps,
                      elapsed=st.elapsed, eta=eta)
        if len(self._pending_metrics) >= 40:
            self._flush_metrics()

    def _flush_metrics(self) -> None:
        if self.store is not None and self._pending_metrics:
            self.store.add_metrics(self.run_id, self._pending_metrics)
            self.store.update_run(self.run_id, last_step=self.state.global_step)
        self._pending_metrics = []

    def _evaluate(self) -> dict[str, float]:
        sums = evaluation_sums(self.loaded.model, self._eval_batches(), self.task)
        if self.comm is not None:  # the workers' shares add up to the whole validation set
            sums = self.comm.sum(sums)
        metrics = metrics_from_sums(sums, self.task)
        st = self.state
        epoch = st.epoch + st.micro_step / self.micro_per_epoch
        self._pending_metrics += [(st.global_step, "eval", k, v) for k, v in metrics.items()]
        self._flush_metrics()
        self.emit("eval", step=st.global_step, epoch=epoch, metrics=metrics)
        return metrics

    def _early_stop(self, metrics: dict[str, float]) -> bool:
        tr, st = self.config.training, self.state
        name = tr.early_stopping_metric
        if tr.early_stopping_patience is None or name not in metrics:
            return False
        if improved(metrics[name], st.best_metric, name, tr.early_stopping_threshold):
            st.best_metric, st.best_step, st.bad_evals = metrics[name], st.global_step, 0
            from .modeling import trainable_state

            self._best_state = trainable_state(self.loaded.model)
            return False
        st.bad_evals += 1
        if st.bad_evals >= tr.early_stopping_patience:
            self.emit("log", level="info",
                      message=msg("engine.early_stopping_not_improved", name=name,
                                  evals=st.bad_evals, best=st.best_metric, step=st.best_step,
                                  mode=METRIC_MODES.get(name, 'min')))
            return True
        return False

    def _checkpoint(self) -> None:
        if self.rank != 0:
            return
        from .modeling import save_result

        if self._compiled is not None:
            self._compiled.sync_optimizer()
        writer = ((lambda folder: save_result(self.loaded, folder))
                  if self.loaded.kind == "peft" else None)
        folder = checkpoints.save(self.output_dir, self.state, self.loaded.model, self.optimizer,
                                  self.scheduler, adapter_writer=writer,
                                  keep=self.config.training.save_total_limit)
        self._flush_metrics()
        if self.store is not None:
            self.store.add_checkpoint(self.run_id, self.state.global_step, str(folder))
            kept = {step for step, _ in checkpoints.list_checkpoints(self.output_dir)}
            for record in self.store.checkpoints(self.run_id):
                if record.step not in kept:
                    self.store.remove_checkpoint(self.run_id, record.step)
        self.emit("checkpoint", step=self.state.global_step, path=str(folder))

    def _save_result(self) -> None:
        if self.rank != 0:
            return
        from .modeling import save_result

        save_result(self.loaded, self.output_dir)
        atomic.write_text(self.output_dir / "run.yaml", self.config.dump_yaml())


def describe_error(exc: BaseException) -> tuple[str, str, str | None]:
    """(message for people, kind, traceback for bugs)."""
    if isinstance(exc, StudioError):
        return exc.message, "known", None
    if isinstance(exc, MemoryError):
        return msg("engine.out_of_memory"), "known", None
    return msg("error.internal", error=f"{type(exc).__name__}: {exc}"), "bug", \
        traceback.format_exc()


__all__ = ["STOP_FILE", "Outcome", "Trainer", "describe_error"]
