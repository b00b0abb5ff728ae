"""Runs a training job end to end around the engine: the run's row in the store, its output
folder, resume from the latest checkpoint, and the final status. Used by ``peft-studio
train`` (and so by the GUI, which runs that command as a child process)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from studio.paths import runs_dir

from . import atomic, checkpoints, hub, ownership
from .config import HubConfig, RunConfig, from_dict
from .engine import Trainer, describe_error
from .errors import StudioError
from .messages import msg
from .store import pid_alive


def _output_dir(config: RunConfig, run_id: str) -> Path:
    if config.output_dir:
        return Path(config.output_dir).expanduser().resolve()
    return runs_dir() / run_id


def _use_hub(config: RunConfig) -> None:
    """Point downloads at the run's source (its ``hub:`` section, else the window's Settings,
    else Hugging Face) and record that choice in the run's config."""
    chosen = hub.apply(hub.choice(config.hub.source, config.hub.endpoint) if config.hub else None)
    config.hub = HubConfig(chosen.source, chosen.endpoint)


def start(config: RunConfig, emit, store, node_rank: int | None = None) -> int:
    """A new run. Returns the process exit code (0 done or stopped, 1 failed)."""
    _use_hub(config)
    if config.distributed.workers > 1:
        from . import launcher

        topo = launcher.topology_or_error(config, node_rank, emit)
        if topo is None:
            return 1
        if topo.node_rank != 0:  # the first host owns the run; this one only lends workers
            return launcher.follow(config, topo, emit)
    run_id = store.new_run_id()
    output_dir = _output_dir(config, run_id)
    refusal = ownership.output_dir_refusal(output_dir)
    if refusal:
        emit("error", message=msg("problem.plain", field="output_dir", message=refusal),
             kind="known", traceback=None)
        return 1
    output_dir.mkdir(parents=True, exist_ok=True)
    ownership.mark(output_dir, ownership.RUN, run_id=run_id)
    config.output_dir = str(output_dir)
    atomic.write_text(output_dir / "run.yaml", config.dump_yaml())
    store.create_run(config.to_dict(), run_id=run_id, name=config.name or run_id,
                     model=config.model, method=config.method.name, task=config.task,
                     dataset=config.dataset.path, device=config.device,
                     output_dir=str(output_dir), status="running")
    return _dispatch(config, run_id, output_dir, emit, store, False, node_rank)


def resume(ref: str, emit, store, allow_pickle_weights: bool = False,
           node_rank: int | None = None) -> int:
    """Continue a run from its latest checkpoint (or from the start if it has none); pickle
    weights as the run recorded, or newly allowed (then recorded)."""
    record = store.find_run(ref)
    if (record.status == "running" and record.pid and pid_alive(record.pid)
            and record.pid != os.getpid()):
        raise StudioError(msg("runner.run_still_running_process", id=record.id, pid=record.pid))
    config = from_dict(record.config)
    if not record.output_dir:
        raise StudioError(msg("runner.run_no_output_folder", id=record.id))
    output_dir = Path(record.output_dir).expanduser()
    refusal = ownership.output_dir_refusal(output_dir, resuming=True)
    if refusal:
        raise StudioError(msg("runner.run_cannot_resumed", id=record.id, refusal=refusal))
    _use_hub(config)
    if allow_pickle_weights and not config.allow_pickle_weights:
        config.allow_pickle_weights = True
        store.update_run(record.id, config=config.to_dict())
    saved = checkpoints.list_checkpoints(output_dir)
    emit("log", level="info", message=(msg("runner.resuming", id=record.id, step=saved[-1][0])
                                       if saved else msg("runner.restarting", id=record.id)))
    return _dispatch(config, record.id, output_dir, emit, store, True, node_rank)


def _dispatch(config: RunConfig, run_id: str, output_dir: Path, emit, store, resume: bool,
              node_rank: int | None) -> int:
    if config.distributed.workers <= 1:
        return _execute(config, run_id, output_dir, emit, store, resume=resume)
    from . import launcher

    store.update_run(run_id, pid=os.getpid(), error=None)
    store.set_status(run_id, "running")
    topo = launcher.topology_or_error(
        config, node_rank, emit, failed=lambda why: store.set_status(run_id, "failed", error=why))
    if topo is None:
        return 1
    return launcher.lead(config, topo, run_id, output_dir, emit, store, resume)


def execute_worker(config_file: str, run_id: str, output_dir: Path, resume: bool) -> int:
    """One msrun worker (``studio.core.worker``): rank 0 writes events, the store,
    checkpoints and the result; the other ranks train silently (errors go to their log)."""
    import sys

    import yaml

    from .collective import Collective
    from .events import EventSink
    from .runtime import bootstrap, select_device
    from .store import RunStore

    bootstrap()
    config = from_dict(yaml.safe_load(Path(config_file).read_text(encoding="utf-8")))
    select_device(config.device)
    comm = Collective()
    sink = EventSink(sys.stdout, "json")
    if comm.rank == 0:
        emit, store = sink, (RunStore() if run_id else None)
    else:
        def emit(event: str, **fields) -> None:
            if event in ("error", "log"):
                sink(event, rank=comm.rank, **fields)
        store = None
    return _execute(config, run_id, output_dir, emit, store, resume, comm=comm)


def _execute(config: RunConfig, run_id: str, output_dir: Path, emit, store,
             resume: bool, comm=None) -> int:
    if comm is None:  # under msrun the train process that launched the workers owns the row
        store.update_run(run_id, pid=os.getpid(), error=None)
        store.set_status(run_id, "running")
    trainer = Trainer(config, run_id, output_dir, emit, store=store, resume=resume, comm=comm)
    try:
        trainer.setup()
        outcome = trainer.run()
    except BaseException as exc:  # noqa: BLE001 - every failure must reach the store and the GUI
        message, kind, tb = describe_error(exc)
        if isinstance(exc, KeyboardInterrupt):
            message, kind, tb = msg("runner.interrupted"), "known", None
        with contextlib.suppress(Exception):  # the store may be the thing that failed
            trainer._flush_metrics()
        if store is not None:
            store.set_status(run_id, "failed", error=message, detail=tb)
        emit("error", message=message, kind=kind, traceback=tb)
        return 1
    if store is not None:
        store.update_run(run_id, final_metrics=outcome.metrics, last_step=outcome.step,
                         task=trainer.task)
        store.set_status(run_id, outcome.status)
    emit("finished", status=outcome.status, step=outcome.step, output_dir=str(output_dir),
         metrics=outcome.metrics, run_id=run_id)
    return 0
