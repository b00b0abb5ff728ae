"""inspect: the JSON-able overview of a data file."""

from __future__ import annotations

import json

import pytest

from studio.core.data import inspect
from studio.core.errors import DatasetError


def test_inspect_classification_without_tokenizer(write, cfg):
    path = write("d.jsonl", [{"text": "good", "label": 1}, {"text": "bad", "label": 0},
                             {"text": "", "label": 10}])
    info = inspect(cfg(path), samples=1)
    json.dumps(info)  # JSON-able
    assert info["format"] == "classification" and info["rows"] == 3
    assert info["file_columns"] == ["text", "label"] and info["row_unit"] == "line"
    assert info["label_counts"] == {"0": 1, "1": 1, "10": 1}
    assert info["samples"] == [{"row": 1, "values": {"text": "good", "label": 1}}]
    assert [p["field"] for p in info["problems"]] == ["dataset.text_column"]
    assert "token_lengths" not in info


def test_inspect_unknown_format_and_task_mismatch(write, cfg):
    info = inspect(cfg(write("d.jsonl", [{"a": 1, "b": 2}])))
    assert info["format"] is None and info["columns"] == {}
    assert info["problems"][0]["field"] == "dataset.format"
    chat = write("c.jsonl", [{"messages": [{"role": "user", "content": "hi"},
                                           {"role": "assistant", "content": "yo"}]}])
    info = inspect(cfg(chat), task="seq_cls")
    assert [p["field"] for p in info["problems"]] == ["task"]


def test_inspect_unreadable_raises(cfg, tmp_path):
    with pytest.raises(DatasetError, match="file not found"):
        inspect(cfg(tmp_path / "none.csv"))


def test_inspect_token_lengths(write, cfg, tok):
    s2s = write("s.jsonl", [{"source": "the market", "target": "rose"},
                            {"source": "hello world how are you", "target": "fine"}])
    info = inspect(cfg(s2s), tok)
    assert info["token_lengths"]["min"] == len(tok("the market")["input_ids"])
    assert info["token_lengths"]["max"] == len(tok("hello world how are you")["input_ids"])
    assert info["target_token_lengths"]["count"] == 2 and info["token_lengths_sampled"] is False
    chat = write("c.jsonl", [{"messages": [{"role": "user", "content": "hi"},
                                           {"role": "assistant", "content": "yo"}]}])
    assert inspect(cfg(chat), tok)["token_lengths"]["count"] == 1
    tags = write("t.jsonl", [{"tokens": ["the", "bank"], "ner_tags": ["O", "ORG"]},
                             {"tokens": ["cat"], "ner_tags": ["O"]}])
    info = inspect(cfg(tags), tok)
    assert info["tag_counts"] == {"O": 2, "ORG": 1}
    assert info["token_lengths"]["max"] == len(tok(["the", "bank"],
                                                   is_split_into_words=True)["input_ids"])


def test_length_histogram_counts_every_row_in_integer_bins():
    from studio.core.data.summary import length_histogram

    hist = length_histogram([3, 3, 4, 10, 50], bins=4)
    assert sum(hist["counts"]) == 5
    assert len(hist["edges"]) == len(hist["counts"]) + 1
    assert hist["edges"][0] == 3 and hist["edges"][-1] > 50
    assert hist["counts"][0] == 4 and hist["counts"][-1] == 1
    assert length_histogram([7], bins=20) == {"edges": [7, 8], "counts": [1]}
