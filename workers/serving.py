"""The ``peft-studio serve`` child, owned from the GUI (like ``workers.export``).

``ServeWorker`` runs ``python -m studio serve ...`` in its own session: the model loads and
answers there, never in the window. Its stdout is JSON events (stdout is a pipe): ``loading``
becomes ``sig_loading``, ``ready`` ``sig_ready`` (url, models), ``request`` ``sig_request``
(one request log entry), anything else ``sig_log``. When the child exits, ``sig_finished``
says how: ``{"status": "stopped" | "failed", "error", "exit_code", "stderr_tail"}``.

Stop = SIGTERM (the server finishes and exits 0), SIGKILL after ``timeout_s``. An API key goes
to the child through its environment, not its command line, so other users' ``ps`` do not
show it.
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

STOP_TIMEOUT_S = 10.0
KEY_ENV = "PEFT_STUDIO_API_KEY"   # studio.cli.serve reads it; the window never imports that


def decide_outcome(errors: list[str], returncode: int, stopping: bool,
                   stderr_tail: str) -> dict[str, Any]:
    """The ``sig_finished`` payload from what the child said and how it exited."""
    payload: dict[str, Any] = {"status": "failed", "error": None, "exit_code": returncode,
                               "stderr_tail": stderr_tail}
    if errors:
        payload["error"] = "\n".join(errors)
    elif returncode == 0 or stopping:
        payload["status"] = "stopped"
    else:
        payload["error"] = describe_exit(returncode, "server")
    return payload


class _Bridge(QObject):
    sig_loading = Signal(str)
    sig_ready = Signal(object)
    sig_request = Signal(object)
    sig_log = Signal(str)
    sig_done = Signal(object)


class _Child(ChildProcess):
    kind = "serve"

    def __init__(self, args: list[str], env: dict[str, str]):
        self.bridge = _Bridge()
        self.stopping = False
        self.errors: list[str] = []
        super().__init__(args, env)

    def on_log(self, text: str) -> None:
        self.bridge.sig_log.emit(text)

    def on_event(self, event: dict[str, Any], line: str) -> None:
        kind = event.get("event")
        if kind == "loading":
            self.bridge.sig_loading.emit(str(event.get("stage") or ""))
        elif kind == "ready":
            self.bridge.sig_ready.emit(event)
        elif kind == "request":
            self.bridge.sig_request.emit(event)
        elif kind == "error":
            self.errors.append(str(event.get("message") or ""))
        elif kind != "stopped":
            self.bridge.sig_log.emit(line.rstrip("\r\n"))

    def on_exit(self, returncode: int) -> None:
        self.bridge.sig_done.emit(decide_outcome(self.errors, returncode, self.stopping,
                                                 self.stderr_tail()))

    def terminate(self) -> None:
        if not self.alive():
            return
        if os.name == "nt":
            self.proc.terminate()
        else:
            self.proc.send_signal(signal.SIGTERM)


class ServeWorker(QObject):
    """One server child at a time."""

    sig_loading = Signal(str)     # a loading stage ("loading the tokenizer", ...)
    sig_ready = Signal(dict)      # url, models, api_key
    sig_request = Signal(dict)    # method path model status stream seconds finish_reason ...
    sig_log = Signal(str)         # any other output line
    sig_finished = Signal(dict)   # status error exit_code stderr_tail

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

    @property
    def pid(self) -> int | None:
        return self._child.proc.pid if self._child else None

    def is_running(self) -> bool:
        """True from ``start`` until ``sig_finished``."""
        return self._child is not None

    def command(self, adapters: Sequence[str], base: str | None, host: str,
                port: int) -> list[str]:
        args = [*self._prefix, "serve"]
        for adapter in adapters:
            args += ["--adapter", adapter]
        if base:
            args += ["--base", base]
        return [*args, "--host", host, "--port", str(port)]

    def start(self, adapters: Sequence[str], base: str | None = None, port: int = 8000,
              host: str = "127.0.0.1", api_key: str | None = None) -> None:
        if self._child is not None:
            raise RuntimeError("a server is already running")
        env = dict(self._env)
        env.pop(KEY_ENV, None)
        if api_key:
            env[KEY_ENV] = api_key
        environment = child_env(env)
        if not api_key:
            environment.pop(KEY_ENV, None)   # not one inherited from the window's own
        try:
            child = _Child(self.command(adapters, base, host, port), environment)
        except OSError as exc:
            raise StudioError(f"could not start the server process: {exc}") from exc
        child.bridge.sig_loading.connect(self._on_loading)
        child.bridge.sig_ready.connect(self._on_ready)
        child.bridge.sig_request.connect(self._on_request)
        child.bridge.sig_log.connect(self._on_log)
        child.bridge.sig_done.connect(self._on_done)
        self._child = child
        child.start_reading()

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> None:
        """SIGTERM now, SIGKILL after ``timeout_s``; returns at once (``sig_finished``)."""
        child = self._child
        if child is None:
            return
        child.stopping = True
        child.terminate()
        if not self._kill_timer.isActive():
            self._kill_timer.start(max(0, int(timeout_s * 1000)))

    def shutdown(self, wait_s: float = 3.0) -> None:
        """The window is closing: stop the server and wait a moment for it."""
        child = self._child
        if child is None:
            return
        self.stop()
        try:
            child.proc.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            child.kill()
            child.proc.wait(timeout=wait_s)

    # -- slots (GUI thread)
    @Slot()
    def _on_kill_timeout(self) -> None:
        if self._child is not None and self._child.alive():
            self._child.kill()

    @Slot(str)
    def _on_loading(self, stage: str) -> None:
        if self._is_current():
            self.sig_loading.emit(stage)

    @Slot(object)
    def _on_ready(self, event: dict[str, Any]) -> None:
        if self._is_current():
            self.sig_ready.emit(event)

    @Slot(object)
    def _on_request(self, event: dict[str, Any]) -> None:
        if self._is_current():
            self.sig_request.emit(event)

    @Slot(str)
    def _on_log(self, line: str) -> None:
        if self._is_current():
            self.sig_log.emit(line)

    @Slot(object)
    def _on_done(self, payload: dict[str, Any]) -> None:
        if not self._is_current():
            return
        self._kill_timer.stop()
        self._child = None
        self.sig_finished.emit(payload)

    def _is_current(self) -> bool:
        return self._child is not None and self.sender() is self._child.bridge
