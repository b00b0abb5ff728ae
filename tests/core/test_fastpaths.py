"""The fast paths give the plain path's numbers: operator values and gradients, a LoRA model's
logits, losses and gradients, and greedy generation, each with the fast paths on and off in
the same process (``fastpaths.plain()``)."""

from __future__ import annotations

import numpy as np
import pytest
from numeric import value_and_grads

from studio.core import fastpaths

ALL_CPU = ["cpu_broadcast_by_tiling", "cpu_cast_without_gradient_in_numpy",
           "cpu_div_as_real_div", "cpu_linear_as_matmul", "cpu_rmsnorm_by_matmul",
           "cpu_rotary_in_arrival_layout", "cpu_synchronous_ops", "graph_classify", "graph_decode",
           "merge_adapter_while_answering"]


def _tensor(torch, *shape, seed=0):
    return torch.tensor(np.random.default_rng(seed).standard_normal(shape).astype(np.float32))


def test_cpu_fast_paths_are_on_after_bootstrap_and_plain_turns_them_off(runtime):
    import mindspore

    assert fastpaths.active() == ALL_CPU
    assert mindspore.get_context("pynative_synchronize") is True
    with fastpaths.plain():
        assert fastpaths.active() == []
        assert mindspore.get_context("pynative_synchronize") is False
    assert fastpaths.active() == ALL_CPU


def test_other_devices_and_the_environment_choose(runtime, monkeypatch):
    try:
        assert fastpaths.use("ascend") == ["merge_adapter_while_answering"]
        monkeypatch.setenv("PEFT_STUDIO_FAST_DISABLE", "cpu_synchronous_ops")
        assert fastpaths.use("cpu") == sorted(set(ALL_CPU) - {"cpu_synchronous_ops"})
        monkeypatch.setenv("PEFT_STUDIO_FAST_DISABLE", "all")
        assert fastpaths.use("cpu") == []
    finally:
        monkeypatch.delenv("PEFT_STUDIO_FAST_DISABLE", raising=False)
        assert fastpaths.use("cpu") == ALL_CPU


@pytest.mark.parametrize("shape", [(5, 16), (1, 16), (2, 3, 16), (2, 1, 4, 16)])
@pytest.mark.parametrize("with_bias", [True, False])
def test_linear_values_and_gradients(runtime, shape, with_bias):
    torch = runtime
    weight = torch.nn.Parameter(_tensor(torch, 7, 16, seed=1))
    bias = torch.nn.Parameter(_tensor(torch, 7, seed=2)) if with_bias else None
    x = torch.nn.Parameter(_tensor(torch, *shape, seed=3))
    target = _tensor(torch, *shape[:-1], 7, seed=4)
    params = [x, weight] + ([bias] if with_bias else [])

    def loss():
        return ((torch.nn.functional.linear(x, weight, bias) - target) ** 2).sum()

    fast_out = torch.nn.functional.linear(x, weight, bias).detach().numpy()
    fast_loss, fast_grads = value_and_grads(torch, loss, params)
    with fastpaths.plain("cpu_linear_as_matmul"):
        plain_out = torch.nn.functional.linear(x, weight, bias).detach().numpy()
        plain_loss, plain_grads = value_and_grads(torch, loss, params)
    assert fast_out.shape == plain_out.shape == (*shape[:-1], 7)
    np.testing.assert_allclose(fast_out, plain_out, rtol=1e-5, atol=1e-5)
    assert fast_loss == pytest.approx(plain_loss, rel=1e-5)
    for fast, plain in zip(fast_grads, plain_grads):
        assert float(plain.abs().sum()) > 0
        np.testing.assert_allclose(fast.numpy(), plain.numpy(), rtol=1e-4, atol=1e-5)


def test_linear_with_empty_operands_keeps_the_compat_result(runtime):
    torch = runtime
    out = torch.nn.functional.linear(torch.ones(3, 0), torch.ones(4, 0), torch.full((4,), 2.0))
    assert out.shape == (3, 4) and np.all(out.numpy() == 2.0)
    assert torch.nn.functional.linear(torch.ones(0, 5), torch.ones(4, 5)).shape == (0, 4)


def _lora_llama(torch, folder):
    import transformers
    from peft import LoraConfig, get_peft_model

    torch.manual_seed(0)
    model = transformers.AutoModelForCausalLM.from_pretrained(str(folder))
    config = LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj", "down_proj"],
                        init_lora_weights=False)
    return get_peft_model(model, config)


def test_lora_model_logits_losses_and_gradients(runtime, tiny_models):
    torch = runtime
    model = _lora_llama(torch, tiny_models("llama", init_range=0.2))
    ids = torch.tensor(np.random.default_rng(0).integers(3, 200, (2, 12)))
    params = [p for p in model.parameters() if p.requires_grad]

    def measure():
        model.eval()
        with torch.no_grad():
            logits = model(input_ids=ids).logits.numpy()
        loss, grads = value_and_grads(torch, lambda: model(input_ids=ids, labels=ids).loss,
                                      params)
        return logits, loss, grads

    fast = measure()
    with fastpaths.plain():
        plain = measure()
    np.testing.assert_allclose(fast[0], plain[0], rtol=1e-4, atol=1e-5)
    assert fast[1] == pytest.approx(plain[1], rel=1e-5)
    assert any(float(g.abs().sum()) > 0 for g in plain[2])
    for a, b in zip(fast[2], plain[2]):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-3, atol=1e-6)


def test_greedy_generation_gives_the_same_tokens(runtime, tiny_models):
    torch = runtime
    model = _lora_llama(torch, tiny_models("llama", init_range=0.2))
    model.eval()
    ids = torch.tensor([[1, 17, 42, 99, 5]])

    def generate():
        with torch.no_grad():
            out = model.generate(input_ids=ids, max_new_tokens=10, min_new_tokens=10,
                                 do_sample=False)
        return out[0].tolist()

    fast = generate()
    with fastpaths.plain():
        plain = generate()
    assert len(fast) == 15 and fast == plain


@pytest.mark.parametrize("source,target", [
    ("int64", "int32"), ("int64", "float32"), ("bool", "float32"), ("float32", "bool"),
    ("float32", "int64"), ("int32", "int64"), ("float32", "float16"), ("float16", "float32")])
def test_casts_without_gradient_match_mindspore(runtime, source, target):
    torch = runtime
    values = np.array([[-2.7, -0.5, 0.0, 0.4, 1.5, 3.9e4], [7.0, -0.0, 2.5, 1e-3, -65000.0, 9.0]])
    x = torch.tensor(values).to(getattr(torch, source)) if source != "bool" \
        else torch.tensor(values > 0.1)
    with torch.no_grad():
        fast = x.to(getattr(torch, target))
        with fastpaths.plain("cpu_cast_without_gradient_in_numpy"):
            plain = x.to(getattr(torch, target))
    assert fast.dtype == plain.dtype == getattr(torch, target)
    assert fast.shape == plain.shape == (2, 6)
    np.testing.assert_array_equal(fast.numpy(), plain.numpy())
    scalar = x[0, 0]
    with torch.no_grad():
        assert scalar.to(getattr(torch, target)).numpy() == plain[0, 0].numpy()


def test_float_casts_keep_their_gradient(runtime):
    """Float to float casts pass the gradient on; through an integer cast none flows (as in
    PyTorch; MindSpore's own Cast would pass it through the integers)."""
    torch = runtime
    x = torch.nn.Parameter(_tensor(torch, 3, 4))

    def loss():
        return (x.to(torch.float16).to(torch.float32) * 3.0).sum() + x.long().float().sum()

    _, (grad,) = value_and_grads(torch, loss, [x])
    np.testing.assert_allclose(grad.numpy(), np.full((3, 4), 3.0, np.float32))


@pytest.mark.parametrize("shapes", [((8, 4, 128, 64), (1, 1, 128, 64)), ((8, 128, 256), (256,)),
                                    ((8, 128, 256), (8, 128, 1)), ((1, 128, 64), (8, 4, 1, 64))])
@pytest.mark.parametrize("op", ["mul", "add", "sub", "div"])
def test_broadcast_ops_values_and_gradients(runtime, shapes, op):
    """cpu_broadcast_by_tiling: results of at least BROADCAST_MIN elements tile first."""
    torch = runtime
    x = torch.nn.Parameter(_tensor(torch, *shapes[0], seed=1))
    y = torch.nn.Parameter(_tensor(torch, *shapes[1], seed=2).abs() + 0.5)
    weights = _tensor(torch, *np.broadcast_shapes(*shapes), seed=3)
    assert np.prod(weights.shape) >= fastpaths.BROADCAST_MIN

    def loss():
        return (getattr(torch, op)(x, y) * weights).sum()

    fast_out = getattr(torch, op)(x, y).detach().numpy()
    fast = value_and_grads(torch, loss, [x, y])
    with fastpaths.plain("cpu_broadcast_by_tiling"):
        plain_out = getattr(torch, op)(x, y).detach().numpy()
        plain = value_and_grads(torch, loss, [x, y])
    assert fast_out.shape == plain_out.shape == weights.shape
    np.testing.assert_allclose(fast_out, plain_out, rtol=1e-6, atol=1e-6)
    assert fast[0] == pytest.approx(plain[0], rel=1e-4)
    for a, b in zip(fast[1], plain[1]):
        assert a.shape == b.shape
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-4, atol=1e-4)


def test_square_as_a_product(runtime):
    torch = runtime
    x = torch.nn.Parameter(_tensor(torch, 4, 64, 256))
    fast_out = x.pow(2).detach().numpy()
    fast = value_and_grads(torch, lambda: (x.pow(2) * 3).sum(), [x])
    with fastpaths.plain("cpu_broadcast_by_tiling"):
        plain_out = x.pow(2).detach().numpy()
    np.testing.assert_allclose(fast_out, plain_out, rtol=1e-6)
    np.testing.assert_allclose(fast[1][0].numpy(), 6 * x.detach().numpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(x.pow(3).detach().numpy(), x.detach().numpy() ** 3, rtol=1e-4,
                               atol=1e-4)


@pytest.mark.parametrize("other", ["tensor", "broadcast", "scalar", "int", "zero-d"])
def test_float_division_as_real_div_values_and_gradients(runtime, other):
    """cpu_div_as_real_div: the same bits as Div, the same gradients, for every float
    divisor; integer division keeps Div's true-division result."""
    torch = runtime
    x = torch.nn.Parameter(_tensor(torch, 16, 64, 96, seed=1))
    y = {"tensor": torch.nn.Parameter(_tensor(torch, 16, 64, 96, seed=2).abs() + 0.5),
         "broadcast": torch.nn.Parameter(_tensor(torch, 16, 64, 1, seed=2).abs() + 0.5),
         "scalar": 1.4142135623730951, "int": 3,
         "zero-d": torch.tensor(np.float32(0.7))}[other]
    weights = _tensor(torch, 16, 64, 96, seed=3)
    params = [x, y] if isinstance(y, torch.nn.Parameter) else [x]

    def loss():
        return ((x / y) * weights).sum()

    fast_out = (x / y).detach().numpy()
    fast = value_and_grads(torch, loss, params)
    with fastpaths.plain("cpu_div_as_real_div"):
        plain_out = (x / y).detach().numpy()
        plain = value_and_grads(torch, loss, params)
    np.testing.assert_array_equal(fast_out, plain_out)
    assert fast[0] == pytest.approx(plain[0], rel=1e-6)
    for a, b in zip(fast[1], plain[1]):   # a broadcast divisor's gradient sums in its order
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=2e-5, atol=1e-6)
    ints = torch.tensor(np.array([7, -7, 9], np.int64))
    np.testing.assert_allclose((ints / 2).numpy(), [3.5, -3.5, 4.5])


def test_exact_gelu_is_unchanged_by_the_division(runtime):
    torch = runtime
    x = torch.nn.Parameter(_tensor(torch, 8, 64, 384, seed=4))
    fast_out = torch.nn.functional.gelu(x).detach().numpy()
    fast = value_and_grads(torch, lambda: torch.nn.functional.gelu(x).sum(), [x])
    with fastpaths.plain("cpu_div_as_real_div"):
        plain_out = torch.nn.functional.gelu(x).detach().numpy()
        plain = value_and_grads(torch, lambda: torch.nn.functional.gelu(x).sum(), [x])
    np.testing.assert_array_equal(fast_out, plain_out)
    np.testing.assert_allclose(fast[1][0].numpy(), plain[1][0].numpy(), rtol=1e-6, atol=1e-7)


def test_a_swapping_switch_sets_every_replacement_and_puts_the_originals_back():
    import types

    first, second = types.SimpleNamespace(f=len), types.SimpleNamespace(f=abs, g=max)
    built = []

    def replacements():
        built.append((first.f, second.f))          # the originals, read before any is set
        yield first, "f", min
        yield second, "f", sum
        yield second, "g", first.f                  # still the original: computed in full first

    switch = fastpaths.swapping(replacements)
    switch(True)
    assert (first.f, second.f, second.g) == (min, sum, len)
    switch(False)
    assert (first.f, second.f, second.g) == (len, abs, max)
    switch(False)                                   # off twice changes nothing
    assert (first.f, second.f, second.g) == (len, abs, max)
    switch(True)
    assert built == [(len, abs), (len, abs)] and first.f is min
    switch(False)
