"""Whole-sequence Llama-architecture layers in a column layout, for the compiled classifier.

The activations are kept as ``(hidden, tokens)`` columns, so every projection is ``W @ X``
with the model's ``(out, in)`` weight as it lies in memory. MindSpore's CPU ``MatMul`` with
``transpose_b`` (``X @ W.T``, graphforward's row layout) is ~25% slower on a classifier's
shapes (a (32, 256) activation against a (256, 256) weight: 137 against 110 µs a product,
medians of 40 interleaved rounds): the products are most of a tiny classifier's time.

``layer`` runs a whole layer; ``pooled_layer`` the last one, where only the pooled column of
each row goes on (its query, attention output, MLP), keys and values still over all tokens:
the same numbers for those columns, a quarter less work for a four-layer model. Columns are
``row * length + position``. ``mask``: (1, rows, L, L), True where a query may attend to a
key (causal, key not padding); ``pooled_mask``: (1, rows, 1, L), that mask's pooled row.
``cos``/``sin``: (1, head dim, rows * L) for the keys, ``q_cos``/``q_sin`` the same times the
attention's scale for the queries, ``pooled_cos``/``pooled_sin`` those at the pooled columns,
(1, head dim, rows); every ``sin`` with its first half negated (``tables``), so rotate_half is
a concat of the two halves: no ``Neg``, no scaling of the scores (fewer kernels; the same
numbers to float32 rounding).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_MASKED = -3.0e38


def tables(cos: Any, sin: Any, scale: float) -> tuple[Any, Any, Any, Any]:
    """(cos, signed sin, scaled cos, scaled signed sin) from transformers' (L, hd) tables,
    as (hd, L)."""
    import numpy as np

    signed = sin.T.copy()
    signed[:signed.shape[0] // 2] *= -1
    scale = np.float32(scale)
    return cos.T.copy(), signed, cos.T * scale, signed * scale


def llama_layers(config: Any, bias: dict[str, bool]) -> tuple[Callable[..., Any], ...]:
    """(layer, pooled_layer, norm) for graphdecode's flat weights of one layer (``w``)."""
    from mindspore import ops

    heads = config.num_attention_heads
    kv_heads = getattr(config, "num_key_value_heads", None) or heads
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // heads
    group = heads // kv_heads
    eps = float(config.rms_norm_eps)
    half = head_dim // 2
    qkv_bias, o_bias, mlp_bias = bias["qkv"], bias["o"], bias["mlp"]
    scores_of = ops.BatchMatMul(transpose_a=True)
    mix = ops.BatchMatMul(transpose_b=True)

    def unpack(w):
        """The layer's tensors by role (None for a bias the model does not have)."""
        out = [w[0], w[1]]
        j = 2
        for present in (qkv_bias, qkv_bias, qkv_bias, o_bias, mlp_bias, mlp_bias, mlp_bias):
            out += [w[j], w[j + 1] if present else None]
            j += 2 if present else 1
        return out

    def linear(weight, b, x):
        out = ops.matmul(weight, x)
        return out if b is None else out + b.reshape(-1, 1)

    def norm(x, weight):
        return weight.reshape(-1, 1) * (x * ops.rsqrt(ops.mean(x * x, 0, keep_dims=True) + eps))

    def rotate(x, c, s):
        return x * c + ops.concat((x[:, half:], x[:, :half]), 1) * s

    def per_head(x, n, rows, length):
        """(n * hd, rows * L) -> (n * rows, hd, L)."""
        if rows == 1:
            return x.reshape(n, head_dim, length)
        return x.reshape(n, head_dim, rows, length).transpose(0, 2, 1, 3).reshape(
            n * rows, head_dim, length)

    def repeat(x, rows, length):
        """transformers' repeat_kv: query head h reads key head h // group."""
        if group == 1:
            return x
        x = ops.broadcast_to(x.reshape(kv_heads, 1, rows * head_dim * length),
                             (kv_heads, group, rows * head_dim * length))
        return x.reshape(heads * rows, head_dim, length)

    def keys_values(h, weights, rows, c, s):
        _, _, _, _, wk, bk, wv, bv = weights[:8]
        length = h.shape[1] // rows
        k = rotate(linear(wk, bk, h).reshape(kv_heads, head_dim, rows * length), c, s)
        v = linear(wv, bv, h)
        return (repeat(per_head(k, kv_heads, rows, length), rows, length),
                repeat(per_head(v, kv_heads, rows, length), rows, length))

    def mlp(x, weights):
        _, ln2 = weights[:2]
        wg, bg, wu, bu, wd, bd = weights[10:]
        h = norm(x, ln2)
        return x + linear(wd, bd, ops.silu(linear(wg, bg, h)) * linear(wu, bu, h))

    def layer(x, w, rows, c, s, qc, qs, mask):
        weights = unpack(w)
        ln1, _, wq, bq = weights[:4]
        wo, bo = weights[8:10]
        length = x.shape[1] // rows
        h = norm(x, ln1)
        q = rotate(linear(wq, bq, h).reshape(heads, head_dim, rows * length), qc, qs)
        k, v = keys_values(h, weights, rows, c, s)
        scores = scores_of(per_head(q, heads, rows, length), k)            # (n, Lq, Lk)
        scores = ops.where(mask, scores.reshape(heads, rows, length, length), _MASKED)
        probs = ops.softmax(scores, -1).reshape(heads * rows, length, length)
        attn = mix(v, probs)                                                # (n, hd, Lq)
        if rows == 1:
            attn = attn.reshape(heads * head_dim, length)
        else:
            attn = attn.reshape(heads, rows, head_dim, length).transpose(0, 2, 1, 3).reshape(
                heads * head_dim, rows * length)
        return mlp(x + linear(wo, bo, attn), weights)

    def pooled_layer(x, w, rows, c, s, mask, picked, pooled_c, pooled_s):
        """The last layer for the pooled columns only: (hidden, rows)."""
        weights = unpack(w)
        ln1, _, wq, bq = weights[:4]
        wo, bo = weights[8:10]
        length = x.shape[1] // rows
        h = norm(x, ln1)
        k, v = keys_values(h, weights, rows, c, s)
        q = linear(wq, bq, ops.gather(h, picked, 1)).reshape(heads, head_dim, rows)
        q = rotate(q, pooled_c, pooled_s)
        if rows == 1:
            q = q.reshape(heads, 1, head_dim)
        else:
            q = q.transpose(0, 2, 1).reshape(heads * rows, 1, head_dim)
        scores = ops.bmm(q, k)                                              # (n, 1, Lk)
        scores = ops.where(mask, scores.reshape(heads, rows, 1, length), _MASKED)
        probs = ops.softmax(scores, -1).reshape(heads * rows, 1, length)
        attn = mix(v, probs)                                                # (n, hd, 1)
        if rows == 1:
            attn = attn.reshape(heads * head_dim, 1)
        else:
            attn = attn.reshape(heads, rows, head_dim).transpose(0, 2, 1).reshape(
                heads * head_dim, rows)
        return mlp(ops.gather(x, picked, 1) + linear(wo, bo, attn), weights)

    return layer, pooled_layer, norm
