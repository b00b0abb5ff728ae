"""The ``peft-studio download`` child behind the window's download dialog: its plan (size
first), progress and outcome as signals. Cancel ends the child; the partial file stays in the
hub's cache (Hugging Face's or ModelScope's) and the next download resumes it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal

from studio.core.errors import StudioError
from studio.core.events import message_of
from studio.core.messages import lines, msg
from workers.child import ChildProcess, child_env, default_prefix, describe_exit


def decide_outcome(finished: dict[str, Any] | None, errors: list[dict[str, Any]],
                   returncode: int, cancelled: bool, stderr_tail: str) -> dict[str, Any]:
    """The ``sig_finished`` payload: status downloaded / cancelled / failed."""
    if finished is not None and returncode == 0:
        return {"status": "downloaded", "path": finished.get("path"),
                "offline": bool(finished.get("offline")), "error": None,
                "source": finished.get("source") or "huggingface"}
    if cancelled:
        return {"status": "cancelled", "path": None, "offline": False, "error": None}
    message = lines([m for m in (message_of(e) for e in errors) if m.strip()])
    how = describe_exit(returncode, "download")
    return {"status": "failed", "path": None, "offline": False,
            "error": message or (msg("text.lines", first=how, rest=stderr_tail)
                                 if stderr_tail else how)}


class _Bridge(QObject):
    sig_event = Signal(object)
    sig_done = Signal(object)


class _Child(ChildProcess):
    kind = "download"

    def __init__(self, args: list[str], env: dict[str, str]):
        self.bridge = _Bridge()
        self.cancelled = False
        self.finished: dict[str, Any] | None = None
        self.errors: list[dict[str, Any]] = []
        super().__init__(args, env)

    def on_log(self, text: str) -> None:
        pass   # the hub client's own notices: not for the dialog

    def on_event(self, event: dict[str, Any], line: str) -> None:
        kind = event.get("event")
        if kind == "download_finished":
            self.finished = event
        elif kind == "error":
            self.errors.append(event)
        else:
            self.bridge.sig_event.emit(event)

    def on_exit(self, returncode: int) -> None:
        self.bridge.sig_done.emit(decide_outcome(self.finished, self.errors, returncode,
                                                 self.cancelled, self.stderr_tail()))


class DownloadWorker(QObject):
    """One download child at a time."""

    sig_plan = Signal(dict)       # repo_id, endpoint, files, total_bytes
    sig_progress = Signal(dict)   # files_done, files_total, bytes_done, bytes_total, speed, eta
    sig_finished = Signal(dict)   # see decide_outcome

    def __init__(self, parent: QObject | None = None, *,
                 command_prefix: Sequence[str] | None = None,
                 env: Mapping[str, str] | None = None):
        super().__init__(parent)
        self._prefix = list(command_prefix) if command_prefix else default_prefix()
        self._env = dict(env or {})
        self._child: _Child | None = None

    def is_running(self) -> bool:
        return self._child is not None

    def start(self, model: str, allow_pickle: bool = False) -> None:
        if self._child is not None:
            raise RuntimeError("a download is already running")
        args = [*self._prefix, "download", model, "--events", "json"]
        if allow_pickle:
            args.append("--allow-pickle-weights")
        try:
            child = _Child(args, child_env(self._env))
        except OSError as exc:
            raise StudioError(msg("worker.cannot_start_download", error=exc)) from exc
        child.bridge.sig_event.connect(self._on_event)
        child.bridge.sig_done.connect(self._on_done)
        self._child = child
        child.start_reading()

    def cancel(self) -> None:
        """End the child now: what it downloaded stays, and resumes next time."""
        if self._child is not None:
            self._child.cancelled = True
            self._child.kill()

    def _on_event(self, event: dict[str, Any]) -> None:
        kind = event.get("event")
        if kind == "download_plan":
            self.sig_plan.emit(event)
        elif kind == "download_progress":
            self.sig_progress.emit(event)

    def _on_done(self, payload: dict[str, Any]) -> None:
        self._child = None
        self.sig_finished.emit(payload)
