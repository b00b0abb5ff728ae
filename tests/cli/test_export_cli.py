"""``peft-studio export`` end to end: real child processes against a trained run, JSON
events for the window, exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from factories import write_run_file, write_text_dataset

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def trained(tmp_path_factory, tiny_models):
    """One LoRA run (checkpoints at steps 1 and 2) in the store of a studio home of its own."""
    from studio.core import runner
    from studio.core.store import RunStore
    from studio.core.validate import load_and_validate

    home = tmp_path_factory.mktemp("export-cli")
    data = write_text_dataset(home / "lines.txt", n=16)
    run_file = write_run_file(home / "run.yaml", tiny_models("llama", init_range=0.2), data,
                              training={"epochs": 1, "batch_size": 4, "max_steps": 2,
                                        "save_steps": 1},
                              output_dir=str(home / "run"), name="cli-lora")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PEFT_STUDIO_HOME", str(home / "studio"))
        from studio import paths

        with RunStore(paths.store_path()) as store:
            assert runner.start(load_and_validate(run_file), lambda *a, **k: None, store) == 0
    return SimpleNamespace(home=home / "studio", out=home / "exports")


def studio(trained, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONUNBUFFERED="1", PEFT_STUDIO_HOME=str(trained.home))
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "studio", "export", *args],
                          check=False, capture_output=True, text=True,
                          env=env, timeout=timeout, cwd=ROOT)


def events(stdout: str) -> list[dict]:
    lines = [line for line in stdout.splitlines() if line.strip()]
    assert all(line.startswith("{") for line in lines), stdout
    return [json.loads(line) for line in lines]


def test_merged_export_streams_progress_and_verifies(trained):
    out = trained.out / "merged-bf16"
    done = studio(trained, "cli-lora", "--merged", str(out), "--dtype", "bfloat16",
                  "--shard-size", "30KB", "--events", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    evs = events(done.stdout)
    stages = [e["stage"] for e in evs if e["event"] == "export_progress"]
    for stage in ("checking", "loading", "merging", "writing", "verifying", "done"):
        assert stage in stages, stage
    shards = [e for e in evs if e["event"] == "export_progress" and e["total"] > 1]
    assert shards and shards[-1]["current"] == shards[-1]["total"]
    finished = evs[-1]
    assert finished["event"] == "export_finished" and finished["ok"] is True
    assert finished["dtype"] == "bfloat16" and finished["verification"]["passed"] is True
    assert (out / "model.safetensors.index.json").is_file()

    shown = subprocess.run([sys.executable, "-m", "studio", "runs", "show", "cli-lora",
                            "--json"], check=False, capture_output=True, text=True, cwd=ROOT,
                           timeout=120, env=dict(os.environ, PEFT_STUDIO_HOME=str(trained.home)))
    exports = json.loads(shown.stdout)["exports"]
    assert [(e["kind"], e["dtype"], e["verified"]) for e in exports
            if e["path"] == str(out)] == [("merged", "bfloat16", True)]


def test_adapter_export_and_combination_in_text(trained):
    out = trained.out / "adapter"
    done = studio(trained, "cli-lora@1", "--adapter", str(out), "--no-verify", "--events",
                  "text")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[writing]" in done.stdout and "not verified" in done.stdout
    assert (out / "adapter_model.safetensors").is_file()

    combined = trained.out / "combined"
    done = studio(trained, "--combine", "cli-lora@1:0.6", f"{out}:0.4", "cli-lora:0.5",
                  "--combination", "cat", "--out", str(combined), "--no-verify",
                  "--events", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    finished = events(done.stdout)[-1]
    assert finished["kind"] == "combined"
    assert [s["weight"] for s in finished["details"]["sources"]] == [0.6, 0.4, 0.5]
    config = json.loads((combined / "adapter_config.json").read_text())
    assert config["r"] == 3 * 8   # cat stacks the ranks


def test_bad_input_exits_2_without_touching_anything(trained):
    busy = trained.out / "busy"
    busy.mkdir(parents=True)
    (busy / "mine.txt").write_text("keep")
    cases = [(["no-such-run", "--adapter", str(trained.out / "x")], "No run matches"),
             (["cli-lora", "--merged", str(busy)], "already holds files"),
             (["cli-lora@9", "--adapter", str(trained.out / "x")], "no checkpoint at step 9"),
             (["--combine", "cli-lora:1"], "--combine needs --out"),
             (["cli-lora", "--merged", str(trained.out / "x"), "--shard-size", "huge"],
              "is not a size")]
    for args, message in cases:
        done = studio(trained, *args, "--events", "json")
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        error = events(done.stdout)[-1]
        assert error["event"] == "error" and message in error["message"], (args, error)
    assert not (trained.out / "x").exists()
    assert [p.name for p in busy.iterdir()] == ["mine.txt"]


def test_failed_verification_exits_1(trained, monkeypatch, capsys):
    """In-process (the check itself is covered in tests/core/test_export.py)."""
    from studio.cli import main
    from studio.core.export import verify

    def disagree(job, reference, dtype, timeout_s=0):
        return verify.Verification(False, 0.5, 1e-4, dtype, 3, 0.0, "disagrees")

    monkeypatch.setenv("PEFT_STUDIO_HOME", str(trained.home))
    monkeypatch.setattr(verify, "check", disagree)
    out = trained.out / "unverified"
    assert main(["export", "cli-lora", "--adapter", str(out), "--events", "text"]) == 1
    assert "verification FAILED" in capsys.readouterr().out
    assert (out / "adapter_config.json").is_file()
