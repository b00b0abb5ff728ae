"""Speed-ups for the compute stack, each chosen by device and each giving the same numbers as
the plain path (tests/core/test_fastpaths.py compares losses, gradients and logits with the
fast path on and off).

Unlike ``compat`` (which makes wrong things right), these make slow things fast. They are
applied by ``runtime.select_device()``: the CPU ones only when the process computes on the
CPU, so Ascend and GPU keep MindSpore's defaults. ``PEFT_STUDIO_FAST_DISABLE=name,name``
leaves some out (``all`` leaves all out): to compare, or to rule one out when a result looks
wrong. An opt-in path (not yet a gain everywhere) is on only where
``PEFT_STUDIO_FAST_ENABLE=name,name`` names it. The profiles behind them are in the README's
performance section.
"""

from __future__ import annotations

import contextlib
import importlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FastPath:
    name: str
    devices: tuple[str, ...]           # "cpu", "gpu", "ascend"
    switch: Callable[[bool], None]     # switch(True) turns it on, switch(False) back off
    opt_in: bool = False               # off unless PEFT_STUDIO_FAST_ENABLE names it


PATHS: dict[str, FastPath] = {}
_active: set[str] = set()


def fast_path(*devices: str, opt_in: bool = False
              ) -> Callable[[Callable[[bool], None]], Callable[[bool], None]]:
    def register(switch: Callable[[bool], None]) -> Callable[[bool], None]:
        PATHS[switch.__name__] = FastPath(switch.__name__, devices, switch, opt_in)
        return switch
    return register


def swapping(replacements: Callable[[], Iterable[tuple[Any, str, Callable]]]
             ) -> Callable[[bool], None]:
    """A switch that sets each ``(owner, name, replacement)`` that ``replacements()`` gives
    (computed in full before anything is set) and puts the originals back when off."""
    saved: list[tuple[Any, str, Callable]] = []

    def switch(on: bool) -> None:
        if on:
            for owner, name, replacement in list(replacements()):
                saved.append((owner, name, getattr(owner, name)))
                setattr(owner, name, replacement)
        else:
            for owner, name, original in reversed(saved):
                setattr(owner, name, original)
            saved.clear()
    return switch


def replacing(module: str, *names: str, devices: tuple[str, ...] = ("cpu",)
              ) -> Callable[[Callable[[dict[str, Callable]], dict[str, Callable]]], Any]:
    """A fast path that replaces functions of ``module``: the decorated builder receives the
    originals by name and returns the replacements; switching off puts the originals back."""
    def register(build: Callable[[dict[str, Callable]], dict[str, Callable]]) -> Any:
        def replacements() -> list[tuple[Any, str, Callable]]:
            target = importlib.import_module(module)
            plain = {name: getattr(target, name) for name in names}
            return [(target, name, new) for name, new in build(plain).items()]

        switch = swapping(replacements)
        switch.__name__, switch.__doc__ = build.__name__, build.__doc__
        fast_path(*devices)(switch)
        return build
    return register


def _disabled() -> set[str]:
    names = set(filter(None, os.environ.get("PEFT_STUDIO_FAST_DISABLE", "").split(",")))
    return set(PATHS) if "all" in names else names


def _enabled() -> set[str]:
    return set(filter(None, os.environ.get("PEFT_STUDIO_FAST_ENABLE", "").split(",")))


def use(device: str) -> list[str]:
    """Turn on the fast paths for ``device`` (cpu/gpu/ascend), turn off the others; returns
    the names now active. An opt-in path is on only where ``PEFT_STUDIO_FAST_ENABLE`` names
    it."""
    wanted = {name for name, path in PATHS.items()
              if device in path.devices and (not path.opt_in or name in _enabled())
              } - _disabled()
    for name, path in PATHS.items():
        if (name in wanted) != (name in _active):
            path.switch(name in wanted)
            (_active.add if name in wanted else _active.discard)(name)
    return sorted(_active)


def active() -> list[str]:
    return sorted(_active)


def is_active(name: str) -> bool:
    """For paths whose code lives where it is used (the switch only records the choice)."""
    return name in _active


@contextlib.contextmanager
def plain(*names: str) -> Iterator[None]:
    """Within the block the named fast paths (all when none are named) are off."""
    off = [name for name in (names or tuple(PATHS)) if name in _active]
    for name in off:
        PATHS[name].switch(False)
        _active.discard(name)
    try:
        yield
    finally:
        for name in off:
            PATHS[name].switch(True)
            _active.add(name)


@fast_path("cpu")
def cpu_synchronous_ops(on: bool) -> None:
    """Run each CPU operator to completion before the next one is issued.

    By default MindSpore queues operators for a runtime thread pool (5 threads, on 2 cores
    here) and every ``tensor.shape`` / ``.dtype`` that transformers reads waits for that
    queue: a tiny Llama decode step spent 0.5 s in those waits, 18 ms without them (10x
    faster generation, 3x faster LoRA training). On Ascend and GPU the queue overlaps host and
    device work, so it stays on there."""
    import mindspore

    mindspore.set_context(pynative_synchronize=on)


@replacing("mindtorch._apis.cpu", "dense")
def cpu_linear_as_matmul(plain: dict[str, Callable]) -> dict[str, Callable]:
    """``F.linear`` on CPU is MindSpore's Dense kernel, which is slow for few rows: 0.4
    GFLOP/s for one token against a 256x8000 head (11 ms), where MatMul with a transposed
    weight does the same in 0.2 ms (these are the shapes of every decode step). For large
    batches the two are close, MatMul slightly ahead."""
    from mindtorch._op_prim.cpu import legacy

    plain_dense = plain["dense"]

    def dense(input, weight, bias=None):  # noqa: A002 - torch's name
        shape = tuple(input.shape)
        if weight.ndim != 2 or len(shape) < 2 or 0 in shape or 0 in weight.shape:
            return plain_dense(input, weight, bias)
        rows = input if len(shape) == 2 else legacy.reshape(input, (-1, shape[-1]))
        out = legacy.mat_mul(rows, weight, False, True)
        if bias is not None:
            out = legacy.add(out, bias)
        return out if len(shape) == 2 else legacy.reshape(out, (*shape[:-1], weight.shape[0]))

    return {"dense": dense}


def floating_dtypes() -> tuple:
    """The float types the CPU replacements handle (bfloat16 keeps MindSpore's kernels)."""
    import mindspore

    return (mindspore.float16, mindspore.float32, mindspore.float64)


@replacing("mindtorch._op_prim.cpu.legacy", "cast")
def cpu_cast_without_gradient_in_numpy(plain: dict[str, Callable]) -> dict[str, Callable]:
    """MindSpore's CPU Cast costs about 450 microseconds whatever the size (a one-element
    int64 -> int32 included), and transformers casts a dozen times per generated token
    (position ids, masks, the end-of-sequence check): a sixth of a decode step. Where no
    gradient can flow through the cast (gradients are off, or either side is an integer or
    bool type) numpy does it in about 20 microseconds, exactly (a dtype conversion has one
    right answer). Casts between floating types with gradients on keep MindSpore's kernel."""
    import mindspore
    import mindtorch
    import numpy as np

    plain_cast = plain["cast"]
    floating = floating_dtypes()
    exact = {mindspore.bool_, mindspore.int8, mindspore.int16, mindspore.int32, mindspore.int64,
             mindspore.uint8, *floating}
    to_numpy = mindtorch.dtype2np

    def cast(input, dtype):  # noqa: A002 - mindtorch's name
        source = input.dtype
        if (source in exact and dtype in exact and dtype in to_numpy
                and not (source in floating and dtype in floating
                         and mindtorch.is_grad_enabled())):
            with np.errstate(invalid="ignore"):   # inf/nan to int: T5's log(0) buckets
                return mindtorch.Tensor.from_numpy(input.asnumpy().astype(to_numpy[dtype]))
        return plain_cast(input, dtype)

    return {"cast": cast}


@fast_path("cpu", "gpu", "ascend")
def merge_adapter_while_answering(on: bool) -> None:
    """The playground answers with the adapter's weights merged into the base layers
    (peft's ``merge_adapter``; ``unmerge_adapter`` before another adapter or the base
    answers), so a decode step runs the base model's operators only: 40% more tokens/s for a
    tiny Llama with LoRA on the attention projections. Only additive types are merged (LoRA and
    its kin: ``inference.switching.ADDITIVE``; switching asks ``is_active``); the others run
    as they are."""


@fast_path("cpu")
def graph_decode(on: bool) -> None:
    """Llama-architecture models and GPT-2 decode through one compiled MindSpore graph per
    step with a static KV cache (inference.graphdecode): 4-7x the tokens/s of transformers'
    ``generate`` on tiny models. Checked on CPU only, hence CPU only until it is checked on
    Ascend and GPU (the session asks ``is_active``)."""


@fast_path("cpu")
def graph_classify(on: bool) -> None:
    """Sequence classification with Llama-architecture models, GPT-2 (inference.graphclassify)
    and BERT (inference.graphbert) runs as one compiled MindSpore graph per (rows, length)
    bucket over the model's own weights, the score head from the weights the model answers
    with. Checked on CPU only, as ``graph_decode``."""


BROADCAST_MIN = 32768      # elements in the result; below it MindSpore's broadcast is cheap
@replacing("mindtorch._op_prim.cpu.legacy", "mul", "add", "sub", "div", "pow")
def cpu_broadcast_by_tiling(plain: dict[str, Callable]) -> dict[str, Callable]:
    """MindSpore's CPU element-wise kernels are ~15x slower when one operand is broadcast
    (a tiny Llama's rotary ``q * cos``: 1.1 ms for 262k floats; the same product of two
    full tensors 0.06 ms, the tiling 0.08 ms). Tile the smaller float operand to the result's
    shape first (Tile's gradient sums the copies back); and ``x ** 2`` (RMSNorm) as ``x * x``:
    0.04 ms against pow's 0.7 ms."""
    import mindspore
    import numpy as np
    from mindtorch._op_prim.cpu import legacy

    floating = floating_dtypes()
    plain_mul, plain_pow = plain["mul"], plain["pow"]

    def tiled(x, shape):
        if tuple(x.shape) == shape:
            return x
        if x.ndim < len(shape):
            x = legacy.reshape(x, (1,) * (len(shape) - x.ndim) + tuple(x.shape))
        return legacy.tile(x, tuple(s if n == 1 else 1 for n, s in zip(x.shape, shape)))

    def broadcasting(kernel):
        def op(x, y):
            if (isinstance(x, mindspore.Tensor) and isinstance(y, mindspore.Tensor)
                    and x.shape != y.shape and x.dtype == y.dtype and x.dtype in floating):
                try:
                    shape = tuple(np.broadcast_shapes(tuple(x.shape), tuple(y.shape)))
                except ValueError:
                    return kernel(x, y)          # the kernel says what is wrong
                if int(np.prod(shape)) >= BROADCAST_MIN:
                    return kernel(tiled(x, shape), tiled(y, shape))
            return kernel(x, y)
        return op

    def pow(x, exponent):  # noqa: A001 - mindtorch's name
        if (isinstance(exponent, (int, float)) and exponent == 2
                and isinstance(x, mindspore.Tensor) and x.dtype in floating):
            return plain_mul(x, x)
        return plain_pow(x, exponent)

    return {**{name: broadcasting(plain[name]) for name in ("mul", "add", "sub", "div")},
            "pow": pow}


@replacing("mindtorch._apis.cpu", "div")
def cpu_div_as_real_div(plain: dict[str, Callable]) -> dict[str, Callable]:
    """MindSpore's CPU ``Div`` kernel takes ~8.5 ms to divide 1.5M floats (a ``Mul`` 0.13 ms);
    ``RealDiv`` gives the same bits in 0.75 ms (by a scalar 1.4 ms, broadcast 1.6 ms). Every
    float division goes there: the exact GELU of BERT and GPT-2 divides by sqrt(2) in each
    layer, LayerNorm and AdamW divide too. Integer and mixed operands keep ``Div`` (its
    true-division rules)."""
    import mindspore
    from mindtorch._op_prim.cpu import legacy

    floating = floating_dtypes()
    plain_div = plain["div"]

    def div(input, other):  # noqa: A002 - mindtorch's names
        if isinstance(input, mindspore.Tensor) and input.dtype in floating and (
                (isinstance(other, mindspore.Tensor) and other.dtype == input.dtype)
                or type(other) in (int, float)):
            return legacy.real_div(input, other)
        return plain_div(input, other)

    return {"div": div}


@fast_path("cpu", opt_in=True)
def compiled_train_step(on: bool) -> None:
    """BERT-family sequence classifiers and Llama/Qwen2 causal LMs with LoRA train through one
    compiled MindSpore graph per step for the forward and backward (core.compiledstep,
    core.compileddecoder; clipping and AdamW in numpy), lengths bucketed to powers of two.
    Checked on CPU only (the engine asks ``is_active``). Opt-in
    (``PEFT_STUDIO_FAST_ENABLE=compiled_train_step``): its dropout (in the graph, MindSpore's
    random stream) makes a resumed run with dropout draw anew, and it holds ~300 MB more at
    its peak; the tiny Llama trained ~2x faster with it on a loaded machine (README)."""


# The decoder-layer paths live in their own module; importing it registers them.
from . import decoderkernels  # noqa: E402, F401
