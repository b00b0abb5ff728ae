"""The predictions file, one row per example (input, reference, prediction, score,
correct): JSON lines or CSV by its suffix, written atomically (``studio.core.atomic``)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import atomic
from ..errors import StudioError
from ..messages import msg
from .runner import Prediction

FIELDS = ("number", "input", "reference", "prediction", "score", "correct")
SUFFIXES = (".jsonl", ".csv")


def check_path(path: str | Path) -> Path:
    target = Path(path).expanduser()
    if target.suffix.lower() not in SUFFIXES:
        raise StudioError(msg("evaluate.predictions_suffix", file=target,
                              suffix=target.suffix or msg("evaluate.no_suffix")))
    return target


def render(predictions: Sequence[Prediction], csv_format: bool) -> str:
    rows = [p.to_dict() for p in predictions]
    if not csv_format:
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row[k] is None else row[k] for k in FIELDS})
    return out.getvalue()


def write_text(target: Path, text: str) -> None:
    """Atomically (``studio.core.atomic``): a reader never sees half a file, a failure leaves
    the old one. A StudioError says why it could not be written."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_text(target, text)
    except OSError as exc:
        raise StudioError(msg("evaluate.cannot_write", file=target,
                              error=exc.strerror or exc)) from None


def write(path: str | Path, predictions: Sequence[Prediction]) -> Path:
    target = check_path(path)
    write_text(target, render(predictions, target.suffix.lower() == ".csv"))
    return target


def read(path: str | Path) -> list[Prediction]:
    """A predictions file written by ``write`` (for the window's table)."""
    target = Path(path).expanduser()
    try:
        text = target.read_text(encoding="utf-8")
    except OSError as exc:
        raise StudioError(msg("evaluate.cannot_read_predictions", file=target,
                              error=exc.strerror or exc)) from None
    try:
        if target.suffix.lower() == ".csv":
            rows: list[dict[str, Any]] = [
                {**r, "number": int(r["number"]),
                 "score": float(r["score"]) if r["score"] else None,
                 "correct": {"True": True, "False": False}.get(r["correct"])}
                for r in csv.DictReader(io.StringIO(text))]
        else:
            rows = [json.loads(line) for line in text.splitlines() if line.strip()]
        return [Prediction(**{k: r.get(k) for k in FIELDS}) for r in rows]
    except (ValueError, KeyError, TypeError) as exc:
        raise StudioError(msg("evaluate.not_predictions", file=target, error=exc)) from None
