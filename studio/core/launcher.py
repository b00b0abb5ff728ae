"""The ``train`` process of a data parallel run: starts the workers through ``msrun``, relays
rank 0's events (its stdout is msrun's ``worker_0.log``), reports each local worker's state,
turns SIGTERM into the STOP file, and when a worker dies stops every other one and marks the
run failed, naming the worker and how it ended."""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import checkpoints, distributed
from .config import RunConfig
from .distributed import Topology
from .engine import STOP_FILE
from .errors import StudioError
from .events import message_of, parse
from .messages import Message, msg
from .worker import rank_file

_PR_SET_CHILD_SUBREAPER = 36
_TICK = 0.5
_PROBE_EVERY = 2.0     # seconds between looks at the first host's scheduler
_LEADER_GRACE = 10.0   # unreachable this long while workers still run here: the first host is gone


def topology_or_error(config: RunConfig, node_rank: int | None, emit,
                      failed: Callable[[str], object] | None = None) -> Topology | None:
    """This host's place in the job, or None once the reason is emitted (and handed to
    ``failed``, which records it with the run)."""
    try:
        return distributed.topology(config.distributed, node_rank)
    except StudioError as exc:
        if failed is not None:
            failed(exc.message)
        emit("error", message=exc.message, kind="known", traceback=None,
             field="distributed.node_rank")
        return None


def _signal_name(code: int) -> str:
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


@dataclass
class _Worker:
    rank: int
    host: str = ""
    pid: int | None = None
    supervisor: int | None = None
    returncode: int | None = None

    @property
    def state(self) -> str:
        if self.returncode is not None:
            return "finished" if self.returncode == 0 else "failed"
        return "running" if self.pid else "starting"

    def to_dict(self) -> dict:
        return {"rank": self.rank, "host": self.host, "pid": self.pid, "state": self.state}


@dataclass
class _Watch:
    """What the train process knows of its local workers while msrun's job runs."""

    topo: Topology
    log_dir: Path
    output_dir: Path
    emit: object
    relay_rank: int | None
    workers: dict[int, _Worker] = field(default_factory=dict)
    offset: int = 0
    partial: str = ""
    outcome: dict | None = None    # rank 0's finished/error event, passed on last
    stop_requested: bool = False
    started: bool = False
    leader_lost: bool = False

    def __post_init__(self) -> None:
        self.workers = {r: _Worker(r) for r in self.topo.local_ranks}

    def relay(self) -> None:
        if self.relay_rank is None:
            return
        log = self.log_dir / f"worker_{self.relay_rank}.log"
        if not log.exists():
            return
        with log.open("rb") as handle:
            handle.seek(self.offset)
            chunk = handle.read()
        self.offset += len(chunk)
        lines = (self.partial + chunk.decode("utf-8", "replace")).split("\n")
        self.partial = lines.pop()
        for line in lines:
            event = parse(line)
            if event is None:
                continue
            kind = event.pop("event")
            self.started |= kind == "run_started"
            if kind in ("finished", "error"):
                self.outcome = {"event": kind, **event}
                continue
            self.emit(kind, **event)

    def poll_workers(self) -> bool:
        """Read the supervisors' pid and exit files; True when anything changed."""
        changed = False
        for rank, worker in self.workers.items():
            if worker.pid is None and rank_file(self.log_dir, rank, "pid").exists():
                info = json.loads(rank_file(self.log_dir, rank, "pid").read_text())
                worker.pid, worker.supervisor = info["pid"], info["supervisor"]
                worker.host = info["host"]
                changed = True
            if worker.returncode is None and rank_file(self.log_dir, rank, "exit").exists():
                ended = json.loads(rank_file(self.log_dir, rank, "exit").read_text())
                worker.returncode = ended["returncode"]
                changed = True
        return changed

    def dead(self) -> _Worker | None:
        return next((w for w in self.workers.values() if w.returncode not in (None, 0)), None)

    def all_done(self) -> bool:
        return all(w.returncode is not None for w in self.workers.values())

    def why(self, worker: _Worker) -> Message:
        code = worker.returncode or 0
        if code < 0:
            how = msg("launcher.killed_maybe_memory" if code == -signal.SIGKILL
                      else "launcher.killed", signal=_signal_name(code))
        else:
            said = _last_error(self.log_dir / f"worker_{worker.rank}.log")
            how = msg("launcher.exited_saying", code=code, message=said) if said \
                else msg("launcher.exited", code=code)
        where = {"host": worker.host} if self.topo.hosts > 1 else {}
        return msg("launcher.worker_ended_on" if where else "launcher.worker_ended",
                   rank=worker.rank, pid=worker.pid, **where, how=how, folder=self.log_dir)

    def keep_stop_file(self) -> None:
        # The trainer clears STOP while it loads the model: write it again once it runs.
        if self.stop_requested and self.started:
            (self.output_dir / STOP_FILE).touch()


def _last_error(log: Path) -> str | None:
    try:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    for line in reversed(lines):
        event = parse(line)
        if event and event.get("event") == "error":
            return message_of(event)   # with its code when the worker sent one
    for line in reversed(lines):  # a crash before our error handler: the exception line
        if line and not line.startswith((" ", "\t", "[")) \
                and ("Error" in line or "Exception" in line):
            return line.strip()
    return None


def _listening(address: str, port: int) -> bool:
    try:
        with socket.create_connection((address, port), timeout=2):
            return True
    except OSError:
        return False


@dataclass
class _Leader:
    """What a host other than the first knows of the first one: its scheduler answers while
    it runs. When it has gone (the first host failed, was stopped or killed), this host's
    workers wait in their next all-reduce or in joining the cluster: they must be stopped."""

    address: str
    port: int
    probe: Callable[[str, int], bool] = _listening
    silent_since: float | None = None
    next_probe: float = 0.0

    def gone(self, now: float) -> bool:
        """True once the scheduler has not answered for ``_LEADER_GRACE`` seconds (a worker
        here that has finished its last step leaves well within that)."""
        if now >= self.next_probe:
            self.next_probe = now + _PROBE_EVERY
            if self.probe(self.address, self.port):
                self.silent_since = None
            elif self.silent_since is None:
                self.silent_since = now
        return self.silent_since is not None and now - self.silent_since >= _LEADER_GRACE

    def answers(self) -> bool:
        return bool(self.probe(self.address, self.port))


def _kill_group(pgid: int | None) -> None:
    if pgid:
        with contextlib.suppress(ProcessLookupError, PermissionError):  # already gone
            os.killpg(pgid, signal.SIGKILL)


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _run(config: RunConfig, topo: Topology, log_dir: Path, output_dir: Path, worker_args: list[str],
         emit, relay_rank: int | None) -> tuple[_Watch, _Worker | None]:
    log_dir.mkdir(parents=True, exist_ok=True)
    for old in log_dir.glob("rank-*.json"):
        old.unlink()
    config_file = log_dir / "run.yaml"
    config_file.write_text(config.dump_yaml(), encoding="utf-8")
    # Orphans (msrun exits once the job is spawned) come to us, so we can reap them.
    ctypes.CDLL(None).prctl(_PR_SET_CHILD_SUBREAPER, 1)
    args = ["--config", str(config_file), "--output-dir", str(output_dir),
            "--log-dir", str(log_dir), "--watch-pid", str(os.getpid()), *worker_args]
    watch = _Watch(topo, log_dir, output_dir, emit, relay_rank)
    emit("log", level="info", message=msg("launcher.starting", local=topo.local_workers,
                                          workers=topo.workers, folder=log_dir))
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}

    def ask_stop(signum, frame):
        watch.stop_requested = True

    for sig in previous:
        signal.signal(sig, ask_stop)
    with (log_dir / "msrun.log").open("wb") as msrun_log:
        msrun = subprocess.Popen(distributed.msrun_command(topo, log_dir, args),
                                 env=distributed.launch_env(), stdout=msrun_log,
                                 stderr=subprocess.STDOUT, start_new_session=True)
    dead: _Worker | None = None
    try:
        while msrun.poll() is None:
            time.sleep(_TICK)
        if msrun.returncode != 0 and not any(rank_file(log_dir, r, "pid").exists()
                                             for r in topo.local_ranks):
            tail = (log_dir / "msrun.log").read_text(errors="replace").strip().splitlines()[-3:]
            raise StudioError(msg("launcher.msrun_failed", tail=" / ".join(tail)))
        emit("workers", workers=[w.to_dict() for w in watch.workers.values()])
        leader = _Leader(topo.master_addr, topo.master_port) if topo.node_rank else None
        while True:
            time.sleep(_TICK)
            _reap()
            watch.relay()
            if watch.poll_workers():
                emit("workers", workers=[w.to_dict() for w in watch.workers.values()])
            watch.keep_stop_file()
            dead = watch.dead()
            if watch.all_done() and dead is None:
                break
            # A worker here that failed once the first host had gone failed because of it.
            if leader is not None and (leader.gone(time.monotonic())
                                       or (dead is not None and not leader.answers())):
                watch.leader_lost = True
                break
            if dead is not None:
                break
    finally:
        for worker in watch.workers.values():
            if worker.returncode is None:
                _kill_group(worker.supervisor)
        # Workers leave without saying goodbye to msrun's scheduler (worker.py: interpreter
        # teardown crashed), so it would wait out its heartbeat timeouts: it has served its
        # purpose once every worker here has ended, and goes now.
        _kill_group(msrun.pid)
        _reap()
        watch.relay()
        (output_dir / STOP_FILE).unlink(missing_ok=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return watch, dead


def _wait_for_scheduler(topo: Topology, emit, timeout: float = 600.0) -> None:
    """msrun starts a scheduler wherever the master address is local; a second host waits
    for the first one's, so that two hosts simulated on one machine never start two."""
    address = f"{topo.master_addr}:{topo.master_port}"
    emit("log", level="info", message=msg("launcher.waiting", address=address))
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((topo.master_addr, topo.master_port), timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise StudioError(msg("launcher.no_scheduler", address=address,
                                      seconds=f"{timeout:.0f}")) from None
            time.sleep(_TICK)


def lead(config: RunConfig, topo: Topology, run_id: str, output_dir: Path, emit, store,
         resume: bool) -> int:
    """The first host: owns the run's row; rank 0 runs here."""
    worker_args = ["--run-id", run_id, *(["--resume"] if resume else [])]
    try:
        watch, dead = _run(config, topo, output_dir / distributed.LOG_FOLDER, output_dir,
                           worker_args, emit, relay_rank=0)
    except StudioError as exc:
        store.set_status(run_id, "failed", error=exc.message)
        emit("error", message=exc.message, kind="known", traceback=None)
        return 1
    outcome = dict(watch.outcome or {"event": None})
    kind = outcome.pop("event")
    if kind is not None:
        emit(kind, **outcome)
    if kind == "finished":
        if dead is not None:  # every step and file was done: the crash came while exiting
            emit("log", level="warning", message=msg("launcher.after_finish",
                                                         why=watch.why(dead)))
        return 0
    if dead is not None and dead.rank == 0 and kind == "error":
        return 1  # rank 0 reported its own failure (store and event) before it exited
    record = store.get_run(run_id)
    if dead is not None or record.status == "running":
        message = watch.why(dead) if dead is not None else msg("launcher.no_result")
        store.set_status(run_id, "failed", error=message)
        emit("error", message=message, kind="known", traceback=None)
    return 1


def follow(config: RunConfig, topo: Topology, emit) -> int:
    """Another host: lends its workers to the job the first host leads. With the output
    folder on storage every host sees, it resumes from the same checkpoint as the leader."""
    from studio.paths import runs_dir

    output_dir = Path(config.output_dir).expanduser() if config.output_dir else None
    saved = checkpoints.list_checkpoints(output_dir) if output_dir else []
    worker_args = ["--resume"] if saved else []
    log_dir = runs_dir() / "nodes" / f"node-{topo.node_rank}-{time.strftime('%Y%m%d-%H%M%S')}"
    try:
        _wait_for_scheduler(topo, emit)
        watch, dead = _run(config, topo, log_dir, output_dir or log_dir, worker_args, emit,
                           relay_rank=None)
    except StudioError as exc:
        emit("error", message=exc.message, kind="known", traceback=None)
        return 1
    if watch.leader_lost:
        emit("error", message=msg("launcher.leader_lost",
                                  address=f"{topo.master_addr}:{topo.master_port}",
                                  rank=topo.node_rank, folder=log_dir),
             kind="known", traceback=None)
        return 1
    if dead is not None:
        emit("error", message=watch.why(dead), kind="known", traceback=None)
        return 1
    emit("log", level="info", message=msg("launcher.node_done", rank=topo.node_rank))
    return 0
