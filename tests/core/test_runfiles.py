"""A run's files: is it still training, removing its output folder safely, the run file."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from studio import paths
from studio.core import config as run_config
from studio.core import ownership
from studio.core.config import MethodConfig, RunConfig
from studio.core.errors import StudioError
from studio.core.runfiles import folder_size, is_training, remove_output_folder, run_file_text
from studio.core.store import RunStore


@pytest.fixture
def store():
    with RunStore() as s:
        yield s


def test_is_training(store):
    run = store.create_run(RunConfig(model="m").to_dict(), status="running")
    assert is_training(run)                       # no pid recorded yet: assume alive
    store.update_run(run.id, pid=os.getpid())
    assert is_training(store.get_run(run.id))
    store.update_run(run.id, pid=2 ** 22 + 12345)  # beyond pid_max: gone
    assert not is_training(store.get_run(run.id))
    store.set_status(run.id, "stopped")
    assert not is_training(store.get_run(run.id))


def test_remove_output_folder(tmp_path):
    folder = tmp_path / "run"
    (folder / "checkpoint-2").mkdir(parents=True)
    (folder / "checkpoint-2" / "w.bin").write_bytes(b"x" * 100)
    assert folder_size(folder) == 100
    ownership.mark(folder, ownership.RUN, run_id="r1")
    remove_output_folder(folder, "r1")
    assert not folder.exists()
    assert folder_size(folder) == 0


@pytest.mark.parametrize("target", ["home", "data_dir", "data_parent", "file"])
def test_remove_output_folder_refuses_what_is_no_run_folder(target, tmp_path, monkeypatch):
    # Only tmp folders here: a broken guard must not be able to delete anything real.
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: home))
    paths.data_dir().mkdir(parents=True, exist_ok=True)
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    folder = {"home": home, "data_dir": paths.data_dir(),
              "data_parent": paths.data_dir().parent, "file": a_file}[target]
    assert folder.is_relative_to(tmp_path)
    if folder.is_dir():  # even with the marker of the run in it
        ownership.mark(folder, ownership.RUN, run_id="r1")
    with pytest.raises(StudioError, match="Refusing to delete"):
        remove_output_folder(folder, "r1")
    assert folder.exists()


def test_run_file_text_round_trips(store, tmp_path):
    config = RunConfig(model="/models/tiny", name="keep", output_dir=str(tmp_path / "old"),
                       method=MethodConfig("lora", {"r": 4}))
    config.training.learning_rate = 5e-4
    run = store.create_run(config.to_dict())
    text = run_file_text(run, "again.yaml")
    assert text.startswith("# Run file exported from PEFT Studio")
    assert "peft-studio train again.yaml" in text
    path = tmp_path / "again.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = run_config.load(path)
    assert loaded.output_dir is None and loaded.name == "keep"
    assert loaded.method.params == {"r": 4} and loaded.training.learning_rate == 5e-4


def test_run_file_text_names_an_unnamed_run_and_refuses_a_broken_config(store):
    run = store.create_run(RunConfig(model="m").to_dict(), name="from the store")
    assert "name: from the store" in run_file_text(run)
    broken = store.create_run({"model": "m", "training": {"epochs": "many"}})
    with pytest.raises(StudioError, match=re.escape("training.epochs")):
        run_file_text(broken)
