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

import shutil
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from workers.child import describe_exit
from workers.job import JobChild, JobWorker

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
class _Child(JobChild):
    kind = "export"

    def __init__(self, args: list[str], env: dict[str, str]):
        self.finished: dict[str, Any] | None = None
        self.last_stage: str | None = None
        self.errors: list[dict[str, Any]] = []
        super().__init__(args, env)

    def on_event(self, event: dict[str, Any], line: str) -> None:
        kind = event.get("event")
        if kind == "export_progress":
            self.last_stage = event.get("stage") or self.last_stage
            self.relay("sig_progress", event)
        elif kind == "export_finished":
            self.finished = event
        elif kind == "error":
            self.errors.append(event)
        else:
            self.relay("sig_log", line.rstrip("\r\n"))

    def on_exit(self, returncode: int) -> None:
        self.done(decide_outcome(self.finished, self.errors, returncode, self.stop_requested,
                                 self.stderr_tail(), self.last_stage))


# ---- the worker ---------------------------------------------------------------------------
class ExportWorker(JobWorker):
    """One export child at a time."""

    sig_progress = Signal(dict)   # export_progress: stage, message, current, total
    sig_log = Signal(str)         # any other stdout line
    sig_finished = Signal(dict)   # status result error kind traceback exit_code stderr_tail

    child_class = _Child
    process_name = "export"
    already_running = "an export is already running"
    relayed = frozenset({"sig_progress", "sig_log"})
    stop_timeout_s = CANCEL_TIMEOUT_S

    def __init__(self, parent: QObject | None = None, *,
                 command_prefix: Sequence[str] | None = None,
                 env: Mapping[str, str] | None = None):
        super().__init__(parent, command_prefix=command_prefix, env=env)
        self._out_dir: Path | None = None
        self._started_at = 0.0

    def command(self, args: Sequence[str]) -> list[str]:
        return [*self._prefix, "export", *args, "--events", "json"]

    def start(self, args: Sequence[str], out_dir: str | Path | None = None) -> None:
        """Run ``peft-studio export ARGS``; ``out_dir`` (the target folder) lets a killed
        export's staging folder be cleaned up."""
        if self.is_running():
            raise RuntimeError(self.already_running)
        self._out_dir = Path(out_dir).expanduser().absolute() if out_dir else None
        self._started_at = time.time()
        self._launch(self.command(args))

    def cancel(self, timeout_s: float = CANCEL_TIMEOUT_S) -> None:
        """SIGTERM now (the child removes its partial folder), SIGKILL after ``timeout_s``.
        Returns at once; ``sig_finished`` reports ``cancelled``."""
        self._request_stop(timeout_s)

    def shutdown(self, wait_s: float = 3.0) -> None:
        """The window is closing: cancel and wait a moment for the child to clean up."""
        super().shutdown(wait_s)
        if self._killed:
            self._clean_up()

    def _kill_note(self) -> str:
        return self.tr("The export process did not exit in time; killing it.")

    def _finish(self, payload: dict[str, Any]) -> None:
        if self._killed:
            self._clean_up()
        super()._finish(payload)

    def _clean_up(self) -> None:
        if self._out_dir is not None:
            remove_partials(self._out_dir, self._started_at)
