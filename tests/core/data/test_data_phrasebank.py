"""The Financial PhraseBank (read from ../shared/data; skipped when absent)."""

from __future__ import annotations

from collections import Counter

from studio.core.config import DatasetConfig
from studio.core.data import detect_format, inspect, prepare, read_rows, validate_dataset


def test_phrasebank_loads_with_at_delimiter(phrasebank):
    cfg = DatasetConfig(path=str(phrasebank), file_type="csv", delimiter="@")
    table = read_rows(cfg)
    assert len(table) == 2264 and table.columns == ["text", "label"]
    assert Counter(r["label"] for r in table.rows) == {"negative": 303, "neutral": 1391,
                                                       "positive": 570}
    assert detect_format(table, cfg).format == "classification"
    assert validate_dataset(cfg, "seq_cls") == [] and validate_dataset(cfg, "seq2seq") == []
    info = inspect(cfg)
    assert info["label_counts"] == {"negative": 303, "neutral": 1391, "positive": 570}
    assert info["problems"] == []


def test_phrasebank_prepared_for_classification(phrasebank, tok):
    cfg = DatasetConfig(path=str(phrasebank), file_type="csv", delimiter="@")
    prepared = prepare(cfg, "seq_cls", tok, 64)
    assert prepared.label_names == ["negative", "neutral", "positive"]
    assert len(prepared.train) + len(prepared.validation) == 2264
    assert Counter(e["labels"] for e in prepared.validation) == {0: 30, 1: 139, 2: 57}
    assert all(len(e["input_ids"]) <= 64 for e in prepared.train)
