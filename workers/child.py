"""A child process that speaks JSON lines on stdout, read by two daemon threads: the plumbing
every worker's child shares (training, inference, and through ``workers.job`` export,
evaluation and serve). Subclasses say what an event, a plain line and the exit mean
(``on_event``, ``on_log``, ``on_exit``); those run on the reader thread and reach the GUI
only through a bridge QObject's signals.
"""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from studio.core.events import parse
from studio.core.messages import msg
from studio.launch import frozen, studio_command

STDERR_LINES = 60
SIGKILL = getattr(signal, "SIGKILL", 9)


def default_prefix() -> list[str]:
    """``peft-studio`` from source or from the desktop bundle (see studio.launch)."""
    return studio_command()


def child_env(extra: Mapping[str, str] | None) -> dict[str, str]:
    env = dict(os.environ)
    if not frozen():   # a bundle carries its packages; PYTHONPATH only matters from source
        root = str(Path(__file__).resolve().parent.parent)  # `-m studio` importable anywhere
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    env.update(extra or {})
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def describe_exit(returncode: int, process: str) -> str:
    """A readable reason for an exit that came without the child's own account of it;
    ``process`` names it ("training", "export")."""
    if returncode < 0:
        number = -returncode
        try:
            how = msg("worker.killed_by_named_signal", number=number,
                      name=signal.Signals(number).name)
        except ValueError:
            how = msg("worker.killed_by_signal", number=number)
        if number == SIGKILL:
            how = msg("worker.maybe_out_of_memory", how=how)
    else:
        how = msg("worker.exit_code", code=returncode)
    return msg(f"worker.{process}_ended", how=how)


def session_options() -> dict[str, Any]:
    """Popen options that keep the child out of the terminal's and the window's signals."""
    if os.name == "nt":
        return {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0x200)}
    return {"start_new_session": True}


class ChildProcess:
    kind = "child"       # names the reader threads
    takes_input = False  # True: commands go to the child's stdin (a pipe), else /dev/null

    def __init__(self, args: list[str], env: dict[str, str]):
        self._stderr: collections.deque[str] = collections.deque(maxlen=STDERR_LINES)
        stdin = subprocess.PIPE if self.takes_input else subprocess.DEVNULL
        self.proc = subprocess.Popen(args, stdin=stdin, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, encoding="utf-8",
                                     errors="replace", bufsize=1, env=env, **session_options())
        self._err_thread = threading.Thread(target=self._read_stderr, daemon=True,
                                            name=f"{self.kind}-stderr-{self.proc.pid}")
        self._out_thread = threading.Thread(target=self._read_stdout, daemon=True,
                                            name=f"{self.kind}-stdout-{self.proc.pid}")

    # ---- what subclasses decide -----------------------------------------------------------
    def quiet(self) -> bool:
        """True while nothing should be reported (a detached child)."""
        return False

    def before_reading(self) -> None:
        """On the stdout thread, before the first line."""

    def on_event(self, event: dict[str, Any], line: str) -> None:
        raise NotImplementedError

    def on_log(self, text: str) -> None:
        raise NotImplementedError

    def on_exit(self, returncode: int) -> None:
        raise NotImplementedError

    # ---- the plumbing ---------------------------------------------------------------------
    def start_reading(self) -> None:
        """After the bridge's signals are connected, so none is lost."""
        self._err_thread.start()
        self._out_thread.start()

    def stderr_tail(self) -> str:
        return "\n".join(list(self._stderr))

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            line = line.rstrip()
            if line and not self.quiet():
                self._stderr.append(line[:2000])

    def _read_stdout(self) -> None:
        assert self.proc.stdout is not None
        self.before_reading()
        for line in self.proc.stdout:
            if self.quiet():
                continue
            event = parse(line)
            if event is None:
                if line.strip():
                    self.on_log(line.rstrip("\r\n"))
                continue
            self.on_event(event, line)
        returncode = self.proc.wait()
        self._err_thread.join(timeout=2.0)   # a grandchild may still hold stderr open
        self.on_exit(returncode)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        """The whole session: helpers the child started must not keep the pipes open."""
        if not self.alive():
            return
        if os.name == "nt":
            self.proc.kill()
            return
        try:
            os.killpg(self.proc.pid, SIGKILL)
        except (ProcessLookupError, PermissionError):
            self.proc.kill()
