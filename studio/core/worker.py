"""One data parallel worker, as msrun starts it: ``python -m studio.core.worker ...``.

msrun runs this module for its scheduler too (``MS_ROLE=MS_SCHED``); that process only
serves the cluster. For a worker, this process is a small supervisor: it starts the real
worker as its child (which dies with it), records both pids in the log folder, and when the
child ends writes how (exit code or signal), which the ``train`` process reads to say which
worker died and why. The child trains (``runner.execute_worker``).
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from studio.launch import module_command

_PR_SET_PDEATHSIG = 1
LINGER_S = 3.0   # how long each of several workers stays after its work (see main)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m studio.core.worker")
    parser.add_argument("--config", required=True, help="the run's run.yaml")
    parser.add_argument("--output-dir", required=True)
    parser.add_argument("--log-dir", required=True)
    parser.add_argument("--run-id", default="", help="empty on hosts other than the first")
    parser.add_argument("--resume", action="store_true",
                        help="continue from the output folder's latest checkpoint")
    parser.add_argument("--watch-pid", type=int, default=None,
                        help="the train process: when it is gone, the worker stops")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser


def rank_file(log_dir: Path, rank: int, kind: str) -> Path:
    """``rank-N.pid.json`` (started) and ``rank-N.exit.json`` (ended) in the log folder."""
    return log_dir / f"rank-{rank}.{kind}.json"


def _write(path: Path, data: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data))
    os.replace(tmp, path)


def _die_with_parent() -> None:
    # If the supervisor is killed, the worker must not train on alone.
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _alive(pid: int | None) -> bool:
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _exit_with(pid: int | None) -> None:
    """A killed train process cannot stop its job: every process of it ends on its own."""
    import threading
    import time

    def watch() -> None:
        while _alive(pid):
            time.sleep(1.0)
        os._exit(1)

    if pid is not None:
        threading.Thread(target=watch, daemon=True, name="watch-train").start()


def supervise(argv: list[str], log_dir: Path, watch_pid: int | None) -> int:
    rank = int(os.environ.get("RANK_ID", "-1"))
    child = subprocess.Popen(module_command("studio.core.worker", *argv, "--child"),
                             preexec_fn=_die_with_parent)

    def forward(signum, frame):
        child.send_signal(signum)

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, forward)
    _write(rank_file(log_dir, rank, "pid"), {"rank": rank, "pid": child.pid,
                                             "supervisor": os.getpid(),
                                             "host": socket.gethostname()})
    while True:
        try:
            code = child.wait(timeout=1.0)
            break
        except subprocess.TimeoutExpired:
            if not _alive(watch_pid):  # the train process was killed: nobody would stop us
                child.kill()
    _write(rank_file(log_dir, rank, "exit"), {"rank": rank, "returncode": code})
    return 0 if code == 0 else 1


def serve_scheduler(argv: list[str]) -> int:
    """msrun's scheduler. MindSpore's ``init()`` holds the GIL while it serves the cluster, so
    no thread of that process could notice that the train process is gone (a scheduler left
    behind): it runs in a child that dies with this process, which ``_exit_with`` ends."""
    child = subprocess.Popen(module_command("studio.core.worker", *argv, "--child"),
                             preexec_fn=_die_with_parent)
    return child.wait()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(argv)
    from .collective import is_scheduler, run_scheduler_if_asked

    _exit_with(args.watch_pid)
    if is_scheduler() and not args.child:
        return serve_scheduler(argv)
    if run_scheduler_if_asked():
        return 0
    if not args.child:
        return supervise(argv, Path(args.log_dir), args.watch_pid)
    from . import runner

    code = runner.execute_worker(args.config, args.run_id, Path(args.output_dir), args.resume)
    # Everything the worker keeps is written and synced by now. Interpreter teardown would
    # run MindSpore's communication destructors while the other ranks are leaving, which
    # now and then ends in SIGSEGV (seen in CI after a stop): leave without it.
    sys.stdout.flush()
    sys.stderr.flush()
    if "RANK_ID" in os.environ:   # one of several workers (msrun sets it)
        # A rank that has its share of the last all-reduce may still owe a peer the rest of
        # it: leaving at once closed the connection under it, and the peer then failed in
        # that all-reduce after MindSpore's 30 s (seen in CI, rank 0 in the final
        # evaluation). No collective follows it; this gives the peers the time to read what
        # is on the way.
        time.sleep(LINGER_S)
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main())
