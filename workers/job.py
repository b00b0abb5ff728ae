"""One child process at a time, owned from the GUI thread: the Qt side that the export,
evaluation and serve workers share (``workers.child`` is the process side).

A ``JobChild`` runs on the ChildProcess's reader threads; what it has to say crosses to the
GUI thread through its ``_Bridge`` (made in ``start``, so it lives in the GUI thread) and
reaches the ``JobWorker`` by queued connections: ``relay(signal_name, payload)`` re-emits the
worker's signal of that name, ``done(payload)`` ends the job with ``sig_finished``. Signals
from a child that is no longer the current one (stopped and replaced) are dropped.

Stopping = SIGTERM (each CLI turns it into a clean stop), then SIGKILL of the child's whole
session after a timeout.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from studio.core.errors import StudioError
from studio.core.messages import msg
from workers.child import ChildProcess, child_env, default_prefix

QUEUED = Qt.ConnectionType.QueuedConnection


class _Bridge(QObject):
    sig_relay = Signal(str, object)   # the worker's signal name, its payload
    sig_done = Signal(object)


class JobChild(ChildProcess):
    """A child stopped by SIGTERM; ``stop_requested`` tells an asked-for end from a crash."""

    def __init__(self, args: list[str], env: dict[str, str]):
        self.bridge = _Bridge()
        self.stop_requested = False
        super().__init__(args, env)

    def relay(self, name: str, payload: Any) -> None:
        """From the reader thread: the worker emits its signal ``name`` with ``payload``."""
        self.bridge.sig_relay.emit(name, payload)

    def done(self, payload: dict[str, Any]) -> None:
        self.bridge.sig_done.emit(payload)

    def on_log(self, text: str) -> None:
        self.relay("sig_log", text)

    def terminate(self) -> None:
        if not self.alive():
            return
        if os.name == "nt":
            self.proc.terminate()
        else:
            self.proc.send_signal(signal.SIGTERM)


class JobWorker(QObject):
    """Owns one ``child_class`` process at a time. Subclasses declare their signals (at least
    ``sig_log`` and ``sig_finished``), ``relayed`` (the names a child may relay) and
    ``process_name``, and build the command."""

    sig_log = Signal(str)
    sig_finished = Signal(dict)

    child_class: ClassVar[type[JobChild]] = JobChild
    process_name: ClassVar[str] = "child"        # "could not start the export process"
    already_running: ClassVar[str] = "a child process is already running"
    relayed: ClassVar[frozenset[str]] = frozenset({"sig_log"})
    stop_timeout_s: ClassVar[float] = 10.0        # SIGTERM, then SIGKILL after this long

    def __init__(self, parent: QObject | None = None, *,
                 command_prefix: Sequence[str] | None = None,
                 env: Mapping[str, str] | None = None):
        super().__init__(parent)
        self._prefix = list(command_prefix) if command_prefix else default_prefix()
        self._env = dict(env or {})
        self._child: JobChild | None = None
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

    # ---- for subclasses -------------------------------------------------------------------
    def _launch(self, command: list[str], env: Mapping[str, str] | None = None) -> JobChild:
        """Start ``command`` (on the GUI thread); raises RuntimeError while a child runs and
        StudioError when it cannot start."""
        if self._child is not None:
            raise RuntimeError(self.already_running)
        self._killed = False
        environment = child_env(self._env) if env is None else dict(env)
        try:
            child = self.child_class(command, environment)
        except OSError as exc:
            # One code per process_name (worker.cannot_start_export, ...), so it is translated.
            raise StudioError(msg(f"worker.cannot_start_{self.process_name}", error=exc)) \
                from exc
        # Emitted on the reader threads: queued, so the slots run here, on the GUI thread.
        child.bridge.sig_relay.connect(self._on_relay, QUEUED)
        child.bridge.sig_done.connect(self._on_done, QUEUED)
        self._child = child
        child.start_reading()   # after connecting, so nothing is lost
        return child

    def _request_stop(self, timeout_s: float) -> None:
        """SIGTERM now, SIGKILL after ``timeout_s``; returns at once (``sig_finished``)."""
        child = self._child
        if child is None:
            return
        child.stop_requested = True
        child.terminate()
        if not self._kill_timer.isActive():
            self._kill_timer.start(max(0, int(timeout_s * 1000)))

    def _kill_note(self) -> str | None:
        """A line for ``sig_log`` when the timeout kills the child (translated by the
        subclass, whose context the catalog has)."""
        return None

    def _finish(self, payload: dict[str, Any]) -> None:
        """On the GUI thread once the child has exited and is no longer current."""
        self.sig_finished.emit(payload)

    # ---- public ---------------------------------------------------------------------------
    def kill(self) -> None:
        """SIGKILL the child's whole session now."""
        if self._child is not None:
            self._child.stop_requested = True
            self._killed = True
            self._child.kill()

    def shutdown(self, wait_s: float = 3.0) -> None:
        """The window is closing: ask the child to stop and wait a moment for it (killing it
        if it does not end)."""
        child = self._child
        if child is None:
            return
        self._request_stop(self.stop_timeout_s)
        try:
            child.proc.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            self.kill()
            child.proc.wait(timeout=wait_s)

    # ---- slots (GUI thread) ---------------------------------------------------------------
    @Slot()
    def _on_kill_timeout(self) -> None:
        if self._child is not None and self._child.alive():
            note = self._kill_note()
            if note:
                self.sig_log.emit(note)
            self.kill()

    @Slot(str, object)
    def _on_relay(self, name: str, payload: Any) -> None:
        if self._is_current() and name in self.relayed:
            getattr(self, name).emit(payload)

    @Slot(object)
    def _on_done(self, payload: dict[str, Any]) -> None:
        if not self._is_current():
            return
        self._kill_timer.stop()
        self._child = None
        self._finish(payload)

    def _is_current(self) -> bool:
        return self._child is not None and self.sender() is self._child.bridge
