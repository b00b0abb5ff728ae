"""The decoder-layer fast paths (``studio.core.decoderkernels``) give the plain path's numbers:
the rotary embedding exactly, RMSNorm within float32 rounding, and a LoRA model's losses and
gradients (adapters and, for RMSNorm, the norm weights) for Llama and Qwen2, with each path on
and off in the same process (``fastpaths.plain``)."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from numeric import value_and_grads

from studio.core import fastpaths

PATHS = ["cpu_rotary_in_arrival_layout", "cpu_rmsnorm_by_matmul"]


def _tensor(torch, *shape, seed=0):
    return torch.tensor(np.random.default_rng(seed).standard_normal(shape).astype(np.float32))


@pytest.mark.parametrize("family", ["llama", "qwen2", "mistral"])
@pytest.mark.parametrize("kv_heads", [4, 2])
def test_rotary_values_are_exact_and_gradients_equal(runtime, family, kv_heads):
    torch = runtime
    module = importlib.import_module(f"transformers.models.{family}.modeling_{family}")
    # As attention makes them: (batch, heads, seq, dim) views of (batch, seq, heads, dim).
    q = torch.nn.Parameter(_tensor(torch, 2, 5, 4, 16, seed=1))
    k = torch.nn.Parameter(_tensor(torch, 2, 5, kv_heads, 16, seed=2))
    cos, sin = _tensor(torch, 2, 5, 16, seed=3), _tensor(torch, 2, 5, 16, seed=4)
    weights = (_tensor(torch, 2, 4, 5, 16, seed=5), _tensor(torch, 2, kv_heads, 5, 16, seed=6))

    def rotated():
        return module.apply_rotary_pos_emb(q.transpose(1, 2), k.transpose(1, 2), cos, sin)

    def loss():
        a, b = rotated()
        return (a * weights[0]).sum() + (b * weights[1]).sum()

    assert all(t.is_contiguous() for t in rotated())   # what attention's products want
    fast = [t.detach().numpy() for t in rotated()], value_and_grads(torch, loss, [q, k])
    with fastpaths.plain("cpu_rotary_in_arrival_layout"):
        plain = [t.detach().numpy() for t in rotated()], value_and_grads(torch, loss, [q, k])
    for a, b in zip(fast[0], plain[0]):
        assert a.shape == b.shape
        np.testing.assert_array_equal(a, b)
    assert fast[1][0] == pytest.approx(plain[1][0], rel=1e-6)
    for a, b in zip(fast[1][1], plain[1][1]):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("family", ["llama", "qwen2", "mistral"])
@pytest.mark.parametrize("shape", [(3, 7, 32), (4, 32), (1, 1, 32)])
def test_rmsnorm_values_and_gradients(runtime, family, shape):
    torch = runtime
    module = importlib.import_module(f"transformers.models.{family}.modeling_{family}")
    prefix = {"llama": "Llama", "qwen2": "Qwen2", "mistral": "Mistral"}[family]
    norm = getattr(module, f"{prefix}RMSNorm")(32, eps=1e-6)
    norm.weight.data = _tensor(torch, 32, seed=7)
    x = torch.nn.Parameter(_tensor(torch, *shape, seed=8) * 3)
    weights = _tensor(torch, *shape, seed=9)

    def loss():
        return (norm(x) * weights).sum()

    fast = norm(x).detach().numpy(), value_and_grads(torch, loss, [x, norm.weight])
    with fastpaths.plain("cpu_rmsnorm_by_matmul"):
        plain = norm(x).detach().numpy(), value_and_grads(torch, loss, [x, norm.weight])
    assert fast[0].shape == plain[0].shape == shape
    np.testing.assert_allclose(fast[0], plain[0], rtol=1e-5, atol=1e-6)
    assert fast[1][0] == pytest.approx(plain[1][0], rel=1e-5)
    for a, b in zip(fast[1][1], plain[1][1]):
        assert float(b.abs().sum()) > 0
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("family", ["llama", "qwen2"])
def test_lora_training_losses_and_gradients(runtime, tiny_models, family):
    """A LoRA step with the norm weights trained too (so RMSNorm's weight gradient counts),
    the batch padded on the left as training batches may be."""
    torch = runtime
    import transformers
    from peft import LoraConfig, get_peft_model

    torch.manual_seed(0)
    model = transformers.AutoModelForCausalLM.from_pretrained(
        str(tiny_models(family, init_range=0.2)))
    config = LoraConfig(r=4, lora_alpha=8, init_lora_weights=False,
                        target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "down_proj"],
                        modules_to_save=None)
    model = get_peft_model(model, config)
    for name, param in model.named_parameters():
        if name.endswith("norm.weight"):
            param.requires_grad = True
    model.train()
    ids = torch.tensor(np.random.default_rng(0).integers(3, 200, (2, 12)))
    mask = torch.tensor([[1] * 12, [0] * 3 + [1] * 9])
    params = [p for p in model.parameters() if p.requires_grad]

    def measure():
        with torch.no_grad():
            logits = model(input_ids=ids, attention_mask=mask).logits.numpy()
        loss, grads = value_and_grads(
            torch, lambda: model(input_ids=ids, attention_mask=mask, labels=ids).loss, params)
        return logits, loss, grads

    fast = measure()
    for name in PATHS:
        assert name in fastpaths.active()
    with fastpaths.plain(*PATHS):
        plain = measure()
    np.testing.assert_allclose(fast[0], plain[0], rtol=1e-4, atol=1e-5)
    assert fast[1] == pytest.approx(plain[1], rel=1e-5)
    assert len(params) > 10 and all(float(g.abs().sum()) > 0 for g in plain[2])
    for a, b in zip(fast[2], plain[2]):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-3, atol=1e-6)
