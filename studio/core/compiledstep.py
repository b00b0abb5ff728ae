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
        # The graph's copy of the trainable weights (numpy; an argument of every call).
        self.weights = [t.numpy().astype(np.float32) for t in self.train_tensors]
        # Clipping and AdamW run in numpy on one flat vector (~65k floats for the tiny Llama:
        # about a millisecond). In the graph, with the weights and moments as Parameters
        # assigned there, the step took 3x as long as the forward and backward alone.
        self._sizes = [int(np.prod(tuple(t.shape))) for t in self.train_tensors]
        self.exp_avg, self.exp_avg_sq = self._moments()
        self.acc = np.zeros(sum(self._sizes), np.float32)
        self.decay = np.concatenate([np.full(n, d, np.float32)
                                     for n, d in zip(self._sizes, decays)])
        self._torch = torch
        self.max_norm = max_grad_norm
        self._cell = _build(self, seed)

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
        moments = zip(self._split(self.exp_avg), self._split(self.exp_avg_sq))
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

        inputs = self._inputs(batch, loss_scale)
        from mindspore import Tensor, mutable

        train = mutable(tuple(Tensor(w) for w in self.weights))
        loss, grads = self._cell(self.frozen, train, *inputs)
        g = np.concatenate([t.asnumpy().reshape(-1) for t in grads])
        loss = float(loss.asnumpy())
        if not closes:
            self.acc += g
            return loss, None
        g += self.acc
        self.acc[:] = 0.0
        norm = float(np.sqrt(np.dot(g, g)))
        if self.max_norm:   # torch's clip_grad_norm_: max_norm / (norm + 1e-6), at most 1
            g *= np.float32(min(self.max_norm / (norm + 1e-6), 1.0))
        self._adamw(g, float(self.optimizer.param_groups[0]["lr"]))
        self.optimizer._opt_called = True   # the scheduler warns of a step it did not see
        return loss, norm

    def _adamw(self, g: np.ndarray, lr: float) -> None:
        """torch's AdamW on the flat vector; the new weights into the graph and the model."""

        self.steps_done += 1
        beta1, beta2 = self._betas
        flat = np.concatenate([w.reshape(-1) for w in self.weights])
        flat *= 1.0 - np.float32(lr) * self.decay   # decoupled, before the moments' update
        self.exp_avg += (g - self.exp_avg) * np.float32(1.0 - beta1)
        self.exp_avg_sq *= np.float32(beta2)
        self.exp_avg_sq += g * g * np.float32(1.0 - beta2)
        step_size = np.float32(lr / (1 - beta1 ** self.steps_done))
        bc2_sqrt = np.float32(math.sqrt(1 - beta2 ** self.steps_done))
        flat -= step_size * self.exp_avg / (np.sqrt(self.exp_avg_sq) / bc2_sqrt
                                            + np.float32(self._eps))
        self.weights = [value.copy() for value in self._split(flat)]
        for t, value in zip(self.train_tensors, self.weights):
            t.assign_value(self._torch.tensor(value))


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



def _build(step: CompiledStep, seed: int) -> Any:
    import mindspore
    from mindspore import nn, ops

    from . import compileddecoder

    seeds = iter(range(1, 100_000))

    def dropper(p: float) -> Any:
        """A dropout site of its own (MindSpore's random ops keep their state per op)."""
        if p <= 0:
            return None
        return ops.Dropout(keep_prob=1.0 - p, Seed0=seed, Seed1=next(seeds))

    loss_of = (compileddecoder.build_loss if step.decoder else _bert_loss)(
        step._layout, step.config, dropper)

    class Step(nn.Cell):
        """loss and gradients as a pure function of the tensors: the trainable ones are an
        argument (``mutable``: new values each step without compiling again), not graph
        Parameters, whose assigned values a compiled graph did not reliably see."""

        def __init__(self) -> None:
            super().__init__()
            self.grad = ops.value_and_grad(self.loss, grad_position=1)

        # The inputs as separate arguments: a tuple argument whose Tensors change from call
        # to call made the graph compile again on every call (~3 s a step).
        def loss(self, frozen: tuple, train: tuple, *inputs: Any) -> Any:
            return loss_of(frozen + train, inputs)

        @mindspore.jit
        def __call__(self, frozen: tuple, train: tuple, *inputs: Any) -> Any:
            return self.grad(frozen, train, *inputs)

    return Step()
