"""packaging/linux/install.sh, the bundle's per-user install and uninstall, on a small
stand-in for the unpacked bundle (the real one is 1.6 GB): what the README's "Install the
app" section promises — the program in ~/.local/opt, a link on ~/.local/bin, the menu entry
pointing at it, the icons; --uninstall removes those and keeps the user's runs and settings."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

pytestmark = pytest.mark.skipif(os.name == "nt", reason="a POSIX shell script")


@pytest.fixture()
def unpacked(tmp_path) -> Path:
    """dist/peft-studio/ as build.sh lays it out, with a shell script for the program."""
    folder = tmp_path / "download" / "peft-studio"
    share = folder / "_internal" / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copy(ROOT / "packaging" / "linux" / "peft-studio.desktop", share / "applications")
    for size in SIZES:
        icon = share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "peft-studio.png"
        icon.parent.mkdir(parents=True)
        icon.write_bytes(b"png %d" % size)
    svg = share / "icons" / "hicolor" / "scalable" / "apps" / "peft-studio.svg"
    svg.parent.mkdir(parents=True)
    svg.write_text("<svg/>")
    program = folder / "peft-studio"
    program.write_text('#!/bin/sh\necho "peft-studio 0.1.0"\n')
    program.chmod(0o755)
    shutil.copy(ROOT / "packaging" / "linux" / "install.sh", folder / "install.sh")
    return folder


def _sh(script: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    return subprocess.run(["sh", str(script), *args], env=env, capture_output=True,
                          text=True, timeout=60, check=False)


def test_install_then_uninstall_keeps_the_users_data(unpacked, tmp_path):
    home = tmp_path / "home"
    runs = home / ".local" / "share" / "peft-studio" / "runs.sqlite"
    settings = home / ".config" / "peft-studio" / "settings.json"
    for kept in (runs, settings):
        kept.parent.mkdir(parents=True)
        kept.write_text("mine")
    done = _sh(unpacked / "install.sh", home)
    assert done.returncode == 0, done.stderr
    opt = home / ".local" / "opt" / "peft-studio"
    link = home / ".local" / "bin" / "peft-studio"
    assert (opt / "peft-studio").is_file() and link.resolve() == (opt / "peft-studio")
    assert subprocess.run([str(link)], capture_output=True, text=True,
                          check=True).stdout == "peft-studio 0.1.0\n"
    entry = (home / ".local/share/applications/peft-studio.desktop").read_text()
    assert f"Exec={opt}/peft-studio\n" in entry and "Icon=peft-studio\n" in entry
    icons = home / ".local/share/icons/hicolor"
    assert (icons / "scalable/apps/peft-studio.svg").is_file()
    assert all((icons / f"{s}x{s}/apps/peft-studio.png").is_file() for s in SIZES)
    # again, from the installed copy: nothing breaks, the copy is kept
    assert _sh(opt / "install.sh", home).returncode == 0 and link.resolve().is_file()

    done = _sh(opt / "install.sh", home, "--uninstall")
    assert done.returncode == 0, done.stderr
    assert not opt.exists() and not link.is_symlink()
    assert not (home / ".local/share/applications/peft-studio.desktop").exists()
    assert not list(icons.rglob("peft-studio.*"))
    assert runs.read_text() == "mine" and settings.read_text() == "mine"
    assert "runs and settings stay" in done.stdout


def test_it_refuses_to_run_outside_the_unpacked_folder(tmp_path):
    script = tmp_path / "install.sh"
    shutil.copy(ROOT / "packaging" / "linux" / "install.sh", script)
    done = _sh(script, tmp_path / "home")
    assert done.returncode == 1 and "unpacked peft-studio folder" in done.stderr
    assert not (tmp_path / "home" / ".local" / "opt").exists()
