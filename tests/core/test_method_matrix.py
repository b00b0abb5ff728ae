"""Every PEFT method the studio offers, on a tiny random Llama (GPT-2 for BitFit), trained the
way the engine trains (value-and-grad + AdamW): the loss falls, every trainable tensor moves,
the gradient matches finite differences, the saved adapter reloads to identical logits and,
where the method merges, merge_and_unload keeps the logits. Configs are built directly here
(not through studio.core.methods) so a failure points at the stack, not at our registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
from numeric import assert_gradient_matches, value_and_grads

pytestmark = pytest.mark.slow

STEPS = 20
# A tiny model with one layer (per-op overhead dominates on CPU) and large random weights,
# so that every method, even one with a few dozen parameters, moves the loss clearly.
MODEL_OVERRIDES = {"num_hidden_layers": 1, "initializer_range": 0.2}
LORA_TARGETS = ["q_proj", "v_proj"]


@dataclass
class Case:
    config: Callable[[Any, str], Any] | None  # (peft module, tokenizer folder) -> config
    family: str = "llama"
    lr: float = 5e-2
    mergeable: bool = False
    grad_of: str = ""  # substring of the trainable tensor to check by finite differences
    min_drop: float = 0.5  # the loss must fall at least this much (nats) in STEPS steps
    may_stay: str = ""  # trainable tensors allowed to end where they started
    exact_reload: bool = True  # False: reloading changes shapes, so rounding may differ
    fd: dict[str, Any] = field(default_factory=lambda: {"directions": 2})


def _lora(peft, _tok, **extra):
    return peft.LoraConfig(r=4, lora_alpha=8, target_modules=LORA_TARGETS, lora_dropout=0.0,
                           **extra)


CASES: dict[str, Case] = {
    "lora": Case(_lora, mergeable=True, grad_of="lora_B", lr=1e-2),
    "dora": Case(lambda p, t: _lora(p, t, use_dora=True), mergeable=True,
                 grad_of="lora_magnitude"),
    "rslora": Case(lambda p, t: _lora(p, t, use_rslora=True), mergeable=True, grad_of="lora_A"),
    "adalora": Case(lambda p, t: p.AdaLoraConfig(
        # target_r=1 prunes q_proj to rank 0: the reload goes through zero-size matmuls
        init_r=6, target_r=1, tinit=2, tfinal=4, deltaT=2, total_step=STEPS, lora_alpha=8,
        lora_dropout=0.0, target_modules=LORA_TARGETS), mergeable=True, grad_of="lora_E",
        may_stay="lora_E",  # pruned triplets are masked back to their zero start
        exact_reload=False),  # reload drops the pruned ranks: same sum, other rounding
    "ia3": Case(lambda p, t: p.IA3Config(
        target_modules=["k_proj", "v_proj", "down_proj"], feedforward_modules=["down_proj"]),
        lr=5e-2, mergeable=True, grad_of="ia3_l"),
    "loha": Case(lambda p, t: p.LoHaConfig(r=4, alpha=8, target_modules=LORA_TARGETS),
                 mergeable=True, grad_of="hada_w1_a"),
    "lokr": Case(lambda p, t: p.LoKrConfig(r=4, alpha=8, target_modules=LORA_TARGETS),
                 mergeable=True, grad_of="lokr_w1"),
    "oft": Case(lambda p, t: p.OFTConfig(r=0, oft_block_size=8, target_modules=LORA_TARGETS),
                mergeable=True, grad_of="oft_R"),
    "boft": Case(lambda p, t: p.BOFTConfig(boft_block_size=8, boft_n_butterfly_factor=1,
                                           target_modules=LORA_TARGETS),
                 mergeable=True, grad_of="boft_R"),
    "vera": Case(lambda p, t: p.VeraConfig(r=8, target_modules=LORA_TARGETS),
                 lr=5e-2, mergeable=True, grad_of="vera_lambda_b"),
    "fourierft": Case(lambda p, t: p.FourierFTConfig(n_frequency=32, scaling=100.0,
                                                     target_modules=LORA_TARGETS),
                      lr=5e-2, mergeable=True, grad_of="fourierft_spectrum"),
    "ln_tuning": Case(lambda p, t: p.LNTuningConfig(
        target_modules=["input_layernorm", "post_attention_layernorm", "norm"]),
        lr=5e-2, mergeable=True, grad_of="input_layernorm"),
    "prefix": Case(lambda p, t: p.PrefixTuningConfig(task_type="CAUSAL_LM",
                                                     num_virtual_tokens=4),
                   lr=5e-2, grad_of="prompt_encoder"),
    "prompt_random": Case(lambda p, t: p.PromptTuningConfig(task_type="CAUSAL_LM",
                                                            num_virtual_tokens=4),
                          lr=5e-2, grad_of="prompt_encoder"),
    "prompt_text": Case(lambda p, t: p.PromptTuningConfig(
        task_type="CAUSAL_LM", num_virtual_tokens=4, prompt_tuning_init="TEXT",
        prompt_tuning_init_text="positive or negative", tokenizer_name_or_path=t),
        lr=5e-2, grad_of="prompt_encoder"),
    "ptuning_mlp": Case(lambda p, t: p.PromptEncoderConfig(
        task_type="CAUSAL_LM", num_virtual_tokens=4, encoder_hidden_size=16,
        encoder_reparameterization_type="MLP"), grad_of="mlp_head"),
    "ptuning_lstm": Case(lambda p, t: p.PromptEncoderConfig(
        task_type="CAUSAL_LM", num_virtual_tokens=4, encoder_hidden_size=16,
        encoder_reparameterization_type="LSTM"), grad_of="lstm_head"),
    "adaption_prompt": Case(lambda p, t: p.AdaptionPromptConfig(
        task_type="CAUSAL_LM", adapter_len=4, adapter_layers=1), lr=5e-2,
        grad_of="adaption_prompt"),
    "bitfit": Case(None, family="gpt2", lr=2e-2, grad_of="bias"),
}


@pytest.fixture(scope="module")
def tiny(runtime, tmp_path_factory):
    """family -> folder of a one-layer model with a tokenizer."""
    import transformers
    from factories import _CLASSES, make_tokenizer, model_config

    root = tmp_path_factory.mktemp("matrix-models")
    folders = {}
    for family in ("llama", "gpt2"):
        folder = make_tokenizer(root / family)
        config = model_config(family)
        for key, value in MODEL_OVERRIDES.items():
            setattr(config, key, value)
        runtime.manual_seed(0)
        getattr(transformers, _CLASSES[(family, "causal_lm")])(config).save_pretrained(str(folder))
        folders[family] = folder
    return folders


@pytest.fixture(scope="module")
def batch(runtime):
    rng = np.random.default_rng(0)
    return runtime.tensor(rng.integers(3, 500, size=(2, 8)).astype(np.int64))


def _base(torch, folder):
    from transformers import AutoModelForCausalLM

    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_pretrained(str(folder))
    for module in model.modules():  # deterministic forward for finite differences
        if isinstance(module, torch.nn.Dropout):
            module.p = 0.0
    return model


def _logits(torch, model, ids):
    model.eval()
    with torch.no_grad():
        return model(input_ids=ids).logits.numpy()


def _build(torch, name, case, folder):
    import peft

    base = _base(torch, folder)
    if case.config is None:  # BitFit: biases only, no peft wrapper
        for pname, p in base.named_parameters():
            p.requires_grad = pname.endswith(".bias")
        return base
    torch.manual_seed(1)
    return peft.get_peft_model(base, case.config(peft, str(folder)))


def _reload(torch, case, folder, saved):
    if case.config is None:
        return _base(torch, saved)
    from peft import PeftModel

    return PeftModel.from_pretrained(_base(torch, folder), str(saved))


@pytest.mark.parametrize("name", list(CASES))
def test_method(name, runtime, tiny, batch, tmp_path):
    torch = runtime
    case = CASES[name]
    folder = tiny[case.family]
    model = _build(torch, name, case, folder)
    model.train()
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    assert named, "no trainable parameters"
    params = [p for _, p in named]
    before = [p.detach().numpy().copy() for p in params]

    def loss_fn():
        return model(input_ids=batch, labels=batch).loss

    # (a) training lowers the loss
    optimizer = torch.optim.AdamW(params, lr=case.lr, weight_decay=0.0)
    grad_fn = torch.autograd.value_and_grad(loss_fn, params)
    losses = []
    for step in range(STEPS):
        losses.append(float(grad_fn()))
        optimizer.step()
        if name == "adalora":
            model.base_model.update_and_allocate(step)
        optimizer.zero_grad()
    assert np.isfinite(losses).all(), losses
    assert losses[-1] < losses[0] - case.min_drop, losses

    # (b) every trainable tensor moved (weight decay is off, so only gradients move them)
    frozen = [n for (n, p), old in zip(named, before)
              if np.array_equal(p.detach().numpy(), old)
              and not (case.may_stay and case.may_stay in n)]
    assert not frozen, f"never updated: {frozen}"

    # (c) gradient of one tensor against central finite differences
    checked = [(n, p) for n, p in named if case.grad_of in n]
    assert checked, f"no trainable tensor matches {case.grad_of!r}: {[n for n, _ in named]}"
    pname, param = checked[0]
    _, (grad,) = value_and_grads(torch, loss_fn, [param])
    assert float(grad.abs().sum()) > 0, f"zero gradient for {pname}"
    assert_gradient_matches(torch, loss_fn, param, grad, **case.fd)

    # (d) save + reload gives identical logits
    expected = _logits(torch, model, batch)
    model.save_pretrained(str(tmp_path / "saved"))
    loaded = _reload(torch, case, folder, tmp_path / "saved")
    reloaded = _logits(torch, loaded, batch)
    if case.exact_reload:
        np.testing.assert_array_equal(reloaded, expected)
    else:
        np.testing.assert_allclose(reloaded, expected, rtol=1e-5,
                                   atol=1e-5 * np.abs(expected).max())

    # (e) merging keeps the logits
    if case.mergeable:
        merged = loaded.merge_and_unload()
        got = _logits(torch, merged, batch)
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5 * np.abs(expected).max())
