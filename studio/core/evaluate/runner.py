"""Running a loaded model (base or adapter) over a held-out file: batched, with progress
(rows/s, generated tokens/s, ETA) and a stop event checked between batches."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import StudioError
from ..inference import batched
from ..inference.session import InferenceSession
from ..inference.settings import GenerationSettings
from ..messages import msg
from . import metrics
from .heldout import HeldOut
from .prompts import row_ids

# Evaluation is greedy unless sampling is asked for: a score should not change between runs.
GREEDY = GenerationSettings(greedy=True, max_new_tokens=64)


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    elapsed_s: float
    rows_per_s: float
    tokens_per_s: float | None     # generated tokens (generation only)
    eta_s: float | None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class Prediction:
    number: int                 # line or row in the file
    input: str
    reference: str
    prediction: str
    score: float | None         # per-row: P(reference) / ROUGE-L / label hit / perplexity
    correct: bool | None        # label or exact match; None for plain text

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class Outcome:
    kind: str
    metrics: dict[str, Any]
    predictions: list[Prediction]
    seconds: float
    generated_tokens: int = 0
    cancelled: bool = False
    settings: dict[str, Any] = field(default_factory=dict)


class Cancelled(StudioError):  # noqa: N818 - a stop asked for, not a failure
    """The stop event was set; nothing is recorded."""


def evaluate(session: InferenceSession, held: HeldOut, adapter: str | None = None,
             settings: GenerationSettings | None = None, batch_size: int = 8,
             progress: Callable[[Progress], None] | None = None,
             stop: threading.Event | None = None) -> Outcome:
    """Predictions and metrics of ``adapter`` (None = the base model) on ``held``. Rows are
    batched by length (less padding); results come back in file order. Raises Cancelled."""
    if batch_size < 1:
        raise StudioError(msg("evaluate.batch_size", value=batch_size))
    settings = settings or GREEDY
    source = session.source(adapter) if adapter is not None else None
    tokenizer = session.tokenizer
    ids = [row_ids(tokenizer, held, row, source) for row in held.rows]
    if held.task == "causal_lm" and held.kind != "perplexity":
        ids = [session._fit_context(i, settings) for i in ids]
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    outputs: list[Any] = [None] * len(ids)
    started = time.perf_counter()
    generated = 0
    for first in range(0, len(order), batch_size):
        if stop is not None and stop.is_set():
            raise Cancelled("the evaluation was cancelled")
        chunk = order[first:first + batch_size]
        results = _run_batch(session, held, adapter, [ids[i] for i in chunk], settings)
        for i, result in zip(chunk, results):
            outputs[i] = result
            if isinstance(result, list):
                generated += len(result)
        if progress is not None:
            progress(_progress(first + len(chunk), len(ids), time.perf_counter() - started,
                               generated if held.kind in ("generate", "label_words") else None))
    seconds = time.perf_counter() - started
    outcome = _score(held, outputs, tokenizer)
    outcome.seconds, outcome.generated_tokens = seconds, generated
    outcome.settings = {"batch_size": batch_size, **(
        settings.to_dict() if held.kind in ("generate", "label_words") else {})}
    return outcome


def _progress(done: int, total: int, elapsed: float, generated: int | None) -> Progress:
    rate = done / elapsed if elapsed > 0 else 0.0
    return Progress(done, total, elapsed, rate,
                    (generated / elapsed if elapsed > 0 else 0.0) if generated is not None
                    else None, (total - done) / rate if rate > 0 else None)


def _run_batch(session: InferenceSession, held: HeldOut, adapter: str | None,
               prompts: list[list[int]], settings: GenerationSettings) -> list[Any]:
    tokenizer = session.tokenizer
    if held.kind == "classify":
        return list(session.class_probabilities(prompts, adapter))
    with session.holding(adapter) as model:
        if held.kind == "perplexity":
            return batched.token_nll(model, tokenizer, prompts)
        return batched.generate(model, tokenizer, prompts, settings,
                                encoder_decoder=held.task == "seq2seq")


def _score(held: HeldOut, outputs: list[Any], tokenizer: Any) -> Outcome:
    rows = held.rows
    refs = [r.reference for r in rows]
    if held.kind == "classify":
        labels = held.labels or []
        if outputs and len(outputs[0]) != len(labels):
            raise StudioError(msg("evaluate.class_count", count=len(outputs[0]),
                                  labels=len(labels), names=", ".join(labels)))
        preds = [labels[int(p.argmax())] for p in outputs]
        found = metrics.classification(refs, preds, labels)
        predictions = [Prediction(r.number, r.input, r.reference, pred,
                                  float(p[labels.index(r.reference)]), pred == r.reference)
                       for r, pred, p in zip(rows, preds, outputs)]
        return Outcome(held.kind, found, predictions, 0.0)
    if held.kind == "perplexity":
        nll = sum(n for n, _ in outputs)
        tokens = sum(t for _, t in outputs)
        found = {"perplexity": metrics.perplexity(nll, tokens),
                 "loss": nll / tokens if tokens else float("nan"), "tokens": tokens}
        predictions = [Prediction(r.number, r.input, "", "", metrics.perplexity(n, t), None)
                       for r, (n, t) in zip(rows, outputs)]
        return Outcome(held.kind, found, predictions, 0.0)
    texts = [str(tokenizer.decode(ids, skip_special_tokens=True)).strip() for ids in outputs]
    found = metrics.generation(refs, texts)
    if held.kind == "label_words":
        found.update(metrics.label_words(refs, texts, held.labels or []))
        words = {metrics.normalise(n) for n in held.labels or []}
        hits = [metrics.normalise(t) == metrics.normalise(r) and metrics.normalise(t) in words
                for r, t in zip(refs, texts)]
        predictions = [Prediction(r.number, r.input, r.reference, t, float(h), h)
                       for r, t, h in zip(rows, texts, hits)]
    else:
        predictions = [Prediction(r.number, r.input, r.reference, t,
                                  metrics.rouge_l(r.reference, t),
                                  metrics.normalise(t) == metrics.normalise(r.reference))
                       for r, t in zip(rows, texts)]
    return Outcome(held.kind, found, predictions, 0.0)
