"""Evaluation split across data parallel workers: each worker evaluates its rows of every
validation batch and the sums of all workers give one process's metrics (no msrun here:
the workers' shares are evaluated in turn; tests/cli runs the real two-worker job)."""

from __future__ import annotations

import numpy as np
import pytest

from studio.core.data import collate
from studio.core.distributed import shard_batch
from studio.core.evaluation import evaluate, evaluation_sums, metrics_from_sums


def _examples(task: str, n: int, seed: int = 0) -> list[dict]:
    rng = np.random.RandomState(seed)
    rows = []
    for _ in range(n):
        ids = rng.randint(5, 500, size=rng.randint(3, 12)).tolist()
        label = int(rng.randint(0, 3)) if task == "seq_cls" else list(ids)
        rows.append({"input_ids": ids, "labels": label})
    return rows


@pytest.mark.parametrize(("task", "workers"), [("causal_lm", 2), ("seq_cls", 2),
                                               ("seq_cls", 4)])
def test_the_workers_shares_add_up_to_one_process_metrics(tiny_models, task, workers):
    from transformers import AutoModelForCausalLM, AutoModelForSequenceClassification

    if task == "seq_cls":
        folder = tiny_models("bert", task="seq_cls", num_labels=3)
        model = AutoModelForSequenceClassification.from_pretrained(str(folder))
    else:
        model = AutoModelForCausalLM.from_pretrained(str(tiny_models("qwen2", init_range=0.2)))
    rows = _examples(task, 7)  # batches of 3, 3 and 1 rows: a worker may get none of one
    batches = [collate(rows[i:i + 3], 0, task) for i in range(0, len(rows), 3)]
    whole = evaluate(model, batches, task)

    shares = [[shard_batch(b, rank, workers) for b in batches] for rank in range(workers)]
    taken = sorted(int(r) for share in shares for b in share for r in b["input_ids"][:, 0])
    assert taken == sorted(int(b["input_ids"][i, 0]) for b in batches
                           for i in range(len(b["input_ids"])))   # every row once
    sums = sum(evaluation_sums(model, [b for b in share if len(b["input_ids"])], task)
               for share in shares)
    split = metrics_from_sums(np.float32(sums), task)   # the all-reduce sums in float32
    assert split.keys() == whole.keys() and ("accuracy" in whole) == (task == "seq_cls")
    for name, value in whole.items():
        assert split[name] == pytest.approx(value, rel=1e-5), name
