"""EvaluationWorker with a real child process: a fake ``peft-studio eval`` that speaks the
events (finishing, failing, crashing, waiting to be cancelled)."""

from __future__ import annotations

import json
import os
import sys
import textwrap

import pytest

from workers.evaluation import EvaluationWorker, command_args, decide_outcome

FAKE_EVAL = textwrap.dedent('''
    import json, os, signal, sys, time

    spec = json.loads(os.environ["FAKE_EVAL"])
    with open(spec["argv_file"], "w") as f:
        json.dump(sys.argv[1:], f)
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))

    def emit(event, **fields):
        print(json.dumps({"event": event, "time": time.time(), **fields}), flush=True)

    print("loading mindnlp", flush=True)
    if spec["mode"] == "crash":
        sys.exit(3)
    if spec["mode"] == "error":
        emit("error", message="test.csv, row 3: unknown label 'x'", kind="known")
        sys.exit(2)
    emit("eval_started", target="demo", rows=4, kind="classify")
    for done in (2, 4):
        emit("eval_progress", target="demo", done=done, total=4, elapsed_s=1.0,
             rows_per_s=2.0, tokens_per_s=None, eta_s=1.0)
        if spec["mode"] == "wait":
            while not stop:
                time.sleep(0.02)
            emit("eval_cancelled", target="demo")
            sys.exit(130)
    emit("eval_finished", id=7, target="demo", metrics={"accuracy": 0.5})
''')


@pytest.fixture()
def fake(tmp_path):
    script = tmp_path / "fake_eval.py"
    script.write_text(FAKE_EVAL)

    def make(mode: str) -> tuple[EvaluationWorker, object]:
        spec = {"mode": mode, "argv_file": str(tmp_path / "argv.json")}
        worker = EvaluationWorker(command_prefix=[sys.executable, str(script)],
                                  env={"FAKE_EVAL": json.dumps(spec)})
        return worker, tmp_path / "argv.json"

    return make


def test_a_finished_evaluation_reports_progress_and_records(qtbot, fake):
    worker, argv = fake("ok")
    progress: list[dict] = []
    worker.sig_progress.connect(progress.append)
    args = command_args("run-1", "/d/test.csv", with_base=True, max_samples=10, batch_size=4)
    with qtbot.waitSignal(worker.sig_finished, timeout=20000) as blocker:
        worker.start(args)
    payload = blocker.args[0]
    assert payload["status"] == "finished" and payload["exit_code"] == 0
    assert [e["id"] for e in payload["evaluations"]] == [7]
    assert [e["event"] for e in progress] == ["eval_started", "eval_progress", "eval_progress"]
    assert json.loads(argv.read_text()) == ["eval", "run-1", "--data", "/d/test.csv",
                                            "--batch-size", "4", "--with-base",
                                            "--max-samples", "10", "--events", "json"]
    assert not worker.is_running()


def test_errors_and_crashes_are_failures_with_the_reason(qtbot, fake):
    worker, _ = fake("error")
    with qtbot.waitSignal(worker.sig_finished, timeout=20000) as blocker:
        worker.start(["x", "--data", "y"])
    assert blocker.args[0]["status"] == "failed"
    assert "unknown label 'x'" in blocker.args[0]["error"]
    worker, _ = fake("crash")
    with qtbot.waitSignal(worker.sig_finished, timeout=20000) as blocker:
        worker.start(["x", "--data", "y"])
    assert blocker.args[0]["status"] == "failed" and blocker.args[0]["kind"] == "bug"
    assert "exit code 3" in blocker.args[0]["error"]


@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
def test_cancel_asks_the_child_to_stop(qtbot, fake):
    worker, _ = fake("wait")
    with qtbot.waitSignal(worker.sig_progress, timeout=20000):
        worker.start(["x", "--data", "y"])
    with qtbot.waitSignal(worker.sig_finished, timeout=20000) as blocker:
        worker.cancel()
    assert blocker.args[0]["status"] == "cancelled" and blocker.args[0]["exit_code"] == 130


def test_decide_outcome():
    assert decide_outcome([], [], 0, False, "")["status"] == "failed"   # said nothing
    assert decide_outcome([{"id": 1}], [], 0, False, "")["status"] == "finished"
    assert decide_outcome([{"id": 1}], [], -9, True, "")["status"] == "cancelled"
