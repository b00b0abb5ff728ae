"""The export child process, owned from the GUI (like ``workers.training``).

``ExportWorker`` runs ``python -m studio export ... --events json`` in its own session: loading
and merging a model happens there, never in the window. A reader thread turns the child's
stdout into ``export_progress`` events (``sig_progress``) and other lines (``sig_log``);
stderr is kept for the error dialog. When the child exits, ``sig_finished`` says how it went:

``{"status", "result", "error", "kind", "traceback", "exit_code", "stderr_tail",
"last_stage"}`` where
status is ``exported`` (verified, or not verified), ``verification_failed`` (the files are
kept; ``result`` holds the numbers), ``failed`` (an ``error`` event, or the child died) or
``cancelled``; ``result`` is the ``export_finished`` event (ExportResult fields + ok).

Cancel = SIGTERM, which the CLI turns into an exception that removes the staging folder (and
kills the verification process); after ``timeout_s`` the whole session is killed and the
worker removes the staging folder itself.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from studio.core.errors import StudioError
from workers.child import ChildProcess, child_env, default_prefix, describe_exit

CANCEL_TIMEOUT_S = 10.0


# ---- Qt-free logic ------------------------------------------------------------------------
def decide_outcome(finished: dict[str, Any] | None, errors: list[dict[str, Any]],
                   returncode: int, cancelled: bool, stderr_tail: str,
                   last_stage: str | None = None) -> dict[str, Any]:
    """The ``sig_finished`` payload from what the child said and how it exited.
    ``last_stage`` tells a cancel during verification (the folder is complete by then) from
    one that left nothing behind."""
    payload: dict[str, Any] = {"status": "failed", "result": finished, "error": None,
                               "kind": None, "traceback": None, "exit_code": returncode,
                               "stderr_tail": stderr_tail, "last_stage": last_stage}
    if finished is not None:
        payload["status"] = "exported" if finished.get("ok", True) else "verification_failed"
    elif cancelled:
        payload["status"] = "cancelled"
    elif errors:
        message = "\n".join(str(e.get("message") or "") for e in errors).strip()
        payload.update(error=message or describe_exit(returncode, "export"),
                       error_events=list(errors),
                       kind=errors[-1].get("kind") or "known",
                       traceback=next((e["traceback"] for e in errors if e.get("traceback")),
                                      None))
    else:
        payload.update(error=describe_exit(returncode, "export"), kind="bug")
    return payload


def remove_partials(out_dir: Path, since: float) -> list[Path]:
    """Staging folders (``.<name>.partial-XXXX``) an export killed mid-write left beside
    ``out_dir``; only those made since ``since``, so a concurrent export keeps its own."""
    removed = []
    parent = out_dir.parent
    if not parent.is_dir():
        return removed
    for candidate in parent.glob(f".{out_dir.name}.partial-*"):
        try:
            if candidate.is_dir() and candidate.stat().st_mtime >= since - 1.0:
                shutil.rmtree(candidate, ignore_errors=True)
                removed.append(candidate)
        except OSError:
            continue
    return removed


# ---- the child and its reader threads -----------------------------------------------------
class _Bridge(QObject):
    sig_progress = Signal(object)
    sig_log = Signal(str)
    sig_done = Signal(object)


class _Child(ChildProcess):
    kind = "export"

    def __init__(self, args: list[str], env: dict[str, str]):
        self.bridge = _Bridge()
        self.cancelled = False
        self.finished: dict[str, Any] | None = None
        self.last_stage: str | None = None
        self.errors: list[dict[str, Any]] = []
        super().__init__(args, env)

    def on_log(self, text: str) -> None:
        self.bridge.sig_log.emit(text)

    def on_event(self, event: dict[str, Any], line: str) -> None:
        kind = event.get("event")
        if kind == "export_progress":
            self.last_stage = event.get("stage") or self.last_stage
            self.bridge.sig_progress.emit(event)
        elif kind == "export_finished":
            self.finished = event
        elif kind == "error":
            self.errors.append(event)
        else:
            self.bridge.sig_log.emit(line.rstrip("\r\n"))

    def on_exit(self, returncode: int) -> None:
        self.bridge.sig_done.emit(decide_outcome(self.finished, self.errors, returncode,
                                                 self.cancelled, self.stderr_tail(),
                                                 self.last_stage))

    def terminate(self) -> None:
        if not self.alive():
            return
        if os.name == "nt":
            self.proc.terminate()
        else:
            self.proc.send_signal(signal.SIGTERM)


# ---- the worker ---------------------------------------------------------------------------
class ExportWorker(QObject):
    """One export child at a time."""

    sig_progress = Signal(dict)   # export_progress: stage, message, current, total
    sig_log = Signal(str)         # any other stdout line
    sig_finished = Signal(dict)   # status result error kind traceback exit_code stderr_tail

    def __init__(self, parent: QObject | None = None, *,
                 command_prefix: Sequence[str] | None = None,
                 env: Mapping[str, str] | None = None):
        super().__init__(parent)
        self._prefix = list(command_prefix) if command_prefix else default_prefix()
        self._env = dict(env or {})
        self._child: _Child | None = None
        self._out_dir: Path | None = None
        self._started_at = 0.0
        self._killed = False
        self._kill_timer = QTimer(self)
        self._kill_timer.setSingleShot(True)
        self._kill_timer.timeout.connect(self._on_kill_timeout)

    @property
    def pid(self) -> int | None:
        return self._child.proc.pid if self._child else None

    def is_running(self) -> bool:
        """True from ``start`` until ``sig_finished``."""
        return self._child is not None

    def command(self, args: Sequence[str]) -> list[str]:
        return [*self._prefix, "export", *args, "--events", "json"]

    def start(self, args: Sequence[str], out_dir: str | Path | None = None) -> None:
        """Run ``peft-studio export ARGS``; ``out_dir`` (the target folder) lets a killed
        export's staging folder be cleaned up."""
        if self._child is not None:
            raise RuntimeError("an export is already running")
        self._out_dir = Path(out_dir).expanduser().absolute() if out_dir else None
        self._started_at = time.time()
        self._killed = False
        try:
            child = _Child(self.command(args), child_env(self._env))
        except OSError as exc:
            raise StudioError(f"could not start the export process: {exc}") from exc
        child.bridge.sig_progress.connect(self._on_child_progress)
        child.bridge.sig_log.connect(self._on_child_log)
        child.bridge.sig_done.connect(self._on_child_done)
        self._child = child
        child.start_reading()

    def cancel(self, timeout_s: float = CANCEL_TIMEOUT_S) -> None:
        """SIGTERM now (the child removes its partial folder), SIGKILL after ``timeout_s``.
        Returns at once; ``sig_finished`` reports ``cancelled``."""
        child = self._child
        if child is None:
            return
        child.cancelled = True
        child.terminate()
        if not self._kill_timer.isActive():
            self._kill_timer.start(max(0, int(timeout_s * 1000)))

    def kill(self) -> None:
        if self._child is not None:
            self._child.cancelled = True
            self._killed = True
            self._child.kill()

    def shutdown(self, wait_s: float = 3.0) -> None:
        """The window is closing: cancel and wait a moment for the child to clean up."""
        child = self._child
        if child is None:
            return
        self.cancel()
        try:
            child.proc.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            self.kill()
            child.proc.wait(timeout=wait_s)
            self._clean_up()

    # -- slots (GUI thread)
    @Slot()
    def _on_kill_timeout(self) -> None:
        if self._child is not None and self._child.alive():
            self.sig_log.emit(self.tr("The export process did not exit in time; killing it."))
            self.kill()

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
        if self._killed:
            self._clean_up()
        self.sig_finished.emit(payload)

    def _clean_up(self) -> None:
        if self._out_dir is not None:
            remove_partials(self._out_dir, self._started_at)

    def _is_current(self) -> bool:
        return self._child is not None and self.sender() is self._child.bridge
