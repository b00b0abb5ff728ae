"""Model inspection from config.json alone (no torch), checked against real tiny models."""

from __future__ import annotations

import json
import re

import pytest

from studio.core import methods, modelinfo
from studio.core.errors import StudioError
from studio.core.modelinfo import detect_task

LLAMA = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 32,
         "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
         "num_key_value_heads": 2, "vocab_size": 512, "hidden_act": "silu",
         "attention_bias": False, "mlp_bias": False, "tie_word_embeddings": False}
GPT2 = {"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "n_embd": 32, "n_layer": 2,
        "n_head": 4, "n_inner": None, "n_positions": 256, "vocab_size": 512}
T5 = {"architectures": ["T5ForConditionalGeneration"], "model_type": "t5", "d_model": 32,
      "d_kv": 8, "d_ff": 64, "num_layers": 2, "num_decoder_layers": 2, "num_heads": 4,
      "vocab_size": 512, "is_encoder_decoder": True}
BERT_TOKENS = {"architectures": ["BertForTokenClassification"], "model_type": "bert",
               "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2,
               "num_attention_heads": 4, "vocab_size": 512}


def model_folder(tmp_path, config, name="model", tokenizer=True):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps(config))
    if tokenizer:
        (folder / "tokenizer.json").write_text("{}")
    return folder


def test_decoder_only_model(tmp_path):
    info = modelinfo.inspect(str(model_folder(tmp_path, LLAMA)))
    assert (info.family, info.kind, info.remote) == ("llama", "decoder", False)
    assert info.tasks == ("causal_lm", "seq_cls") and info.default_task == "causal_lm"
    assert (info.hidden_size, info.num_layers, info.num_heads, info.vocab_size) == (32, 2, 4, 512)
    assert info.has_bias is False and info.tokenizer_present
    assert info.architectures == ("LlamaForCausalLM",) and not info.is_encoder_decoder


def test_gpt2_keys_and_biases(tmp_path):
    info = modelinfo.inspect(str(model_folder(tmp_path, GPT2)))
    assert (info.family, info.hidden_size, info.num_layers, info.num_heads) == ("gpt2", 32, 2, 4)
    assert info.has_bias is True


def test_encoder_decoder_model(tmp_path):
    info = modelinfo.inspect(str(model_folder(tmp_path, T5)))
    assert (info.family, info.kind, info.is_encoder_decoder) == ("t5", "encoder-decoder", True)
    assert info.tasks == ("seq2seq",) and info.default_task == "seq2seq"
    assert info.has_bias is False and info.hidden_size == 32


def test_encoder_only_token_classifier(tmp_path):
    info = modelinfo.inspect(str(model_folder(tmp_path, BERT_TOKENS)))
    assert (info.family, info.kind) == ("bert", "encoder")
    assert info.tasks == ("seq_cls", "token_cls") and info.default_task == "token_cls"


def test_mistral_is_llama_family(tmp_path):
    info = modelinfo.inspect(str(model_folder(tmp_path, {**LLAMA, "model_type": "mistral"})))
    assert (info.model_type, info.family) == ("mistral", "llama")


@pytest.mark.parametrize("config, expected", [
    ({**LLAMA, "attention_bias": True}, True),
    ({"model_type": "opt", "hidden_size": 32, "enable_bias": False}, False),
    ({"model_type": "opt", "hidden_size": 32}, True),
    ({"model_type": "falcon", "hidden_size": 32}, None),
])
def test_has_bias_follows_config_flags(tmp_path, config, expected):
    assert modelinfo.inspect(str(model_folder(tmp_path, config))).has_bias is expected


def test_unknown_type_keeps_its_name_as_family(tmp_path):
    info = modelinfo.inspect(str(model_folder(tmp_path, {"model_type": "falcon",
                                                           "hidden_size": 64})))
    assert (info.family, info.kind, info.default_task) == ("falcon", "decoder", "causal_lm")


def test_model_type_from_architectures(tmp_path):
    config = {k: v for k, v in LLAMA.items() if k != "model_type"}
    assert modelinfo.inspect(str(model_folder(tmp_path, config))).family == "llama"


def test_no_tokenizer_files(tmp_path):
    info = modelinfo.inspect(str(model_folder(tmp_path, LLAMA, tokenizer=False)))
    assert info.tokenizer_present is False


def test_param_estimate_grows_with_depth(tmp_path):
    small = modelinfo.inspect(str(model_folder(tmp_path, LLAMA, "a"))).param_estimate
    deep = modelinfo.inspect(str(model_folder(tmp_path, {**LLAMA, "num_hidden_layers": 4},
                                              "b"))).param_estimate
    assert small and deep and deep > small


def test_folder_without_config_json(tmp_path):
    with pytest.raises(StudioError, match=re.escape("has no config.json")):
        modelinfo.inspect(str(tmp_path))


def test_invalid_json(tmp_path):
    (tmp_path / "config.json").write_text('{"model_type": "llama",')
    with pytest.raises(StudioError, match=r"not valid JSON \(line 1"):
        modelinfo.inspect(str(tmp_path))


def test_json_that_is_not_a_model(tmp_path):
    (tmp_path / "config.json").write_text("[1, 2]")
    with pytest.raises(StudioError, match="neither model_type nor architectures"):
        modelinfo.inspect(str(tmp_path))


def test_a_file_is_not_a_model(tmp_path):
    file = tmp_path / "model.safetensors"
    file.write_text("x")
    with pytest.raises(StudioError, match="is a file"):
        modelinfo.inspect(str(file))


@pytest.mark.parametrize("name", ["./missing/model", "/no/such/folder", "a/b/c"])
def test_missing_path_that_is_not_a_hub_id(name):
    with pytest.raises(StudioError, match="does not exist"):
        modelinfo.inspect(name)


def test_empty_name():
    with pytest.raises(StudioError, match="No model was given"):
        modelinfo.inspect("")


def test_hub_id_is_remote_and_unknown_when_not_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    info = modelinfo.inspect("Qwen/Qwen2-0.5B")
    assert info.remote and info.family is None and info.tasks == ()
    assert info.kind is None and info.default_task is None


def test_hub_id_found_in_local_cache(tmp_path, monkeypatch):
    repo = tmp_path / "hub" / "models--org--tiny"
    snapshot = repo / "snapshots" / "abc123"
    snapshot.mkdir(parents=True)
    (snapshot / "config.json").write_text(json.dumps(GPT2))
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("abc123")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    info = modelinfo.inspect("org/tiny")
    assert info.remote and info.family == "gpt2" and info.path == "org/tiny"


@pytest.mark.parametrize("config, data_format, task", [
    (BERT_TOKENS, "token_cls", "token_cls"), (BERT_TOKENS, "classification", "seq_cls"),
    (BERT_TOKENS, "auto", "seq_cls"), (T5, "classification", "seq2seq"),
    (T5, "instruction", "seq2seq"), (LLAMA, "classification", "seq_cls"),
    (LLAMA, "instruction", "causal_lm"), (LLAMA, "chat", "causal_lm"),
    (LLAMA, "text", "causal_lm"), (LLAMA, "auto", "causal_lm"),
])
def test_detect_task(tmp_path, config, data_format, task):
    info = modelinfo.inspect(str(model_folder(tmp_path, config)))
    assert detect_task(info, data_format) == task


def test_detect_task_for_an_unknown_remote_model_follows_the_data(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    info = modelinfo.inspect("org/unknown")
    assert detect_task(info, "classification") == "seq_cls"
    assert detect_task(info, "text") == "causal_lm"


# ---- against real tiny models (imports mindnlp) -------------------------------------------

CASES = [("llama", None, "causal_lm"), ("qwen2", None, "causal_lm"), ("gpt2", None, "causal_lm"),
         ("opt", None, "causal_lm"), ("bloom", None, "causal_lm"), ("t5", None, "seq2seq"),
         ("mt5", None, "seq2seq"), ("bert", "seq_cls", "seq_cls"),
         ("bert", "token_cls", "token_cls"), ("llama", "seq_cls", "seq_cls"),
         ("gpt2", "seq_cls", "seq_cls")]


@pytest.mark.slow
@pytest.mark.parametrize("family, task, default_task", CASES)
def test_real_tiny_models(tiny_models, family, task, default_task):
    import transformers

    folder = tiny_models(family, task)
    info = modelinfo.inspect(str(folder))
    assert info.family == family and info.default_task == default_task
    assert default_task in info.tasks and info.tokenizer_present
    model = getattr(transformers, info.architectures[0]).from_pretrained(str(folder))
    count = sum(int(p.numel()) for p in model.parameters())
    assert abs(info.param_estimate - count) / count < 0.1
    assert info.has_bias == any(n.endswith("bias") for n, _ in model.named_parameters())
    # Validation flags target names outside MODULE_NAMES, so it must know every real name,
    # and every default target must name a real module.
    leaves = {n.split(".")[-1] for n, _ in model.named_modules() if n}
    assert {n for n in leaves if not n.isdigit()} <= modelinfo.MODULE_NAMES[family]
    for table in (methods.DEFAULT_TARGET_MODULES, methods.IA3_TARGET_MODULES,
                  methods.LN_TUNING_TARGET_MODULES, methods.FOURIERFT_TARGET_MODULES):
        for target in table[family]:
            assert target.split(".")[-1] in leaves, (family, target)
