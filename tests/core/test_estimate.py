"""Trainable-parameter and memory estimates, checked by hand and against peft itself."""

from __future__ import annotations

import dataclasses

import pytest

from studio.core import modelinfo, modeltree
from studio.core.config import MethodConfig, TrainingConfig
from studio.core.estimate import (
    ACT_ATTENTION_FACTOR,
    ACT_BYTES_PER_TOKEN_HIDDEN,
    estimate,
    factorization,
)
from studio.core.modeltree import ModuleEntry

HIDDEN, LAYERS, VOCAB = 32, 2, 512


def llama_info(**changes) -> modelinfo.ModelInfo:
    info = modelinfo.ModelInfo(
        path="m", remote=False, model_type="llama", family="llama",
        architectures=("LlamaForCausalLM",), is_encoder_decoder=False,
        tasks=("causal_lm", "seq_cls"), default_task="causal_lm", hidden_size=HIDDEN,
        num_layers=LAYERS, num_heads=4, vocab_size=VOCAB, param_estimate=None, has_bias=False,
        tokenizer_present=True)
    return dataclasses.replace(info, **changes)


def linear(name: str, out: int, inp: int, bias: bool = False) -> ModuleEntry:
    return ModuleEntry(name, "linear", (out, inp), out * inp + (out if bias else 0), bias)


def llama_tree() -> list[ModuleEntry]:
    tree = [ModuleEntry("model.embed_tokens", "embedding", (VOCAB, HIDDEN), VOCAB * HIDDEN),
            ModuleEntry("model.norm", "norm", (HIDDEN,), HIDDEN),
            linear("lm_head", VOCAB, HIDDEN)]
    for i in range(LAYERS):
        p = f"model.layers.{i}."
        tree += [linear(p + "self_attn.q_proj", 32, 32), linear(p + "self_attn.k_proj", 16, 32),
                 linear(p + "self_attn.v_proj", 16, 32), linear(p + "self_attn.o_proj", 32, 32),
                 linear(p + "mlp.gate_proj", 64, 32), linear(p + "mlp.up_proj", 64, 32),
                 linear(p + "mlp.down_proj", 32, 64),
                 ModuleEntry(p + "input_layernorm", "norm", (32,), 32),
                 ModuleEntry(p + "post_attention_layernorm", "norm", (32,), 32)]
    return tree


BASE = sum(e.params for e in llama_tree())


def run(method: str, training: TrainingConfig | None = None, tree=None, info=None, task=None,
        **params):
    return estimate(info or llama_info(), llama_tree() if tree is None else tree,
                    MethodConfig(method, params), training or TrainingConfig(), task)


def test_lora_counts_r_times_in_plus_out_per_matched_module():
    est = run("lora", r=8)  # default llama targets: q_proj (32->32), v_proj (32->16)
    assert est.trainable_params == LAYERS * 8 * ((32 + 32) + (32 + 16))
    assert est.total_params == BASE + est.trainable_params
    assert est.adapted_modules == ["model.layers.0.self_attn.q_proj",
                                   "model.layers.0.self_attn.v_proj",
                                   "model.layers.1.self_attn.q_proj",
                                   "model.layers.1.self_attn.v_proj"]
    assert est.exact and 0 < est.trainable_fraction < 0.05


def test_explicit_targets_and_regex():
    assert run("lora", r=4, target_modules=["down_proj"]).trainable_params == 2 * 4 * (64 + 32)
    regex = run("lora", r=4, target_modules=r".*\.0\.self_attn\.q_proj")
    assert regex.trainable_params == 4 * 64 and len(regex.adapted_modules) == 1
    none = run("lora", target_modules=["nothing_here"])
    assert none.trainable_params == 0 and any("match no module" in n for n in none.notes)


def test_dora_adds_a_magnitude_per_output_and_adalora_a_rank_vector():
    assert run("dora", r=8).trainable_params == run("lora", r=8).trainable_params + 2 * (32 + 16)
    ada = run("adalora", init_r=12)
    assert ada.trainable_params == LAYERS * 12 * ((32 + 32 + 1) + (32 + 16 + 1))
    assert ada.total_params == BASE + ada.trainable_params + 4  # frozen rank counters


def test_ia3_scales_outputs_or_feedforward_inputs():
    est = run("ia3")  # llama: k_proj, v_proj (outputs 16) and down_proj (feed-forward, in 64)
    assert est.trainable_params == LAYERS * (16 + 16 + 64)


def test_lycoris_and_orthogonal_methods():
    assert run("loha", r=8).trainable_params == 2 * run("lora", r=8).trainable_params
    assert factorization(32) == (4, 8) and factorization(64, 4) == (4, 16)
    # LoKr on q (32->32: 4x8 by 4x8) and v (32->16: 4x8 in, 4x4 out), r=8 keeps w2 full
    assert run("lokr", r=8).trainable_params == LAYERS * ((4 * 4 + 8 * 8) + (4 * 4 + 4 * 8))
    # OFT block 32 on 32 inputs: one block of 32*31/2 per module
    assert run("oft").trainable_params == LAYERS * 2 * (32 * 31 // 2)
    assert run("boft", boft_block_size=4).trainable_params == LAYERS * (
        (8 * 16 + 32) + (8 * 16 + 16))


def test_vera_fourierft_and_ln_tuning():
    assert run("vera", r=64).trainable_params == LAYERS * ((64 + 32) + (64 + 16))
    assert run("fourierft", n_frequency=100).trainable_params == LAYERS * 2 * 100
    ln = run("ln_tuning")
    assert ln.trainable_params == LAYERS * 2 * 32 + 32


def test_prompt_methods():
    assert run("prompt_tuning", num_virtual_tokens=20).trainable_params == 20 * HIDDEN
    t5 = llama_info(model_type="t5", family="t5", is_encoder_decoder=True,
                    default_task="seq2seq", tasks=("seq2seq",))
    assert run("prompt_tuning", info=t5, num_virtual_tokens=20).trainable_params == 2 * 20 * 32
    # GQA: llama's k_proj has 16 outputs, so each prefix token holds 16 values per k and v
    assert run("prefix_tuning", num_virtual_tokens=20).trainable_params == 20 * LAYERS * 2 * 16
    enc = 128
    p_tuning = 20 * HIDDEN + (HIDDEN * enc + enc) + (enc * enc + enc) + (enc * HIDDEN + HIDDEN)
    assert run("p_tuning", num_virtual_tokens=20).trainable_params == p_tuning
    assert run("adaption_prompt", adapter_len=10).trainable_params == LAYERS * (10 * HIDDEN + 1)


def test_bitfit_full_and_classification_heads():
    biased = [linear("enc.0.q", 32, 32, bias=True), linear("enc.0.k", 32, 32, bias=True),
              linear("classifier", 3, 32, bias=True)]
    info = llama_info(model_type="bert", family="bert", default_task="seq_cls", has_bias=True)
    assert run("bitfit", tree=biased, info=info).trainable_params == 32 + 32 + (3 * 32 + 3)
    assert run("full").trainable_params == BASE
    lora = run("lora", tree=biased, info=info, r=2, target_modules=["q"])
    assert lora.trainable_params == 2 * 64 + 3 * 32 + 3  # the head is trained in full
    new_head = run("lora", info=llama_info(default_task="seq_cls"), task="seq_cls")
    assert new_head.trainable_params == run("lora").trainable_params + 2 * HIDDEN + 2
    assert any("no classification head" in n for n in new_head.notes)
    assert any("has none" in n for n in run("bitfit").notes)  # llama has no biases


def test_memory_breakdown():
    training = TrainingConfig(batch_size=4, max_length=64)
    est = run("lora", training, r=8)
    assert est.grads_bytes == 4 * est.trainable_params
    assert est.optimizer_bytes == 8 * est.trainable_params     # AdamW: two fp32 moments
    assert est.weights_bytes == 4 * BASE + 4 * est.trainable_params
    per_layer = (4 * 64 * HIDDEN * ACT_BYTES_PER_TOKEN_HIDDEN
                 + ACT_ATTENTION_FACTOR * 4 * 64 * 64 * 4)
    logits = 2 * 4 * 64 * VOCAB * 4
    assert est.activations_bytes == per_layer * LAYERS * 2 + logits
    assert est.total_bytes == (est.weights_bytes + est.grads_bytes + est.optimizer_bytes
                               + est.activations_bytes)
    half = run("lora", dataclasses.replace(training, dtype="float16"), r=8)
    assert half.weights_bytes == 2 * BASE + 4 * est.trainable_params
    bigger = run("lora", dataclasses.replace(training, batch_size=8), r=8)
    assert bigger.activations_bytes == 2 * est.activations_bytes
    full = run("full", training)
    assert full.optimizer_bytes == 8 * BASE and full.weights_bytes == 4 * BASE


def test_non_linear_targets_and_unfit_methods_are_noted():
    est = run("lora", target_modules=["input_layernorm"])
    assert est.trainable_params == 0 and any("not linear" in n for n in est.notes)
    gpt2 = llama_info(model_type="gpt2", family="gpt2")
    assert any("LoHa supports" in n for n in run("loha", info=gpt2, tree=[]).notes)


def test_unknown_shapes_give_an_approximation():
    est = estimate(llama_info(param_estimate=50000), None, MethodConfig("lora", {"r": 8}),
                   TrainingConfig())
    assert not est.exact and any("approximate" in n for n in est.notes)
    assert est.trainable_params == LAYERS * 2 * 8 * (HIDDEN + HIDDEN)
    assert est.total_params == 50000 + est.trainable_params


# ---- against peft ---------------------------------------------------------------------------
CASES = [(family, method) for family in ("llama", "gpt2", "t5", "bert")
         for method in ("lora", "ia3", "prompt_tuning")]
CASES += [("llama", m) for m in ("dora", "adalora", "loha", "lokr", "oft", "vera", "prefix_tuning",
                                 "p_tuning", "adaption_prompt", "ln_tuning", "full")]
CASES += [("bert", "bitfit"), ("opt", "boft"), ("bloom", "fourierft"), ("qwen2", "prefix_tuning")]


@pytest.mark.slow
@pytest.mark.parametrize("family, method", CASES)
def test_matches_the_count_peft_reports(tiny_models, family, method):
    from studio.core import modeling

    folder = str(tiny_models(family))
    info = modelinfo.inspect(folder)
    task = info.default_task
    params = {"boft": {"boft_block_size": 4}, "fourierft": {"n_frequency": 100}}.get(method, {})
    method_config = MethodConfig(method, params)
    tokenizer = modeling.load_tokenizer(folder, task)
    labels = ["a", "b"] if task in ("seq_cls", "token_cls") else None
    model = modeling.load_base_model(folder, task, tokenizer, label_names=labels)
    model, _kind = modeling.apply_method(model, method_config, task, info.family, folder,
                                         total_steps=100)
    trainable, total = modeling.count_params(model)
    est = estimate(info, modeltree.module_tree(folder), method_config, TrainingConfig(), task)
    assert (est.trainable_params, est.total_params) == (trainable, total)
