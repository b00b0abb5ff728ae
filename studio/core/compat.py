"""Fixes for mindnlp 0.5.1 / mindtorch on MindSpore 2.7.0, applied once by
``runtime.bootstrap()`` right after ``import mindnlp``.

Each fix is a small function registered with ``@fix``; its docstring says what breaks without
it (see ../shared/STACK-NOTES.md) and each has a test in tests/core/test_compat.py that fails
without it. Fixes patch mindtorch at the narrowest point (usually a CPU kernel in
``mindtorch._apis.cpu``) so transformers and peft run unchanged. Re-check all of them when a
pin changes: a fix that is no longer needed should be deleted, not kept "just in case".
``PEFT_STUDIO_COMPAT_DISABLE=name,name`` leaves fixes out, to watch their tests fail.

Helpers for the engine (not fixes): ``checkpoint_dtype(folder)`` / ``safetensors_header(path)``.

Method matrix (tests/core/test_method_matrix.py: train 20 AdamW steps with value-and-grad,
finite-difference gradient, save + PeftModel.from_pretrained, merge_and_unload) on a tiny
Llama, GPT-2 for BitFit, with all fixes applied:

    method                        train  grad  reload      merge
    LoRA, rsLoRA, DoRA            ok     ok    identical   <1e-5
    AdaLoRA                       ok     ok    <1e-5 (1)   <1e-5
    IA3, LoHa, LoKr, VeRA         ok     ok    identical   <1e-5
    OFT, BOFT, FourierFT          ok     ok    identical   <1e-5
    LN tuning                     ok     ok    identical   <1e-5
    prefix, prompt (random, text) ok     ok    identical   n/a
    P-tuning (MLP, LSTM)          ok     ok    identical   n/a
    adaption prompt (Llama)       ok     ok    identical   n/a
    BitFit (GPT-2 biases)         ok     ok    identical   n/a   (plain save_pretrained)

    <1e-5: max |difference| relative to max |logit|. (1) the reload drops the pruned ranks
    (target_r=1 prunes one module to rank 0): the same sum rounded differently.

Still broken or limited (not fixed here):
    - T5/mT5 prefix tuning: forward/training run (cache_key_cache) but generation disagrees
      with the forward pass (STACK-NOTES); do not offer prefix tuning for seq2seq.
    - Adaption prompt: Llama and GPT-2 only (peft rejects Qwen2 etc.).
    - bfloat16 compute on CPU: Gather/MatMul kernels missing; load bf16 checkpoints as
      float32 (checkpoint_dtype). GradScaler fails (all_finite); SGD has no CPU kernel.
    - ``Tensor.bernoulli_(p)`` has no ``p`` argument (TypeError); ``torch.bernoulli(probs)``
      works.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

FIXES: dict[str, Callable[[], None]] = {}
_applied: set[str] = set()


def fix(func: Callable[[], None]) -> Callable[[], None]:
    FIXES[func.__name__] = func
    return func


def apply_all() -> None:
    # PEFT_STUDIO_COMPAT_DISABLE=name,name leaves fixes out: to see a test fail without its
    # fix, or to check after a pin change whether a fix is still needed.
    disabled = set(filter(None, os.environ.get("PEFT_STUDIO_COMPAT_DISABLE", "").split(",")))
    for name, func in FIXES.items():
        if name not in _applied and name not in disabled:
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


def _same_device(a, b) -> bool:
    if a.type != b.type:
        return False
    # cpu is index None; an explicit cpu:0 is the same place
    return a.type == "cpu" or (a.index or 0) == (b.index or 0)


@fix
def move_to_same_device_is_identity() -> None:
    """``Tensor.to(device)`` on a CPU tensor always copies through numpy, which detaches the
    copy from the autograd graph. Tensor-tensor ``sub`` moves both operands to a common
    device first, so under value-and-grad d(a - b)/da and d(a - b)/db come out as 0
    (silently: OFT/BOFT skew-symmetric ``m - m.T``, AdaLoRA's orthogonality term, custom
    losses). PyTorch returns the tensor itself when it already is on that device."""
    from mindspore import Tensor

    original = Tensor._move_to
    if getattr(original, "_studio_fixed", False):
        return

    def _move_to(self, device, non_blocking=False):
        current = getattr(self, "_device", None)
        if current is not None and _same_device(current, device):
            return self
        return original(self, device, non_blocking)

    _move_to._studio_fixed = True  # type: ignore[attr-defined]
    Tensor._move_to = _move_to
    try:
        from mindspore.common._stub_tensor import StubTensor
    except ImportError:
        return
    if getattr(StubTensor, "_move_to", None) is original:
        StubTensor._move_to = _move_to


@fix
def autograd_function_devices() -> None:
    """A custom ``torch.autograd.Function`` (PEFT's LoHa ``HadaWeight``) is MindSpore's
    ``_Function``: its C++ ``apply`` returns fresh tensors, and under value-and-grad hands
    ``backward`` fresh gradient tensors, none with mindtorch's ``_device``; the first op on
    them raises ValueError "Tensor must have device". Stamp the device on both."""
    import functools

    import mindtorch
    from mindtorch.autograd import Function

    if getattr(Function.apply, "_studio_fixed", False):
        return
    original_apply = Function.__dict__["apply"].__func__

    def device_of(tensors, default):
        for tensor in tensors:
            device = getattr(tensor, "_device", None) if isinstance(tensor, mindtorch.Tensor) \
                else None
            if device is not None:
                return device
        return default

    def stamp(objs, device):
        for obj in objs if isinstance(objs, (tuple, list)) else (objs,):
            if isinstance(obj, mindtorch.Tensor) and getattr(obj, "_device", None) is None:
                obj._device = device
        return objs

    def wrap_backward(cls) -> None:
        backward = cls.__dict__.get("backward")
        if not isinstance(backward, staticmethod):
            return
        func = backward.__func__

        @functools.wraps(func)
        def stamped_backward(ctx, *grads):
            saved = getattr(ctx, "saved_tensors", None) or ()
            stamp(grads, device_of(saved, mindtorch.device("cpu")))
            return func(ctx, *grads)

        cls.backward = staticmethod(stamped_backward)

    def apply(cls, *args, **kwargs):
        if not cls.__dict__.get("_studio_fixed", False):
            for klass in cls.__mro__:  # subclasses may be defined before bootstrap
                if klass is Function:
                    break
                if not klass.__dict__.get("_studio_fixed", False):
                    wrap_backward(klass)
                    klass._studio_fixed = True
        device = device_of(args, mindtorch.device("cpu"))
        return stamp(original_apply(cls, *args, **kwargs), device)

    apply._studio_fixed = True  # type: ignore[attr-defined]
    Function.apply = classmethod(apply)


@fix
def bool_list_index() -> None:
    """Indexing with a Python list of bools (``t[[True, False, True]]``) is read as integer
    indices 1/0, silently; AdaLoRA's state-dict resize on save/load does exactly that.
    Turn such lists into bool tensors, as PyTorch reads them."""
    import mindtorch
    from mindspore import Tensor

    original = Tensor._convert_numpy_slices
    if getattr(original, "_studio_fixed", False):
        return

    def _convert_numpy_slices(self, key):
        if isinstance(key, list) and key and all(isinstance(k, bool) for k in key):
            return mindtorch.tensor(key, dtype=mindtorch.bool, device=self.device)
        if isinstance(key, tuple):
            return tuple(_convert_numpy_slices(self, k) for k in key)
        return original(self, key)

    _convert_numpy_slices._studio_fixed = True  # type: ignore[attr-defined]
    Tensor._convert_numpy_slices = _convert_numpy_slices
    try:
        from mindspore.common._stub_tensor import StubTensor
    except ImportError:
        return
    if getattr(StubTensor, "_convert_numpy_slices", None) is original:
        StubTensor._convert_numpy_slices = _convert_numpy_slices


@fix
def missing_kthvalue() -> None:
    """``torch.kthvalue`` is missing (AttributeError); AdaLoRA's budget allocation calls it.
    Built from ``sort``."""
    import collections

    import mindtorch
    from mindspore import Tensor

    if hasattr(mindtorch, "kthvalue"):
        return
    result = collections.namedtuple("kthvalue", ["values", "indices"])

    def kthvalue(input, k, dim=-1, keepdim=False):  # noqa: A002 - torch's name
        dim = dim % input.ndim if input.ndim else 0
        if input.ndim == 0:
            return result(input, mindtorch.zeros((), dtype=mindtorch.int64))
        if not 1 <= k <= input.shape[dim]:
            raise RuntimeError(f"kthvalue(): selected number k={k} out of range for "
                               f"dimension {dim} of size {input.shape[dim]}")
        values, indices = mindtorch.sort(input, dim=dim)
        values = values.narrow(dim, k - 1, 1)
        indices = indices.narrow(dim, k - 1, 1).to(mindtorch.int64)
        if not keepdim:
            values, indices = values.squeeze(dim), indices.squeeze(dim)
        return result(values, indices)

    mindtorch.kthvalue = kthvalue
    Tensor.kthvalue = lambda self, k, dim=-1, keepdim=False: kthvalue(self, k, dim, keepdim)


@fix
def missing_kron() -> None:
    """``torch.kron`` is missing (AttributeError); LoKr builds its weight with it and trains
    through it. Built from broadcast multiply + reshape, so gradients flow."""
    import mindtorch
    from mindspore import Tensor

    if hasattr(mindtorch, "kron"):
        return

    def kron(input, other):  # noqa: A002 - torch's name
        ndim = max(input.ndim, other.ndim)
        a = input.reshape((1,) * (ndim - input.ndim) + tuple(input.shape))
        b = other.reshape((1,) * (ndim - other.ndim) + tuple(other.shape))
        a_shape: list[int] = []
        b_shape: list[int] = []
        for size_a, size_b in zip(a.shape, b.shape):
            a_shape += [size_a, 1]
            b_shape += [1, size_b]
        out = a.reshape(a_shape) * b.reshape(b_shape)
        return out.reshape(tuple(sa * sb for sa, sb in zip(a.shape, b.shape)))

    mindtorch.kron = kron
    Tensor.kron = kron


@fix
def missing_block_diag() -> None:
    """``torch.block_diag`` is missing (AttributeError); OFT's merge and BOFT's forward call
    it. Built from zero padding + cat, so gradients flow into the blocks."""
    import mindtorch

    if hasattr(mindtorch, "block_diag"):
        return

    def block_diag(*tensors):
        blocks = [t.reshape(1, -1) if t.ndim < 2 else t for t in tensors]  # as torch: 0-d, 1-d
        if not blocks:
            return mindtorch.zeros(1, 0)
        dtype = blocks[0].dtype
        for block in blocks[1:]:
            if block.dtype != dtype:  # promote as torch does
                pair = mindtorch.zeros(1, dtype=dtype) + mindtorch.zeros(1, dtype=block.dtype)
                dtype = pair.dtype
        width = sum(b.shape[1] for b in blocks)
        rows, left = [], 0
        for block in blocks:
            h, w = block.shape
            parts = []
            if left:
                parts.append(mindtorch.zeros(h, left, dtype=dtype, device=block.device))
            parts.append(block.to(dtype))
            if width - left - w:
                parts.append(mindtorch.zeros(h, width - left - w, dtype=dtype,
                                             device=block.device))
            rows.append(mindtorch.cat(parts, dim=1) if len(parts) > 1 else parts[0])
            left += w
        return mindtorch.cat(rows, dim=0) if len(rows) > 1 else rows[0]

    mindtorch.block_diag = block_diag


@fix
def missing_linalg_svd() -> None:
    """``torch.linalg.svd`` / ``torch.svd`` are missing (AttributeError); LoRA's
    ``add_weighted_adapter(..., combination_type="svd")`` and PiSSA/CorDA init call them.
    MindSpore's ``ops.svd`` does the work (it returns s, u, v; torch returns U, S, Vh)."""
    import collections

    import mindspore
    import mindtorch
    import mindtorch.linalg as linalg
    from mindspore import Tensor

    cpu = _cpu_api()
    if hasattr(linalg, "svd"):
        return
    svd_result = collections.namedtuple("svd", ["U", "S", "Vh"])
    old_result = collections.namedtuple("svd", ["U", "S", "V"])

    def cpu_linalg_svd(input, full_matrices):  # noqa: A002
        s, u, v = mindspore.ops.svd(input, full_matrices=full_matrices, compute_uv=True)
        return u, s, v

    if not hasattr(cpu, "linalg_svd"):
        cpu.linalg_svd = cpu_linalg_svd

    def svd(A, full_matrices=True, *, driver=None, out=None):  # noqa: N803 - torch's name
        from mindtorch.executor import execute

        u, s, v = execute("linalg_svd", A, full_matrices)
        return svd_result(u, s, v.transpose(-2, -1).conj() if v.is_complex()
                          else v.transpose(-2, -1))

    def svdvals(A, *, driver=None, out=None):  # noqa: N803
        return svd(A, full_matrices=False).S

    def old_svd(input, some=True, compute_uv=True):  # noqa: A002
        from mindtorch.executor import execute

        u, s, v = execute("linalg_svd", input, not some)
        return old_result(u, s, v)

    linalg.svd = svd
    linalg.svdvals = svdvals
    if not hasattr(mindtorch, "svd"):
        mindtorch.svd = old_svd
        Tensor.svd = old_svd


@fix
def fft_module_ops() -> None:
    """``torch.fft.ifft2`` (FourierFT) and its neighbours fft2/ifft/ifftn/fftshift/ifftshift
    refer to an ``ops`` name that mindtorch.fft never imports (NameError). MindSpore's own
    FFT primitives work on CPU with gradients: dispatch to them."""
    import mindspore
    import mindtorch.fft as fft
    from mindtorch.executor import execute

    cpu = _cpu_api()
    if getattr(fft.ifft2, "_studio_fixed", False):
        return
    ms = mindspore.ops

    def make(name, impl):
        if not hasattr(cpu, "fft_" + name):
            setattr(cpu, "fft_" + name, impl)

        def op(input, *args, **kwargs):  # noqa: A002
            return execute("fft_" + name, input, *args, **kwargs)

        op.__name__ = name
        op._studio_fixed = True  # type: ignore[attr-defined]
        setattr(fft, name, op)

    make("fft2", lambda x, s=None, dim=(-2, -1), norm=None: ms.fft2(x, s, dim, norm))
    make("ifft2", lambda x, s=None, dim=(-2, -1), norm=None: ms.ifft2(x, s, dim, norm))
    make("ifft", lambda x, n=None, dim=-1, norm=None: ms.ifft(x, n, dim, norm))
    make("ifftn", lambda x, s=None, dim=None, norm=None, *, out=None: ms.ifftn(x, s, dim, norm))
    make("fftshift", lambda x, dim=None: ms.fftshift(x, dim))
    make("ifftshift", lambda x, dim=None: ms.ifftshift(x, dim))


@fix
def zero_size_matmul() -> None:
    """A matmul / linear with a zero-size operand (AdaLoRA ranks pruned to 0) fails with
    "Unknown Error" on CPU, and a linear over an inner dimension of 0 returns uninitialised
    memory instead of zeros (or the bias). Compute the empty/zero result directly."""
    cpu = _cpu_api()
    if getattr(cpu.matmul, "_studio_fixed", False):
        return
    matmul, dense, bmm = cpu.matmul, cpu.dense, cpu.bmm

    def zeros(shape, like):
        return cpu.zeros(tuple(int(s) for s in shape), like.dtype)

    def matmul_shape(a, b):
        a_shape, b_shape = tuple(a.shape), tuple(b.shape)
        if len(b_shape) == 1:
            return a_shape[:-1]
        if len(a_shape) == 1:
            return b_shape[:-2] + b_shape[-1:]
        batch_a, batch_b = a_shape[:-2], b_shape[:-2]
        n = max(len(batch_a), len(batch_b))
        batch_a = (1,) * (n - len(batch_a)) + batch_a
        batch_b = (1,) * (n - len(batch_b)) + batch_b
        batch = tuple(y if x == 1 else x for x, y in zip(batch_a, batch_b))
        return (*batch, a_shape[-2], b_shape[-1])

    def fixed_matmul(self, other):
        if 0 in self.shape or 0 in other.shape:
            return zeros(matmul_shape(self, other), self)
        return matmul(self, other)

    def fixed_dense(input, weight, bias=None):  # noqa: A002
        if 0 in input.shape or 0 in weight.shape:
            out_features = weight.shape[0] if weight.ndim == 2 else ()
            shape = tuple(input.shape[:-1]) + ((out_features,) if weight.ndim == 2 else ())
            out = zeros(shape, input)
            return cpu.add(out, bias) if bias is not None and 0 not in out.shape else out
        return dense(input, weight, bias)

    def fixed_bmm(input_x, input_y):
        if 0 in input_x.shape or 0 in input_y.shape:
            return zeros(matmul_shape(input_x, input_y), input_x)
        return bmm(input_x, input_y)

    for func in (fixed_matmul, fixed_dense, fixed_bmm):
        func._studio_fixed = True  # type: ignore[attr-defined]
    cpu.matmul, cpu.dense, cpu.bmm = fixed_matmul, fixed_dense, fixed_bmm


@fix
def cpu_addmm_scalars() -> None:
    """``torch.addmm(input, m1, m2, beta=, alpha=)`` hands beta and alpha to the CPU kernel in
    the opposite order (beta=0.5, alpha=2 computes 2 * input + 0.5 * m1 @ m2), and even with
    both 1 (GPT-2's every Conv1D) it runs two extra multiplications and a batched matmul.
    Compute beta * input + alpha * (m1 @ m2), skipping a factor of 1."""
    from mindtorch._op_prim.cpu import legacy

    cpu = _cpu_api()
    if getattr(cpu.addmm, "_studio_fixed", False):
        return

    def addmm(input, mat1, mat2, beta=1, alpha=1):  # noqa: A002 - torch's names and order
        product = cpu.matmul(mat1, mat2)
        if alpha != 1:
            product = legacy.mul(product, alpha)
        return legacy.add(input if beta == 1 else legacy.mul(input, beta), product)

    addmm._studio_fixed = True  # type: ignore[attr-defined]
    cpu.addmm = addmm


@fix
def module_repr() -> None:
    """``repr(model)`` / ``print(model)`` fails for modules holding ParameterDict /
    ParameterList (AdaLoRA, IA3, LoHa, VeRA): ``torch._C._get_privateuse1_backend_name`` is
    missing (AttributeError) and ``Tensor.type()`` without arguments raises NameError."""
    import mindtorch
    from mindspore import Tensor

    if not hasattr(mindtorch._C, "_get_privateuse1_backend_name"):
        mindtorch._C._get_privateuse1_backend_name = lambda: "npu"
    original = Tensor.type
    if getattr(original, "_studio_fixed", False):
        return
    names = {
        mindtorch.float32: "FloatTensor", mindtorch.float64: "DoubleTensor",
        mindtorch.float16: "HalfTensor", mindtorch.bfloat16: "BFloat16Tensor",
        mindtorch.int64: "LongTensor", mindtorch.int32: "IntTensor",
        mindtorch.int16: "ShortTensor", mindtorch.int8: "CharTensor",
        mindtorch.uint8: "ByteTensor", mindtorch.bool: "BoolTensor",
    }

    def type(self, dtype=None, non_blocking=False, **kwargs):  # noqa: A001 - torch's name
        if dtype is None:
            name = names.get(self.dtype, str(self.dtype))
            device = self.device.type
            return f"torch.{name}" if device == "cpu" else f"torch.{device}.{name}"
        return original(self, dtype, non_blocking)

    type._studio_fixed = True  # type: ignore[attr-defined]
    Tensor.type = type


@fix
def safetensors_open() -> None:
    """mindnlp replaces ``safetensors.safe_open`` with its own reader, which rejects the
    ``backend=`` keyword that safetensors 0.8's ``load_file`` passes (TypeError) and has no
    ``get_tensors``: ``safetensors.torch.load_file`` and ``PeftModel.from_pretrained`` fail."""
    from mindnlp.utils import safetensors_patch

    reader = safetensors_patch.fast_safe_open
    if getattr(reader.__init__, "_studio_fixed", False):
        return
    original_init = reader.__init__

    def __init__(self, filename, framework=None, device="cpu", backend=None,  # noqa: N807
                 **kwargs):
        original_init(self, filename, framework=framework, device=device)

    def get_tensors(self):
        return {name: self.get_tensor(name) for name in self.keys()}

    __init__._studio_fixed = True  # type: ignore[attr-defined]
    reader.__init__ = __init__
    reader.get_tensors = get_tensors


@fix
def cache_key_cache() -> None:
    """Prefix tuning on encoder-decoder models (T5/mT5): peft 0.17.1 reads
    ``DynamicCache().key_cache``, which transformers 4.56 removed (AttributeError).
    Give caches a read-only ``key_cache``/``value_cache`` view over their layers."""
    from transformers.cache_utils import Cache

    if hasattr(Cache, "key_cache"):
        return
    Cache.key_cache = property(lambda self: [layer.keys for layer in self.layers])
    Cache.value_cache = property(lambda self: [layer.values for layer in self.layers])


@fix
def linalg_solve_differentiable() -> None:
    """``torch.linalg.solve`` goes through numpy, so under value-and-grad its gradient is 0,
    silently: BOFT's Cayley transform (and OFT without the Neumann series) never trains its
    rotation. MindSpore's ``MatrixSolve`` has a CPU kernel and a gradient; ``left=False``
    (X A = B) is solved as A^T X^T = B^T. Also provides the missing ``linalg.inv``."""
    import mindspore
    import mindtorch
    import mindtorch.linalg as linalg
    from mindtorch.executor import execute

    cpu = _cpu_api()
    if getattr(linalg.solve, "_studio_fixed", False):
        return

    def cpu_linalg_solve(A, B, left):  # noqa: N803 - torch's names
        if left:
            return mindspore.ops.matrix_solve(A, B)
        out = mindspore.ops.matrix_solve(A, cpu.transpose_view(B, -2, -1), adjoint=True)
        return cpu.transpose_view(out, -2, -1)

    def cpu_linalg_inv(A):  # noqa: N803
        return mindspore.ops.inverse(A)

    cpu.linalg_solve = cpu_linalg_solve
    if not hasattr(cpu, "linalg_inv"):
        cpu.linalg_inv = cpu_linalg_inv

    def solve(A, B, *, left=True, out=None):  # noqa: N803
        vector = B.ndim == A.ndim - 1 and tuple(B.shape) == tuple(A.shape[:-1])
        if vector:
            B = B.unsqueeze(-1) if left else B.unsqueeze(-2)  # noqa: N806 - torch's names
        if B.dtype != A.dtype:
            B = B.to(A.dtype)  # noqa: N806 - torch's names
        result = execute("linalg_solve", A, B, left)
        if vector:
            result = result.squeeze(-1) if left else result.squeeze(-2)
        return result

    def inv(A, *, out=None):  # noqa: N803
        return execute("linalg_inv", A)

    solve._studio_fixed = True  # type: ignore[attr-defined]
    linalg.solve = solve
    if not hasattr(linalg, "inv"):
        linalg.inv = inv
    if not hasattr(mindtorch, "inverse"):
        mindtorch.inverse = inv


@fix
def safetensors_bf16_as_float32() -> None:
    """Where MindSpore has no bfloat16 (CPU, older Ascend), mindnlp's safetensors reader
    narrows BF16 tensors to float16, silently turning values beyond ±65504 into inf and
    breaking every bf16 checkpoint with large activations or norms. Widen to float32
    instead (exact). Even ``from_pretrained(torch_dtype=float32)`` got the infs, since the
    narrowing happens in the reader. Load bf16 checkpoints with the default or an explicit
    float32 dtype, never ``"auto"`` (TypeError on CPU); see ``checkpoint_dtype``.

    The reader also copied every tensor twice (into a zero-filled bytearray, then through
    ml_dtypes' element-by-element ``astype``): 17 of the 20 s a Qwen2-0.5B bf16 checkpoint
    took to load. Here each tensor is one pass from a read-only memory map of the file:
    float32 is one copy, bf16 is widened by a 16-bit shift (its bits are float32's upper
    half). The map must be read-only: reading through mindnlp's copy-on-write map
    (``ACCESS_COPY``) was 12x slower (8.4 s against 0.7 s for this checkpoint)."""
    import mmap

    import mindtorch
    import numpy as np
    from mindnlp.utils import safetensors_patch

    slice_cls = safetensors_patch.PySafeSlice
    if safetensors_patch.SUPPORT_BF16 or getattr(slice_cls.get, "_studio_fixed", False):
        return
    reader = safetensors_patch.fast_safe_open
    opened = reader.__init__

    def __init__(self, *args, **kwargs):  # noqa: N807
        opened(self, *args, **kwargs)
        self.file_mmap.close()
        self.file_mmap = mmap.mmap(self.file.fileno(), 0, access=mmap.ACCESS_READ)
        for tensor in self.tensors.values():
            tensor.buffermmap = self.file_mmap

    def _plain_pages(shape, dtype):
        # numpy asks for transparent huge pages on large arrays; with the kernel's default
        # THP defrag ("madvise") each such fault may compact memory synchronously, which
        # doubled the load time (13.3 s against 6.9 s, Qwen2-0.5B, loaded machine). An
        # anonymous map is not advised: plain 4 KiB pages, as PyTorch's allocator gets.
        nbytes = int(np.prod(shape, dtype=np.int64)) * np.dtype(dtype).itemsize
        if nbytes < 1 << 22:
            return np.empty(shape, dtype=dtype)
        return np.frombuffer(mmap.mmap(-1, nbytes), dtype=dtype).reshape(shape)

    def get(self, slice=None):  # noqa: A002 - mindnlp's name
        bf16 = self.info["dtype"] == "BF16"
        stored = np.uint16 if bf16 else self.dtype
        count = int(np.prod(self.shape, dtype=np.int64))
        view = np.frombuffer(self.buffermmap, dtype=stored, count=count,
                             offset=self.start_offset).reshape(self.shape)
        if slice is not None:
            view = view[slice]
        if bf16:
            widened = _plain_pages(view.shape, np.uint32)
            widened[...] = view   # two plain loops: 8x faster than left_shift(dtype=uint32)
            widened <<= 16
            array = widened.view(np.float32)
        else:   # a copy: the tensor must not alias the map, which closes with the file
            array = _plain_pages(view.shape, view.dtype)
            array[...] = view
        tensor = mindtorch.from_numpy(array)
        tensor._ptr = array.ctypes.data
        return tensor

    get._studio_fixed = True  # type: ignore[attr-defined]
    slice_cls.get = get
    __init__._studio_fixed = getattr(opened, "_studio_fixed", False)  # type: ignore[attr-defined]
    reader.__init__ = __init__


@fix
def meta_getitem_reads_no_data() -> None:
    """transformers builds a model on the meta device before loading its weights; indexing a
    meta tensor made mindtorch materialise all of it (``asnumpy``) only to learn the result's
    shape. ``Embedding(padding_idx=...)`` thereby allocated and wrote a whole vocabulary-sized
    matrix, twice: 545 MB and 0.9 s of loading a Qwen2-0.5B. The shape comes from a view
    with zero strides instead, indexed the same way."""
    import mindtorch
    import numpy as np
    from mindtorch._apis import meta

    if getattr(meta.getitem, "_studio_fixed", False):
        return

    def getitem(input, slice):  # noqa: A002 - mindtorch's names
        shape = tuple(input.shape)
        probe = np.lib.stride_tricks.as_strided(np.zeros(1, np.uint8), shape=shape,
                                                strides=(0,) * len(shape))
        return mindtorch.Tensor(meta.Tensor_(shape=probe[slice].shape, dtype=input.dtype))

    getitem._studio_fixed = True  # type: ignore[attr-defined]
    meta.getitem = getitem


@fix
def value_and_grad_resets_after_error() -> None:
    """An exception raised while value-and-grad runs the forward (a bad batch, a shape error,
    a stop request) leaves MindSpore's PyNative executor inside the aborted graph: every
    tensor created afterwards (a reloaded model, a fresh adapter) then gets zero gradients,
    silently. Reset the executor when the gradient function raises, as MindSpore's own jit
    does."""
    import functools

    import mindtorch.autograd as autograd
    import mindtorch.autograd.function as function
    from mindspore.common.api import _pynative_executor

    original = function.value_and_grad
    if getattr(original, "_studio_fixed", False):
        return

    def value_and_grad(fn, params_or_argnums, has_aux=False, attach_grads=True):
        grad_fn = original(fn, params_or_argnums, has_aux, attach_grads)

        @functools.wraps(grad_fn)
        def guarded(*args, **kwargs):
            try:
                return grad_fn(*args, **kwargs)
            except BaseException:
                _pynative_executor.clear_res()
                raise

        return guarded

    value_and_grad._studio_fixed = True  # type: ignore[attr-defined]
    function.value_and_grad = value_and_grad
    autograd.value_and_grad = value_and_grad


@fix
def rnn_reverse_devices() -> None:
    """Bidirectional ``nn.LSTM``/``nn.GRU`` (P-tuning's LSTM prompt encoder) reverse the
    sequence with raw MindSpore primitives whose outputs carry no mindtorch device: the next
    op raises ValueError "Tensor must have device". Stamp the input's device on them."""
    from mindtorch.nn.modules.rnn import RNNBase

    original_init = RNNBase.__init__
    if getattr(original_init, "_studio_fixed", False):
        return

    def stamped(primitive):
        def call(x, *args):
            out = primitive(x, *args)
            if getattr(out, "_device", None) is None:
                out._device = x.device
            return out

        return call

    def __init__(self, *args, **kwargs):  # noqa: N807
        original_init(self, *args, **kwargs)
        self.reverse = stamped(self.reverse)
        self.reverse_sequence = stamped(self.reverse_sequence)

    __init__._studio_fixed = True  # type: ignore[attr-defined]
    RNNBase.__init__ = __init__


@fix
def seeded_random_streams() -> None:
    """mindtorch's ``Generator._step`` never advances its offset (the C++ op's in-place update
    is lost) and the CPU ``uniform_`` reseeds numpy with the bare seed, so after
    ``torch.manual_seed`` every ``uniform_`` returns the same numbers: all same-shaped
    kaiming-uniform weights start identical (every LoRA A matrix, every nn.Linear), and
    ``randperm``/``bernoulli`` repeat each call. ``randn``/``rand``/``randint``, dropout and
    the first ``normal_`` ignore the seed altogether, so runs are not reproducible, and
    ``bernoulli`` ignores its probabilities (always 0.5: PEFT's DARE/TIES merges). Keep the
    offset in Python (``get_rng_state``/``set_rng_state`` carry seed and offset) and draw
    every CPU sample from numpy seeded with (seed, offset)."""
    import mindspore
    import mindtorch
    import numpy as np
    from mindtorch._C import Generator, default_generator

    cpu = _cpu_api()
    if getattr(Generator._step, "_studio_fixed", False):
        return
    manual_seed, reseed = Generator.manual_seed, Generator.seed

    def _step(self, step):
        offset = getattr(self, "_studio_offset", 0)
        self._studio_offset = offset + int(step)
        seed = getattr(self, "_studio_seed", None)
        if seed is None:
            seed = self._studio_seed = self.initial_seed()
        outs = (mindspore.Tensor(seed, mindspore.int64), mindspore.Tensor(offset, mindspore.int64))
        for out in outs:
            out._device = self.device
        return outs

    def _manual_seed(self, seed):
        result = manual_seed(self, seed)
        self._studio_seed, self._studio_offset = None, 0
        return result

    def _seed(self):
        result = reseed(self)
        self._studio_seed, self._studio_offset = None, 0
        return result

    set_state = Generator.set_state

    def _get_state(self):
        seed = getattr(self, "_studio_seed", None)
        if seed is None:
            seed = self._studio_seed = self.initial_seed()
        state = mindspore.Tensor([seed, getattr(self, "_studio_offset", 0)], mindspore.int64)
        state._device = mindtorch.device("cpu")
        return state

    def _set_state(self, state):
        if tuple(state.shape) != (2,):  # a state from the C++ generator
            set_state(self, state)
            self._studio_seed, self._studio_offset = None, 0
            return
        seed, offset = (int(v) for v in state.tolist())
        manual_seed(self, seed)
        self._studio_seed, self._studio_offset = seed, offset

    _step._studio_fixed = True  # type: ignore[attr-defined]
    Generator._step, Generator.manual_seed, Generator.seed = _step, _manual_seed, _seed
    Generator.get_state, Generator.set_state = _get_state, _set_state

    def rng(generator):
        seed, offset = (generator or default_generator)._step(12)
        return np.random.default_rng([int(seed) & 0xFFFFFFFFFFFFFFFF, int(offset)])

    def np_dtype(dtype):
        return mindtorch.dtype2np[dtype or mindtorch.get_default_dtype()]

    def from_numpy(array):
        return mindspore.Tensor(np.ascontiguousarray(array))

    def inplace_uniform(input, from_, to_, generator_):  # noqa: A002 - mindtorch's names
        out = rng(generator_).uniform(from_, to_, tuple(input.shape))
        return cpu.numpy_to_tensor_overwrite(out.astype(np_dtype(input.dtype)), input)

    def inplace_normal(input, mean, std, generator_):  # noqa: A002
        out = rng(generator_).normal(mean, std, tuple(input.shape))
        return cpu.numpy_to_tensor_overwrite(out.astype(np_dtype(input.dtype)), input)

    def normal_float_float(mean, std, size, dtype, generator):
        return from_numpy(rng(generator).normal(mean, std, size).astype(np_dtype(dtype)))

    def normal_tensor_tensor(mean, std, size, dtype, generator):
        return from_numpy(rng(generator).normal(mean.item(), std.item(), size)
                          .astype(np_dtype(dtype)))

    def randn(size, generator, dtype):
        return from_numpy(rng(generator).standard_normal(tuple(size)).astype(np_dtype(dtype)))

    def rand(size, generator, dtype):
        return from_numpy(rng(generator).random(tuple(size)).astype(np_dtype(dtype)))

    def randint(low, high, shape, generator, dtype):
        out = rng(generator).integers(low, high, tuple(shape))
        return from_numpy(out.astype(mindtorch.dtype2np[dtype or mindtorch.int64]))

    def bernoulli(input, generator):  # noqa: A002 - was always p=0.5, whatever the input
        probs = input.numpy()
        return from_numpy((rng(generator).random(probs.shape) < probs).astype(probs.dtype))

    def dropout(input, p, seed, offset):  # noqa: A002 - was MindSpore's unseeded kernel
        keep = 1.0 - float(p)
        dtype = np.dtype(np_dtype(input.dtype))
        stream = np.random.default_rng([int(seed) & 0xFFFFFFFFFFFFFFFF, int(offset)])
        # float32 draws and no float64 temporaries: half the time (a BERT step draws 30 masks)
        mask = stream.random(tuple(input.shape), dtype=np.float32) < np.float32(keep)
        scale = (mask.astype(dtype) * dtype.type(1.0 / keep) if keep > 0
                 else np.zeros(mask.shape, dtype))
        return cpu.mul(input, from_numpy(scale)), from_numpy(mask)

    cpu.bernoulli, cpu.dropout = bernoulli, dropout
    cpu.inplace_uniform, cpu.inplace_normal = inplace_uniform, inplace_normal
    cpu.normal_float_float, cpu.normal_tensor_tensor = normal_float_float, normal_tensor_tensor
    cpu.randn, cpu.rand, cpu.randint = randn, rand, randint


# ---- helpers for the engine (not fixes) ------------------------------------------------------

_SAFETENSORS_DTYPES = {"BF16": "bfloat16", "F16": "float16", "F32": "float32",
                       "F64": "float64", "F8_E4M3": "float8_e4m3fn", "F8_E5M2": "float8_e5m2"}


def safetensors_header(path: str | os.PathLike[str]) -> dict[str, dict]:
    """The JSON header of one safetensors file (tensor name -> dtype/shape/offsets), read
    without any tensor library."""
    with open(path, "rb") as handle:
        prefix = handle.read(8)
        if len(prefix) != 8:
            raise ValueError(f"{path}: not a safetensors file (too short)")
        length = int.from_bytes(prefix, "little")
        if length > 100_000_000:
            raise ValueError(f"{path}: not a safetensors file (header of {length} bytes)")
        header = json.loads(handle.read(length))
    header.pop("__metadata__", None)
    return header


def checkpoint_dtype(folder: str | os.PathLike[str]) -> str | None:
    """The floating-point dtype holding most of the weights of a safetensors checkpoint
    (a folder of ``*.safetensors`` shards or one file): "bfloat16", "float16", "float32",
    ... or None when there are no safetensors files or no floating tensors. Pure header
    parsing: no torch, safe in the GUI process.

    The engine uses it to load bfloat16 checkpoints as float32 on CPU (bf16 kernels are
    missing there): ``from_pretrained(..., torch_dtype=torch.float32)``."""
    path = Path(folder)
    files = [path] if path.is_file() else sorted(path.glob("*.safetensors"))
    counts: dict[str, int] = {}
    for file in files:
        for info in safetensors_header(file).values():
            name = _SAFETENSORS_DTYPES.get(info.get("dtype", ""))
            if name is None:
                continue
            elements = 1
            for size in info.get("shape", []):
                elements *= int(size)
            counts[name] = counts.get(name, 0) + max(elements, 1)
    return max(counts, key=counts.__getitem__) if counts else None
