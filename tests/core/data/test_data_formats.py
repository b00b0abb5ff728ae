"""detect_format: every format by column names and value types, explicit settings."""

from __future__ import annotations

import pytest

from studio.core.config import DatasetConfig
from studio.core.data import Detected, Table, detect_format, tasks_for
from studio.core.errors import DatasetError


def table(*rows: dict) -> Table:
    return Table(list(rows), "mem.jsonl", list(range(1, len(rows) + 1)), "line")


CHAT = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]
SHAREGPT = [{"from": "human", "value": "hi"}, {"from": "gpt", "value": "hello"}]


@pytest.mark.parametrize("row, expected", [
    ({"text": "good", "label": "pos"},
     Detected("classification", {"text": "text", "label": "label"})),
    ({"Sentence": "good", "Sentiment": 1},
     Detected("classification", {"text": "Sentence", "label": "Sentiment"})),
    ({"instruction": "add", "input": "1 2", "output": "3"},
     Detected("instruction", {"instruction": "instruction", "output": "output", "input": "input"})),
    ({"instruction": "say hi", "output": "hi"},
     Detected("instruction", {"instruction": "instruction", "output": "output"})),
    ({"messages": CHAT}, Detected("chat", {"messages": "messages"})),
    ({"conversations": SHAREGPT, "id": 1}, Detected("chat", {"messages": "conversations"})),
    ({"text": "just some text"}, Detected("text", {"text": "text"})),
    ({"body": "just some text", "id": 3}, Detected("text", {"text": "body"})),
    ({"source": "hello", "target": "bonjour"},
     Detected("seq2seq", {"source": "source", "target": "target"})),
    ({"input": "hello", "output": "bonjour"},
     Detected("seq2seq", {"source": "input", "target": "output"})),
    ({"question": "why", "answer": "because"},
     Detected("seq2seq", {"source": "question", "target": "answer"})),
    ({"src": "a", "tgt": "b"}, Detected("seq2seq", {"source": "src", "target": "tgt"})),
    ({"tokens": ["Nokia", "rose"], "ner_tags": ["B-ORG", "O"]},
     Detected("token_cls", {"tokens": "tokens", "tags": "ner_tags"})),
])
def test_detects_each_format(row, expected):
    assert detect_format(table(row)) == expected


def test_single_unnamed_string_column_is_text():
    assert detect_format(table({"foo": "bar"})).format == "text"


def test_messages_column_must_hold_messages():
    # a "messages" column of plain strings is not chat; with "text" absent nothing fits
    with pytest.raises(DatasetError, match="cannot tell the data format"):
        detect_format(table({"messages": "hi", "id": 1}))


def test_explicit_mapping_wins():
    t = table({"review": "good", "stars": "5", "other": "x"})
    got = detect_format(t, DatasetConfig(label_column="stars"))
    assert got == Detected("classification", {"text": "review", "label": "stars"})
    got = detect_format(t, DatasetConfig(text_column="other", label_column="stars"))
    assert got.columns == {"text": "other", "label": "stars"}
    got = detect_format(t, DatasetConfig(source_column="review", target_column="stars"))
    assert got == Detected("seq2seq", {"source": "review", "target": "stars"})


def test_explicit_mapping_is_case_insensitive():
    got = detect_format(table({"Review": "good", "Stars": "5"}),
                        DatasetConfig(text_column="review", label_column="STARS"))
    assert got.columns == {"text": "Review", "label": "Stars"}


def test_explicit_seq2seq_on_two_unnamed_columns():
    got = detect_format(table({"text": "hello", "label": "bonjour"}),
                        DatasetConfig(format="seq2seq"))
    assert got == Detected("seq2seq", {"source": "text", "target": "label"})


def test_explicit_format_wins():
    t = table({"text": "good", "label": "pos"})
    assert detect_format(t, DatasetConfig(format="text")) == Detected("text", {"text": "text"})
    t2 = table({"prompt": "p", "completion": "c"})
    assert detect_format(t2, DatasetConfig(format="seq2seq")).columns == {
        "source": "prompt", "target": "completion"}


def test_explicit_column_missing_is_an_error():
    with pytest.raises(DatasetError, match="column 'stars' not found") as err:
        detect_format(table({"text": "good", "label": "pos"}), DatasetConfig(label_column="stars"))
    assert "dataset.label_column" in str(err.value)


def test_explicit_format_without_its_columns():
    with pytest.raises(DatasetError, match="no label column for classification data"):
        detect_format(table({"text": "good"}), DatasetConfig(format="classification"))


def test_tasks_for_formats():
    assert tasks_for("classification") == ("seq_cls", "seq2seq")
    assert tasks_for("chat") == ("causal_lm",)
    assert tasks_for("token_cls") == ("token_cls",)
