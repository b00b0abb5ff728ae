"""Fixes for mindnlp 0.5.1 / mindtorch on MindSpore 2.7.0, applied once by
``runtime.bootstrap()`` right after ``import mindnlp``.

Each fix is a small function registered with ``@fix``; its docstring says what breaks without
it (see ../shared/STACK-NOTES.md) and each has a test in tests/core/test_compat.py that fails
without it. Fixes patch mindtorch at the narrowest point (usually a CPU kernel in
``mindtorch._apis.cpu``) so transformers and peft run unchanged. Re-check all of them when a
pin changes: a fix that is no longer needed should be deleted, not kept "just in case".
"""

from __future__ import annotations

from typing import Callable

FIXES: dict[str, Callable[[], None]] = {}
_applied: set[str] = set()


def fix(func: Callable[[], None]) -> Callable[[], None]:
    FIXES[func.__name__] = func
    return func


def apply_all() -> None:
    for name, func in FIXES.items():
        if name not in _applied:
            func()
            _applied.add(name)


def _cpu_api():
    from mindtorch._apis import cpu

    return cpu


@fix
def cpu_addcdiv() -> None:
    """AdamW's step calls ``addcdiv``, which has no CPU kernel ("No implementation for
    function: addcdiv on cpu"): compose it from add/mul/div."""
    cpu = _cpu_api()
    if hasattr(cpu, "addcdiv"):
        return

    def addcdiv(input, tensor1, tensor2, value=1.0):  # noqa: A002 - torch's name
        quotient = cpu.div(tensor1, tensor2)
        if not (isinstance(value, (int, float)) and value == 1):
            quotient = cpu.mul(quotient, value)
        return cpu.add(input, quotient)

    cpu.addcdiv = addcdiv


@fix
def optimizer_zero_grad() -> None:
    """``Optimizer.zero_grad`` enters ``torch.autograd.profiler.record_function``, which
    mindtorch lacks (AttributeError). Provide a no-op profiler module."""
    import contextlib
    import types

    import mindtorch.autograd as autograd

    if hasattr(autograd, "profiler"):
        return
    profiler = types.ModuleType("mindtorch.autograd.profiler")

    class record_function(contextlib.nullcontext):  # noqa: N801 - torch's name
        def __init__(self, name: str = "", args: object = None):
            super().__init__()

    profiler.record_function = record_function  # type: ignore[attr-defined]
    autograd.profiler = profiler  # type: ignore[attr-defined]


@fix
def cpu_vector_norm_all_dims() -> None:
    """``torch.norm(x)`` / ``clip_grad_norm_`` pass ``dim=None`` to LpNorm, which rejects an
    axis of None (TypeError). None means every dimension."""
    cpu = _cpu_api()
    original = cpu.linalg_vector_norm
    if getattr(original, "_studio_fixed", False):
        return

    def linalg_vector_norm(x, ord=2, dim=None, keepdim=False, dtype=None):  # noqa: A002
        if dim is None:
            dim = tuple(range(x.ndim)) if x.ndim else ()
            if x.ndim == 0:
                return cpu.abs(x)
        return original(x, ord, dim, keepdim, dtype)

    linalg_vector_norm._studio_fixed = True  # type: ignore[attr-defined]
    cpu.linalg_vector_norm = linalg_vector_norm
