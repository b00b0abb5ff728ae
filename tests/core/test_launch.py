"""studio.launch: the command of every child process, from source and from the desktop bundle
(PyInstaller sets ``sys.frozen`` and ``sys.executable`` is the bundle's own program)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from studio import __version__, bundle, launch

BUNDLE = "/opt/peft-studio/peft-studio"


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", BUNDLE)


def test_from_source_children_are_python_dash_m():
    assert launch.studio_command("devices", "--json") == [sys.executable, "-m", "studio",
                                                          "devices", "--json"]
    assert launch.module_command("studio.core.export", "job.json") == [
        sys.executable, "-m", "studio.core.export", "job.json"]
    assert launch.code_command("pass") == [sys.executable, "-u", "-c", "pass"]


def test_in_the_bundle_children_start_from_its_executable(frozen):
    assert launch.frozen()
    assert launch.studio_command("devices", "--json") == [BUNDLE, "devices", "--json"]
    assert launch.module_command("studio.core.export", "job.json") == [
        BUNDLE, launch.RUN_MODULE, "studio.core.export", "job.json"]
    assert launch.code_command("pass") == [BUNDLE, launch.RUN_CODE, "pass"]


def test_the_windowed_windows_program_starts_children_from_the_console_one(
        tmp_path, monkeypatch):
    (tmp_path / "peft-studio.exe").write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "peft-studio-gui.exe"))
    assert launch.studio_command("devices") == [str(tmp_path / "peft-studio.exe"), "devices"]


def test_every_child_of_the_bundle_uses_it(frozen, monkeypatch):
    from studio.core.config import DatasetConfig
    from studio.ui.data import tokens
    from studio.ui.mainwindow import devices_command
    from workers.child import child_env, default_prefix

    assert default_prefix() == [BUNDLE]
    assert devices_command() == [BUNDLE, "devices", "--json"]
    assert tokens.inspect_args(DatasetConfig(path="d.csv"), "/tok")[:3] == [
        "data", "inspect", "d.csv"]
    monkeypatch.delenv("PYTHONPATH", raising=False)
    assert "PYTHONPATH" not in child_env(None)   # the bundle carries its own packages


def test_the_stand_ins_run_a_module_and_code(tmp_path, monkeypatch, capsys):
    (tmp_path / "probe_mod.py").write_text(
        "import sys\nif __name__ == '__main__':\n    print('module', sys.argv[1:])\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    assert bundle.main([launch.RUN_MODULE, "probe_mod", "a", "b"]) == 0
    assert bundle.main([launch.RUN_CODE, "import sys; print('code', sys.argv[1:])", "x"]) == 0
    assert capsys.readouterr().out.splitlines() == ["module ['a', 'b']", "code ['x']"]


def test_the_stand_ins_pass_on_the_exit_code():
    with pytest.raises(SystemExit) as exit_:
        bundle.main([launch.RUN_CODE, "import sys; sys.exit(3)"])
    assert exit_.value.code == 3


def test_otherwise_the_entry_point_is_the_cli(capsys):
    with pytest.raises(SystemExit) as exit_:
        bundle.main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"peft-studio {__version__}"


def test_version_comes_from_one_place():
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-m", "studio", "--version"], capture_output=True,
                          text=True, cwd=root, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"peft-studio {__version__}"
    pyproject = (root / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in pyproject
    assert 'version = { attr = "studio.__version__" }' in pyproject


def test_the_inference_child_starts_from_the_bundle(frozen, monkeypatch):
    from workers import inference

    started = []

    class StopError(Exception):
        pass

    def fake_child(args, env):
        started.append(args)
        raise StopError

    monkeypatch.setattr(inference, "_Child", fake_child)
    with pytest.raises(StopError):
        inference.RemoteSession("/models/tiny")._start()
    assert started == [[BUNDLE, launch.RUN_MODULE, "studio.core.inference.child"]]


def test_several_workers_are_refused_in_the_bundle_with_the_reason(frozen, tmp_path):
    from studio.core.distributed import Topology, msrun_command
    from studio.core.errors import StudioError

    with pytest.raises(StudioError, match="desktop app trains with one worker"):
        msrun_command(Topology(2, 2, 0, "127.0.0.1", 8118, 1), tmp_path, ["run.yaml"])
