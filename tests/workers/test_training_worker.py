"""TrainingWorker with a real child process: a fake trainer printing JSON lines, and (slow) the
real ``python -m studio train`` on a tiny model."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from studio.core.store import RunStore
from workers.child import describe_exit
from workers.training import ChildState, TrainingWorker, decide_outcome

ROOT = Path(__file__).resolve().parents[2]
posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX signals")

FAKE_TRAINER = textwrap.dedent('''
    """Speaks the training child's protocol; what it does comes from the JSON "run file"."""
    import json, os, signal, sys, time

    args = sys.argv[1:]
    spec = json.loads(os.environ["FAKE_SPEC"]) if "--resume" in args else json.load(open(args[-1]))
    out = spec["output_dir"]
    os.makedirs(out, exist_ok=True)
    stop_file = os.path.join(out, "STOP")
    stopped = []
    if spec.get("ignore_term"):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    else:
        signal.signal(signal.SIGTERM, lambda *a: stopped.append(1))

    def emit(event, **fields):
        print(json.dumps({"event": event, "time": time.time(), **fields}), flush=True)

    def stop_asked():
        return stopped or (spec.get("honour_stop_file", True) and os.path.exists(stop_file))

    print("plain text from the trainer", flush=True)
    print("{not json either", flush=True)
    for i in range(spec.get("stderr_lines", 3)):
        print(f"stderr line {i}", file=sys.stderr, flush=True)
    if spec.get("silent"):
        while True:
            time.sleep(0.05)
    emit("run_started", run_id=spec["run_id"], output_dir=out, total_steps=spec["steps"],
         start_step=0)
    for step in range(1, spec["steps"] + 1):
        time.sleep(spec.get("sleep", 0.01))
        if stop_asked():
            emit("checkpoint", step=step - 1, path=os.path.join(out, f"checkpoint-{step - 1}"))
            emit("finished", status="stopped", step=step - 1, output_dir=out, metrics={},
                 run_id=spec["run_id"])
            with open(os.path.join(out, "how_stopped"), "w") as f:
                f.write("signal" if stopped else "stop file")
            sys.exit(0)
        emit("step", step=step, loss=1.0 / step, lr=0.01, total_steps=spec["steps"])
        if spec.get("fail_at") == step:
            if spec.get("error_event"):
                emit("error", message="dataset column missing", kind="known", traceback=None)
            print("Traceback: boom", file=sys.stderr, flush=True)
            sys.exit(1)
    if spec.get("flood"):  # after a detach: more than a pipe buffer on both pipes
        for i in range(spec["flood"]):
            print("x" * 200, flush=True)
            print("y" * 200, file=sys.stderr, flush=True)
        open(os.path.join(out, "done"), "w").close()
        sys.exit(0)
    while spec.get("hang") or (spec.get("hang_until_stop") and not stop_asked()):
        time.sleep(0.02)
    if stop_asked():
        emit("finished", status="stopped", step=spec["steps"], output_dir=out, metrics={},
             run_id=spec["run_id"])
        sys.exit(0)
    emit("finished", status="completed", step=spec["steps"], output_dir=out,
         metrics={"train_loss": 0.1}, run_id=spec["run_id"])
    while spec.get("linger"):  # stuck on the way out
        time.sleep(0.02)
''')


@pytest.fixture
def fake(tmp_path):
    script = tmp_path / "fake_trainer.py"
    script.write_text(FAKE_TRAINER)
    workers: list[TrainingWorker] = []

    def make(qtbot, run_id: str = "20250101-000000-abcd", create_row: bool = True, **spec):
        out = tmp_path / "out"
        spec = {"run_id": run_id, "output_dir": str(out), "steps": 5, **spec}
        run_file = tmp_path / "run.json"
        run_file.write_text(json.dumps(spec))
        if create_row:
            with RunStore() as store:
                store.create_run({"model": "m", "method": {"name": "lora"}}, run_id=run_id,
                                 name="fake run", output_dir=str(out), status="running")
        worker = TrainingWorker(command_prefix=[sys.executable, str(script)],
                                env={"FAKE_SPEC": json.dumps(spec)})
        events: list[dict] = []
        logs: list[str] = []
        worker.sig_event.connect(events.append)
        worker.sig_log.connect(logs.append)
        workers.append(worker)
        return worker, run_file, out, events, logs

    yield make
    for worker in workers:  # a failed test must not leave a hanging fake behind
        if worker.is_running():
            worker.kill()


def finish(qtbot, worker: TrainingWorker, action=None, timeout: int = 20000) -> dict:
    with qtbot.waitSignal(worker.sig_finished, timeout=timeout) as blocker:
        if action is not None:
            action()
    return blocker.args[0]


def store_row(run_id: str):
    with RunStore() as store:
        return store.get_run(run_id)


# ---- plain functions ------------------------------------------------------------------------
def test_describe_exit():
    assert describe_exit(3, "training") == "the training process ended unexpectedly (exit code 3)"
    text = describe_exit(-9, "training")
    assert "killed by signal 9 (SIGKILL)" in text and "out of memory" in text
    assert "killed by signal 15 (SIGTERM)" in describe_exit(-15, "training")


def test_decide_outcome_cases():
    state = ChildState()
    state.feed({"event": "run_started", "run_id": "r1", "output_dir": "/o"})
    assert (state.run_id, state.output_dir) == ("r1", "/o")
    payload, update = decide_outcome(state, -9, False, "tail")
    assert payload["status"] == "failed" and update is not None
    assert update == ("failed", describe_exit(-9, "training"), "tail")   # the tail kept apart
    assert payload["error"] == describe_exit(-9, "training") and payload["stderr_tail"] == "tail"

    assert decide_outcome(state, -9, True, "")[0]["status"] == "stopped"
    assert decide_outcome(state, -9, True, "")[1] == ("stopped", None, None)

    state.feed({"event": "error", "message": "bad", "kind": "bug", "traceback": "TB"})
    payload, update = decide_outcome(state, 1, False, "")
    assert (payload["error"], payload["traceback"]) == ("bad", "TB")
    assert update == ("failed", "bad", "TB")

    state.feed({"event": "finished", "status": "completed", "run_id": "r1", "output_dir": "/o"})
    payload, update = decide_outcome(state, 0, False, "")
    assert (payload["status"], payload["error"], update) == ("completed", None, None)


# ---- a fake trainer -------------------------------------------------------------------------
def test_events_arrive_in_order(qtbot, fake):
    worker, run_file, out, events, logs = fake(qtbot, steps=5)
    finished: list[dict] = []   # connected first: under load both signals can come in one wait
    worker.sig_finished.connect(finished.append)
    with qtbot.waitSignal(worker.sig_started, timeout=20000) as started:
        worker.start_run(run_file)
        assert worker.is_running()
    assert started.args == ["20250101-000000-abcd"]
    assert worker.run_id == "20250101-000000-abcd" and worker.output_dir == out
    qtbot.waitUntil(lambda: len(finished) == 1, timeout=20000)
    result = finished[0]

    kinds = [e["event"] for e in events]
    assert kinds == ["run_started"] + ["step"] * 5 + ["finished"]
    assert [e["step"] for e in events if e["event"] == "step"] == [1, 2, 3, 4, 5]
    assert logs == ["plain text from the trainer", "{not json either"]
    assert result["status"] == "completed" and result["exit_code"] == 0
    assert result["run_id"] == "20250101-000000-abcd" and result["error"] is None
    assert result["stderr_tail"].splitlines() == ["stderr line 0", "stderr line 1",
                                                  "stderr line 2"]
    assert not worker.is_running()
    assert store_row("20250101-000000-abcd").status == "running"  # the child's business


def test_signals_in_order_with_wait_signals(qtbot, fake):
    worker, run_file, *_ = fake(qtbot, steps=2)
    with qtbot.waitSignals([worker.sig_started, worker.sig_finished], order="strict",
                           timeout=20000):
        worker.start_run(run_file)


def test_stderr_tail_keeps_the_last_lines(qtbot, fake):
    worker, run_file, *_ = fake(qtbot, steps=1, stderr_lines=200)
    result = finish(qtbot, worker, lambda: worker.start_run(run_file))
    lines = result["stderr_tail"].splitlines()
    assert len(lines) == 60 and lines[0] == "stderr line 140" and lines[-1] == "stderr line 199"


@posix_only
def test_stop_politely_by_signal(qtbot, fake):
    worker, run_file, out, events, _ = fake(qtbot, steps=3, hang_until_stop=True)
    with qtbot.waitSignal(worker.sig_started, timeout=20000):
        worker.start_run(run_file)
    result = finish(qtbot, worker, lambda: worker.stop(timeout_s=20))
    assert result["status"] == "stopped" and result["exit_code"] == 0
    assert events[-1]["event"] == "finished" and events[-1]["status"] == "stopped"
    assert (out / "STOP").exists()  # the worker asked both ways; the fake saw one of them


def test_stop_file_alone_stops_a_child_that_ignores_sigterm(qtbot, fake):
    worker, run_file, out, _events, _ = fake(qtbot, steps=3, hang_until_stop=True,
                                            ignore_term=True)
    with qtbot.waitSignal(worker.sig_started, timeout=20000):
        worker.start_run(run_file)
    result = finish(qtbot, worker, lambda: worker.stop(timeout_s=20))
    assert result["status"] == "stopped" and result["exit_code"] == 0
    assert (out / "how_stopped").read_text() == "stop file"


@posix_only
def test_stop_escalates_to_kill(qtbot, fake):
    worker, run_file, _out, _events, logs = fake(qtbot, steps=2, hang=True, ignore_term=True,
                                            honour_stop_file=False)
    with qtbot.waitSignal(worker.sig_started, timeout=20000):
        worker.start_run(run_file)
    result = finish(qtbot, worker, lambda: worker.stop(timeout_s=0.5))
    assert result["exit_code"] == -signal.SIGKILL
    assert result["status"] == "stopped" and result["error"] is None
    assert any("did not exit in time" in line for line in logs)
    assert store_row("20250101-000000-abcd").status == "stopped"


@posix_only
def test_sigkill_marks_the_run_failed(qtbot, fake):
    worker, run_file, _out, _events, _ = fake(qtbot, steps=2, hang=True, stderr_lines=2)
    with qtbot.waitSignal(worker.sig_started, timeout=20000):
        worker.start_run(run_file)
    result = finish(qtbot, worker, lambda: os.kill(worker.pid, signal.SIGKILL))
    assert result["status"] == "failed" and result["exit_code"] == -9
    assert "killed by signal 9" in result["error"]
    row = store_row("20250101-000000-abcd")
    assert row.status == "failed" and row.finished_at is not None
    assert row.error.startswith("the training process ended unexpectedly (killed by signal 9")
    assert row.error.code == "worker.training_ended"   # translatable; the stderr kept apart
    assert row.error_detail.endswith("stderr line 0\nstderr line 1")


def test_crash_exit_code_marks_the_run_failed(qtbot, fake):
    worker, run_file, *_ = fake(qtbot, steps=4, fail_at=2)
    result = finish(qtbot, worker, lambda: worker.start_run(run_file))
    assert result["status"] == "failed" and result["exit_code"] == 1
    assert result["error"] == "the training process ended unexpectedly (exit code 1)"
    assert result["stderr_tail"].endswith("Traceback: boom")
    row = store_row("20250101-000000-abcd")
    assert row.status == "failed" and row.error == result["error"]
    assert row.error_detail.endswith("Traceback: boom")


def test_error_event_is_the_message(qtbot, fake):
    worker, run_file, *_ = fake(qtbot, steps=4, fail_at=1, error_event=True)
    result = finish(qtbot, worker, lambda: worker.start_run(run_file))
    assert result["status"] == "failed" and result["error"] == "dataset column missing"
    assert store_row("20250101-000000-abcd").error == "dataset column missing"


def test_a_finished_run_in_the_store_is_left_alone(qtbot, fake):
    worker, run_file, *_ = fake(qtbot, steps=1, hang=True)
    with qtbot.waitSignal(worker.sig_started, timeout=20000):
        worker.start_run(run_file)
    with RunStore() as store:
        store.set_status("20250101-000000-abcd", "completed")
    result = finish(qtbot, worker, worker.kill)
    assert result["status"] == "stopped"
    assert store_row("20250101-000000-abcd").status == "completed"


@posix_only
def test_resume_learns_the_run_from_the_store(qtbot, fake):
    worker, _run_file, out, *_ = fake(qtbot, silent=True)
    worker.resume_run("fake run")  # by name; the fake prints nothing but text
    qtbot.waitUntil(lambda: worker.run_id == "20250101-000000-abcd", timeout=20000)
    assert worker.output_dir == out
    result = finish(qtbot, worker, lambda: os.kill(worker.pid, signal.SIGKILL))
    assert result["status"] == "failed" and result["run_id"] == "20250101-000000-abcd"
    assert store_row("20250101-000000-abcd").status == "failed"


def test_start_twice_is_refused(qtbot, fake):
    worker, run_file, *_ = fake(qtbot, steps=1, hang=True)
    worker.start_run(run_file)
    with pytest.raises(RuntimeError):
        worker.start_run(run_file)
    finish(qtbot, worker, worker.kill)
    assert not worker.is_running()


def test_a_child_stuck_after_finishing_is_killed(qtbot, fake, monkeypatch):
    monkeypatch.setattr("workers.training.LINGER_S", 0.3)
    worker, run_file, *_ = fake(qtbot, steps=1, linger=True)
    result = finish(qtbot, worker, lambda: worker.start_run(run_file))
    assert result["status"] == "completed" and result["exit_code"] != 0


def test_a_child_that_cannot_start_is_a_known_error(qtbot, tmp_path):
    from studio.core.errors import StudioError

    worker = TrainingWorker(command_prefix=[str(tmp_path / "no-such-python")])
    with pytest.raises(StudioError, match="could not start the training process"):
        worker.start_run(tmp_path / "run.yaml")
    assert not worker.is_running()


def test_detach_leaves_the_child_running(qtbot, fake):
    worker, run_file, out, events, _logs = fake(qtbot, steps=3, sleep=0.3, flood=3000)
    with qtbot.waitSignal(worker.sig_started, timeout=20000):
        worker.start_run(run_file)
    finished: list[dict] = []
    worker.sig_finished.connect(finished.append)
    worker.detach()
    count = len(events)
    assert not worker.is_running()
    # 3000 lines of 200 characters on each pipe: the child blocks unless someone drains them
    qtbot.waitUntil(lambda: (out / "done").exists(), timeout=30000)
    qtbot.wait(300)
    assert len(events) == count and not finished
    assert store_row("20250101-000000-abcd").status == "running"
    qtbot.waitUntil(lambda: "y" * 200 in (out / "stderr.log").read_text(), timeout=10000)


# ---- the real trainer -----------------------------------------------------------------------
@pytest.mark.slow
def test_real_trainer_on_a_tiny_model(qtbot, tmp_path):
    from factories import write_run_file, write_text_dataset

    model = tmp_path / "model"
    # Built in a child too: the GUI process never imports mindnlp, and neither does this test.
    subprocess.run([sys.executable, "-c",
                    "import sys; sys.path[:0] = sys.argv[2:]; from factories import make_model;"
                    "make_model(sys.argv[1], 'llama', init_range=0.2)",
                    str(model), str(ROOT / "tests"), str(ROOT)], check=True, timeout=300)
    data = write_text_dataset(tmp_path / "lines.txt", n=16)
    run_file = write_run_file(tmp_path / "run.yaml", model, data,
                              training={"epochs": 1, "batch_size": 4}, name="gui-child")
    worker = TrainingWorker()
    events: list[dict] = []
    worker.sig_event.connect(events.append)
    with qtbot.waitSignal(worker.sig_finished, timeout=300000) as blocker:
        worker.start_run(run_file)
    result = blocker.args[0]
    assert result["status"] == "completed", result
    kinds = [e["event"] for e in events]
    assert kinds[0] in ("log", "run_started") and "run_started" in kinds
    assert kinds[-1] == "finished"
    steps = [e for e in events if e["event"] == "step"]
    started = next(e for e in events if e["event"] == "run_started")
    assert len(steps) == started["total_steps"] >= 1
    assert all(isinstance(e["loss"], float) for e in steps)
    row = store_row(result["run_id"])
    assert row.status == "completed" and row.name == "gui-child"
    assert worker.output_dir == Path(row.output_dir) and not (worker.output_dir / "STOP").exists()
