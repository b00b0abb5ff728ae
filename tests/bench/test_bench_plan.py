"""What the benchmark runs for a size selection, and the shapes of the models it builds (pure
functions: nothing is built or timed here)."""

from __future__ import annotations

import pytest

from bench import __main__ as bench
from bench import models


def test_new_workloads_use_their_own_model_folders():
    names = ["train_lora_bert_minilm", "train_lora_qwen2_0.5b", "generate_qwen2_0.5b"]
    assert bench.model_folders(names) == ["bert-minilm-cls", "qwen2-0.5b"]
    assert [bench.size_of(n) for n in names] == ["minilm", "0.5b", "0.5b"]


def test_tiny_leaves_out_the_large_models(capsys):
    assert bench.main(["--list"]) == 0
    listed = capsys.readouterr().out.split()
    tiny = [n for n in listed if bench.size_of(n) in {"tiny", None}]
    assert "train_lora_bert_minilm" not in tiny and "generate_qwen2_0.5b" not in tiny
    assert {"train_lora_bert_minilm", "train_lora_qwen2_0.5b", "generate_qwen2_0.5b"} <= set(listed)


def test_unknown_size_is_refused(capsys):
    with pytest.raises(SystemExit):
        bench.main(["--sizes", "7b", "--no-pytorch"])
    assert "unknown size(s) 7b" in capsys.readouterr().err


def test_model_shapes_are_the_published_ones():
    qwen = models.config("qwen2", "0.5b", models.VOCABS["0.5b"])
    assert (qwen.num_hidden_layers, qwen.hidden_size, qwen.num_attention_heads,
            qwen.num_key_value_heads, qwen.intermediate_size, qwen.vocab_size) == (
        24, 896, 14, 2, 4864, 151936)
    assert qwen.tie_word_embeddings
    bert = models.config("bert", "minilm", models.VOCABS["minilm"])
    assert (bert.num_hidden_layers, bert.hidden_size, bert.num_attention_heads,
            bert.intermediate_size, bert.vocab_size) == (6, 384, 12, 1536, 30522)
