"""Checkpoints survive what the machine does to them: written whole and flushed before any
older one is pruned, and a damaged newest checkpoint (a truncated or a missing file) makes
resume fall back to the one before it, with a log line, instead of a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from factories import Recorder, train, write_run_file, write_text_dataset

from studio.core import checkpoints


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _remove(path: Path) -> None:
    path.unlink()


def _garble_json(path: Path) -> None:
    path.write_text('{"global_step": 4, ')


# (what happens to the checkpoint, the file it happens to, the words in the message)
DAMAGE = [
    (_truncate, "trainable.safetensors", "trainable.safetensors"),
    (_remove, "trainable.safetensors", "the file is missing"),
    (_truncate, "optimizer.safetensors", "optimizer.safetensors"),
    (_remove, "optimizer.safetensors", "the file is missing"),
    (_garble_json, "trainer_state.json", "trainer_state.json"),
]


@pytest.mark.parametrize("damage, name, words", DAMAGE,
                         ids=[f"{d.__name__.strip('_')}-{n}" for d, n, _ in DAMAGE])
def test_read_names_the_damaged_file(damage, name, words, tmp_path):
    """Read back whole before anything is applied to the model (no compute stack needed)."""
    from safetensors.numpy import save_file

    folder = tmp_path / "step-000004"
    folder.mkdir()
    save_file({"w": np.ones((64, 64), np.float32)}, str(folder / "trainable.safetensors"))
    save_file({"0.exp_avg": np.ones((64, 64), np.float32)},
              str(folder / "optimizer.safetensors"))
    (folder / "trainer_state.json").write_text(json.dumps({"global_step": 4}))
    assert checkpoints.read(folder)[0].global_step == 4
    damage(folder / name)
    with pytest.raises(checkpoints.DamagedCheckpointError, match=words) as info:
        checkpoints.read(folder)
    assert "step-000004 is damaged" in str(info.value)


def _stopped_run(tmp_path: Path, tiny_models):
    """A run stopped at step 4 with checkpoints at steps 2 and 4; (store, run id, folder)."""
    model = tiny_models("llama", init_range=0.2)
    data = write_text_dataset(tmp_path / "lines.txt", n=48)
    out = tmp_path / "out"
    run_file = write_run_file(tmp_path / "run.yaml", model, data, output_dir=str(out),
                              training={"max_steps": 8, "save_steps": 2, "batch_size": 2})

    def stop_at_4(ev):
        if ev["step"] == 4:
            (out / "STOP").touch()

    code, rec, store = train(run_file, Recorder(on_step=stop_at_4))
    assert code == 0 and rec.of("finished")[0]["status"] == "stopped", rec.of("error")
    assert [s for s, _ in checkpoints.list_checkpoints(out)] == [2, 4]
    return store, store.list_runs()[0].id, out


@pytest.mark.slow
@pytest.mark.parametrize("damage", [_truncate, _remove], ids=["truncated", "missing"])
def test_resume_falls_back_past_a_damaged_checkpoint(damage, tmp_path, tiny_models):
    from studio.core import runner
    from studio.core.store import RunStore

    _store, run_id, out = _stopped_run(tmp_path, tiny_models)
    damage(out / "checkpoints" / "step-000004" / "trainable.safetensors")
    rec = Recorder()
    assert runner.resume(run_id, rec, RunStore()) == 0, rec.of("error")
    logs = [e["message"] for e in rec.of("log")]
    assert any("step-000004 is damaged" in m and "trainable.safetensors" in m for m in logs), logs
    assert any("resumed from step-000002 at step 2" in m for m in logs), logs
    assert rec.of("run_started")[0]["start_step"] == 2
    assert [e["step"] for e in rec.of("step")] == list(range(3, 9))
    assert rec.of("finished")[0]["status"] == "completed"
    assert (out / "checkpoints" / "step-000004.damaged").is_dir()     # set aside, not deleted
    series = RunStore().metric_series(run_id)
    assert [p.step for p in series["train/loss"]] == list(range(1, 9))
    assert (out / "adapter_model.safetensors").is_file()


@pytest.mark.slow
def test_every_checkpoint_damaged_is_a_clear_error_and_keeps_them(tmp_path, tiny_models):
    from studio.core import runner
    from studio.core.store import RunStore

    _store, run_id, out = _stopped_run(tmp_path, tiny_models)
    for step in (2, 4):
        _truncate(out / "checkpoints" / f"step-{step:06d}" / "trainable.safetensors")
    rec = Recorder()
    assert runner.resume(run_id, rec, RunStore()) == 1
    error = rec.of("error")[0]
    assert error["kind"] == "known" and error["traceback"] is None
    assert "every checkpoint of this run is damaged" in error["message"]
    assert [s for s, _ in checkpoints.list_checkpoints(out)] == [2, 4]   # left where they were
    assert not rec.of("step")


@pytest.mark.slow
def test_a_checkpoint_is_on_disk_before_an_older_one_is_pruned(tmp_path, tiny_models,
                                                               monkeypatch):
    """Order of what reaches the disk: the new checkpoint's files, its folder's entry, and
    only then the removal of the checkpoint it replaces (save_total_limit)."""
    import shutil

    from studio.core import atomic

    log: list[tuple[str, str]] = []
    real_tree, real_dir, real_rmtree = atomic.fsync_tree, atomic.fsync_dir, shutil.rmtree
    monkeypatch.setattr(atomic, "fsync_tree",
                        lambda folder: (log.append(("fsync_tree", Path(folder).name)),
                                        real_tree(folder))[1])
    monkeypatch.setattr(atomic, "fsync_dir",
                        lambda folder: (log.append(("fsync_dir", Path(folder).name)),
                                        real_dir(folder))[1])
    monkeypatch.setattr(checkpoints.shutil, "rmtree",
                        lambda path, *a, **k: (log.append(("rmtree", Path(path).name)),
                                               real_rmtree(path, *a, **k))[1])
    model = tiny_models("llama", init_range=0.2)
    data = write_text_dataset(tmp_path / "lines.txt", n=48)
    out = tmp_path / "out"
    run_file = write_run_file(tmp_path / "run.yaml", model, data, output_dir=str(out),
                              training={"max_steps": 4, "save_steps": 2, "batch_size": 2,
                                        "save_total_limit": 1})
    code, rec, _ = train(run_file)
    assert code == 0, rec.of("error")
    assert [s for s, _ in checkpoints.list_checkpoints(out)] == [4]
    pruned = log.index(("rmtree", "step-000002"))
    before = log[:pruned]
    assert ("fsync_tree", "step-000004.tmp") in before
    assert before.index(("fsync_tree", "step-000004.tmp")) < \
        len(before) - 1 - before[::-1].index(("fsync_dir", "checkpoints"))
