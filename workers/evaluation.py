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

import os
import signal
import subprocess
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from studio.core.errors import StudioError
from workers.child import ChildProcess, child_env, default_prefix, describe_exit

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
                       kind=errors[-1].get("kind") or "known",
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


class _Bridge(QObject):
    sig_progress = Signal(object)
    sig_log = Signal(str)
    sig_done = Signal(object)


class _Child(ChildProcess):
    kind = "evaluation"

    def __init__(self, args: list[str], env: dict[str, str]):
        self.bridge = _Bridge()
        self.cancelled = False
        self.finished: list[dict[str, Any]] = []
        self.errors: list[dict[str, Any]] = []
        super().__init__(args, env)

    def on_log(self, text: str) -> None:
        self.bridge.sig_log.emit(text)

    def on_event(self, event: dict[str, Any], line: str) -> None:
        kind = event.get("event")
        if kind in ("eval_started", "eval_progress"):
            self.bridge.sig_progress.emit(event)
        elif kind == "eval_finished":
            self.finished.append(event)
        elif kind == "error":
            self.errors.append(event)
        elif kind != "eval_cancelled":
            self.bridge.sig_log.emit(line.rstrip("\r\n"))

    def on_exit(self, returncode: int) -> None:
        self.bridge.sig_done.emit(decide_outcome(self.finished, self.errors, returncode,
                                                 self.cancelled, self.stderr_tail()))

    def terminate(self) -> None:
        if not self.alive():
            return
        if os.name == "nt":
            self.proc.terminate()
        else:
            self.proc.send_signal(signal.SIGTERM)


class EvaluationWorker(QObject):
    """One evaluation child at a time."""

    sig_progress = Signal(dict)   # eval_started (target, rows, kind) / eval_progress
    sig_log = Signal(str)
    sig_finished = Signal(dict)   # status evaluations error kind traceback exit_code ...

    def __init__(self, parent: QObject | None = None, *,
                 command_prefix: Sequence[str] | None = None,
                 env: Mapping[str, str] | None = None):
        super().__init__(parent)
        self._prefix = list(command_prefix) if command_prefix else default_prefix()
        self._env = dict(env or {})
        self._child: _Child | None = None
        self._kill_timer = QTimer(self)
        self._kill_timer.setSingleShot(True)
        self._kill_timer.timeout.connect(self._on_kill_timeout)

    def is_running(self) -> bool:
        return self._child is not None

    def command(self, args: Sequence[str]) -> list[str]:
        return [*self._prefix, "eval", *args, "--events", "json"]

    def start(self, args: Sequence[str]) -> None:
        if self._child is not None:
            raise RuntimeError("an evaluation is already running")
        try:
            child = _Child(self.command(args), child_env(self._env))
        except OSError as exc:
            raise StudioError(f"could not start the evaluation process: {exc}") from exc
        child.bridge.sig_progress.connect(self._on_child_progress)
        child.bridge.sig_log.connect(self._on_child_log)
        child.bridge.sig_done.connect(self._on_child_done)
        self._child = child
        child.start_reading()

    def cancel(self, timeout_s: float = CANCEL_TIMEOUT_S) -> None:
        """SIGTERM now (the child stops after its batch), SIGKILL after ``timeout_s``."""
        child = self._child
        if child is None:
            return
        child.cancelled = True
        child.terminate()
        if not self._kill_timer.isActive():
            self._kill_timer.start(max(0, int(timeout_s * 1000)))

    def shutdown(self, wait_s: float = 3.0) -> None:
        child = self._child
        if child is None:
            return
        self.cancel()
        try:
            child.proc.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            child.kill()
            child.proc.wait(timeout=wait_s)

    @Slot()
    def _on_kill_timeout(self) -> None:
        if self._child is not None and self._child.alive():
            self.sig_log.emit(self.tr("The evaluation process did not stop in time; "
                                      "killing it."))
            self._child.kill()

    @Slot(object)
    def _on_child_progress(self, event: dict[str, Any]) -> None:
        if self._is_current():
            self.sig_progress.emit(event)

    @Slot(str)
    def _on_child_log(self, line: str) -> None:
        if self._is_current():
            self.sig_log.emit(line)

    @Slot(object)
    def _on_child_done(self, payload: dict[str, Any]) -> None:
        if not self._is_current():
            return
        self._kill_timer.stop()
        self._child = None
        self.sig_finished.emit(payload)

    def _is_current(self) -> bool:
        return self._child is not None and self.sender() is self._child.bridge
