"""Evaluation: loss and perplexity for every task; accuracy for classification (sequence and
token) and for seq2seq (teacher-forced exact match of the whole target, which for the
"sentence -> label word" setup of the MindNLP financial-sentiment tutorial is label accuracy).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np


def to_tensors(batch: dict[str, np.ndarray]) -> dict[str, Any]:
    import torch

    return {key: torch.tensor(value) for key, value in batch.items()}


def _token_weight(batch: dict[str, np.ndarray], task: str) -> int:
    """How much a batch's mean loss counts in the eval average: loss-bearing tokens (LMs,
    token classification) or rows (sequence classification)."""
    labels = batch["labels"]
    if task == "seq_cls":
        return int(labels.shape[0])
    if task == "causal_lm":  # the model shifts labels by one
        return int((labels[:, 1:] != -100).sum())
    return int((labels != -100).sum())


def evaluate(model, batches: Iterable[dict[str, np.ndarray]], task: str) -> dict[str, float]:
    return metrics_from_sums(evaluation_sums(model, batches, task), task)


def evaluation_sums(model, batches: Iterable[dict[str, np.ndarray]], task: str) -> np.ndarray:
    """What the metrics are made of, as sums that add up across data parallel workers which
    each took some of the rows: [loss x weight, weight, correct, counted] (float64)."""
    import torch

    model.eval()
    sums = np.zeros(4, np.float64)
    try:
        with torch.no_grad():
            for batch in batches:
                weight = _token_weight(batch, task)
                if weight == 0:
                    continue
                outputs = model(**to_tensors(batch))
                hits, total = _accuracy_counts(outputs.logits.numpy(), batch["labels"], task)
                sums += (float(outputs.loss.item()) * weight, weight, hits, total)
    finally:
        model.train()
    return sums


def metrics_from_sums(sums: np.ndarray, task: str) -> dict[str, float]:
    loss_sum, weight_sum, correct, counted = (float(v) for v in sums)
    if weight_sum == 0:
        return {}
    eval_loss = loss_sum / weight_sum
    metrics = {"eval_loss": eval_loss}
    if task in ("causal_lm", "seq2seq"):
        metrics["perplexity"] = math.exp(min(eval_loss, 700.0))
    if task != "causal_lm" and counted:
        metrics["accuracy"] = correct / counted
    return metrics


def _accuracy_counts(logits: np.ndarray, labels: np.ndarray, task: str) -> tuple[int, int]:
    if task == "seq_cls":
        return int((logits.argmax(-1) == labels).sum()), int(labels.shape[0])
    if task == "token_cls":
        mask = labels != -100
        return int(((logits.argmax(-1) == labels) & mask).sum()), int(mask.sum())
    if task == "seq2seq":
        predicted = logits.argmax(-1)
        mask = labels != -100
        rows = ((predicted == labels) | ~mask).all(axis=1) & mask.any(axis=1)
        return int(rows.sum()), int(mask.any(axis=1).sum())
    return 0, 0


METRIC_MODES = {"eval_loss": "min", "perplexity": "min", "accuracy": "max"}


def improved(value: float, best: float | None, metric: str, threshold: float = 0.0) -> bool:
    if best is None:
        return True
    if METRIC_MODES.get(metric, "min") == "min":
        return value < best - threshold
    return value > best + threshold
