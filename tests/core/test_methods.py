"""The method registry: schema, parameter resolution, fit checks, and peft configs that peft
accepts on tiny models."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT

from studio.core import methods
from studio.core.config import TASKS, MethodConfig
from studio.core.errors import ConfigError, StudioError

EXPECTED_IDS = {"lora", "dora", "rslora", "adalora", "ia3", "loha", "lokr", "oft", "boft", "vera",
                "fourierft", "ln_tuning", "prefix_tuning", "prompt_tuning", "p_tuning",
                "adaption_prompt", "bitfit", "full"}
PEFT_IDS = [m.id for m in methods.all_methods() if m.kind == "peft"]


def resolve(name, family="llama", task="causal_lm", **params):
    return methods.resolve_params(MethodConfig(name, params), family, task)


def messages(problems):
    return [str(p) for p in problems]


def test_registry_has_every_method_once():
    ids = [m.id for m in methods.all_methods()]
    assert set(ids) == EXPECTED_IDS and len(ids) == len(EXPECTED_IDS)


@pytest.mark.parametrize("spec", methods.all_methods(), ids=lambda s: s.id)
def test_spec_is_well_formed(spec):
    assert spec.kind in methods.KINDS
    assert (spec.peft_type is None) == (spec.kind != "peft")
    assert spec.tasks and set(spec.tasks) <= set(TASKS)
    assert spec.description and "\n" not in spec.description
    names = [p.name for p in spec.params]
    assert len(names) == len(set(names))
    for p in spec.params:
        assert p.type in methods.PARAM_TYPES and p.help
        assert (p.type == "choice") == (p.choices is not None)
    # Defaults must pass their own checks on every family the method fits.
    for family in spec.families or ("llama", "gpt2", "t5", "bert"):
        task = spec.tasks[0]
        values, problems = methods.resolve_params(MethodConfig(spec.id, {}), family, task)
        assert problems == [], (family, messages(problems))
        assert set(values) == set(names)


def test_get_unknown_method_lists_every_id():
    with pytest.raises(StudioError) as info:
        methods.get("lorra")
    assert "lorra" in str(info.value)
    assert all(i in str(info.value) for i in EXPECTED_IDS)


def test_get_is_case_insensitive():
    assert methods.get("LoRA").id == "lora"


def test_to_json_is_plain_data_covering_every_method():
    data = json.loads(json.dumps(methods.to_json()))
    assert {m["id"] for m in data} == EXPECTED_IDS
    lora = next(m for m in data if m["id"] == "lora")
    assert lora["tasks"] == list(TASKS)
    assert {p["name"] for p in lora["params"]} >= {"r", "lora_alpha", "lora_dropout",
                                                   "target_modules"}
    assert lora["default_target_modules"]["gpt2"] == ["c_attn"]


def test_lora_defaults_and_family_targets():
    values, problems = resolve("lora")
    assert problems == []
    assert (values["r"], values["lora_alpha"], values["lora_dropout"]) == (8, 16, 0.05)
    assert values["target_modules"] == ["q_proj", "v_proj"]
    expected = {"gpt2": ["c_attn"], "t5": ["q", "v"], "bert": ["query", "value"],
                "bloom": ["query_key_value"], "opt": ["q_proj", "v_proj"]}
    for family, targets in expected.items():
        assert resolve("lora", family)[0]["target_modules"] == targets
    assert resolve("lora", "falcon")[0]["target_modules"] is None  # peft decides


def test_rank_zero_names_field_bound_and_value():
    _, problems = resolve("lora", r=0)
    assert messages(problems) == ["method.r: must be >= 1 (found 0)"]


def test_above_maximum():
    _, problems = resolve("lora", lora_dropout=1.5)
    assert messages(problems) == ["method.lora_dropout: must be <= 0.99 (found 1.5)"]


@pytest.mark.parametrize("params, field, expected", [
    ({"r": "eight"}, "method.r", "a whole number"),
    ({"r": 2.5}, "method.r", "a whole number"),
    ({"r": True}, "method.r", "a whole number"),
    ({"lora_dropout": "a lot"}, "method.lora_dropout", "a number"),
    ({"target_modules": 5}, "method.target_modules", "a list of module names or one regular "
                                                     "expression"),
    ({"target_modules": ["q_proj", ""]}, "method.target_modules", "a list of module names or "
                                                                  "one regular expression"),
])
def test_wrong_types(params, field, expected):
    _, problems = resolve("lora", **params)
    assert len(problems) == 1
    assert problems[0].field == field and problems[0].message == "wrong type"
    assert problems[0].expected == expected


def test_numbers_written_as_text_or_float_are_coerced():
    values, problems = resolve("lora", r=16.0, lora_dropout="1e-1")
    assert problems == [] and values["r"] == 16 and values["lora_dropout"] == 0.1


def test_unknown_parameter_suggests_and_lists_names():
    _, problems = resolve("lora", rank=4)
    assert len(problems) == 1
    problem = problems[0]
    assert problem.field == "method.rank" and "did you mean 'r'" in problem.message
    assert "lora_alpha" in problem.expected and problem.found == "'rank'"


def test_method_without_parameters_refuses_any():
    _, problems = resolve("full", r=8)
    assert messages(problems) == ["method.r: Full fine-tuning takes no parameters (found 'r')"]


def test_choices_are_matched_case_insensitively():
    values, problems = resolve("p_tuning", encoder_type="lstm")
    assert problems == [] and values["encoder_type"] == "LSTM"
    _, problems = resolve("p_tuning", encoder_type="GRU")
    assert problems[0].expected == "one of MLP, LSTM"


def test_target_modules_as_regex_list_and_invalid_regex():
    values, problems = resolve("lora", target_modules=".*q_proj|.*v_proj")
    assert problems == [] and values["target_modules"] == ".*q_proj|.*v_proj"
    values, _ = resolve("lora", target_modules=["q_proj", "o_proj"])
    assert values["target_modules"] == ["q_proj", "o_proj"]
    _, problems = resolve("lora", target_modules="(q_proj")
    assert problems[0].field == "method.target_modules"
    assert "regular expression" in problems[0].message


def test_ia3_feedforward_defaults_follow_targets():
    values, problems = resolve("ia3")
    assert problems == []
    assert values["target_modules"] == ["k_proj", "v_proj", "down_proj"]
    assert values["feedforward_modules"] == ["down_proj"]
    values, problems = resolve("ia3", target_modules=["q_proj", "v_proj"])
    assert problems == [] and values["feedforward_modules"] == []
    _, problems = resolve("ia3", target_modules=["v_proj"], feedforward_modules=["down_proj"])
    assert problems[0].field == "method.feedforward_modules"


@pytest.mark.parametrize("name, params, field", [
    ("oft", {"r": 4, "oft_block_size": 8}, "method.oft_block_size"),
    ("oft", {"r": 0, "oft_block_size": 0}, "method.oft_block_size"),
    ("boft", {"boft_block_size": 0, "boft_block_num": 0}, "method.boft_block_size"),
    ("adalora", {"init_r": 4, "target_r": 8}, "method.target_r"),
    ("prompt_tuning", {"init": "text"}, "method.init_text"),
])
def test_cross_field_rules(name, params, field):
    _, problems = resolve(name, **params)
    assert [p.field for p in problems] == [field]


def test_adaption_prompt_on_qwen2_says_which_families():
    problems = methods.fit_problems(methods.get("adaption_prompt"), "qwen2", "causal_lm")
    assert len(problems) == 1
    assert "LLaMA-Adapter supports llama, gpt2; this model is qwen2" in problems[0].message


@pytest.mark.parametrize("name, task, reason", [
    ("prefix_tuning", "seq2seq", "generation disagrees"),
    ("p_tuning", "token_cls", "shift the token labels"),
    ("prompt_tuning", "token_cls", "shift the token labels"),
    ("adaption_prompt", "seq_cls", "it supports causal_lm"),
])
def test_method_not_offered_for_task_says_why(name, task, reason):
    problems = methods.fit_problems(methods.get(name), "llama", task)
    assert len(problems) == 1 and reason in problems[0].message
    assert problems[0].found == name


def test_lycoris_and_oft_refuse_gpt2_conv1d():
    for name in ("loha", "lokr", "oft", "boft"):
        problems = methods.fit_problems(methods.get(name), "gpt2", "causal_lm")
        assert len(problems) == 1 and "Conv1D" in problems[0].message


def test_bitfit_needs_biases():
    bitfit = methods.get("bitfit")
    assert "has none" in methods.fit_problems(bitfit, "llama", "causal_lm")[0].message
    assert "has none" in methods.fit_problems(bitfit, "t5", "seq2seq", has_bias=False)[0].message
    assert methods.fit_problems(bitfit, "gpt2", "causal_lm", has_bias=True) == []
    # A LLaMA checkpoint built with attention_bias has biases after all.
    assert methods.fit_problems(bitfit, "llama", "causal_lm", has_bias=True) == []


def test_unknown_family_or_task_is_not_judged():
    assert methods.fit_problems(methods.get("loha"), None, None) == []
    assert methods.fit_problems(methods.get("bitfit"), "falcon", "causal_lm") == []


def test_allow_list_refuses_a_family_it_does_not_name():
    assert methods.fit_problems(methods.get("adaption_prompt"), "falcon", "causal_lm") != []


def test_build_refuses_bad_params_before_importing_anything():
    with pytest.raises(ConfigError) as info:
        methods.build_peft_config(MethodConfig("lora", {"r": 0}), "causal_lm", "llama", None)
    assert "method.r: must be >= 1 (found 0)" in str(info.value)
    with pytest.raises(StudioError, match="total number of training steps"):
        methods.build_peft_config(MethodConfig("adalora"), "causal_lm", "llama", None)
    with pytest.raises(StudioError, match="tinit"):
        methods.build_peft_config(MethodConfig("adalora", {"tinit": 10}), "causal_lm", "llama",
                                  None, total_steps=10)


def _run_clean(code: str) -> str:
    """Run code in a fresh interpreter and return what it prints."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_registry_and_non_peft_builds_import_no_compute_stack():
    out = _run_clean(
        "import sys\n"
        "from studio.core import methods\n"
        "from studio.core.config import MethodConfig as M\n"
        "methods.to_json(); methods.resolve_params(M('lora', {}), 'llama', 'causal_lm')\n"
        "assert methods.build_peft_config(M('bitfit'), 'seq_cls', 'bert', None) is None\n"
        "assert methods.build_peft_config(M('full'), 'causal_lm', 'llama', None) is None\n"
        "print(sorted(m for m in ('mindspore', 'mindnlp', 'torch', 'peft', 'transformers')"
        " if m in sys.modules))\n")
    assert out.strip() == "[]"


# ---- peft accepts what we build (imports mindnlp) ----------------------------------------

TINY_PARAMS = {"fourierft": {"n_frequency": 64},  # at most in x out of the tiny 32x16 layers
               "prompt_tuning": {"init": "text", "init_text": "the market rose"}}


def _wrap(tiny_models, family, task, name):
    import json as _json

    import peft
    import transformers

    folder = tiny_models(family, None if task in ("causal_lm", "seq2seq") else task)
    arch = _json.loads((folder / "config.json").read_text())["architectures"][0]
    model = getattr(transformers, arch).from_pretrained(str(folder))
    config = methods.build_peft_config(MethodConfig(name, dict(TINY_PARAMS.get(name, {}))), task,
                                       family, str(folder), total_steps=20)
    wrapped = peft.get_peft_model(model, config)
    trainable = [n for n, p in wrapped.named_parameters() if p.requires_grad]
    total = sum(1 for _ in wrapped.parameters())
    return wrapped, trainable, total


@pytest.mark.slow
@pytest.mark.parametrize("name", PEFT_IDS)
def test_every_peft_method_wraps_a_tiny_llama(tiny_models, name):
    import peft

    wrapped, trainable, total = _wrap(tiny_models, "llama", "causal_lm", name)
    assert isinstance(wrapped, peft.PeftModel)
    assert 0 < len(trainable) < total


@pytest.mark.slow
@pytest.mark.parametrize("family, task, name", [
    ("gpt2", "causal_lm", "lora"), ("gpt2", "causal_lm", "ia3"), ("gpt2", "causal_lm", "vera"),
    ("gpt2", "causal_lm", "adaption_prompt"), ("t5", "seq2seq", "lora"),
    ("t5", "seq2seq", "prompt_tuning"), ("t5", "seq2seq", "ia3"), ("mt5", "seq2seq", "ia3"),
    ("bloom", "causal_lm", "ia3"), ("opt", "causal_lm", "ln_tuning"),
    ("bert", "seq_cls", "ln_tuning"),
])
def test_family_defaults_wrap(tiny_models, family, task, name):
    _, trainable, _ = _wrap(tiny_models, family, task, name)
    assert trainable


@pytest.mark.slow
@pytest.mark.parametrize("task, name", [("seq_cls", "lora"), ("seq_cls", "prompt_tuning"),
                                        ("seq_cls", "ia3"), ("token_cls", "lora"),
                                        ("token_cls", "prefix_tuning")])
def test_classifier_head_is_trained_and_saved(tiny_models, task, name):
    wrapped, trainable, _ = _wrap(tiny_models, "bert", task, name)
    assert any("classifier" in n for n in trainable)
    assert "classifier" in wrapped.peft_config["default"].modules_to_save


@pytest.mark.slow
def test_refused_combination_really_fails_in_peft(tiny_models):
    """LoHa on GPT-2 is refused by fit_problems because peft cannot wrap Conv1D."""
    import peft
    import transformers

    model = transformers.GPT2LMHeadModel.from_pretrained(str(tiny_models("gpt2")))
    config = peft.LoHaConfig(task_type="CAUSAL_LM", target_modules=["c_attn"])
    with pytest.raises(ValueError, match="not supported"):
        peft.get_peft_model(model, config)
