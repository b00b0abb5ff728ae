"""JobWorker, the base of the export, evaluation and serve workers, with a real child: what
the child's reader threads relay reaches the worker's signals on the GUI thread, in order and
before ``sig_finished``; a child that ignores SIGTERM is killed after the timeout."""

from __future__ import annotations

import sys
import textwrap
import threading
from typing import Any

from PySide6.QtCore import Qt, Signal

from workers.job import JobChild, JobWorker

FAKE = textwrap.dedent('''
    import json, signal, sys, time

    if sys.argv[1] == "ignore":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("ignoring SIGTERM", flush=True)
        time.sleep(60)
    for n in range(50):
        print(json.dumps({"event": "tick", "n": n}), flush=True)
    print(json.dumps({"event": "secret"}), flush=True)
    print("plain text", flush=True)
''')


class _Child(JobChild):
    kind = "fake"

    def __init__(self, args: list[str], env: dict[str, str]):
        self.reader_threads: set[int] = set()
        super().__init__(args, env)

    def on_event(self, event: dict[str, Any], line: str) -> None:
        self.reader_threads.add(threading.get_ident())
        # "sig_secret" is not in relayed: the worker must not emit arbitrary attributes
        self.relay("sig_tick" if event["event"] == "tick" else "sig_secret", event)

    def on_exit(self, returncode: int) -> None:
        self.done({"exit_code": returncode, "stopped": self.stop_requested})


class _Worker(JobWorker):
    sig_tick = Signal(dict)
    sig_secret = Signal(dict)
    sig_log = Signal(str)
    sig_finished = Signal(dict)
    child_class = _Child
    process_name = "fake"
    relayed = frozenset({"sig_tick", "sig_log"})

    def start(self, mode: str) -> None:
        self._launch([sys.executable, str(self.script), mode])

    def _kill_note(self) -> str:
        return "killing it"


def _worker(tmp_path) -> _Worker:
    script = tmp_path / "fake.py"
    script.write_text(FAKE)
    worker = _Worker(command_prefix=[sys.executable])
    worker.script = script
    return worker


def test_relays_reach_the_gui_thread_in_order_before_the_end(qtbot, tmp_path):
    worker = _worker(tmp_path)
    seen: list[tuple[str, Any, int]] = []
    direct = Qt.ConnectionType.DirectConnection   # records the thread the worker emits on
    worker.sig_tick.connect(lambda e: seen.append(("tick", e["n"], threading.get_ident())),
                            direct)
    worker.sig_secret.connect(lambda e: seen.append(("secret", e, threading.get_ident())),
                              direct)
    worker.sig_log.connect(lambda t: seen.append(("log", t, threading.get_ident())), direct)
    worker.sig_finished.connect(lambda p: seen.append(("end", p, threading.get_ident())),
                                direct)
    with qtbot.waitSignal(worker.sig_finished, timeout=30000):
        worker.start("talk")
        reader = worker._child.reader_threads
    gui = threading.get_ident()
    assert {thread for *_, thread in seen} == {gui} and gui not in reader
    assert [value for kind, value, _ in seen if kind == "tick"] == list(range(50))
    assert [kind for kind, *_ in seen][-2:] == ["log", "end"]
    assert seen[-2][1] == "plain text" and not any(kind == "secret" for kind, *_ in seen)
    assert seen[-1][1] == {"exit_code": 0, "stopped": False} and not worker.is_running()


def test_a_child_ignoring_sigterm_is_killed_after_the_timeout(qtbot, tmp_path):
    worker = _worker(tmp_path)
    logs: list[str] = []
    worker.sig_log.connect(logs.append)
    worker.start("ignore")
    qtbot.waitUntil(lambda: "ignoring SIGTERM" in logs, timeout=30000)
    with qtbot.waitSignal(worker.sig_finished, timeout=30000) as finished:
        worker._request_stop(0.2)
    assert finished.args[0]["exit_code"] == -9 and finished.args[0]["stopped"]
    assert logs[-1] == "killing it"
