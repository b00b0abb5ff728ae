"""Data parallel training through msrun on CPU workers: the same losses and adapter as one
process on the same global batch, two hosts simulated as two msrun nodes on localhost, and a
worker killed mid-run ending the run cleanly (then resumed).

Each test starts a scheduler and two MindSpore workers: few, tiny, and marked slow."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import psutil
import pytest
import yaml
from factories import free_port, write_run_file, write_text_dataset

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
LORA = {"name": "lora", "r": 4, "lora_alpha": 8, "lora_dropout": 0.0,
        "target_modules": ".*q_proj|.*v_proj"}


def _env() -> dict[str, str]:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _studio(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "studio", "train", "--events", "json", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=_env(), cwd=ROOT)


def _events(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def _finish(proc: subprocess.Popen, timeout: float = 400) -> tuple[int, list[dict], str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, _events(out), out + err


def _run_file(tmp_path: Path, model: Path, name: str, distributed: dict | None,
              training: dict | None = None) -> Path:
    data = tmp_path / "lines.txt"
    if not data.exists():
        write_text_dataset(data, n=24)
    top = {"output_dir": str(tmp_path / name)}
    if distributed:
        top["distributed"] = {"master_port": free_port(), **distributed}
    # Unpacked lines of different lengths: the shards hold different numbers of label tokens,
    # so only a loss weighted by each shard's share matches the single process.
    return write_run_file(tmp_path / f"{name}.yaml", model, data, method=LORA,
                          training={"epochs": 1, "batch_size": 4, "eval_steps": None,
                                    **(training or {})},
                          dataset_options={"pack": False, "validation_split": 0.15}, **top)


def _losses(run_id: str, name: str = "train/loss") -> list[float]:
    from studio.core.store import RunStore

    series = RunStore().metric_series(run_id)
    return [point.value for point in series[name]]


def _adapter(folder: Path) -> dict[str, np.ndarray]:
    from safetensors.numpy import load_file

    return load_file(str(folder / "adapter_model.safetensors"))


def _assert_same_training(run_id: str, output: Path,
                          reference: tuple[list[float], dict, list[float]]) -> None:
    losses, weights, eval_losses = reference
    np.testing.assert_allclose(_losses(run_id), losses, rtol=1e-5)
    # each worker evaluated its share of the validation rows; the sums make one process's
    assert eval_losses
    np.testing.assert_allclose(_losses(run_id, "eval/eval_loss"), eval_losses, rtol=1e-5)
    got = _adapter(output)
    assert got.keys() == weights.keys()
    for key, value in weights.items():
        np.testing.assert_allclose(got[key], value, rtol=1e-5, atol=1e-5, err_msg=key)


def _leftovers(marker: str) -> list[str]:
    found = []
    for proc in psutil.process_iter(["cmdline", "status"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if marker in cmdline and proc.info["status"] != psutil.STATUS_ZOMBIE:
            found.append(f"{proc.pid}: {cmdline[:200]}")
    return found


@pytest.fixture
def reference(tmp_path, tiny_models):
    """One process, the same run file without a distributed section."""
    from factories import train_ok

    model = tiny_models("qwen2", init_range=0.2)
    store = train_ok(_run_file(tmp_path, model, "single", None))
    run = store.list_runs()[0]
    return model, (_losses(run.id), _adapter(Path(run.output_dir)),
                   _losses(run.id, "eval/eval_loss"))


def test_two_local_workers_match_one_process(tmp_path, reference):
    model, expected = reference
    code, evs, text = _finish(_studio(str(_run_file(tmp_path, model, "two", {"workers": 2}))))
    assert code == 0, text
    kinds = [e["event"] for e in evs]
    assert kinds[-1] == "finished" and kinds.count("run_started") == 1, text
    assert next(e for e in evs if e["event"] == "run_started")["workers"] == 2
    states = [w["state"] for w in [e for e in evs if e["event"] == "workers"][-1]["workers"]]
    assert states == ["finished", "finished"]
    run_id = evs[-1]["run_id"]
    from studio.core.store import RunStore

    record = RunStore().get_run(run_id)
    assert record.status == "completed" and record.config["distributed"]["workers"] == 2
    assert [e["loss"] for e in evs if e["event"] == "step"] == pytest.approx(expected[0], rel=1e-5)
    _assert_same_training(run_id, tmp_path / "two", expected)
    assert not _leftovers(str(tmp_path / "two"))


def _when_exists(path: Path, proc: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"{path} did not appear in {timeout} s"
        time.sleep(0.2)


def _ending(*procs: subprocess.Popen) -> None:
    """Kill what a failed assertion left running (its workers follow their train process)."""
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_two_hosts_as_two_msrun_nodes_on_localhost(tmp_path, reference):
    model, expected = reference
    run_file = _run_file(tmp_path, model, "nodes", {"workers": 2,
                                                   "hosts": ["127.0.0.1", "127.0.0.1"]})
    leader = _studio(str(run_file), "--node-rank", "0")
    started = [leader]
    try:
        # As on a cluster, the second host starts once the first runs: the output folder
        # (shared) holds the first host's files by then, which a second host accepts.
        _when_exists(tmp_path / "nodes" / "workers" / "msrun.log", leader)
        follower = _studio(str(run_file), "--node-rank", "1")
        started.append(follower)
        follower_code, follower_evs, follower_text = _finish(follower)
        assert follower_code == 0, follower_text
        code, evs, text = _finish(leader)
        assert code == 0, text
    finally:
        _ending(*started)
    assert not any(e["event"] in ("run_started", "step") for e in follower_evs)
    last = [e for e in follower_evs if e["event"] == "workers"][-1]
    assert [w["rank"] for w in last["workers"]] == [1]
    _assert_same_training(evs[-1]["run_id"], tmp_path / "nodes", expected)
    assert not _leftovers(str(tmp_path / "nodes"))


def test_killed_worker_fails_the_run_cleanly_and_resume_finishes_it(tmp_path, tiny_models):
    model = tiny_models("qwen2", init_range=0.2)
    run_file = _run_file(tmp_path, model, "killed", {"workers": 2},
                         training={"epochs": 3, "save_steps": 2})
    output = tmp_path / "killed"
    proc = _studio(str(run_file))
    steps = []
    for line in proc.stdout:  # until the run has a checkpoint and goes on
        event = json.loads(line) if line.startswith("{") else {}
        if event.get("event") == "step":
            steps.append(event["step"])
        if event.get("event") == "checkpoint":
            break
    victim = json.loads((output / "workers" / "rank-1.pid.json").read_text())["pid"]
    os.kill(victim, signal.SIGKILL)
    out, err = proc.communicate(timeout=60)  # the bound: failed within 60 s
    assert proc.returncode == 1, out + err
    error = [e for e in _events(out) if e["event"] == "error"][-1]["message"]
    assert f"worker 1 (process {victim})" in error and "SIGKILL" in error
    assert not _leftovers(str(output))
    from studio.core.store import RunStore

    run = RunStore().list_runs()[0]
    assert run.status == "failed" and "worker 1" in run.error

    code, evs, text = _finish(_studio("--resume", run.id))
    assert code == 0, text
    started = next(e for e in evs if e["event"] == "run_started")
    assert started["start_step"] >= 2 and evs[-1]["status"] == "completed"
    assert RunStore().get_run(run.id).status == "completed"
    assert not _leftovers(str(output))


def test_sigterm_stops_every_worker_at_a_checkpoint(tmp_path, tiny_models):
    model = tiny_models("qwen2", init_range=0.2)
    run_file = _run_file(tmp_path, model, "stopped", {"workers": 2}, training={"epochs": 3})
    proc = _studio(str(run_file))
    for line in proc.stdout:  # the window's Stop: SIGTERM to train, which asks every worker
        if '"event": "step"' in line:
            proc.send_signal(signal.SIGTERM)
            break
    code, evs, text = _finish(proc, timeout=120)
    assert code == 0, text
    finished = evs[-1]
    assert finished["event"] == "finished" and finished["status"] == "stopped", text
    assert finished["step"] < 15
    from studio.core import checkpoints

    assert checkpoints.list_checkpoints(tmp_path / "stopped")[-1][0] == finished["step"]
    assert not (tmp_path / "stopped" / "STOP").exists()
    assert not _leftovers(str(tmp_path / "stopped"))


def test_the_other_host_stops_with_a_clear_error_when_the_leading_host_dies(tmp_path, tiny_models):
    model = tiny_models("qwen2", init_range=0.2)
    run_file = _run_file(tmp_path, model, "lost", {"workers": 2,
                                                  "hosts": ["127.0.0.1", "127.0.0.1"]},
                         training={"epochs": 20})
    leader = _studio(str(run_file), "--node-rank", "0")
    started = [leader]
    try:
        _when_exists(tmp_path / "lost" / "workers" / "msrun.log", leader)
        follower = _studio(str(run_file), "--node-rank", "1")
        started.append(follower)
        for line in leader.stdout:  # both hosts train
            if '"event": "step"' in line:
                break
        leader.kill()   # the leading host is gone: its train process, workers and scheduler
        leader.communicate()
        out, err = follower.communicate(timeout=120)
    finally:
        _ending(*started)
    assert follower.returncode == 1, out + err
    error = [e for e in _events(out) if e["event"] == "error"][-1]["message"]
    port = yaml.safe_load(run_file.read_text())["distributed"]["master_port"]
    assert f"the first host stopped answering (its scheduler at 127.0.0.1:{port}" in error
    assert "start node 1 again" in error
    assert not _leftovers(str(tmp_path))   # nor the first host's scheduler
