"""The module tree read from safetensors headers (no torch), and peft's target matching."""

from __future__ import annotations

import json
import re
import struct

import numpy as np
import pytest
from safetensors.numpy import save_file

from studio.core import modelinfo, modeltree
from studio.core.modeltree import ModuleEntry, compress_targets, match_targets

LLAMA = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 32,
         "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
         "num_key_value_heads": 2, "vocab_size": 512, "tie_word_embeddings": False}
GPT2 = {"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "n_embd": 32, "n_layer": 1,
        "n_head": 4, "vocab_size": 512}


def llama_shapes(layers: int = 2) -> dict[str, tuple[int, ...]]:
    shapes = {"model.embed_tokens.weight": (512, 32), "model.norm.weight": (32,),
              "lm_head.weight": (512, 32)}
    for i in range(layers):
        p = f"model.layers.{i}."
        shapes.update({p + "self_attn.q_proj.weight": (32, 32), p + "self_attn.k_proj.weight":
                       (16, 32), p + "self_attn.v_proj.weight": (16, 32),
                       p + "self_attn.o_proj.weight": (32, 32), p + "mlp.gate_proj.weight":
                       (64, 32), p + "mlp.up_proj.weight": (64, 32), p + "mlp.down_proj.weight":
                       (32, 64), p + "input_layernorm.weight": (32,),
                       p + "post_attention_layernorm.weight": (32,)})
    return shapes


def gpt2_shapes() -> dict[str, tuple[int, ...]]:
    p = "transformer.h.0."
    return {"transformer.wte.weight": (512, 32), "transformer.wpe.weight": (64, 32),
            p + "attn.c_attn.weight": (32, 96), p + "attn.c_attn.bias": (96,),
            p + "attn.c_proj.weight": (32, 32), p + "attn.c_proj.bias": (32,),
            p + "mlp.c_fc.weight": (32, 128), p + "mlp.c_fc.bias": (128,),
            p + "mlp.c_proj.weight": (128, 32), p + "mlp.c_proj.bias": (32,),
            p + "ln_1.weight": (32,), p + "ln_1.bias": (32,),
            p + "attn.bias": (1, 1, 64, 64),          # an old causal-mask buffer
            "transformer.ln_f.weight": (32,), "transformer.ln_f.bias": (32,)}


def write_model(folder, config, shapes, dtype=np.float32, shards: int = 1):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(config))
    tensors = {name: np.zeros(shape, dtype=dtype) for name, shape in shapes.items()}
    if shards == 1:
        save_file(tensors, str(folder / "model.safetensors"))
        return folder
    names = sorted(tensors)
    weight_map = {}
    for s in range(shards):
        file = f"model-{s + 1:05d}-of-{shards:05d}.safetensors"
        part = {n: tensors[n] for n in names[s::shards]}
        save_file(part, str(folder / file))
        weight_map.update(dict.fromkeys(part, file))
    (folder / "model.safetensors.index.json").write_text(json.dumps(
        {"metadata": {}, "weight_map": weight_map}))
    return folder


def test_llama_tree_from_the_header(tmp_path):
    entries = modeltree.module_tree(write_model(tmp_path / "m", LLAMA, llama_shapes()))
    by_name = {e.name: e for e in entries}
    q = by_name["model.layers.0.self_attn.q_proj"]
    assert (q.kind_guess, q.shape, q.params, q.in_features, q.out_features) == (
        "linear", (32, 32), 1024, 32, 32)
    k = by_name["model.layers.1.self_attn.k_proj"]
    assert (k.in_features, k.out_features) == (32, 16)
    assert by_name["model.embed_tokens"].kind_guess == "embedding"
    assert by_name["model.norm"].kind_guess == "norm"
    assert by_name["lm_head"].kind_guess == "linear" and not by_name["lm_head"].tied
    assert sum(e.params for e in entries) == sum(int(np.prod(s)) for s in llama_shapes().values())
    names = [e.name for e in entries]
    assert names.index("model.layers.0.mlp.down_proj") < names.index("model.layers.1.mlp.down_proj")
    assert len(modeltree.linear_modules(entries)) == 2 * 7 + 1


def test_layers_are_in_natural_order(tmp_path):
    entries = modeltree.module_tree(write_model(tmp_path / "m", LLAMA, llama_shapes(12)))
    layers = [e.name.split(".")[2] for e in entries if e.name.endswith("q_proj")]
    assert layers == [str(i) for i in range(12)]


def test_gpt2_conv1d_is_transposed_buffers_skipped_and_head_tied(tmp_path):
    entries = modeltree.module_tree(write_model(tmp_path / "g", GPT2, gpt2_shapes()))
    by_name = {e.name: e for e in entries}
    c_attn = by_name["transformer.h.0.attn.c_attn"]
    assert c_attn.kind_guess == "conv1d" and (c_attn.in_features, c_attn.out_features) == (32, 96)
    assert c_attn.has_bias and c_attn.params == 32 * 96 + 96
    assert "transformer.h.0.attn" not in by_name  # the mask buffer is not a parameter
    head = by_name["lm_head"]
    assert head.tied and head.params == 0 and head.shape == (512, 32)
    assert by_name["transformer.wpe"].kind_guess == "embedding"


def test_sharded_checkpoint_and_dtype(tmp_path):
    folder = write_model(tmp_path / "s", LLAMA, llama_shapes(), dtype=np.float16, shards=3)
    checkpoint = modeltree.read_checkpoint(folder)
    assert len(checkpoint.files) == 3 and checkpoint.dtype == "float16"
    assert len(modeltree.module_tree(folder)) == 3 + 2 * 9


def test_bin_checkpoint_is_unavailable_without_torch(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps(LLAMA))
    (folder / "pytorch_model.bin").write_bytes(b"\x80\x02pickle")
    with pytest.raises(modeltree.TreeUnavailable, match=re.escape("pytorch_model.bin")):
        modeltree.module_tree(folder)
    d = modeltree.describe(str(folder))
    assert not d.tree_available and d.tree_note == modeltree.BIN_NOTE
    assert {e.name for e in d.entries} == modelinfo.MODULE_NAMES["llama"]
    assert d.info.family == "llama" and d.total_params is None


@pytest.mark.parametrize("content, message", [
    (b"\x01", "too short"),
    (struct.pack("<Q", 10) + b"not json!!", "damaged"),
    (struct.pack("<Q", 1 << 40), "not a safetensors file"),
])
def test_damaged_headers_are_reported(tmp_path, content, message):
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "model.safetensors").write_bytes(content)
    with pytest.raises(modeltree.TreeUnavailable, match=message):
        modeltree.read_checkpoint(folder)


def test_incomplete_shards_and_empty_folder(tmp_path):
    folder = write_model(tmp_path / "s", LLAMA, llama_shapes(), shards=2)
    next(folder.glob("model-00002*")).unlink()
    with pytest.raises(modeltree.TreeUnavailable, match="incomplete"):
        modeltree.read_checkpoint(folder)
    empty = tmp_path / "e"
    empty.mkdir()
    with pytest.raises(modeltree.TreeUnavailable, match="no model weights"):
        modeltree.read_checkpoint(empty)


NAMES = ["lm_head", "model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj",
         "model.layers.0.mlp.down_proj", "model.layers.1.self_attn.q_proj",
         "model.layers.1.self_attn.v_proj", "model.layers.1.mlp.down_proj",
         "model.layers.10.self_attn.q_proj"]


def test_list_targets_match_whole_names_or_dotted_suffixes():
    assert match_targets(NAMES, ["q_proj"]) == [NAMES[1], NAMES[4], NAMES[7]]
    assert match_targets(NAMES, ["layers.1.self_attn.q_proj"]) == [NAMES[4]]
    assert match_targets(NAMES, ["proj"]) == []            # not a dotted suffix
    assert match_targets(NAMES, ["lm_head"]) == ["lm_head"]
    assert match_targets(NAMES, None) == [] and match_targets(NAMES, []) == []


def test_regex_targets_must_match_the_whole_name():
    assert match_targets(NAMES, r".*\.1\.self_attn\.(q|v)_proj") == [NAMES[4], NAMES[5]]
    assert match_targets(NAMES, "q_proj") == []            # fullmatch, not search
    assert match_targets(NAMES, "(") == []                 # invalid: matches nothing


def test_all_linear_leaves_out_the_output_layer():
    assert match_targets(NAMES, "all-linear", linear=NAMES) == NAMES[1:]


def test_compress_targets_to_suffixes_that_match_exactly():
    every_q_v = match_targets(NAMES, ["q_proj", "v_proj"])
    assert compress_targets(every_q_v, NAMES) == ["q_proj", "v_proj"]
    one = [NAMES[4], NAMES[3], NAMES[6]]
    assert compress_targets(one, NAMES) == ["down_proj", "layers.1.self_attn.q_proj"]
    assert match_targets(NAMES, compress_targets(one, NAMES)) == sorted(one, key=NAMES.index)
    assert compress_targets(["lm_head"], NAMES) == ["lm_head"]
    assert compress_targets([], NAMES) == []


def test_compress_never_names_a_container():
    names = ["a.mlp.fc", "a.attn.fc", "b.mlp"]  # "mlp" is both a container and a leaf
    assert compress_targets(["b.mlp"], names) == ["b.mlp"]
    assert match_targets(names, compress_targets(["a.mlp.fc", "a.attn.fc"], names)) == [
        "a.mlp.fc", "a.attn.fc"]


def test_fallback_entries_are_the_family_names():
    entries = modeltree.fallback_entries("gpt2")
    assert "c_attn" in {e.name for e in entries} and all(e.shape is None for e in entries)
    assert modeltree.fallback_entries(None) == []
    assert ModuleEntry("x", "linear", None, 0).in_features is None


def test_describe_a_hub_id_without_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    d = modeltree.describe("some-org/some-model")
    assert d.info.remote and d.info.model_type is None and d.entries == []
    assert "downloaded when training starts" in d.note and d.tree_note == modeltree.NOT_DOWNLOADED


def test_describe_a_hub_id_from_the_local_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    repo = tmp_path / "hub" / "models--some-org--tiny"
    write_model(repo / "snapshots" / "abc123", LLAMA, llama_shapes())
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("abc123")
    d = modeltree.describe("some-org/tiny")
    assert d.info.remote and d.info.family == "llama" and d.tree_available
    assert "local Hugging Face cache" in d.note
    assert d.total_params == sum(int(np.prod(s)) for s in llama_shapes().values())


@pytest.mark.slow
@pytest.mark.parametrize("family", ["llama", "gpt2", "t5", "bert", "opt", "bloom"])
def test_tree_matches_the_modules_of_the_loaded_model(tiny_models, family):
    """Every module that owns parameters in the real model is in the tree, same shape."""
    import transformers

    folder = tiny_models(family)
    config = json.loads((folder / "config.json").read_text())
    model = getattr(transformers, config["architectures"][0]).from_pretrained(str(folder))
    real = {name: tuple(module.weight.shape) for name, module in model.named_modules()
            if name and getattr(module, "weight", None) is not None}
    tree = {e.name: e.shape for e in modeltree.module_tree(folder)}
    missing = {n for n in real if n not in tree}
    # encoder/decoder embed_tokens of T5 share `shared` and are not saved separately
    assert not {n for n in missing if not n.endswith("embed_tokens")}, missing
    for name, shape in tree.items():
        if name in real:
            assert real[name] == shape, name
    total = sum(p.numel() for p in model.parameters())
    assert modeltree.read_checkpoint(folder).total_params == total
