"""The training child process, owned from the GUI (qutebrowser ``misc/guiprocess.py`` in spirit).

``TrainingWorker`` runs ``python -m studio train --events json RUN_FILE`` (or ``--resume RUN``)
in its own session, so a MindSpore crash, an out-of-memory kill or closing the terminal never
takes the window down. A reader thread turns the child's stdout into events (``sig_event``) and
other lines (``sig_log``); stderr is kept, its last lines going into ``sig_finished`` for the
error dialog. Signals are emitted from the reader threads and Qt queues them to the GUI thread.

The readers are daemon Python threads, not QThreads: after ``detach()`` a reader may still be
blocked on the pipe when the application quits, and a QThread destroyed while running aborts
the process, whereas a daemon thread is simply dropped.

If the child exits without a ``finished`` event (SIGKILL, OOM, a crash) the worker marks the run
failed in the store (unless the child already recorded an outcome) and ``sig_finished`` says
``failed``; after a user's ``stop()``/``kill()`` the same exit reads ``stopped``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from studio.core.engine import STOP_FILE
from studio.core.errors import StudioError
from studio.core.events import message_of
from studio.core.messages import lines, msg
from studio.launch import code_command
from workers.child import ChildProcess, child_env, default_prefix, describe_exit, session_options

LINGER_S = 60.0  # after its finished event the child should exit; past this it is killed
# Copies a pipe to stdout until EOF: keeps a detached child's pipes open once the window is gone.
_DRAIN = "import shutil, sys; shutil.copyfileobj(sys.stdin.buffer, sys.stdout.buffer, 65536)"


# ---- Qt-free logic ------------------------------------------------------------------------
@dataclass
class ChildState:
    """What the child said on stdout that decides how its run ended."""

    run_id: str | None = None
    output_dir: str | None = None
    finished: dict[str, Any] | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)

    def feed(self, event: dict[str, Any]) -> None:
        kind = event.get("event")
        if kind == "run_started":
            self.run_id = event.get("run_id") or self.run_id
            self.output_dir = event.get("output_dir") or self.output_dir
        elif kind == "finished":
            self.finished = event
            self.run_id = event.get("run_id") or self.run_id
            self.output_dir = event.get("output_dir") or self.output_dir
        elif kind == "error":
            self.errors.append(event)


StoreUpdate = tuple[str, str | None, str | None]   # status, error, its untranslated detail


def decide_outcome(state: ChildState, returncode: int, stop_requested: bool,
                   stderr_tail: str) -> tuple[dict[str, Any], StoreUpdate | None]:
    """The ``sig_finished`` payload, and the (status, error, detail) to record in the store if
    the run is still marked running there (None: the child recorded its own outcome). The
    error keeps the codes of the child's messages, so the Runs page translates it."""
    payload: dict[str, Any] = {"status": "failed", "run_id": state.run_id,
                               "exit_code": returncode, "error": None,
                               "stderr_tail": stderr_tail, "output_dir": state.output_dir,
                               "traceback": None}
    store: StoreUpdate | None
    if state.finished is not None:
        payload["status"] = state.finished.get("status") or "completed"
        return payload, None
    if state.errors:
        message = lines([m for m in (message_of(e) for e in state.errors) if m.strip()])
        tb = next((e["traceback"] for e in state.errors if e.get("traceback")), None)
        payload.update(error=message or describe_exit(returncode, "training"), traceback=tb,
                       error_events=list(state.errors))
        store = ("failed", payload["error"], tb)
    elif stop_requested:
        payload["status"] = "stopped"
        store = ("stopped", None, None)
    else:
        payload["error"] = describe_exit(returncode, "training")
        store = ("failed", payload["error"], stderr_tail or None)
    return payload, store


def record_outcome(run_id: str | None, store_update: StoreUpdate | None) -> None:
    """Write the outcome the child could not, if its run still reads ``running``."""
    if run_id is None or store_update is None:
        return
    from studio.core.store import RunStore, UnknownRunError

    status, error, detail = store_update
    with RunStore() as store:
        try:
            if store.get_run(run_id).status == "running":
                store.set_status(run_id, status, error=error, detail=detail)
        except UnknownRunError:
            pass


def lookup_run(ref: str) -> tuple[str, str | None] | None:
    """(run id, output folder) of a run the user named, or None (the child will say why)."""
    from studio.core.store import RunStore

    try:
        with RunStore() as store:
            record = store.find_run(ref)
    except StudioError:
        return None
    return record.id, record.output_dir


# ---- the child and its reader threads -----------------------------------------------------
class _Bridge(QObject):
    """Emitted from the reader thread; lives on the GUI thread, so slots run there."""

    sig_event = Signal(object)
    sig_log = Signal(str)
    sig_resolved = Signal(str, str)
    sig_done = Signal(object)


class _Child(ChildProcess):
    kind = "training"

    def __init__(self, args: list[str], env: dict[str, str], resume_ref: str | None):
        self.bridge = _Bridge()
        self.state = ChildState()
        self.stop_requested = False
        self.detached = False
        self._resume_ref = resume_ref
        super().__init__(args, env)

    def quiet(self) -> bool:
        return self.detached

    def before_reading(self) -> None:
        if self._resume_ref:
            found = lookup_run(self._resume_ref)
            if found and self.state.run_id is None:
                self.state.run_id, self.state.output_dir = found[0], found[1]
                self.bridge.sig_resolved.emit(found[0], found[1] or "")

    def on_log(self, text: str) -> None:
        self.bridge.sig_log.emit(text)

    def on_event(self, event: dict[str, Any], line: str) -> None:
        self.state.feed(event)
        self.bridge.sig_event.emit(event)

    def on_exit(self, returncode: int) -> None:
        if self.detached:
            return
        payload, update = decide_outcome(self.state, returncode, self.stop_requested,
                                         self.stderr_tail())
        try:
            record_outcome(payload["run_id"], update)
        except Exception as exc:  # noqa: BLE001 - the store failing must not lose the outcome
            note = msg("worker.store_not_updated", error=exc)
            payload["error"] = msg("text.lines", first=payload["error"], rest=note) \
                if payload["error"] else note
        self.bridge.sig_done.emit(payload)

    def terminate(self) -> None:
        if os.name != "nt" and self.alive():  # on Windows terminate() is a kill: STOP file only
            self.proc.send_signal(signal.SIGTERM)

    def detach(self) -> None:
        """Stop reporting; hand both pipes to drain processes that outlive the window, so the
        child's later writes to stdout/stderr never fail."""
        self.detached = True
        if not self.alive():
            return
        err_log: IO[bytes] | int = subprocess.DEVNULL
        if self.state.output_dir and Path(self.state.output_dir).is_dir():
            err_log = open(Path(self.state.output_dir) / "stderr.log", "ab")  # noqa: SIM115
        for pipe, sink in ((self.proc.stdout, subprocess.DEVNULL), (self.proc.stderr, err_log)):
            subprocess.Popen(code_command(_DRAIN), stdin=pipe, stdout=sink,
                             stderr=subprocess.DEVNULL, **session_options())
        if not isinstance(err_log, int):
            err_log.close()


# ---- the worker ---------------------------------------------------------------------------
class TrainingWorker(QObject):
    """One training child at a time. See docs/gui-contract.md."""

    sig_event = Signal(dict)      # every JSON event of the child
    sig_log = Signal(str)         # any other stdout line
    sig_started = Signal(str)     # run id, from run_started
    sig_finished = Signal(dict)   # status run_id exit_code error stderr_tail output_dir traceback

    def __init__(self, parent: QObject | None = None, *,
                 command_prefix: Sequence[str] | None = None,
                 env: Mapping[str, str] | None = None):
        super().__init__(parent)
        self._prefix = list(command_prefix) if command_prefix else default_prefix()
        self._env = dict(env or {})
        self._child: _Child | None = None
        self._run_id: str | None = None
        self._output_dir: Path | None = None
        self._kill_timer = QTimer(self)
        self._kill_timer.setSingleShot(True)
        self._kill_timer.timeout.connect(self._on_kill_timeout)

    # -- properties
    @property
    def run_id(self) -> str | None:
        return self._run_id

    @property
    def output_dir(self) -> Path | None:
        return self._output_dir

    @property
    def pid(self) -> int | None:
        return self._child.proc.pid if self._child else None

    def is_running(self) -> bool:
        """True from start until ``sig_finished`` (or ``detach()``)."""
        return self._child is not None

    # -- starting
    def start_run(self, run_file: Path | str) -> None:
        self._launch(["train", "--events", "json", str(run_file)], resume_ref=None)

    def resume_run(self, run_ref: str) -> None:
        self._launch(["train", "--events", "json", "--resume", run_ref], resume_ref=run_ref)

    def _launch(self, args: list[str], resume_ref: str | None) -> None:
        if self._child is not None:
            raise RuntimeError("a training process is already running")
        self._run_id, self._output_dir = None, None
        try:
            child = _Child(self._prefix + args, child_env(self._env), resume_ref)
        except OSError as exc:
            raise StudioError(msg("worker.cannot_start_training", error=exc)) from exc
        child.bridge.sig_event.connect(self._on_child_event)
        child.bridge.sig_log.connect(self._on_child_log)
        child.bridge.sig_resolved.connect(self._on_child_resolved)
        child.bridge.sig_done.connect(self._on_child_done)
        self._child = child
        child.start_reading()

    # -- stopping
    def stop(self, timeout_s: float = 30.0) -> None:
        """Finish the current step, checkpoint and exit; killed if still alive after
        ``timeout_s``. Returns at once; ``sig_finished`` reports the end."""
        child = self._child
        if child is None:
            return
        child.stop_requested = True
        if self._output_dir is not None and self._output_dir.is_dir():
            with contextlib.suppress(OSError):  # SIGTERM alone asks the same
                (self._output_dir / STOP_FILE).touch()
        child.terminate()
        if not self._kill_timer.isActive():
            self._kill_timer.start(max(0, int(timeout_s * 1000)))

    def kill(self) -> None:
        """Kill the child now (no checkpoint). ``sig_finished`` reports ``stopped``."""
        if self._child is not None:
            self._child.stop_requested = True
            self._child.kill()

    def detach(self) -> None:
        """Leave the child training on its own (the window is closing): no more signals; the
        run store keeps recording its progress."""
        child, self._child = self._child, None
        self._kill_timer.stop()
        if child is not None:
            child.detach()

    # -- slots (GUI thread)
    @Slot()
    def _on_kill_timeout(self) -> None:
        if self._child is not None and self._child.alive():
            self.sig_log.emit(self.tr("The training process did not exit in time; killing it."))
            self._child.kill()

    @Slot(object)
    def _on_child_event(self, event: dict[str, Any]) -> None:
        if self.sender() is not self._bridge():
            return
        kind = event.get("event")
        if kind in ("run_started", "finished"):
            self._run_id = event.get("run_id") or self._run_id
            if event.get("output_dir"):
                self._output_dir = Path(event["output_dir"])
        if kind == "finished" and not self._kill_timer.isActive():
            self._kill_timer.start(int(LINGER_S * 1000))
        self.sig_event.emit(event)
        if kind == "run_started" and self._run_id:
            self.sig_started.emit(self._run_id)

    @Slot(str)
    def _on_child_log(self, line: str) -> None:
        if self.sender() is self._bridge():
            self.sig_log.emit(line)

    @Slot(str, str)
    def _on_child_resolved(self, run_id: str, output_dir: str) -> None:
        if self.sender() is self._bridge() and self._run_id is None:
            self._run_id = run_id
            self._output_dir = Path(output_dir) if output_dir else None

    @Slot(object)
    def _on_child_done(self, payload: dict[str, Any]) -> None:
        if self.sender() is not self._bridge():
            return
        self._kill_timer.stop()
        self._child = None
        self._run_id = payload.get("run_id") or self._run_id
        if payload.get("output_dir"):
            self._output_dir = Path(payload["output_dir"])
        self.sig_finished.emit(payload)

    def _bridge(self) -> _Bridge | None:
        return self._child.bridge if self._child is not None else None
