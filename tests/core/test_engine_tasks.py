"""The engine on each task type: sequence and token classification, seq2seq (including the
label-word setup of the MindNLP financial-sentiment tutorial) with accuracy."""

from __future__ import annotations

import numpy as np
import pytest
from factories import (
    train,
    write_classification_dataset,
    write_run_file,
    write_seq2seq_dataset,
    write_token_dataset,
)

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("family,task,writer", [
    ("bert", "seq_cls", write_classification_dataset),
    ("t5", "seq2seq", write_classification_dataset),
    ("bert", "token_cls", write_token_dataset),
    ("t5", "seq2seq", write_seq2seq_dataset),
])
def test_tasks_report_accuracy(tmp_path, tiny_models, family, task, writer):
    suffix = ".csv" if writer is write_classification_dataset else ".jsonl"
    data = writer(tmp_path / f"data{suffix}")
    run_file = write_run_file(tmp_path / "run.yaml", tiny_models(family), data,
                              training={"epochs": 6, "learning_rate": 2e-2}, task=task)
    code, rec, _ = train(run_file)
    assert code == 0, rec.of("error")
    assert rec.of("run_started")[0]["task"] == task
    final = rec.of("eval")[-1]["metrics"]
    assert 0.0 <= final["accuracy"] <= 1.0
    losses = [e["loss"] for e in rec.of("step")]
    assert np.mean(losses[-3:]) < np.mean(losses[:3])


def test_classification_learns_the_cue_words(tmp_path, tiny_models):
    data = write_classification_dataset(tmp_path / "data.csv", n=60)
    run_file = write_run_file(tmp_path / "run.yaml", tiny_models("bert", init_range=0.2), data,
                              training={"epochs": 8, "learning_rate": 3e-2})
    code, rec, _ = train(run_file)
    assert code == 0, rec.of("error")
    assert rec.of("run_started")[0]["task"] == "seq_cls"
    assert rec.of("eval")[-1]["metrics"]["accuracy"] >= 0.8


