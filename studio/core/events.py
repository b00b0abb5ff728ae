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

A field whose value is a core Message (``log`` and ``error`` messages) is written as its
English text, and its code and parameters go under ``messages`` (``{field: {"code",
"params"}}``), so the window can show it in the user's language.
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from .messages import Message, msg


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else (1e308 if value > 0 else -1e308)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def encode(event: str, **fields: Any) -> str:
    coded = {key: value.to_dict() for key, value in fields.items() if isinstance(value, Message)}
    if coded:
        fields["messages"] = coded
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


def message_of(ev: dict[str, Any], key: str = "message") -> str:
    """An event's text field: the Message it was made from when the event carries its code."""
    coded = Message.from_dict((ev.get("messages") or {}).get(key))
    return coded if coded is not None else str(ev.get(key) or "")


def human(ev: dict[str, Any]) -> str:
    """One event as a line for people (a Message, so the window can translate it)."""
    kind = ev.get("event")
    if kind == "run_started":
        started = {"run": ev["run_id"], "method": ev.get("method"), "task": ev.get("task"),
                   "device": ev.get("device"), "trainable": ev.get("trainable_params") or 0,
                   "total": ev.get("total_params") or 0, "steps": ev.get("total_steps"),
                   "folder": ev.get("output_dir")}
        if (ev.get("workers") or 1) > 1:
            return msg("event.run_started_workers", **started, workers=ev["workers"])
        return msg("event.run_started", **started)
    if kind == "step":
        return (f"step {ev['step']}/{ev.get('total_steps')}  epoch {ev.get('epoch', 0):.2f}  "
                f"loss {ev['loss']:.4f}  lr {ev.get('lr', 0):.2e}  "
                f"grad {ev.get('grad_norm') or 0:.3f}  {ev.get('tokens_per_second', 0):.0f} tok/s  "
                f"eta {_fmt_seconds(ev.get('eta'))}")
    if kind == "eval":
        metrics = "  ".join(f"{k} {v:.4f}" for k, v in ev.get("metrics", {}).items()
                            if isinstance(v, (int, float)))
        return msg("event.eval", step=ev["step"], metrics=metrics)
    if kind == "checkpoint":
        return msg("event.checkpoint", step=ev["step"], path=ev["path"])
    if kind == "log":
        return message_of(ev)
    if kind == "workers":
        return "workers: " + ", ".join(f"{w.get('rank')} {w.get('state')}"
                                       for w in ev.get("workers", []))
    if kind == "finished":
        return msg("event.finished", status=ev.get("status"), step=ev.get("step"),
                   folder=ev.get("output_dir"))
    if kind == "error":
        text = msg("event.error", message=message_of(ev))
        if ev.get("traceback"):
            text = msg("text.lines", first=text, rest=ev["traceback"])
        return text
    return json.dumps(ev)
