"""The Llama/Qwen2 causal-LM forward and loss of the compiled training step (core.compiledstep):
MindSpore ops over the peft model's own tensors, laid out as the CPU fast paths lay them out
(decoderkernels): rotary embedding in q/k's arrival layout with ``rotate_half`` as a product
with a fixed permutation matrix, RMSNorm's mean and scale as products, ``x @ W^T`` by MatMul.
bench/compiledllama.py measured the whole compiled step at 1.8-2.0x the plain step's on the
tiny Llama (README, *Training*): the graph's kernels are the plain step's, without PyNative's
per-operator dispatch and tape.

Batches arrive right-padded (``data.collate``) and are padded further to a power-of-two length
and the batch size: padded keys are masked as transformers masks them, padded positions carry
no label, so the loss is transformers' (mean over the shifted labels that are not -100).
"""

from __future__ import annotations

from typing import Any

import numpy as np

CLASSES = ("LlamaForCausalLM", "Qwen2ForCausalLM")
_LINEARS = ("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
            "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj")


def unsupported(causal: Any) -> str | None:
    config = causal.config
    if config.hidden_act != "silu" or getattr(config, "pretraining_tp", 1) != 1:
        return "activation"
    scaling = getattr(config, "rope_scaling", None) or {}
    if scaling.get("rope_type", scaling.get("type", "default")) != "default":
        return "rope scaling"
    if getattr(config, "use_sliding_window", False):
        return "sliding window"
    if config.num_attention_heads % config.num_key_value_heads:
        return "heads"
    return None


def read(causal: Any, reader: Any, linear_spec: Any) -> dict[str, Any]:
    """Slots of every tensor the forward reads (see compiledstep._Reader)."""
    layers = []
    for layer in causal.model.layers:
        specs = []
        for path in _LINEARS:
            module = layer
            for part in path.split("."):
                module = getattr(module, part)
            specs.append(linear_spec(module, reader))
        norms = (reader.read(layer.input_layernorm.weight),
                 reader.read(layer.post_attention_layernorm.weight))
        layers.append((specs, norms))
    return {"layers": layers, "embed": reader.read(causal.model.embed_tokens.weight),
            "final": reader.read(causal.model.norm.weight),
            "head": linear_spec(causal.lm_head, reader)}


class Inputs:
    """The graph's inputs for one batch; cos, sin and the causal mask once per length."""

    def __init__(self, causal: Any, batch_size: int, pad_id: int, bucket: Any):
        rotary = causal.model.rotary_emb
        self.inv_freq = rotary.inv_freq.numpy().astype(np.float32)
        self.scaling = float(getattr(rotary, "attention_scaling", 1.0))
        self.batch_size, self.pad_id, self.bucket = batch_size, pad_id, bucket
        self._constants: dict[int, tuple[Any, ...]] = {}

    def _per_length(self, length: int) -> tuple[Any, ...]:
        from mindspore import Tensor

        if length not in self._constants:
            freqs = np.arange(length, dtype=np.float32)[:, None] * self.inv_freq[None, :]
            emb = np.concatenate([freqs, freqs], -1)
            cos = (np.cos(emb) * self.scaling).astype(np.float32)[None, :, None, :]
            sin = (np.sin(emb) * self.scaling).astype(np.float32)[None, :, None, :]
            causal = np.triu(np.full((length, length), np.finfo(np.float32).min, np.float32), 1)
            self._constants[length] = (Tensor(cos), Tensor(sin), Tensor(causal[None, None]))
        return self._constants[length]

    def __call__(self, batch: dict[str, np.ndarray], loss_scale: float) -> tuple[Any, ...]:
        from mindspore import Tensor

        ids, mask, labels = batch["input_ids"], batch["attention_mask"], batch["labels"]
        rows, width = ids.shape
        length = self.bucket(width)
        rows_to = max(self.batch_size, rows)
        padded = np.full((rows_to, length), self.pad_id, np.int32)
        padded[:rows, :width] = ids
        keys = np.zeros((rows_to, length), np.float32)
        keys[:rows, :width] = mask
        keys[rows:, 0] = 1.0            # filler rows: one visible key, no empty softmax
        key_mask = ((1.0 - keys) * np.finfo(np.float32).min)[:, None, None, :]
        shifted = np.full((rows_to, length), -100, np.int64)
        shifted[:rows, :width - 1] = labels[:, 1:]
        valid = shifted != -100
        weight = valid * np.float32(loss_scale / max(int(valid.sum()), 1))
        targets = np.where(valid, shifted, 0).astype(np.int32)
        return (Tensor(padded), *self._per_length(length), Tensor(key_mask.astype(np.float32)),
                Tensor(targets.reshape(-1)), Tensor(weight.astype(np.float32).reshape(-1)))


def build_loss(layout: dict[str, Any], config: Any, dropper: Any) -> Any:
    """loss(w, inputs): the scaled causal-LM loss; ``w`` the frozen + trainable tensors."""
    import mindspore
    from mindspore import ops

    heads, kv_heads = config.num_attention_heads, config.num_key_value_heads
    dim = getattr(config, "head_dim", None) or config.hidden_size // heads
    repeat = heads // kv_heads
    hidden, eps = config.hidden_size, float(config.rms_norm_eps)
    scale = float(dim) ** -0.5
    half = dim // 2
    rotation = np.zeros((dim, dim), np.float32)
    rotation[np.arange(half) + half, np.arange(half)] = -1.0
    rotation[np.arange(half), np.arange(half) + half] = 1.0
    rotation_t = mindspore.Tensor(rotation)
    mean_column = mindspore.Tensor(np.full((hidden, 1), 1.0 / hidden, np.float32))
    matmul_t = ops.MatMul(transpose_b=True)
    scores_of, mix = ops.BatchMatMul(transpose_b=True), ops.BatchMatMul()
    attention_p = float(getattr(config, "attention_dropout", 0.0) or 0.0)
    plan = [{"lora": [dropper(spec[5]) if spec[2] is not None else None for spec in specs],
             "attn": dropper(attention_p)} for specs, _ in layout["layers"]]

    def drop(site: Any, x: Any) -> Any:
        return x if site is None else site(x)[0]

    def linear(w: Any, spec: tuple, x: Any, site: Any) -> Any:
        weight, bias, a, b, lora_scale, _ = spec
        out = matmul_t(x, w[weight])
        if bias is not None:
            out = out + w[bias]
        if a is not None:
            out = out + matmul_t(matmul_t(drop(site, x), w[a]) * lora_scale, w[b])
        return out

    def rms(x: Any, weight: Any) -> Any:
        variance = ops.matmul(x * x, mean_column)
        return x * ops.matmul(ops.rsqrt(variance + eps), weight.reshape(1, hidden))

    def heads_first(x: Any, n: int, rows: int, length: int) -> Any:
        return x.reshape(rows, length, n, dim).transpose(0, 2, 1, 3)

    def rotary(x: Any, n: int, cos: Any, sin: Any, rows: int, length: int) -> Any:
        turned = ops.matmul(x.reshape(-1, dim), rotation_t)   # rows in arrival order
        out = (x.reshape(rows, length, n, dim) * cos
               + turned.reshape(rows, length, n, dim) * sin)
        return out.transpose(0, 2, 1, 3)

    def widen(x: Any) -> Any:   # transformers' repeat_kv
        if repeat == 1:
            return x
        rows, n, length, _ = x.shape
        x = ops.broadcast_to(ops.expand_dims(x, 2), (rows, n, repeat, length, dim))
        return x.reshape(rows, n * repeat, length, dim)

    def loss(w: tuple, inputs: tuple) -> Any:
        ids, cos, sin, causal, key_mask, targets, weight = inputs
        rows, length = ids.shape
        mask = ops.minimum(causal, key_mask)
        x = ops.gather(w[layout["embed"]], ids.reshape(-1), 0)
        for (specs, (norm1, norm2)), site in zip(layout["layers"], plan):
            h = rms(x, w[norm1])
            q = rotary(linear(w, specs[0], h, site["lora"][0]), heads, cos, sin, rows, length)
            k = rotary(linear(w, specs[1], h, site["lora"][1]), kv_heads, cos, sin, rows,
                       length)
            v = heads_first(linear(w, specs[2], h, site["lora"][2]), kv_heads, rows, length)
            probs = ops.softmax(scores_of(q, widen(k)) * scale + mask, -1)
            context = mix(drop(site["attn"], probs), widen(v)).transpose(0, 2, 1, 3)
            x = x + linear(w, specs[3], context.reshape(rows * length, heads * dim),
                           site["lora"][3])
            h = rms(x, w[norm2])
            gate = linear(w, specs[4], h, site["lora"][4])
            x = x + linear(w, specs[6], ops.silu(gate) * linear(w, specs[5], h, site["lora"][5]),
                           site["lora"][6])
        logits = linear(w, layout["head"], rms(x, w[layout["final"]]), None)
        picked = ops.gather_elements(ops.log_softmax(logits, -1), 1, targets.reshape(-1, 1))
        return -(picked.reshape(-1) * weight).sum()

    return loss
