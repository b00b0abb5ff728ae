"""Training events: one JSON object per line on stdout, read by the GUI's worker.

Every event has ``event`` (its type) and ``time`` (unix seconds). Types and their fields:

- ``run_started``: run_id, name, output_dir, total_steps, start_step, epochs, trainable_params,
  total_params, device, method, task, workers
- ``step``: step, epoch, loss, lr, grad_norm, tokens_per_second, samples_per_second,
  elapsed, eta (seconds), total_steps
- ``eval``: step, epoch, metrics (eval_loss, perplexity, accuracy, ...)
- ``checkpoint``: step, path
- ``log``: level, message (progress the user may want to read)
- ``workers`` (several workers through msrun): workers, a list of rank, host, pid and state
  (starting / running / finished / failed) for this host's workers
- ``finished``: status (completed / stopped / early_stopped), step, output_dir, metrics
- ``error``: message (for people), kind (known / bug), traceback (bug only)
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else (1e308 if value > 0 else -1e308)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def encode(event: str, **fields: Any) -> str:
    return json.dumps(_clean({"event": event, "time": time.time(), **fields}), ensure_ascii=False)


def parse(line: str) -> dict[str, Any] | None:
    """One stdout line to an event, or None for anything that is not one of ours."""
    line = line.strip()
    if not line.startswith("{"):
        return None
    try:
        data = json.loads(line)
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) and "event" in data else None


class EventSink:
    """Writes events as JSON lines (for the GUI) or as readable text (for a terminal)."""

    def __init__(self, stream: TextIO | None = None, fmt: str = "json",
                 listener: Callable[[dict[str, Any]], None] | None = None):
        self.stream = stream if stream is not None else sys.stdout
        self.fmt = fmt
        self.listener = listener

    def __call__(self, event: str, **fields: Any) -> None:
        line = encode(event, **fields)
        if self.listener is not None:
            self.listener(json.loads(line))
        if self.fmt == "none":
            return
        text = line if self.fmt == "json" else human(json.loads(line))
        if text:
            try:
                self.stream.write(text + "\n")
                self.stream.flush()
            except (BrokenPipeError, ValueError):
                # The reader went away (the window closed and left the run going): keep
                # training; the run store still records every step.
                self.fmt = "none"


def _fmt_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = int(seconds)
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def human(ev: dict[str, Any]) -> str:
    kind = ev.get("event")
    if kind == "run_started":
        return (f"run {ev['run_id']} ({ev.get('method')}, {ev.get('task')}) on {ev.get('device')}: "
                f"{ev.get('trainable_params', 0):,} of {ev.get('total_params', 0):,} parameters "
                f"trainable, {ev.get('total_steps')} steps"
                + (f" on {ev['workers']} workers" if (ev.get("workers") or 1) > 1 else "")
                + f" -> {ev.get('output_dir')}")
    if kind == "step":
        return (f"step {ev['step']}/{ev.get('total_steps')}  epoch {ev.get('epoch', 0):.2f}  "
                f"loss {ev['loss']:.4f}  lr {ev.get('lr', 0):.2e}  "
                f"grad {ev.get('grad_norm') or 0:.3f}  {ev.get('tokens_per_second', 0):.0f} tok/s  "
                f"eta {_fmt_seconds(ev.get('eta'))}")
    if kind == "eval":
        metrics = "  ".join(f"{k} {v:.4f}" for k, v in ev.get("metrics", {}).items()
                            if isinstance(v, (int, float)))
        return f"eval @ step {ev['step']}: {metrics}"
    if kind == "checkpoint":
        return f"checkpoint @ step {ev['step']}: {ev['path']}"
    if kind == "log":
        return ev.get("message", "")
    if kind == "workers":
        return "workers: " + ", ".join(f"{w.get('rank')} {w.get('state')}"
                                       for w in ev.get("workers", []))
    if kind == "finished":
        return f"finished ({ev.get('status')}) at step {ev.get('step')}: {ev.get('output_dir')}"
    if kind == "error":
        text = f"error: {ev.get('message')}"
        if ev.get("traceback"):
            text += "\n" + ev["traceback"]
        return text
    return json.dumps(ev)
