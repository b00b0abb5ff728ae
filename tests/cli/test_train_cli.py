"""``peft-studio train`` as a real child process: JSON events, SIGKILL, resume, store intact."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from factories import write_run_file, write_text_dataset

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def _env() -> dict[str, str]:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def studio(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "studio", *args], capture_output=True,
                          text=True, env=_env(), timeout=timeout, cwd=ROOT)


def events(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def test_train_prints_one_json_event_per_line(tmp_path, tiny_models):
    data = write_text_dataset(tmp_path / "lines.txt", n=16)
    run_file = write_run_file(tmp_path / "run.yaml", tiny_models("qwen2", init_range=0.2), data,
                              training={"epochs": 1, "batch_size": 4})
    done = studio("train", "--events", "json", str(run_file))
    assert done.returncode == 0, done.stdout + done.stderr
    evs = events(done.stdout)
    assert all(line.startswith("{") for line in done.stdout.splitlines() if line.strip())
    kinds = [e["event"] for e in evs]
    assert kinds[-1] == "finished" and "run_started" in kinds and "step" in kinds
    step = next(e for e in evs if e["event"] == "step")
    for key in ("loss", "lr", "grad_norm", "tokens_per_second", "elapsed", "eta", "epoch"):
        assert key in step, key
    run_id = evs[-1]["run_id"]
    shown = json.loads(studio("runs", "show", run_id, "--json").stdout)
    assert shown["status"] == "completed" and shown["metrics"]["train/loss"]


def test_bad_run_file_lists_every_problem_and_trains_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("model: /nowhere\nmethod: {name: lora, r: 0}\n"
                   "dataset: {path: missing.jsonl}\ntraining: {batch_size: 0}\n")
    done = studio("train", "--events", "json", str(bad))
    assert done.returncode == 2
    fields = {e.get("field") for e in events(done.stdout) if e["event"] == "error"}
    assert {"model", "method.r", "dataset.path", "training.batch_size"} <= fields
    assert json.loads(studio("runs", "list", "--json").stdout) == []


def test_sigkill_mid_training_then_resume_finishes_with_store_intact(tmp_path, tiny_models):
    data = write_text_dataset(tmp_path / "lines.txt", n=64)
    run_file = write_run_file(tmp_path / "run.yaml", tiny_models("llama", init_range=0.2), data,
                              training={"epochs": 2, "batch_size": 2, "save_steps": 3})
    child = subprocess.Popen([sys.executable, "-m", "studio", "train", "--events", "json",
                              str(run_file)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=_env(), cwd=ROOT)
    seen: list[dict] = []
    deadline = time.time() + 240
    try:
        for line in child.stdout:
            if line.startswith("{"):
                seen.append(json.loads(line))
            checkpointed = [e["step"] for e in seen if e["event"] == "checkpoint"]
            steps = [e["step"] for e in seen if e["event"] == "step"]
            if checkpointed and steps and steps[-1] > checkpointed[-1]:
                break
            assert time.time() < deadline, "no checkpoint in time"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    started = next(e for e in seen if e["event"] == "run_started")
    run_id, total = started["run_id"], started["total_steps"]
    last_checkpoint = [e["step"] for e in seen if e["event"] == "checkpoint"][-1]
    assert last_checkpoint < total

    listed = json.loads(studio("runs", "list", "--json").stdout)
    assert listed[0]["id"] == run_id and listed[0]["status"] == "failed"

    resumed = studio("train", "--events", "json", "--resume", run_id)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    evs = events(resumed.stdout)
    assert evs[0]["event"] == "log" and f"step {last_checkpoint}" in evs[0]["message"]
    started = next(e for e in evs if e["event"] == "run_started")
    assert started["run_id"] == run_id
    assert started["start_step"] == last_checkpoint and started["total_steps"] == total
    assert [e["step"] for e in evs if e["event"] == "step"] == list(range(last_checkpoint + 1,
                                                                           total + 1))
    shown = json.loads(studio("runs", "show", run_id, "--json").stdout)
    assert shown["status"] == "completed" and shown["error"] is None
    assert [step for step, _ in shown["metrics"]["train/loss"]] == list(range(1, total + 1))

    db = sqlite3.connect(os.environ["PEFT_STUDIO_HOME"] + "/data/runs.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
