"""The evaluation child process, owned from the GUI (like ``workers.export``).

``EvaluationWorker`` runs ``python -m studio eval ... --events json`` in its own session, so
loading a model and generating never happen in the window. Its stdout events become
``sig_progress`` (eval_started / eval_progress), the end ``sig_finished``:

``{"status", "evaluations", "error", "kind", "traceback", "exit_code", "stderr_tail"}`` with
status ``finished`` (``evaluations``: the stored records, one per target), ``cancelled`` or
``failed``.

Cancel = SIGTERM: the CLI stops after the current batch and records nothing; after
``timeout_s`` the whole session is killed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal

from workers.child import describe_exit
from workers.job import JobChild, JobWorker

CANCEL_TIMEOUT_S = 10.0


def decide_outcome(finished: list[dict[str, Any]], errors: list[dict[str, Any]],
                   returncode: int, cancelled: bool, stderr_tail: str) -> dict[str, Any]:
    """The ``sig_finished`` payload from what the child said and how it exited."""
    payload: dict[str, Any] = {"status": "failed", "evaluations": finished, "error": None,
                               "kind": None, "traceback": None, "exit_code": returncode,
                               "stderr_tail": stderr_tail}
    if cancelled:
        payload["status"] = "cancelled"
    elif returncode == 0 and finished and not errors:
        payload["status"] = "finished"
    elif errors:
        message = "\n".join(str(e.get("message") or "") for e in errors).strip()
        payload.update(error=message or describe_exit(returncode, "evaluation"),
                       error_events=list(errors), kind=errors[-1].get("kind") or "known",
                       traceback=next((e["traceback"] for e in errors if e.get("traceback")),
                                      None))
    else:
        payload.update(error=describe_exit(returncode, "evaluation"), kind="bug")
    return payload


def command_args(target: str, data: str, *, with_base: bool = False,
                 max_samples: int | None = None, batch_size: int = 8,
                 max_new_tokens: int | None = None) -> list[str]:
    """The ``peft-studio eval`` arguments for what the Evaluate dialog asked."""
    args = [target, "--data", data, "--batch-size", str(batch_size)]
    if with_base:
        args.append("--with-base")
    if max_samples:
        args += ["--max-samples", str(max_samples)]
    if max_new_tokens:
        args += ["--max-new-tokens", str(max_new_tokens)]
    return args


class _Child(JobChild):
    kind = "evaluation"

    def __init__(self, args: list[str], env: dict[str, str]):
        self.finished: list[dict[str, Any]] = []
        self.errors: list[dict[str, Any]] = []
        super().__init__(args, env)

    def on_event(self, event: dict[str, Any], line: str) -> None:
        kind = event.get("event")
        if kind in ("eval_started", "eval_progress"):
            self.relay("sig_progress", event)
        elif kind == "eval_finished":
            self.finished.append(event)
        elif kind == "error":
            self.errors.append(event)
        elif kind != "eval_cancelled":
            self.relay("sig_log", line.rstrip("\r\n"))

    def on_exit(self, returncode: int) -> None:
        self.done(decide_outcome(self.finished, self.errors, returncode, self.stop_requested,
                                 self.stderr_tail()))


class EvaluationWorker(JobWorker):
    """One evaluation child at a time."""

    sig_progress = Signal(dict)   # eval_started (target, rows, kind) / eval_progress
    sig_log = Signal(str)
    sig_finished = Signal(dict)   # status evaluations error kind traceback exit_code ...

    child_class = _Child
    process_name = "evaluation"
    already_running = "an evaluation is already running"
    relayed = frozenset({"sig_progress", "sig_log"})
    stop_timeout_s = CANCEL_TIMEOUT_S

    def command(self, args: Sequence[str]) -> list[str]:
        return [*self._prefix, "eval", *args, "--events", "json"]

    def start(self, args: Sequence[str]) -> None:
        self._launch(self.command(args))

    def cancel(self, timeout_s: float = CANCEL_TIMEOUT_S) -> None:
        """SIGTERM now (the child stops after its batch), SIGKILL after ``timeout_s``."""
        self._request_stop(timeout_s)

    def _kill_note(self) -> str:
        return self.tr("The evaluation process did not stop in time; killing it.")
