"""``peft-studio runs``: list/show JSON shape, unknown and ambiguous runs, delete, rename."""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from studio.cli import COMMANDS, runs
from studio.core import ownership
from studio.core.config import RunConfig
from studio.core.store import RunStore

ROOT = Path(__file__).resolve().parents[2]


def cli(argv: list[str]) -> int:
    # Only this command is registered: the others may need the compute stack.
    parser = argparse.ArgumentParser(prog="peft-studio")
    runs.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["runs", *argv])
    return args.handler(args)


@pytest.fixture
def recorded(tmp_path):
    """Two runs: a finished one with metrics and a checkpoint, and a pending one."""
    out = tmp_path / "out" / "done"
    out.mkdir(parents=True)
    (out / "adapter_model.safetensors").write_bytes(b"x")
    ownership.mark(out, ownership.RUN, run_id="20260101-100000-aaaa")  # as `train` does
    with RunStore() as store:
        done = store.create_run(RunConfig(model="models/tiny-llama", name="done").to_dict(),
                                run_id="20260101-100000-aaaa", output_dir=out)
        store.add_metrics(done.id, [(1, "train", "loss", 2.0), (2, "train", "loss", 1.5),
                                    (3, "train", "loss", math.nan), (2, "eval", "eval_loss", 1.7)])
        store.add_checkpoint(done.id, 2, str(out / "checkpoint-2"), {"eval_loss": 1.7})
        store.update_run(done.id, total_steps=3, last_step=3, final_metrics={"eval_loss": 1.7})
        store.set_status(done.id, "completed")
        todo = store.create_run(RunConfig(model="models/tiny-bert", name="todo").to_dict(),
                                method="ia3", run_id="20260101-110000-bbbb")
    return done, todo


def test_list_json_shape(recorded, capsys):
    done, todo = recorded
    assert cli(["list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in listed] == [todo.id, done.id]
    first = listed[1]
    assert first["name"] == "done" and first["status"] == "completed"
    assert first["config"]["model"] == "models/tiny-llama"
    assert first["final_metrics"] == {"eval_loss": 1.7}
    assert {"created_at", "finished_at", "output_dir", "total_steps", "last_step", "pid",
            "trainable_params", "total_params", "error"} <= set(first)


def test_a_failed_runs_error_is_english_with_its_code_and_detail(capsys):
    from studio.core.messages import msg

    with RunStore() as store:
        run = store.create_run(RunConfig(model="models/tiny-llama", name="oom").to_dict(),
                               run_id="20260101-120000-cccc")
        store.set_status(run.id, "failed", error=msg("engine.out_of_memory"),
                         detail="Traceback (most recent call last):\nMemoryError")
    assert cli(["show", run.id]) == 0
    text = capsys.readouterr().out
    assert "status    failed: out of memory: try a smaller batch size or max_length" in text
    assert "Error detail:\n  Traceback (most recent call last):\n  MemoryError\n" in text
    assert cli(["show", run.id, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["error"] == "out of memory: try a smaller batch size or max_length"
    assert shown["messages"]["error"] == {"code": "engine.out_of_memory", "params": {}}
    assert shown["error_detail"].endswith("MemoryError")


def test_list_filters_and_table(recorded, capsys):
    done, todo = recorded
    assert cli(["list", "--json", "--status", "completed"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == [done.id]
    assert cli(["list", "--json", "--method", "ia3"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == [todo.id]
    assert cli(["list", "--json", "--model", "nope"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert cli(["list"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["ID", "NAME", "STATUS", "MODEL", "METHOD", "STEPS", "CREATED"]
    assert table[2].startswith(done.id) and "completed" in table[2] and "3/3" in table[2]


def test_list_empty(capsys):
    assert cli(["list"]) == 0
    assert "No runs" in capsys.readouterr().out
    assert cli(["list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_show_json_shape(recorded, capsys):
    done, _ = recorded
    assert cli(["show", "done", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)  # strict JSON: the NaN loss became null
    assert shown["id"] == done.id and shown["status"] == "completed"
    assert shown["config"]["name"] == "done"
    assert shown["metrics"] == {"train/loss": [[1, 2.0], [2, 1.5], [3, None]],
                                "eval/eval_loss": [[2, 1.7]]}
    assert [(c["step"], c["metrics"]) for c in shown["checkpoints"]] == [(2, {"eval_loss": 1.7})]
    assert shown["exports"] == []


def test_show_readable(recorded, capsys):
    done, _ = recorded
    assert cli(["show", done.id[:17]]) == 0
    text = capsys.readouterr().out
    assert f"Run {done.id}" in text and "completed" in text and "checkpoint-2" in text
    assert "train/loss" in text and "Config:" in text and "tiny-llama" in text


def test_unknown_and_ambiguous_run_exit_2(recorded, capsys):
    done, todo = recorded
    assert cli(["show", "nothing-like-it"]) == 2
    assert "No run matches 'nothing-like-it'" in capsys.readouterr().err
    assert cli(["show", "20260101"]) == 2
    err = capsys.readouterr().err
    assert "matches 2 runs" in err and done.id in err and todo.id in err
    assert cli(["rename", "nothing-like-it", "x"]) == 2
    assert cli(["delete", "nothing-like-it", "--yes"]) == 2


def test_delete_needs_yes_without_terminal(recorded, capsys, monkeypatch):
    done, _ = recorded
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    assert cli(["delete", done.id]) == 2
    assert "--yes" in capsys.readouterr().err
    with RunStore() as store:
        assert store.get_run(done.id)


def test_delete_with_files(recorded, capsys):
    done, todo = recorded
    out = Path(done.output_dir)
    assert cli(["delete", done.id, "--yes", "--files"]) == 0
    assert "Deleted" in capsys.readouterr().out
    assert not out.exists()
    assert cli(["delete", todo.id, "--yes"]) == 0
    with RunStore() as store:
        assert store.list_runs() == []
        assert store.db.table("metrics").count == 0


def test_delete_with_a_one_character_prefix_refuses(tmp_path, capsys):
    """The report: with one run, `runs delete 2 --yes --files` deleted it and its folder."""
    out = tmp_path / "only"
    out.mkdir()
    ownership.mark(out, ownership.RUN, run_id="20260101-100000-aaaa")
    with RunStore() as store:
        store.create_run(RunConfig(model="m", name="only").to_dict(),
                         run_id="20260101-100000-aaaa", output_dir=out)
    for command in (["delete", "2", "--yes", "--files"], ["show", "2"], ["rename", "2", "x"]):
        assert cli(command) == 2
        err = capsys.readouterr().err
        assert "too short" in err and "20260101-100000-aaaa" in err
    assert out.is_dir()
    with RunStore() as store:
        assert [r.name for r in store.list_runs()] == ["only"]


@pytest.mark.parametrize("folder", ["user", "other_run", "symlink"])
def test_delete_files_never_removes_a_folder_that_is_not_the_runs(folder, tmp_path, capsys):
    """Behind --yes --files, only the run's own folder (its marker) may go."""
    user = tmp_path / "my-project"
    user.mkdir()
    (user / "thesis.tex").write_text("years of work")
    other = tmp_path / "other-run"
    other.mkdir()
    ownership.mark(other, ownership.RUN, run_id="20260101-090000-ffff")
    (other / "adapter_model.safetensors").write_bytes(b"x")
    link = tmp_path / "link"
    mine = tmp_path / "mine"
    mine.mkdir()
    ownership.mark(mine, ownership.RUN, run_id="20260101-100000-aaaa")
    link.symlink_to(mine, target_is_directory=True)
    target = {"user": user, "other_run": other, "symlink": link}[folder]
    with RunStore() as store:
        run = store.create_run(RunConfig(model="m", name="r").to_dict(),
                               run_id="20260101-100000-aaaa", output_dir=target)
    assert cli(["delete", run.id, "--yes", "--files"]) == 1
    assert "Refusing to delete" in capsys.readouterr().err
    assert (user / "thesis.tex").is_file() and (other / "adapter_model.safetensors").is_file()
    assert (mine / ownership.MARKER).is_file() and link.is_symlink()
    with RunStore() as store:
        assert store.get_run(run.id)                  # still listed: nothing half done


def test_delete_refuses_live_run(recorded, capsys):
    _, todo = recorded
    with RunStore() as store:
        store.set_status(todo.id, "running")
        store.update_run(todo.id, pid=os.getpid())
    assert cli(["delete", todo.id, "--yes"]) == 1
    assert "still training" in capsys.readouterr().err


def test_rename(recorded, capsys):
    done, _ = recorded
    assert cli(["rename", "done", "best run"]) == 0
    assert "best run" in capsys.readouterr().out
    assert cli(["show", "best run", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == done.id
    assert cli(["rename", done.id, "  "]) == 2


def test_entry_point(recorded, studio_home):
    """Through ``python -m studio`` when every command module is present."""
    missing = [c for c in COMMANDS if not (ROOT / "studio" / "cli" / f"{c}.py").is_file()]
    if missing:
        pytest.skip(f"command modules not written yet: {missing}")
    done, todo = recorded
    env = {**os.environ, "PEFT_STUDIO_HOME": str(studio_home)}
    result = subprocess.run([sys.executable, "-m", "studio", "runs", "list", "--json"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300, env=env, check=False)
    assert result.returncode == 0, result.stderr
    assert [r["id"] for r in json.loads(result.stdout)] == [todo.id, done.id]
