"""Only the studio's own folders are ever replaced or deleted: `export --overwrite` replaces
an earlier export (its .peft-studio marker), never a folder of the user's, a run's folder or
anything reached through a symbolic link; `runs delete --files` removes only that run's own
folder, including one written before the marker existed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.core import ownership
from studio.core.errors import StudioError
from studio.core.export import folders
from studio.core.runfiles import remove_output_folder

RUN_ID = "20260101-100000-aaaa"


def export_into(final: Path, text: str) -> None:
    with folders.Staging(final) as staging:
        (staging.path / "adapter_model.safetensors").write_text(text)
        staging.commit()


def test_every_export_folder_carries_the_marker(tmp_path):
    export_into(tmp_path / "out", "v1")
    info = json.loads((tmp_path / "out" / ownership.MARKER).read_text())
    assert info["app"] == "peft-studio" and info["kind"] == "export"
    assert ownership.is_export_folder(tmp_path / "out")


def test_overwrite_replaces_an_earlier_export(tmp_path):
    out = tmp_path / "out"
    export_into(out, "v1")
    assert folders.check_target(out, overwrite=True) == out.resolve()
    export_into(out, "v2")
    assert (out / "adapter_model.safetensors").read_text() == "v2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def _foreign(tmp_path: Path) -> Path:
    folder = tmp_path / "my-project"
    folder.mkdir()
    (folder / "thesis.tex").write_text("years of work")
    return folder


def _run_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "run"
    folder.mkdir()
    ownership.mark(folder, ownership.RUN, run_id=RUN_ID)
    (folder / "run.yaml").write_text("model: m\n")
    return folder


def _link_to_export(tmp_path: Path) -> Path:
    export_into(tmp_path / "real-export", "v1")
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "real-export", target_is_directory=True)
    return link


def _linked_marker(tmp_path: Path) -> Path:
    """A user's folder whose marker is a link to a real export's marker."""
    export_into(tmp_path / "real-export", "v1")
    folder = _foreign(tmp_path)
    (folder / ownership.MARKER).symlink_to(tmp_path / "real-export" / ownership.MARKER)
    return folder


def _forged_marker(tmp_path: Path) -> Path:
    folder = _foreign(tmp_path)
    (folder / ownership.MARKER).write_text("not json")
    return folder


# (what is at the target, the words of the refusal): overwrite refuses each, nothing is lost.
REFUSED = [
    (_foreign, "did not export into it"),
    (_run_folder, "a run's output folder"),
    (_link_to_export, "symbolic link"),
    (_linked_marker, "did not export into it"),
    (_forged_marker, "did not export into it"),
]


@pytest.mark.parametrize("make, words", REFUSED, ids=[m.__name__ for m, _ in REFUSED])
def test_overwrite_refuses_a_folder_the_studio_did_not_export_into(make, words, tmp_path):
    target = make(tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    with pytest.raises(StudioError, match=words):
        folders.check_target(target, overwrite=True)
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before


def test_a_symlink_inside_an_export_never_leads_outside(tmp_path):
    outside = _foreign(tmp_path)
    out = tmp_path / "out"
    export_into(out, "v1")
    (out / "escape").symlink_to(outside, target_is_directory=True)
    (out / "escape-file").symlink_to(outside / "thesis.tex")
    folders.check_target(out, overwrite=True)
    export_into(out, "v2")
    assert (outside / "thesis.tex").read_text() == "years of work"
    assert sorted(p.name for p in out.iterdir()) == [ownership.MARKER,
                                                     "adapter_model.safetensors"]


# ---- runs delete --files ------------------------------------------------------------------
def _legacy(tmp_path: Path, info: dict | None, checkpoint: bool = False) -> Path:
    """A run folder written before the marker existed."""
    folder = tmp_path / "old-run"
    folder.mkdir()
    (folder / "run.yaml").write_text("model: m\n")
    if info is not None:
        (folder / "peft_studio.json").write_text(json.dumps(info))
    if checkpoint:
        (folder / "checkpoints" / "step-000010").mkdir(parents=True)
        (folder / "checkpoints" / "step-000010" / "trainer_state.json").write_text("{}")
    return folder


def _marked_for_another_run(tmp_path: Path) -> Path:
    folder = _run_folder(tmp_path)
    ownership.mark(folder, ownership.RUN, run_id="20250101-000000-ffff")
    return folder


def _export(tmp_path: Path) -> Path:
    export_into(tmp_path / "exp", "v1")
    return tmp_path / "exp"


def _foreign_with_run_yaml(tmp_path: Path) -> Path:
    folder = _foreign(tmp_path)
    (folder / "run.yaml").write_text("x")
    return folder


# (the folder, whether `runs delete RUN --files` may remove it)
FOLDERS = [
    ("marked", _run_folder, True),
    ("marked_for_another_run", _marked_for_another_run, False),
    ("export", _export, False),
    ("user_folder", _foreign, False),
    ("user_folder_with_a_run_yaml", _foreign_with_run_yaml, False),
    ("legacy_finished", lambda t: _legacy(t, {"run_id": RUN_ID, "task": "causal_lm"}), True),
    ("legacy_without_run_id", lambda t: _legacy(t, {"task": "causal_lm"}), True),
    ("legacy_of_another_run", lambda t: _legacy(t, {"run_id": "20250101-000000-ffff"}), False),
    ("legacy_stopped_with_checkpoint", lambda t: _legacy(t, None, checkpoint=True), True),
    ("legacy_without_anything_of_the_studio", lambda t: _legacy(t, None), False),
]


@pytest.mark.parametrize("name, make, removable", FOLDERS, ids=[f[0] for f in FOLDERS])
def test_runs_delete_removes_only_the_runs_own_folder(name, make, removable, tmp_path):
    folder = make(tmp_path)
    if removable:
        remove_output_folder(folder, RUN_ID)
        assert not folder.exists()
        return
    with pytest.raises(StudioError, match="Refusing to delete"):
        remove_output_folder(folder, RUN_ID)
    assert folder.is_dir() and any(folder.iterdir())


def test_runs_delete_never_goes_through_a_symlink(tmp_path):
    real = _run_folder(tmp_path)
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    with pytest.raises(StudioError, match="symbolic link"):
        remove_output_folder(link, RUN_ID)
    assert (real / "run.yaml").is_file()


def test_files_that_arrive_during_an_export_are_never_replaced(tmp_path):
    """check_target passed on an empty folder; by the time the export is written, files of
    the user's are there: the commit refuses and they stay."""
    out = tmp_path / "out"
    out.mkdir()
    assert folders.check_target(out, overwrite=False) == out.resolve()
    with pytest.raises(StudioError, match="did not export into it"), \
            folders.Staging(out.resolve()) as staging:
        (staging.path / "adapter_model.safetensors").write_text("new")
        (out / "thesis.tex").write_text("saved meanwhile")
        staging.commit()
    assert [p.name for p in out.iterdir()] == ["thesis.tex"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("where", ["home", "data_dir", "file"])
def test_resume_refuses_an_output_folder_no_run_may_use(where, tmp_path, monkeypatch):
    """A run record (written by an older version, or by hand) whose folder is the home
    folder, the studio's data or a file: resume refuses before anything is written."""
    from studio import paths
    from studio.core import runner
    from studio.core.config import RunConfig
    from studio.core.store import RunStore

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: home))
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    folder = {"home": home, "data_dir": paths.data_dir(), "file": a_file}[where]
    events = []
    with RunStore() as store:
        run = store.create_run(RunConfig(model="m").to_dict(), output_dir=folder,
                               status="stopped")
        with pytest.raises(StudioError, match="cannot be resumed"):
            runner.resume(run.id, lambda *a, **k: events.append((a, k)), store)
        assert store.get_run(run.id).status == "stopped"
    assert not (home / "STOP").exists() and not events
