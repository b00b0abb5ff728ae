"""A compiled decode step for Llama-architecture models (Llama, Qwen2, Mistral) and GPT-2.

transformers' ``generate`` on mindtorch issues ~350 small operators per token, each paying
MindSpore's per-operator cost in PyNative mode: ~25 ms per token for a tiny Llama. Here one
decode step is a single MindSpore graph (``mindspore.jit``) with a pre-allocated KV cache
(static shapes), ~3 ms. The prompt goes through a compiled prefill of the same weights
(``graphforward``'s whole-sequence layers; prompt lengths bucketed to powers of two, padded on
the right) that writes the static cache; sampling runs in numpy on the logits.

Only used where it gives transformers' answer (fastpaths ``graph_decode``; see
``unsupported``): the model's own weights answer (the base, or an adapter merged into it),
float32, default RoPE (GPT-2: learned positions, tanh GELU), no generation options beyond
ours. Everything else falls back to
``generate``. tests/core/test_graphdecode.py compares tokens and logits with ``generate``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import graphforward

LLAMA_LIKE = ("llama", "qwen2", "mistral")
FAMILIES = (*LLAMA_LIKE, "gpt2")
GPT2_ACTIVATIONS = ("gelu_new", "gelu_pytorch_tanh")
MIN_CACHE = 256      # cache lengths are powers of two from here: one compiled graph each
# GenerationConfig fields that add logits processing this module does not do, with the
# values that mean "off".
_OFF = {"no_repeat_ngram_size": (None, 0), "bad_words_ids": (None,), "suppress_tokens": (None,),
        "begin_suppress_tokens": (None,), "min_length": (None, 0), "min_new_tokens": (None, 0),
        "forced_bos_token_id": (None,), "forced_eos_token_id": (None,), "typical_p": (None, 1.0),
        "epsilon_cutoff": (None, 0.0), "eta_cutoff": (None, 0.0), "min_p": (None, 0.0),
        "sequence_bias": (None,), "exponential_decay_length_penalty": (None,),
        "encoder_repetition_penalty": (None, 1.0), "renormalize_logits": (None, False),
        "guidance_scale": (None, 1.0), "watermarking_config": (None,), "stop_strings": (None,)}


def unsupported(model: Any, generation_config: Any) -> str | None:
    """Why this model/config cannot take the compiled path (None: it can)."""
    config = model.config
    if config.model_type not in FAMILIES:
        return f"model type {config.model_type}"
    if config.model_type == "gpt2":
        if config.activation_function not in GPT2_ACTIVATIONS:
            return f"activation {config.activation_function}"
        for option in ("scale_attn_by_inverse_layer_idx", "reorder_and_upcast_attn",
                       "add_cross_attention"):
            if getattr(config, option, False):
                return option
        if not getattr(config, "scale_attn_weights", True):
            return "unscaled attention"
    elif getattr(config, "rope_scaling", None):
        return "RoPE scaling"
    elif getattr(config, "hidden_act", "silu") != "silu":
        return f"activation {config.hidden_act}"
    if str(model.dtype) not in ("torch.float32", "Float32", "mindspore.float32"):
        return f"dtype {model.dtype}"
    if getattr(config, "sliding_window", None) and getattr(config, "use_sliding_window", True) \
            and config.model_type == "mistral":
        return "sliding window"
    for name, off in _OFF.items():
        if getattr(generation_config, name, None) not in off:
            return f"generation option {name}"
    return None


def _layer(module: Any) -> Any:
    """The plain Linear under a PEFT layer (whose merged weights are the ones to use)."""
    return module.get_base_layer() if hasattr(module, "get_base_layer") else module


def weights(model: Any) -> tuple[tuple[Any, ...], dict[str, bool]]:
    """The tensors the graph reads (the model's own, not copies) and which biases exist."""
    if model.config.model_type == "gpt2":
        return _gpt2_weights(model), {}
    if model.config.model_type == "bert":   # graphbert's classifier
        from . import graphbert
        return graphbert.weights(model), {}
    inner = model.model
    flat: list[Any] = [inner.embed_tokens.weight, inner.norm.weight]
    if hasattr(model, "lm_head"):    # a classifier's score head is called as it is
        flat.append(_layer(model.lm_head).weight)
    first = inner.layers[0]
    bias = {"qkv": _layer(first.self_attn.q_proj).bias is not None,
            "o": _layer(first.self_attn.o_proj).bias is not None,
            "mlp": _layer(first.mlp.down_proj).bias is not None}
    for layer in inner.layers:
        attn, mlp = layer.self_attn, layer.mlp
        flat += [layer.input_layernorm.weight, layer.post_attention_layernorm.weight]
        for name in ("q_proj", "k_proj", "v_proj"):
            flat.append(_layer(getattr(attn, name)).weight)
            if bias["qkv"]:
                flat.append(_layer(getattr(attn, name)).bias)
        flat.append(_layer(attn.o_proj).weight)
        if bias["o"]:
            flat.append(_layer(attn.o_proj).bias)
        for name in ("gate_proj", "up_proj", "down_proj"):
            flat.append(_layer(getattr(mlp, name)).weight)
            if bias["mlp"]:
                flat.append(_layer(getattr(mlp, name)).bias)
    return tuple(flat), bias


def _gpt2_weights(model: Any) -> tuple[Any, ...]:
    inner = model.transformer
    flat: list[Any] = [inner.wte.weight, inner.wpe.weight, inner.ln_f.weight, inner.ln_f.bias]
    if hasattr(model, "lm_head"):
        flat.append(_layer(model.lm_head).weight)
    for block in inner.h:
        flat += [block.ln_1.weight, block.ln_1.bias, block.ln_2.weight, block.ln_2.bias]
        for module in (block.attn.c_attn, block.attn.c_proj, block.mlp.c_fc, block.mlp.c_proj):
            flat += [_layer(module).weight, _layer(module).bias]   # Conv1D: (in, out)
    return tuple(flat)


def rope_tables(config: Any, head_dim: int, length: int) -> tuple[np.ndarray, np.ndarray]:
    """cos/sin per position, computed as transformers' default rotary embedding does."""
    base = float(getattr(config, "rope_theta", 10000.0))
    exponent = np.arange(0, head_dim, 2, dtype=np.int64).astype(np.float32) / np.float32(head_dim)
    inv_freq = (1.0 / (base ** exponent.astype(np.float64))).astype(np.float32)
    freqs = np.arange(length, dtype=np.float32)[:, None] * inv_freq[None, :]
    emb = np.concatenate([freqs, freqs], axis=-1)
    return np.cos(emb).astype(np.float32), np.sin(emb).astype(np.float32)


def _build(config: Any, bias: dict[str, bool], length: int, flat: Any) -> Any:
    if config.model_type == "gpt2":
        return _build_gpt2(config, length, flat)
    return _build_llama(config, bias, length, flat)


def _caches(layers: int, length: int, heads: int, head_dim: int) -> tuple[Any, Any]:
    from mindspore import Parameter, ParameterTuple, Tensor

    def make(kind: str) -> Any:
        return ParameterTuple(
            Parameter(Tensor(np.zeros((length, heads, head_dim), np.float32)),
                      name=f"{kind}{i}", requires_grad=False) for i in range(layers))
    return make("k"), make("v")


def _build_gpt2(config: Any, length: int, flat: Any) -> Any:
    import mindspore
    from mindspore import Tensor, nn, ops

    layers, heads, hidden = config.n_layer, config.n_head, config.n_embd
    head_dim = hidden // heads
    eps = float(config.layer_norm_epsilon)
    scale = float(head_dim) ** -0.5
    matmul_t = ops.MatMul(transpose_b=True)
    tanh_scale = float(np.sqrt(2.0 / np.pi))
    sequence_layer = graphforward.gpt2_layer(config)

    def norm(x, weight, b):
        mean = ops.mean(x, -1, keep_dims=True)
        centred = x - mean
        variance = ops.mean(centred * centred, -1, keep_dims=True)
        return centred * ops.rsqrt(variance + eps) * weight + b

    def gelu(x):
        return 0.5 * x * (1.0 + ops.tanh(tanh_scale * (x + 0.044715 * x * x * x)))

    class Step(nn.Cell):
        def __init__(self) -> None:
            super().__init__()
            self.flat = flat
            self.positions = Tensor(np.arange(length, dtype=np.int32))
            self.keys, self.values = _caches(layers, length, heads, head_dim)

        @mindspore.jit
        def construct(self, token, pos):
            w = self.flat
            x = ops.gather(w[0], token, 0) + ops.gather(w[1], pos, 0)   # (1, hidden)
            visible = self.positions <= pos
            for i in range(layers):
                ln1, ln1b, ln2, ln2b, wa, ba, wp, bp, wf, bf, wo, bo = w[5 + 12 * i: 17 + 12 * i]
                qkv = ops.matmul(norm(x, ln1, ln1b), wa) + ba             # (1, 3 * hidden)
                q = qkv[:, :hidden].reshape(heads, 1, head_dim)
                k = qkv[:, hidden:2 * hidden].reshape(1, heads, head_dim)
                v = qkv[:, 2 * hidden:].reshape(1, heads, head_dim)
                keys = ops.scatter_update(self.keys[i], pos, k)
                values = ops.scatter_update(self.values[i], pos, v)
                scores = ops.bmm(q, keys.transpose(1, 2, 0)) * scale      # (heads, 1, length)
                scores = ops.softmax(ops.where(visible, scores, -3.0e38), -1)
                attn = ops.bmm(scores, values.transpose(1, 0, 2)).reshape(1, hidden)
                x = x + ops.matmul(attn, wp) + bp
                x = x + ops.matmul(gelu(ops.matmul(norm(x, ln2, ln2b), wf) + bf), wo) + bo
            return matmul_t(norm(x, w[2], w[3]), w[4])

        @mindspore.jit
        def prefill(self, ids, positions, mask, last):
            """The prompt ids (1, P) into the cache; the logits after row ``last``."""
            w = self.flat
            length = ids.shape[1]
            x = ops.gather(w[0], ids.reshape(-1), 0) + ops.gather(w[1], positions, 0)
            for i in range(layers):
                x, k, v = sequence_layer(x, w[5 + 12 * i: 17 + 12 * i], 1, mask)
                ops.scatter_update(self.keys[i], self.positions[:length], k[0])
                ops.scatter_update(self.values[i], self.positions[:length], v[0])
            return matmul_t(norm(ops.gather(x, last, 0), w[2], w[3]), w[4])

    return Step()


def _build_llama(config: Any, bias: dict[str, bool], length: int, flat: Any) -> Any:
    import mindspore
    from mindspore import Tensor, nn, ops

    layers = config.num_hidden_layers
    heads = config.num_attention_heads
    kv_heads = getattr(config, "num_key_value_heads", None) or heads
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // heads
    group = heads // kv_heads
    eps = float(config.rms_norm_eps)
    scale = float(head_dim) ** -0.5
    per_layer = 2 + 3 * (1 + bias["qkv"]) + 1 + bias["o"] + 3 * (1 + bias["mlp"])
    cos, sin = rope_tables(config, head_dim, length)
    half = head_dim // 2

    matmul_t = ops.MatMul(transpose_b=True)
    qkv_bias, o_bias, mlp_bias = bias["qkv"], bias["o"], bias["mlp"]
    sequence_layer = graphforward.llama_layer(config, bias)

    def linear(x, weight, b):
        out = matmul_t(x, weight)
        return out if b is None else out + b

    def rms(x, weight):
        variance = ops.mean(x * x, -1, keep_dims=True)
        return weight * (x * ops.rsqrt(variance + eps))

    def rotate(x, c, s):
        return x * c + ops.concat((-x[..., half:], x[..., :half]), -1) * s

    class Step(nn.Cell):
        def __init__(self) -> None:
            super().__init__()
            self.flat = flat
            self.cos, self.sin = Tensor(cos), Tensor(sin)
            self.positions = Tensor(np.arange(length, dtype=np.int32))
            self.keys, self.values = _caches(layers, length, kv_heads, head_dim)

        @mindspore.jit
        def construct(self, token, pos):
            flat = self.flat
            x = ops.gather(flat[0], token, 0)                        # (1, hidden)
            c, s = ops.gather(self.cos, pos, 0), ops.gather(self.sin, pos, 0)   # (1, hd)
            visible = self.positions <= pos                          # (length,)
            for i in range(layers):
                w = flat[3 + i * per_layer: 3 + (i + 1) * per_layer]
                j = 2
                h = rms(x, w[0])
                qkv = []
                for _ in range(3):
                    if qkv_bias:
                        qkv.append(linear(h, w[j], w[j + 1]))
                        j += 2
                    else:
                        qkv.append(linear(h, w[j], None))
                        j += 1
                q = rotate(qkv[0].reshape(kv_heads, group, head_dim), c, s)
                k = rotate(qkv[1].reshape(1, kv_heads, head_dim), c, s)
                keys = ops.scatter_update(self.keys[i], pos, k)
                values = ops.scatter_update(self.values[i], pos, qkv[2].reshape(1, kv_heads,
                                                                                  head_dim))
                scores = ops.bmm(q, keys.transpose(1, 2, 0)) * scale   # (kv, group, length)
                scores = ops.softmax(ops.where(visible, scores, -3.0e38), -1)
                attn = ops.bmm(scores, values.transpose(1, 0, 2)).reshape(1, heads * head_dim)
                if o_bias:
                    x = x + linear(attn, w[j], w[j + 1])
                    j += 2
                else:
                    x = x + linear(attn, w[j], None)
                    j += 1
                h = rms(x, w[1])
                if mlp_bias:
                    gate = linear(h, w[j], w[j + 1])
                    up = linear(h, w[j + 2], w[j + 3])
                    x = x + linear(ops.silu(gate) * up, w[j + 4], w[j + 5])
                else:
                    x = x + linear(ops.silu(linear(h, w[j], None)) * linear(h, w[j + 1], None),
                                   w[j + 2], None)
            return linear(rms(x, flat[1]), flat[2], None)

        @mindspore.jit
        def prefill(self, ids, mask, last):
            """The prompt ids (1, P) into the cache; the logits after row ``last``."""
            flat = self.flat
            length = ids.shape[1]
            x = ops.gather(flat[0], ids.reshape(-1), 0)                  # (P, hidden)
            c = self.cos[:length].reshape(1, length, 1, head_dim)
            s = self.sin[:length].reshape(1, length, 1, head_dim)
            for i in range(layers):
                w = flat[3 + i * per_layer: 3 + (i + 1) * per_layer]
                x, k, v = sequence_layer(x, w, 1, c, s, mask)
                ops.scatter_update(self.keys[i], self.positions[:length], k[0])
                ops.scatter_update(self.values[i], self.positions[:length], v[0])
            return linear(rms(ops.gather(x, last, 0), flat[1]), flat[2], None)

    return Step()


class SharedWeights:
    """The graphs' view of a model's weights: MindSpore Parameters over the model's own
    tensors' memory (no copy), brought back in line by ``refresh()`` after the model's weights
    change.

    ``Parameter._from_tensor`` builds a Parameter on the tensor's storage (``Parameter(t)``
    copies it). Two facts of the stack (MindSpore 2.7, mindtorch on CPU) shape ``refresh``:
    mindtorch's in-place operators (``mul_``, ``copy_``, ``.data +=``, so peft's merge and
    unmerge) do not write in place on CPU but point the tensor at new memory
    (``assign_value``); and a compiled graph keeps reading the memory its Parameters had
    when it first ran, so re-pointing a Parameter is not seen. So ``refresh`` copies a
    re-pointed tensor into the graphs' memory in place (``ops.assign``) and points the
    model's tensor back at it: the model and the graphs keep sharing one copy.
    tests/core/test_graphdecode.py checks the sharing and the answers after each change."""

    def __init__(self, model: Any):
        from mindspore import Parameter, ParameterTuple

        self.model = model
        tensors, self._bias = weights(model)
        for t in tensors:   # a tensor read from a file has no device memory until used:
            t.data_ptr()    # give it its own now, or the Parameter would get another one
        self._flat = ParameterTuple(
            Parameter._from_tensor(t, name=f"graphdecode_w{i}", requires_grad=False)
            for i, t in enumerate(tensors))

    def copy_bytes(self) -> int:
        """Memory the graphs hold apart from the model now: the weights the model has moved
        away from since the last ``refresh()`` (0 right after it)."""
        return sum(int(t.numel()) * int(t.element_size())
                   for p, t in zip(self._flat, weights(self.model)[0])
                   if p._data_ptr() != t.data_ptr())

    def refresh(self) -> None:
        """Bring the graphs' weights in line with the model's (after merging or unmerging an
        adapter, switching BitFit biases, any in-place change), sharing memory again."""
        from mindspore import ops

        for param, tensor in zip(self._flat, weights(self.model)[0]):
            if param._data_ptr() != tensor.data_ptr():
                ops.assign(param, tensor)   # in place: the graphs read this memory
                tensor.assign_value(param)  # the model's tensor shares it again


class GraphDecoder(SharedWeights):
    """Compiled steps for one model, one graph per cache length (kept for reuse), over the
    model's own weights (``SharedWeights``; ``refresh()`` after they change)."""

    def __init__(self, model: Any):
        super().__init__(model)
        self._steps: dict[int, Any] = {}

    def _step(self, needed: int) -> Any:
        length = MIN_CACHE
        while length < needed:
            length *= 2
        if length not in self._steps:
            self._steps[length] = _build(self.model.config, self._bias, length, self._flat)
        return self._steps[length]

    def prefill(self, ids: list[int], needed: int) -> tuple[Any, np.ndarray]:
        """Run the prompt through the compiled prefill of a step whose cache holds ``needed``
        positions (and the prompt); returns that step and the logits after the prompt."""
        from mindspore import Tensor

        length = graphforward.bucket(len(ids), graphforward.MIN_LENGTH)
        step = self._step(max(needed, length))
        padded = np.zeros((1, length), np.int32)
        padded[0, :len(ids)] = ids
        mask = Tensor(graphforward.masks(np.arange(length)[None] < len(ids)))
        last = Tensor(np.array([len(ids) - 1], np.int32))
        if self.model.config.model_type == "gpt2":
            top = self.model.config.n_positions - 1   # padding past the table: any row will do
            positions = Tensor(np.minimum(np.arange(length), top).astype(np.int32))
            logits = step.prefill(Tensor(padded), positions, mask, last)
        else:
            logits = step.prefill(Tensor(padded), mask, last)
        return step, logits.asnumpy()[0]

    def generate(self, ids: list[int], config: Any, streamer: Any,
                 halted: Callable[[], bool], seed: int | None) -> list[int]:
        """Generate after ``ids`` as ``generate(generation_config=config)`` would (greedy:
        the same tokens); hands each token to ``streamer``; returns the new ids."""
        from mindspore import Tensor

        limit = getattr(self.model.config, "max_position_embeddings", None)
        total = len(ids) + int(config.max_new_tokens)
        eos = config.eos_token_id
        eos_ids = set(eos if isinstance(eos, (list, tuple)) else [] if eos is None else [eos])
        sampler = Sampler(config, seed)
        streamer.put(np.array([ids]))
        step, logits = self.prefill(ids, min(total, limit) if limit else total)
        seen, new = list(ids), []
        while True:
            token = sampler(logits, seen)
            seen.append(token)
            new.append(token)
            streamer.put(np.array([token]))
            if (token in eos_ids or len(new) >= config.max_new_tokens or halted()
                    or (limit and len(seen) >= limit)):
                return new
            logits = step(Tensor(np.array([token], np.int32)),
                          Tensor(np.array([len(seen) - 1], np.int32))).asnumpy()[0]


class Sampler:
    """transformers' logits processing for the settings the playground has, in numpy:
    repetition penalty, then (when sampling) temperature, top-k and top-p, then a draw."""

    def __init__(self, config: Any, seed: int | None):
        self.sample = bool(config.do_sample)
        self.penalty = float(config.repetition_penalty or 1.0)
        self.temperature = float(config.temperature or 1.0)
        self.top_k = int(config.top_k or 0)
        self.top_p = float(config.top_p if config.top_p is not None else 1.0)
        self.rng = np.random.default_rng(seed)

    def __call__(self, logits: np.ndarray, seen: list[int]) -> int:
        scores = logits.astype(np.float32).copy()
        if self.penalty != 1.0:
            index = np.unique(np.asarray(seen, dtype=np.int64))
            picked = scores[index]
            scores[index] = np.where(picked < 0, picked * self.penalty, picked / self.penalty)
        if not self.sample:
            return int(np.argmax(scores))
        if self.temperature != 1.0:
            scores = scores / np.float32(self.temperature)
        if 0 < self.top_k < scores.size:
            kth = np.partition(scores, -self.top_k)[-self.top_k]
            scores = np.where(scores < kth, -np.inf, scores)
        if self.top_p < 1.0:
            order = np.argsort(scores, kind="stable")            # ascending, as transformers
            probs = _softmax(scores[order])
            remove = np.cumsum(probs) <= (1 - self.top_p)
            remove[-1] = False                                   # keep at least one token
            scores[order[remove]] = -np.inf
        probs = _softmax(scores).astype(np.float64)
        return int(self.rng.choice(probs.size, p=probs / probs.sum()))


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - np.max(x))
    return e / e.sum()
