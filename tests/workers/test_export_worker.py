"""ExportWorker with a real child process: a fake ``peft-studio export`` that prints the
export events (succeeding, failing verification, failing, crashing, hanging on cancel)."""

from __future__ import annotations

import json
import os
import sys
import textwrap
from pathlib import Path

import pytest

from workers.child import describe_exit
from workers.export import ExportWorker, decide_outcome, remove_partials

posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX signals")

FAKE_EXPORTER = textwrap.dedent('''
    """Speaks ``peft-studio export --events json``; what it does comes from FAKE_EXPORT."""
    import json, os, shutil, signal, sys, time

    spec = json.loads(os.environ["FAKE_EXPORT"])
    with open(spec["argv_file"], "w") as f:
        json.dump(sys.argv[1:], f)
    out = spec["out"]
    partial = os.path.join(os.path.dirname(out), "." + os.path.basename(out) + ".partial-abcd")

    def emit(event, **fields):
        print(json.dumps({"event": event, "time": time.time(), **fields}), flush=True)

    def on_term(signum, frame):
        shutil.rmtree(partial, ignore_errors=True)   # what the CLI's staging folder does
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, signal.SIG_IGN if spec.get("ignore_term") else on_term)
    print("mindnlp says hello", flush=True)
    print("a warning on stderr", file=sys.stderr, flush=True)
    mode = spec["mode"]
    if mode == "crash":
        sys.exit(3)
    emit("export_progress", stage="checking", message="looking up run", current=0, total=0)
    if mode == "error":
        emit("error", message="run x has no final result", kind="known", traceback=None)
        sys.exit(2)
    emit("export_progress", stage="loading", message="loading run", current=0, total=0)
    os.makedirs(partial, exist_ok=True)
    for i in range(1, 4):
        emit("export_progress", stage="writing", message=f"writing shard {i}/3", current=i,
             total=3)
    if mode == "hang":
        while True:
            time.sleep(0.05)
    os.makedirs(out, exist_ok=True)
    os.rmdir(partial)
    passed = mode == "ok"
    verification = {"passed": passed, "max_abs_diff": 1e-6 if passed else 0.5,
                    "tolerance": 1e-4, "dtype": "float32", "samples": 4, "seconds": 1.0,
                    "error": None}
    emit("export_progress", stage="verifying", message="verified", current=1, total=1)
    emit("export_finished", kind="merged", path=out, dtype="float32", size_bytes=1234,
         files=["config.json", "model.safetensors"], verification=verification,
         run_ids=["r1"], export_ids=[1], details={}, ok=passed)
    sys.exit(0 if passed else 1)
''')


@pytest.fixture
def fake(tmp_path):
    script = tmp_path / "fake_export.py"
    script.write_text(FAKE_EXPORTER)
    made: list[ExportWorker] = []

    def make(mode: str, **spec):
        out = tmp_path / "exports" / "merged"
        out.parent.mkdir(exist_ok=True)
        spec = {"mode": mode, "out": str(out), "argv_file": str(tmp_path / "argv.json"),
                **spec}
        worker = ExportWorker(command_prefix=[sys.executable, str(script)],
                              env={"FAKE_EXPORT": json.dumps(spec)})
        progress: list[dict] = []
        logs: list[str] = []
        worker.sig_progress.connect(progress.append)
        worker.sig_log.connect(logs.append)
        made.append(worker)
        return worker, out, progress, logs

    yield make
    for worker in made:
        if worker.is_running():
            worker.kill()


def run(qtbot, worker: ExportWorker, out: Path, args=None, timeout: int = 20000) -> dict:
    with qtbot.waitSignal(worker.sig_finished, timeout=timeout) as blocker:
        worker.start(args or ["r1", "--merged", str(out)], out_dir=out)
        assert worker.is_running()
    assert not worker.is_running()
    return blocker.args[0]


def test_a_verified_export_reports_progress_and_the_result(qtbot, fake, tmp_path):
    worker, out, progress, logs = fake("ok")
    payload = run(qtbot, worker, out, ["r1", "--merged", str(out), "--dtype", "float16"])
    assert payload["status"] == "exported" and payload["exit_code"] == 0
    assert payload["result"]["path"] == str(out) and payload["result"]["ok"] is True
    assert payload["result"]["verification"]["passed"] is True
    assert [(p["stage"], p["current"], p["total"]) for p in progress] == [
        ("checking", 0, 0), ("loading", 0, 0), ("writing", 1, 3), ("writing", 2, 3),
        ("writing", 3, 3), ("verifying", 1, 1)]
    assert logs == ["mindnlp says hello"]
    assert "a warning on stderr" in payload["stderr_tail"]
    argv = json.loads((tmp_path / "argv.json").read_text())
    assert argv == ["export", "r1", "--merged", str(out), "--dtype", "float16",
                    "--events", "json"]


def test_a_failed_verification_keeps_the_result(qtbot, fake):
    worker, out, _progress, _logs = fake("verify_fail")
    payload = run(qtbot, worker, out)
    assert payload["status"] == "verification_failed" and payload["exit_code"] == 1
    assert payload["result"]["verification"]["max_abs_diff"] == 0.5
    assert payload["error"] is None


def test_an_error_event_is_the_message(qtbot, fake):
    worker, out, progress, _logs = fake("error")
    payload = run(qtbot, worker, out)
    assert payload["status"] == "failed" and payload["exit_code"] == 2
    assert payload["error"] == "run x has no final result" and payload["kind"] == "known"
    assert payload["result"] is None and [p["stage"] for p in progress] == ["checking"]


def test_a_child_that_dies_silently_is_described(qtbot, fake):
    worker, out, _progress, _logs = fake("crash")
    payload = run(qtbot, worker, out)
    assert payload["status"] == "failed" and payload["kind"] == "bug"
    assert "ended unexpectedly (exit code 3)" in payload["error"]
    assert "a warning on stderr" in payload["stderr_tail"]


@posix_only
def test_cancel_terminates_and_the_child_removes_its_partial_folder(qtbot, fake):
    worker, out, progress, _logs = fake("hang")
    with qtbot.waitSignal(worker.sig_finished, timeout=20000) as blocker:
        worker.start(["r1", "--merged", str(out)], out_dir=out)
        qtbot.waitUntil(lambda: any(p["stage"] == "writing" and p["current"] == 3
                                    for p in progress), timeout=15000)
        assert list(out.parent.glob(".merged.partial-*"))
        worker.cancel(timeout_s=10)
    payload = blocker.args[0]
    assert payload["status"] == "cancelled" and payload["exit_code"] == 128 + 15
    assert payload["last_stage"] == "writing"
    assert list(out.parent.iterdir()) == []


@posix_only
def test_a_child_ignoring_sigterm_is_killed_and_its_partial_folder_removed(qtbot, fake):
    worker, out, progress, logs = fake("hang", ignore_term=True)
    with qtbot.waitSignal(worker.sig_finished, timeout=20000) as blocker:
        worker.start(["r1", "--merged", str(out)], out_dir=out)
        qtbot.waitUntil(lambda: len(progress) >= 5, timeout=15000)
        worker.cancel(timeout_s=0.3)
    payload = blocker.args[0]
    assert payload["status"] == "cancelled" and payload["exit_code"] == -9
    assert any("killing it" in line for line in logs)
    assert list(out.parent.iterdir()) == []


def test_one_export_at_a_time(qtbot, fake):
    worker, out, _progress, _logs = fake("hang")
    worker.start(["r1", "--merged", str(out)], out_dir=out)
    with pytest.raises(RuntimeError, match="already running"):
        worker.start(["r1", "--merged", str(out)])
    with qtbot.waitSignal(worker.sig_finished, timeout=20000):
        worker.kill()


def test_shutdown_ends_the_child(qtbot, fake):
    worker, out, progress, _logs = fake("hang")
    worker.start(["r1", "--merged", str(out)], out_dir=out)
    qtbot.waitUntil(lambda: len(progress) >= 5, timeout=15000)
    pid = worker.pid
    worker.shutdown(wait_s=10)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert not list(out.parent.glob(".merged.partial-*"))


# ---- the Qt-free parts ----------------------------------------------------------------------
def test_outcomes():
    done = {"event": "export_finished", "ok": True}
    assert decide_outcome(done, [], 0, False, "")["status"] == "exported"
    assert decide_outcome({**done, "ok": False}, [], 1, False, "")["status"] == \
        "verification_failed"
    assert decide_outcome(None, [], -15, True, "")["status"] == "cancelled"
    error = {"event": "error", "message": "boom", "kind": "bug", "traceback": "Traceback..."}
    failed = decide_outcome(None, [error], 1, False, "tail")
    assert (failed["status"], failed["error"], failed["kind"], failed["traceback"]) == \
        ("failed", "boom", "bug", "Traceback...")
    killed = describe_exit(-9, "export")
    assert "SIGKILL" in killed and "out of memory" in killed and "export process" in killed


def test_remove_partials_leaves_older_and_other_folders(tmp_path):
    out = tmp_path / "export"
    old = tmp_path / ".export.partial-0000"
    old.mkdir()
    os.utime(old, (1, 1))
    new = tmp_path / ".export.partial-1111"
    new.mkdir()
    other = tmp_path / ".other.partial-2222"
    other.mkdir()
    assert remove_partials(out, since=100.0) == [new]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".export.partial-0000",
                                                          ".other.partial-2222"]
