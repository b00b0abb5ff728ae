"""Files the user keeps are replaced atomically: a failure at any point of a write (the disk
fills up mid-file, the flush fails, the rename fails) leaves the previous file whole and no
temporary file behind. Each writer the user relies on goes through studio.core.atomic."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from studio.core import atomic

OLD = "model: old\n" * 200
NEW = "model: new\n" * 5000


def _disk_full_after_some_bytes(monkeypatch):
    real_write = os.write
    calls = []

    def write(fd, data):
        calls.append(fd)
        if len(calls) == 1:
            return real_write(fd, bytes(data[:100]))   # a short write: part of the file is out
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", write)


def _flush_fails(monkeypatch):
    def fsync(fd):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", fsync)


def _rename_fails(monkeypatch):
    def replace(src, dst):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "replace", replace)


FAILURES = [_disk_full_after_some_bytes, _flush_fails, _rename_fails]


@pytest.mark.parametrize("fail", FAILURES, ids=[f.__name__.strip("_") for f in FAILURES])
def test_a_failed_write_leaves_the_previous_file_intact(fail, tmp_path, monkeypatch):
    target = tmp_path / "run.yaml"
    target.write_text(OLD)
    os.chmod(target, 0o640)
    with monkeypatch.context() as m:
        fail(m)
        with pytest.raises(OSError):
            atomic.write_text(target, NEW)
    assert target.read_text() == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["run.yaml"]   # no temporary left


def test_a_write_replaces_whole_and_keeps_permissions(tmp_path):
    target = tmp_path / "run.yaml"
    target.write_text(OLD)
    os.chmod(target, 0o640)
    atomic.write_text(target, NEW)
    assert target.read_text() == NEW
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["run.yaml"]


def test_a_symlinked_file_is_written_through(tmp_path):
    real = tmp_path / "real.yaml"
    real.write_text(OLD)
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    atomic.write_text(link, NEW)
    assert link.is_symlink() and real.read_text() == NEW


def test_publish_files_moves_each_file_whole(tmp_path, monkeypatch):
    """The final adapter: written aside, then moved in file by file. A failure half way
    leaves every file of the folder whole: the ones moved are new, the others old."""
    folder = tmp_path / "out"
    folder.mkdir()
    for name in ("adapter_config.json", "adapter_model.safetensors"):
        (folder / name).write_text(f"old {name}")
    (folder / "run.yaml").write_text("kept")
    staging = folder / ".saving-x"
    staging.mkdir()
    for name in ("adapter_config.json", "adapter_model.safetensors"):
        (staging / name).write_text(f"new {name}")
    real_replace = os.replace
    moved = []

    def replace(src, dst):
        if moved:
            raise OSError(errno.EIO, "Input/output error")
        moved.append(Path(dst).name)
        return real_replace(src, dst)

    with monkeypatch.context() as m:
        m.setattr(os, "replace", replace)
        with pytest.raises(OSError):
            atomic.publish_files(staging, folder)
    texts = {p.name: p.read_text() for p in folder.iterdir() if p.is_file()}
    assert texts == {"adapter_config.json": "new adapter_config.json",
                     "adapter_model.safetensors": "old adapter_model.safetensors",
                     "run.yaml": "kept"}
    assert atomic.publish_files(staging, folder) == ["adapter_model.safetensors"]
    assert not staging.exists()
    assert (folder / "adapter_model.safetensors").read_text() == "new adapter_model.safetensors"


class _FailingModel:
    """save_pretrained writes part of the weights, then the disk fills up."""

    def save_pretrained(self, folder, safe_serialization=True, save_embedding_layers="auto"):
        (Path(folder) / "adapter_model.safetensors").write_bytes(b"half of the new")
        raise OSError(errno.ENOSPC, "No space left on device")


class _Model:
    def save_pretrained(self, folder, safe_serialization=True, save_embedding_layers="auto"):
        (Path(folder) / "adapter_model.safetensors").write_bytes(b"new weights")
        (Path(folder) / "adapter_config.json").write_text('{"r": 8}')


class _Tokenizer:
    def save_pretrained(self, folder):
        (Path(folder) / "tokenizer.json").write_text("{}")


@pytest.mark.parametrize("model", [_FailingModel(), _Model()], ids=["fails", "succeeds"])
def test_the_final_adapter_replaces_the_old_one_whole(model, tmp_path):
    from studio.core.modeling import TRAINING_INFO_FILE, LoadedModel, save_result

    out = tmp_path / "out"
    out.mkdir()
    (out / "adapter_model.safetensors").write_bytes(b"old weights")
    (out / TRAINING_INFO_FILE).write_text('{"run_id": "old"}')
    loaded = LoadedModel(model, _Tokenizer(), "peft", 1, 2, card={"run_id": "new"})
    if isinstance(model, _FailingModel):
        with pytest.raises(OSError):
            save_result(loaded, out)
        assert (out / "adapter_model.safetensors").read_bytes() == b"old weights"
        assert (out / TRAINING_INFO_FILE).read_text() == '{"run_id": "old"}'
        assert sorted(p.name for p in out.iterdir()) == ["adapter_model.safetensors",
                                                         TRAINING_INFO_FILE]
        return
    assert save_result(loaded, out) == ["adapter_config.json", "adapter_model.safetensors",
                                        TRAINING_INFO_FILE, "tokenizer.json"]
    assert (out / "adapter_model.safetensors").read_bytes() == b"new weights"
    assert '"new"' in (out / TRAINING_INFO_FILE).read_text()
