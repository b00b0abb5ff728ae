"""CPU fast paths for the decoder layers of Llama-architecture models (Llama, Qwen2, Mistral)
in transformers' eager forward, the one LoRA training runs (registered with ``fastpaths``).

The profile of a tiny-Llama LoRA step (MindSpore's profiler plus per-operator timing) showed
MatMul at numpy's speed, and time lost around it in two places: element-wise work on
*transposed* views (rotary embedding on q/k after ``transpose(1, 2)``: MindSpore copies the
strided view outside the kernel at ~0.5 GB/s, ~1-2 ms per 262k floats, and ``rotate_half``'s
slices, ``neg`` and ``cat`` pay it again), and RMSNorm's reductions (ReduceMean ~1 ms a call
forward; the broadcast of the (rows, 1) scale back over the hidden size costs a ReduceSum of
~1.7 ms a call in the backward). Both are rewritten with matrix products, which are fast on
any layout and whose gradients are matrix products too, and the rotary result is reordered
by a row gather instead of a strided copy. The README's performance section has the
measurements.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterator
from typing import Any

from .fastpaths import fast_path, swapping

FAMILIES = ("llama", "qwen2", "mistral")
_constants: dict[tuple[str, int, Any], Any] = {}


def _constant(kind: str, size: int, dtype: Any) -> Any:
    """The rotation or the averaging column of one size, built once per dtype."""
    key = (kind, size, dtype)
    if key not in _constants:
        import numpy as np
        import torch

        if kind == "rotation":   # x @ R == rotate_half(x) == cat(-x2, x1), exactly
            half = size // 2
            value = np.zeros((size, size), np.float32)
            value[np.arange(half) + half, np.arange(half)] = -1.0
            value[np.arange(half), np.arange(half) + half] = 1.0
        else:   # a column of 1/size: the mean as a product
            value = np.full((size, 1), 1.0 / size, np.float32)
        _constants[key] = torch.tensor(value).to(dtype)
    return _constants[key]


@functools.lru_cache(maxsize=64)   # one per (batch, length) shape met; training buckets them
def _order(batch: int, length: int, heads: int) -> Any:
    """Row indices that take (batch, seq, heads) rows to (batch, heads, seq) order: a row
    gather (index_select) moves them at memory speed, where MindSpore's CPU copy of a
    transposed view costs ~2 ms per 262k floats."""
    import numpy as np
    import torch

    order = np.arange(batch * length * heads).reshape(batch, length, heads)
    return torch.tensor(order.transpose(0, 2, 1).reshape(-1).astype(np.int64))


def _modules() -> list[Any]:
    return [importlib.import_module(f"transformers.models.{name}.modeling_{name}")
            for name in FAMILIES]


def _patching(attribute: Callable[[Any], tuple[Any, str]],
              build: Callable[[Callable], Callable]) -> Callable[[bool], None]:
    """A switch that replaces ``getattr(*attribute(module))`` in every family's module."""
    def replacements() -> Iterator[tuple[Any, str, Callable]]:
        for module in _modules():
            owner, name = attribute(module)
            yield owner, name, build(getattr(owner, name))
    return swapping(replacements)


def _rotary(plain: Callable) -> Callable:
    import torch

    def apply_rotary_pos_emb(q, k, cos, sin, position_ids=None, unsqueeze_dim=1):
        if unsqueeze_dim != 1 or q.ndim != 4 or k.ndim != 4 or cos.ndim != 3:
            return plain(q, k, cos, sin, position_ids, unsqueeze_dim)
        # q/k arrive as (batch, heads, seq, dim) views of (batch, seq, heads, dim) memory:
        # work in that memory's own order, where every operand is contiguous.
        cos, sin = cos.unsqueeze(2), sin.unsqueeze(2)

        def rotate(x):
            batch, heads, length, dim = x.shape
            x = x.transpose(1, 2)
            turned = torch.matmul(x.reshape(-1, dim), _constant("rotation", dim, x.dtype))
            rows = (x * cos + turned.reshape(batch, length, heads, dim) * sin).reshape(-1, dim)
            # Handed on as contiguous (batch, heads, seq, dim): attention's products would
            # otherwise copy the transposed view at the slow speed (and so would the cache).
            order = _order(batch, length, heads)
            return torch.index_select(rows, 0, order).reshape(batch, heads, length, dim)

        return rotate(q), rotate(k)

    return apply_rotary_pos_emb


@fast_path("cpu")
def cpu_rotary_in_arrival_layout(on: bool) -> None:
    """Rotary embedding of Llama/Qwen2/Mistral in the memory order q and k arrive in, with
    ``rotate_half`` as a product with a fixed +-1 permutation matrix (exact: one non-zero term
    per output), the results gathered back into (batch, heads, seq, dim) order by rows. The
    plain path multiplies transposed views and slices, negates and concatenates them, each
    paying the slow non-contiguous path, and hands attention transposed views."""
    _rotary_switch(on)


_rotary_switch = _patching(lambda module: (module, "apply_rotary_pos_emb"), _rotary)


def _rms_norm(plain: Callable) -> Callable:
    import torch

    def forward(self, hidden_states):
        x, weight = hidden_states, self.weight
        if x.ndim < 2 or x.dtype != torch.float32 or weight.dtype != torch.float32:
            return plain(self, hidden_states)
        size = x.shape[-1]
        variance = torch.matmul(x * x, _constant("mean", size, x.dtype))
        # The (rows, 1) scale times the weight, spread over the hidden size as an outer
        # product: one product whose gradient is a product too, where the plain path's
        # broadcasts cost a slow reduction each in the backward.
        scale = torch.matmul(torch.rsqrt(variance + self.variance_epsilon),
                             weight.reshape(1, size))
        return x * scale

    return forward


def _norm_class(module: Any) -> tuple[Any, str]:
    prefix = {"llama": "Llama", "qwen2": "Qwen2", "mistral": "Mistral"}
    family = module.__name__.rsplit("_", 1)[-1]
    return getattr(module, f"{prefix[family]}RMSNorm"), "forward"


@fast_path("cpu")
def cpu_rmsnorm_by_matmul(on: bool) -> None:
    """RMSNorm of Llama/Qwen2/Mistral (float32) as products: the mean of squares against a
    column of 1/size, the per-row scale times the weight as an outer product. Same values
    within float32 rounding (the sum's order, and ``x * (r * w)`` for ``w * (x * r)``); 6
    operators instead of ~9, no broadcasts, and a backward without MindSpore's slow CPU
    reductions (ReduceMean ~1 ms a call, the broadcast's ReduceSum ~1.7 ms)."""
    _rms_switch(on)


_rms_switch = _patching(_norm_class, _rms_norm)
