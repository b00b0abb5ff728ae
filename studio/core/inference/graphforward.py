"""Whole-sequence layers of the compiled models (graphdecode's families), for the prompt of a
generation (prefill: fills the static KV cache, returns the next token's logits) and for
sequence classification (the hidden state at transformers' pooled position).

Each layer function runs inside a ``mindspore.jit`` graph on ``x`` of shape (rows * length,
hidden) and returns the new ``x`` with the layer's keys and values, (rows, length, kv heads,
head dim): the layout of graphdecode's cache. ``mask`` is (rows, 1, length, length), True
where a query may attend to a key (causal, and the key not padding), as transformers' mask.

Lengths and row counts are bucketed (``bucket``) so a session compiles a few shapes, not one
per prompt: padding sits on the right, where a causal model's real tokens never look.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

MIN_LENGTH = 16
_MASKED = -3.0e38


def bucket(n: int, smallest: int = 1) -> int:
    """The power of two at or above ``n`` (at least ``smallest``)."""
    size = smallest
    while size < n:
        size *= 2
    return size


def masks(valid: np.ndarray) -> np.ndarray:
    """(rows, 1, L, L) attention masks from (rows, L) key validity: causal and valid."""
    length = valid.shape[1]
    causal = np.tril(np.ones((length, length), dtype=bool))
    return (causal[None, :, :] & valid[:, None, :])[:, None]


def first_layer(config: Any, head: bool) -> int:
    """Index of the first layer's weights in graphdecode's flat tuple."""
    return (4 if config.model_type == "gpt2" else 2) + int(head)


def _attention() -> Callable[..., Any]:
    """attention(q, k, v, mask, scale, group): q (B, L, heads, hd), k/v (B, L, kv, hd) ->
    (B * L, heads * hd). (Built outside the graph: a graph may not import.)"""
    from mindspore import ops

    scores_of, mix = ops.BatchMatMul(transpose_b=True), ops.BatchMatMul()

    def attention(q, k, v, mask, scale, group):
        rows, length, heads, head_dim = q.shape
        kv = k.shape[2]
        q = q.transpose(0, 2, 1, 3)
        k = k.transpose(0, 2, 1, 3)
        v = v.transpose(0, 2, 1, 3)
        if group > 1:   # transformers' repeat_kv: query head h reads key head h // group
            k = ops.broadcast_to(k.expand_dims(2), (rows, kv, group, length, head_dim))
            k = k.reshape(rows, heads, length, head_dim)
            v = ops.broadcast_to(v.expand_dims(2), (rows, kv, group, length, head_dim))
            v = v.reshape(rows, heads, length, head_dim)
        probs = ops.softmax(ops.where(mask, scores_of(q, k) * scale, _MASKED), -1)
        return mix(probs, v).transpose(0, 2, 1, 3).reshape(rows * length, heads * head_dim)

    return attention


def llama_layer(config: Any, bias: dict[str, bool]) -> Callable[..., Any]:
    """layer(x, w, rows, cos, sin, mask) -> (x, keys, values); cos/sin: (1, L, 1, hd)."""
    from mindspore import ops

    heads = config.num_attention_heads
    kv_heads = getattr(config, "num_key_value_heads", None) or heads
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // heads
    group = heads // kv_heads
    eps = float(config.rms_norm_eps)
    scale = float(head_dim) ** -0.5
    half = head_dim // 2
    qkv_bias, o_bias, mlp_bias = bias["qkv"], bias["o"], bias["mlp"]
    matmul_t = ops.MatMul(transpose_b=True)
    attention = _attention()

    def linear(x, weight, b):
        out = matmul_t(x, weight)
        return out if b is None else out + b

    def rms(x, weight):
        return weight * (x * ops.rsqrt(ops.mean(x * x, -1, keep_dims=True) + eps))

    def rotate(x, c, s):
        return x * c + ops.concat((-x[..., half:], x[..., :half]), -1) * s

    def layer(x, w, rows, c, s, mask):
        length = x.shape[0] // rows
        h = rms(x, w[0])
        j = 2
        qkv = []
        for _ in range(3):
            if qkv_bias:
                qkv.append(linear(h, w[j], w[j + 1]))
                j += 2
            else:
                qkv.append(linear(h, w[j], None))
                j += 1
        q = rotate(qkv[0].reshape(rows, length, heads, head_dim), c, s)
        k = rotate(qkv[1].reshape(rows, length, kv_heads, head_dim), c, s)
        v = qkv[2].reshape(rows, length, kv_heads, head_dim)
        attn = attention(q, k, v, mask, scale, group)
        if o_bias:
            x = x + linear(attn, w[j], w[j + 1])
            j += 2
        else:
            x = x + linear(attn, w[j], None)
            j += 1
        h = rms(x, w[1])
        if mlp_bias:
            gate = linear(h, w[j], w[j + 1])
            x = x + linear(ops.silu(gate) * linear(h, w[j + 2], w[j + 3]), w[j + 4], w[j + 5])
        else:
            x = x + linear(ops.silu(linear(h, w[j], None)) * linear(h, w[j + 1], None),
                           w[j + 2], None)
        return x, k, v

    return layer


def llama_norm(config: Any) -> Callable[[Any, Any], Any]:
    from mindspore import ops

    eps = float(config.rms_norm_eps)

    def rms(x, weight):
        return weight * (x * ops.rsqrt(ops.mean(x * x, -1, keep_dims=True) + eps))

    return rms


def gpt2_norm(config: Any) -> Callable[[Any, Any, Any], Any]:
    from mindspore import ops

    eps = float(config.layer_norm_epsilon)

    def norm(x, weight, b):
        centred = x - ops.mean(x, -1, keep_dims=True)
        variance = ops.mean(centred * centred, -1, keep_dims=True)
        return centred * ops.rsqrt(variance + eps) * weight + b

    return norm


def gpt2_layer(config: Any) -> Callable[..., Any]:
    """layer(x, w, rows, mask) -> (x, keys, values); w: the block's 12 tensors."""
    from mindspore import ops

    heads, hidden = config.n_head, config.n_embd
    head_dim = hidden // heads
    scale = float(head_dim) ** -0.5
    tanh_scale = float(np.sqrt(2.0 / np.pi))
    norm = gpt2_norm(config)
    attention = _attention()

    def gelu(x):
        return 0.5 * x * (1.0 + ops.tanh(tanh_scale * (x + 0.044715 * x * x * x)))

    def layer(x, w, rows, mask):
        length = x.shape[0] // rows
        ln1, ln1b, ln2, ln2b, wa, ba, wp, bp, wf, bf, wo, bo = w
        qkv = ops.matmul(norm(x, ln1, ln1b), wa) + ba
        q = qkv[:, :hidden].reshape(rows, length, heads, head_dim)
        k = qkv[:, hidden:2 * hidden].reshape(rows, length, heads, head_dim)
        v = qkv[:, 2 * hidden:].reshape(rows, length, heads, head_dim)
        x = x + ops.matmul(attention(q, k, v, mask, scale, 1), wp) + bp
        x = x + ops.matmul(gelu(ops.matmul(norm(x, ln2, ln2b), wf) + bf), wo) + bo
        return x, k, v

    return layer


def per_layer(config: Any, bias: dict[str, bool]) -> int:
    if config.model_type == "gpt2":
        return 12
    return 2 + 3 * (1 + bias["qkv"]) + 1 + bias["o"] + 3 * (1 + bias["mlp"])
