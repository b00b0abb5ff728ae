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

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal

from studio.core.events import message_of
from studio.core.messages import lines
from workers.child import child_env, describe_exit
from workers.job import JobChild, JobWorker

STOP_TIMEOUT_S = 10.0
KEY_ENV = "PEFT_STUDIO_API_KEY"   # studio.cli.serve reads it; the window never imports that


def decide_outcome(errors: list[str], returncode: int, stopping: bool,
                   stderr_tail: str) -> dict[str, Any]:
    """The ``sig_finished`` payload from what the child said and how it exited."""
    payload: dict[str, Any] = {"status": "failed", "error": None, "exit_code": returncode,
                               "stderr_tail": stderr_tail}
    if errors:
        payload["error"] = lines(errors)
    elif returncode == 0 or stopping:
        payload["status"] = "stopped"
    else:
        payload["error"] = describe_exit(returncode, "server")
    return payload


class _Child(JobChild):
    kind = "serve"

    def __init__(self, args: list[str], env: dict[str, str]):
        self.errors: list[str] = []
        super().__init__(args, env)

    def on_event(self, event: dict[str, Any], line: str) -> None:
        kind = event.get("event")
        if kind == "loading":
            self.relay("sig_loading", str(event.get("stage") or ""))
        elif kind == "ready":
            self.relay("sig_ready", event)
        elif kind == "request":
            self.relay("sig_request", event)
        elif kind == "error":
            self.errors.append(message_of(event))   # with its code, for the panel
        elif kind != "stopped":
            self.relay("sig_log", line.rstrip("\r\n"))

    def on_exit(self, returncode: int) -> None:
        self.done(decide_outcome(self.errors, returncode, self.stop_requested,
                                 self.stderr_tail()))


class ServeWorker(JobWorker):
    """One server child at a time."""

    sig_loading = Signal(str)     # a loading stage ("loading the tokenizer", ...)
    sig_ready = Signal(dict)      # url, models, api_key
    sig_request = Signal(dict)    # method path model status stream seconds finish_reason ...
    sig_log = Signal(str)         # any other output line
    sig_finished = Signal(dict)   # status error exit_code stderr_tail

    child_class = _Child
    process_name = "server"
    already_running = "a server is already running"
    relayed = frozenset({"sig_loading", "sig_ready", "sig_request", "sig_log"})
    stop_timeout_s = STOP_TIMEOUT_S

    def command(self, adapters: Sequence[str], base: str | None, host: str,
                port: int, max_queue: int | None = None) -> list[str]:
        args = [*self._prefix, "serve"]
        for adapter in adapters:
            args += ["--adapter", adapter]
        if base:
            args += ["--base", base]
        if max_queue is not None:
            args += ["--max-queue", str(max_queue)]
        return [*args, "--host", host, "--port", str(port)]

    def start(self, adapters: Sequence[str], base: str | None = None, port: int = 8000,
              host: str = "127.0.0.1", api_key: str | None = None,
              max_queue: int | None = None) -> None:
        env = dict(self._env)
        env.pop(KEY_ENV, None)
        if api_key:
            env[KEY_ENV] = api_key
        environment = child_env(env)
        if not api_key:
            environment.pop(KEY_ENV, None)   # not one inherited from the window's own
        self._launch(self.command(adapters, base, host, port, max_queue), environment)

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> None:
        """SIGTERM now, SIGKILL after ``timeout_s``; returns at once (``sig_finished``)."""
        self._request_stop(timeout_s)
