"""Sampling, splitting, label spaces and collate: pure Python/numpy."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from studio.core.data import collate, label_space
from studio.core.data.splitting import cap_indices, split_indices


def test_split_is_reproducible_and_disjoint():
    a = split_indices(100, 0.2, seed=7)
    assert a == split_indices(100, 0.2, seed=7)
    assert a != split_indices(100, 0.2, seed=8)
    train, val = a
    assert len(val) == 20 and sorted(train + val) == list(range(100))
    assert train == sorted(train) and val == sorted(val)


def test_split_edges():
    assert split_indices(10, 0.0, 1) == (list(range(10)), [])
    assert len(split_indices(3, 0.1, 1)[1]) == 1       # at least one when asked for any
    assert len(split_indices(2, 0.9, 1)[0]) == 1       # never the whole set
    assert split_indices(1, 0.5, 1) == ([0], [])


def test_stratified_split_keeps_shares():
    strata = ["a"] * 60 + ["b"] * 30 + ["c"] * 10
    train, val = split_indices(100, 0.2, 3, strata)
    assert Counter(strata[i] for i in val) == {"a": 12, "b": 6, "c": 2}
    assert split_indices(100, 0.2, 3, strata) == (train, val)


def test_cap_is_seeded_sample_in_file_order():
    capped = cap_indices(50, 10, seed=1)
    assert len(capped) == 10 and capped == sorted(capped) and capped == cap_indices(50, 10, 1)
    assert cap_indices(5, 10, 1) == [0, 1, 2, 3, 4]
    assert cap_indices(5, None, 1) == [0, 1, 2, 3, 4]


def test_label_space_orders():
    assert label_space(["b", "a", "c", "a"])[0].names == ["a", "b", "c"]
    assert label_space([10, 2, 1, 0])[0].names == ["0", "1", "2", "10"]
    assert label_space(["1.0", 2.0])[0].names == ["1.0", "2"]
    space, unknown = label_space(["x", "pos"], declared=["neg", "pos"])
    assert space.names == ["neg", "pos"] and unknown == ["x"]
    space, unknown = label_space([0, 1, 1], declared=["neg", "pos"])
    assert unknown == [] and space.id_of(1) == 1 and space.id_of("pos") == 1
    space, _ = label_space(["pos"], class_names=["neg", "pos"])
    assert space.names == ["neg", "pos"]


def test_collate_causal_padding():
    batch = collate([{"input_ids": [5, 6, 7], "labels": [-100, 6, 7]},
                     {"input_ids": [8], "labels": [8]}], pad_token_id=0, task="causal_lm")
    assert all(v.dtype == np.int64 for v in batch.values())
    assert batch["input_ids"].tolist() == [[5, 6, 7], [8, 0, 0]]
    assert batch["attention_mask"].tolist() == [[1, 1, 1], [1, 0, 0]]
    assert batch["labels"].tolist() == [[-100, 6, 7], [8, -100, -100]]


def test_collate_multiple_of_and_pad_id():
    batch = collate([{"input_ids": [5] * 5, "labels": [5] * 5}], pad_token_id=3,
                    task="token_cls", pad_to_multiple_of=4)
    assert batch["input_ids"].tolist() == [[5, 5, 5, 5, 5, 3, 3, 3]]
    assert batch["labels"].shape == (1, 8) and batch["labels"][0, 5:].tolist() == [-100] * 3
    none_pad = collate([{"input_ids": [5], "labels": [5]}, {"input_ids": [5, 6], "labels": [5, 6]}],
                       pad_token_id=None, task="causal_lm")
    assert none_pad["input_ids"].tolist() == [[5, 0], [5, 6]]


def test_collate_seq_cls_and_seq2seq():
    cls = collate([{"input_ids": [1, 2], "labels": 2}, {"input_ids": [1], "labels": 0}], 0,
                  "seq_cls")
    assert cls["labels"].tolist() == [2, 0] and cls["labels"].shape == (2,)
    s2s = collate([{"input_ids": [1, 2, 3], "labels": [9]},
                   {"input_ids": [1], "labels": [7, 8]}], 0, "seq2seq")
    assert s2s["input_ids"].shape == (2, 3)
    assert s2s["labels"].tolist() == [[9, -100], [7, 8]]
    with pytest.raises(ValueError):
        collate([], 0, "seq2seq")
