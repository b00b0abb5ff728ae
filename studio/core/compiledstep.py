"""A compiled training step for BERT-family sequence classifiers with LoRA (fastpaths
``compiled_train_step``): forward, backward, gradient clipping and the AdamW update are one
MindSpore graph (``mindspore.jit``), where the plain path issues ~1,500 operators one by one.

The forward is written here in MindSpore ops, reading the model's own tensors: the frozen
ones are passed in as they are (no copy); the trainable ones (peft's ``lora_A``/``lora_B``,
the ``modules_to_save`` head, whatever else the method left trainable) live in the graph as
``mindspore.Parameter``s and are copied back into the model after every optimizer step (a few
small tensors), so evaluation, checkpoints, saving and export read the model as before. The
AdamW moments are written into the torch optimizer's state before each checkpoint
(``sync_optimizer``) and read from it when the step is built (resume).

Batches are padded to a power-of-two length (from 16) and to the configured batch size, so a
run compiles a few shapes: padded keys are masked as transformers masks them (their weights
underflow to exactly 0) and padded rows weigh 0 in the loss. Dropout runs in the graph
(MindSpore's Dropout, seeded from the run's seed): the model's dropout in distribution, not
the plain path's draws, and a resumed run draws anew (exact resume needs dropout off).
tests/core/test_compiledstep.py compares losses and weights with the plain path.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

NAME = "compiled_train_step"
_instances = 0
MIN_LENGTH = 16
_LINEARS = ("attention.self.query", "attention.self.key", "attention.self.value",
            "attention.output.dense", "intermediate.dense", "output.dense")


def bucket(n: int, smallest: int = MIN_LENGTH) -> int:
    size = smallest
    while size < n:
        size *= 2
    return size


def unsupported(model: Any, task: str, optimizer: Any) -> str | None:
    """Why this run cannot take the compiled step (None: it can)."""
    from . import compileddecoder

    base = getattr(getattr(model, "base_model", None), "model", None)
    name = type(base or model).__name__
    if name in compileddecoder.CLASSES:
        if task != "causal_lm":
            return f"task {task}"
        why = compileddecoder.unsupported(base)
        if why:
            return why
    elif name != "BertForSequenceClassification":
        return f"model {name}"
    elif task != "seq_cls":
        return f"task {task}"
    else:
        why = _bert_unsupported(base.config)
        if why:
            return why
    peft_config = getattr(model, "peft_config", {})
    if list(peft_config) != ["default"] or str(peft_config["default"].peft_type) not in (
            "LORA", "PeftType.LORA"):
        return "method"
    if getattr(peft_config["default"], "use_dora", False):
        return "DoRA"
    import torch

    if any(p.dtype != torch.float32 for p in model.parameters()):
        return "dtype"
    if type(optimizer).__name__ != "AdamW" or len({g["lr"] for g in optimizer.param_groups}) > 1:
        return "optimizer"
    if any(g.get("amsgrad") or g.get("maximize") for g in optimizer.param_groups):
        return "optimizer options"
    return None


def _bert_unsupported(config: Any) -> str | None:
    if config.hidden_act != "gelu" or getattr(config, "position_embedding_type",
                                              "absolute") != "absolute":
        return "activation or position embedding"
    if config.num_labels < 2 or config.problem_type not in (None,
                                                            "single_label_classification"):
        return "problem type"
    if getattr(config, "is_decoder", False) or getattr(config, "add_cross_attention", False):
        return "decoder"
    return None


def _dropout_p(module: Any) -> float:
    return float(getattr(module, "p", 0.0))


class _Reader:
    """Collects the tensors the graph reads: frozen ones by position in a tuple of the model's
    own tensors, trainable ones as Parameters; returns each one's index in ``frozen + train``
    (trainable indices are offset once all are known)."""

    def __init__(self) -> None:
        self.frozen: list[Any] = []
        self.train: list[Any] = []       # the model's tensors, in Parameter order
        self._seen: dict[int, tuple[str, int]] = {}

    def read(self, tensor: Any) -> tuple[str, int] | None:
        if tensor is None:
            return None
        key = id(tensor)
        if key not in self._seen:
            bag = self.train if tensor.requires_grad else self.frozen
            self._seen[key] = ("t" if tensor.requires_grad else "f", len(bag))
            bag.append(tensor)
        return self._seen[key]

    def index(self, slot: tuple[str, int] | None) -> int | None:
        if slot is None:
            return None
        return slot[1] + (len(self.frozen) if slot[0] == "t" else 0)


def _linear_spec(module: Any, reader: _Reader) -> tuple[Any, ...]:
    """(weight, bias, lora A, lora B, scale, lora dropout) slots of a Linear, peft-wrapped or
    not."""
    if hasattr(module, "modules_to_save"):
        module = module.modules_to_save["default"]
    if hasattr(module, "lora_A"):
        if module.merged or module.disable_adapters or list(module.lora_A) != ["default"]:
            raise ValueError("LoRA layer state")
        base = module.get_base_layer()
        return (reader.read(base.weight), reader.read(base.bias),
                reader.read(module.lora_A["default"].weight),
                reader.read(module.lora_B["default"].weight),
                float(module.scaling["default"]), _dropout_p(module.lora_dropout["default"]))
    if type(module).__name__ != "Linear":
        raise ValueError(f"module {type(module).__name__}")
    return reader.read(module.weight), reader.read(module.bias), None, None, 0.0, 0.0


def _bert_slots(bert_cls: Any, reader: _Reader) -> dict[str, Any]:
    bert = bert_cls.bert
    emb = bert.embeddings
    layers = []
    for layer in bert.encoder.layer:
        specs = []
        for path in _LINEARS:
            module = layer
            for part in path.split("."):
                module = getattr(module, part)
            specs.append(_linear_spec(module, reader))
        norms = (reader.read(layer.attention.output.LayerNorm.weight),
                 reader.read(layer.attention.output.LayerNorm.bias),
                 reader.read(layer.output.LayerNorm.weight),
                 reader.read(layer.output.LayerNorm.bias))
        layers.append((specs, norms))
    embeddings = (reader.read(emb.word_embeddings.weight),
                  reader.read(emb.position_embeddings.weight),
                  reader.read(emb.token_type_embeddings.weight),
                  reader.read(emb.LayerNorm.weight), reader.read(emb.LayerNorm.bias))
    return {"embeddings": embeddings, "layers": layers,
            "pooler": _linear_spec(bert.pooler.dense, reader)[:2],
            "head": _linear_spec(bert_cls.classifier, reader)}


def _indexed(slots: Any, index: Any) -> Any:
    """``slots`` with every reader slot replaced by its index in ``frozen + train``."""
    if isinstance(slots, dict):
        return {k: _indexed(v, index) for k, v in slots.items()}
    if isinstance(slots, tuple) and len(slots) == 2 and slots[0] in ("f", "t"):
        return index(slots)
    if isinstance(slots, (list, tuple)):
        return type(slots)(_indexed(v, index) for v in slots)
    return slots


class CompiledStep:
    """One compiled micro-step (forward + backward, gradients added up) and one closing step
    (the same, then clipping and AdamW) per shape bucket."""

    def __init__(self, model: Any, optimizer: Any, batch_size: int, accum: int,
                 max_grad_norm: float | None, pad_id: int | None, seed: int):
        import mindspore
        import torch

        self.model, self.optimizer = model, optimizer
        self.batch_size, self.accum = batch_size, accum
        self.pad_id = 0 if pad_id is None else pad_id
        from . import compileddecoder

        base = model.base_model.model
        self.config = base.config
        reader = _Reader()
        self.decoder = type(base).__name__ in compileddecoder.CLASSES
        if self.decoder:
            slots = compileddecoder.read(base, reader, _linear_spec)
            self._inputs = compileddecoder.Inputs(base, batch_size, self.pad_id, bucket)
        else:
            slots = _bert_slots(base, reader)
            self._inputs = self._bert_inputs
        wanted = {id(p) for p in model.parameters() if p.requires_grad}
        if wanted != {id(t) for t in reader.train}:
            raise ValueError("trainable tensors the graph does not read")
        # As plain Tensors (the same memory): a mindtorch Parameter given to a graph is taken
        # for one of the graph's own ("Parameter[i] has no default param").
        self.frozen = tuple(mindspore.Tensor(t) for t in reader.frozen)
        self.train_tensors = list(reader.train)
        self._layout = _indexed(slots, reader.index)
        group_of = {id(p): g for g in optimizer.param_groups for p in g["params"]}
        groups = [group_of[id(t)] for t in self.train_tensors]
        self._betas = tuple(float(b) for b in groups[0]["betas"])
        self._eps = float(groups[0]["eps"])
        decays = [float(g["weight_decay"]) for g in groups]
        # Names unique in the process: graphs of several runs (a test's, a resumed one's) must
        # not share MindSpore state by Parameter name.
        global _instances
        _instances += 1
        tag = f"compiledstep{_instances}"
        names = [f"{tag}.w{i}" for i in range(len(self.train_tensors))]
        self.params = mindspore.ParameterTuple(
            mindspore.Parameter(mindspore.Tensor(t.numpy()), name=n)
            for t, n in zip(self.train_tensors, names))
        # The optimizer works on one flat vector (moments, accumulated gradients, the update):
        # a graph operator costs ~0.5 ms here whatever its size, and per tensor AdamW is ~12
        # of them for each of the ~20 tensors.
        self._sizes = [int(np.prod(tuple(t.shape))) for t in self.train_tensors]
        m, v = self._moments()
        self.exp_avg = mindspore.Parameter(mindspore.Tensor(m), name=f"{tag}.m")
        self.exp_avg_sq = mindspore.Parameter(mindspore.Tensor(v), name=f"{tag}.v")
        self.acc = mindspore.Parameter(mindspore.Tensor(np.zeros(sum(self._sizes), np.float32)),
                                       name=f"{tag}.g")
        self.decay = mindspore.Tensor(np.concatenate(
            [np.full(n, d, np.float32) for n, d in zip(self._sizes, decays)]))
        self._torch = torch
        self._cell = _build(self, decays, max_grad_norm, seed)

    # ---- optimizer state -----------------------------------------------------------------
    def _moments(self) -> tuple[np.ndarray, np.ndarray]:
        """The torch optimizer's moments, flat (zeros before its first step), and its step
        count."""
        out: tuple[list[np.ndarray], list[np.ndarray]] = ([], [])
        self.steps_done = 0
        for t in self.train_tensors:
            state = self.optimizer.state.get(t, {})
            if "exp_avg" in state:
                out[0].append(state["exp_avg"].numpy().astype(np.float32).ravel())
                out[1].append(state["exp_avg_sq"].numpy().astype(np.float32).ravel())
                self.steps_done = int(float(state["step"]))
            else:
                out[0].append(np.zeros(int(np.prod(tuple(t.shape))), np.float32))
                out[1].append(out[0][-1].copy())
        return np.concatenate(out[0]), np.concatenate(out[1])

    def _split(self, flat: np.ndarray) -> list[np.ndarray]:
        pieces = np.split(flat, np.cumsum(self._sizes)[:-1])
        return [piece.reshape(tuple(t.shape)) for piece, t in zip(pieces, self.train_tensors)]

    def sync_optimizer(self) -> None:
        """Write the graph's moments and step count into the torch optimizer (checkpoints
        save its state_dict)."""
        torch = self._torch
        if not self.steps_done:
            return
        moments = zip(self._split(self.exp_avg.asnumpy()), self._split(self.exp_avg_sq.asnumpy()))
        for t, (m, v) in zip(self.train_tensors, moments):
            self.optimizer.state[t] = {"step": torch.tensor(float(self.steps_done)),
                                       "exp_avg": torch.tensor(m), "exp_avg_sq": torch.tensor(v)}

    def _bert_inputs(self, batch: dict[str, np.ndarray], loss_scale: float) -> tuple:
        from mindspore import Tensor

        ids, mask, labels = batch["input_ids"], batch["attention_mask"], batch["labels"]
        rows, width = ids.shape
        length = bucket(width)
        rows_to = max(self.batch_size, rows)
        padded = np.full((rows_to, length), self.pad_id, np.int32)
        padded[:rows, :width] = ids
        keys = np.zeros((rows_to, length), np.float32)
        keys[:rows, :width] = mask
        keys[rows:, 0] = 1.0            # filler rows: one visible key, no empty softmax
        additive = ((1.0 - keys) * np.finfo(np.float32).min)[:, None, None, :]
        target = np.zeros((rows_to, self.config.num_labels), np.float32)
        target[np.arange(rows), labels] = loss_scale / rows
        # Fresh Tensors each step (small ones: fresh large inputs cost ~35 ms per MB here,
        # and writing into memory a Tensor.from_numpy shares is not always seen by the graph)
        return Tensor(padded), Tensor(additive.astype(np.float32)), Tensor(target)

    # ---- a micro-step --------------------------------------------------------------------
    def micro(self, batch: dict[str, np.ndarray], closes: bool, loss_scale: float
              ) -> tuple[float, float | None]:
        """Forward and backward of one micro-batch (its loss times ``loss_scale``); when
        ``closes``, also clip and update with the optimizer's current learning rate. Returns
        (scaled loss, gradient norm before clipping or None)."""
        from mindspore import Tensor

        inputs = self._inputs(batch, loss_scale)
        if not closes:
            return float(self._cell.accumulate(self.frozen, inputs).asnumpy()), None
        lr = float(self.optimizer.param_groups[0]["lr"])
        self.steps_done += 1
        beta1, beta2 = self._betas
        loss, norm = self._cell.close(
            self.frozen, inputs, Tensor(np.float32(lr)),
            Tensor(np.float32(lr / (1 - beta1 ** self.steps_done))),
            Tensor(np.float32(math.sqrt(1 - beta2 ** self.steps_done))))
        self.optimizer._opt_called = True   # the scheduler warns of a step it did not see
        for t, p in zip(self.train_tensors, self.params):
            t.assign_value(self._torch.tensor(p.asnumpy()))
        return float(loss.asnumpy()), float(norm.asnumpy())


def _bert_loss(layout: dict[str, Any], config: Any, dropper: Any) -> Any:
    """loss(w, (ids, additive, target)): the classifier's cross entropy, scaled by ``target``."""
    from mindspore import ops

    hidden_p = float(config.hidden_dropout_prob)
    attention_p = float(config.attention_probs_dropout_prob)
    head_p = float(config.classifier_dropout if config.classifier_dropout is not None
                   else config.hidden_dropout_prob)
    heads = config.num_attention_heads
    head_dim = config.hidden_size // heads
    scale = float(head_dim) ** -0.5
    eps = float(config.layer_norm_eps)
    matmul_t = ops.MatMul(transpose_b=True)
    scores_of, mix = ops.BatchMatMul(transpose_b=True), ops.BatchMatMul()
    norm_op = ops.LayerNorm(begin_norm_axis=-1, begin_params_axis=-1, epsilon=eps)
    sqrt_half = float(1.0 / np.sqrt(2.0))

    plan = {"emb": dropper(hidden_p), "layers": []}
    for specs, _ in layout["layers"]:
        plan["layers"].append({
            "lora": [dropper(spec[5]) if spec[2] is not None else None for spec in specs],
            "attn": dropper(attention_p), "out1": dropper(hidden_p), "out2": dropper(hidden_p)})
    plan["head"] = dropper(head_p)

    def drop(site: Any, x: Any) -> Any:
        return x if site is None else site(x)[0]

    def linear(w: Any, spec: tuple, x: Any, lora_drop: Any) -> Any:
        weight, bias, a, b, lora_scale, _ = spec
        out = matmul_t(x, w[weight])
        if bias is not None:
            out = out + w[bias]
        if a is not None:   # scaled at rank r: cheaper than at the output's width
            out = out + matmul_t(matmul_t(drop(lora_drop, x), w[a]) * lora_scale, w[b])
        return out

    def layer_norm(x: Any, weight: Any, bias: Any) -> Any:
        return norm_op(x, weight, bias)[0]

    def gelu(x: Any) -> Any:   # BERT's exact (erf) GELU; MindSpore's CPU GeLU is the tanh one
        return 0.5 * x * (1.0 + ops.erf(x * sqrt_half))

    def forward(w: tuple, ids: Any, additive: Any) -> Any:
        rows, length = ids.shape
        word, position, token_type, ln_w, ln_b = layout["embeddings"]
        x = ops.gather(w[word], ids.reshape(-1), 0).reshape(rows, length, -1)
        x = x + w[position][:length] + w[token_type][0]
        x = drop(plan["emb"], layer_norm(x, w[ln_w], w[ln_b]).reshape(rows * length, -1))
        for (specs, norms), site in zip(layout["layers"], plan["layers"]):
            q = linear(w, specs[0], x, site["lora"][0])
            k = linear(w, specs[1], x, site["lora"][1])
            v = linear(w, specs[2], x, site["lora"][2])
            q = q.reshape(rows, length, heads, head_dim).transpose(0, 2, 1, 3)
            k = k.reshape(rows, length, heads, head_dim).transpose(0, 2, 1, 3)
            v = v.reshape(rows, length, heads, head_dim).transpose(0, 2, 1, 3)
            probs = ops.softmax(scores_of(q * scale, k) + additive, -1)
            context = mix(drop(site["attn"], probs), v).transpose(0, 2, 1, 3)
            context = context.reshape(rows * length, heads * head_dim)
            attended = linear(w, specs[3], context, site["lora"][3])
            attended = drop(site["out1"], attended)
            x = layer_norm(attended + x, w[norms[0]], w[norms[1]])
            inner = gelu(linear(w, specs[4], x, site["lora"][4]))
            out = drop(site["out2"], linear(w, specs[5], inner, site["lora"][5]))
            x = layer_norm(out + x, w[norms[2]], w[norms[3]])
        first = x.reshape(rows, length, -1)[:, 0]
        pw, pb = layout["pooler"]
        pooled = ops.tanh(matmul_t(first, w[pw]) + w[pb])
        return linear(w, layout["head"], drop(plan["head"], pooled), None)

    def loss(w: tuple, inputs: tuple) -> Any:
        ids, additive, target = inputs
        return -(ops.log_softmax(forward(w, ids, additive), -1) * target).sum()

    return loss



def _build(step: CompiledStep, decays: list[float], max_norm: float | None, seed: int) -> Any:
    import mindspore
    from mindspore import nn, ops

    from . import compileddecoder

    beta1, beta2 = step._betas
    adam_eps = step._eps
    accumulates = step.accum > 1
    any_decay = any(decays)
    offsets = [0, *np.cumsum(step._sizes).tolist()]
    seeds = iter(range(1, 100_000))

    def dropper(p: float) -> Any:
        """A dropout site of its own (MindSpore's random ops keep their state per op)."""
        if p <= 0:
            return None
        return ops.Dropout(keep_prob=1.0 - p, Seed0=seed, Seed1=next(seeds))

    loss_of = (compileddecoder.build_loss if step.decoder else _bert_loss)(
        step._layout, step.config, dropper)

    class Step(nn.Cell):
        def __init__(self) -> None:
            super().__init__()
            self.weights = step.params
            self.exp_avg, self.exp_avg_sq, self.acc = step.exp_avg, step.exp_avg_sq, step.acc
            self.decay = step.decay
            self.grad = ops.value_and_grad(self.loss, None, self.weights)

        def loss(self, frozen: tuple, inputs: tuple) -> Any:
            return loss_of(frozen + self.weights, inputs)

        @mindspore.jit
        def accumulate(self, frozen: tuple, inputs: tuple) -> Any:
            loss, grads = self.grad(frozen, inputs)
            ops.assign_add(self.acc, ops.concat([g.reshape(-1) for g in grads]))
            return loss

        @mindspore.jit
        def close(self, frozen: tuple, inputs: tuple, lr: Any, step_size: Any,
                  bc2_sqrt: Any) -> Any:
            loss, grads = self.grad(frozen, inputs)
            g = ops.concat([t.reshape(-1) for t in grads])
            if accumulates:
                g = g + self.acc
                ops.assign(self.acc, ops.zeros_like(self.acc))
            total = ops.sqrt((g * g).sum())
            if max_norm:   # torch's clip_grad_norm_: scale by max_norm / (norm + 1e-6), at most 1
                g = g * ops.minimum(max_norm / (total + 1e-6), 1.0)
            flat = ops.concat([p.reshape(-1) for p in self.weights])
            if any_decay:   # decoupled, as torch's AdamW: before the moments' update
                flat = flat * (1.0 - lr * self.decay)
            m = self.exp_avg + (g - self.exp_avg) * (1.0 - beta1)
            v = self.exp_avg_sq * beta2 + g * g * (1.0 - beta2)
            ops.assign(self.exp_avg, m)
            ops.assign(self.exp_avg_sq, v)
            flat = flat - step_size * m / (ops.sqrt(v) / bc2_sqrt + adam_eps)
            for i in range(len(offsets) - 1):
                p = self.weights[i]
                ops.assign(p, flat[offsets[i]:offsets[i + 1]].reshape(p.shape))
            return loss, total

    return Step()
