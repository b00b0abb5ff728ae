"""PEFT_STUDIO_QUIT_AFTER_FIRST_PAINT: the window opens, paints once and the app exits 0 (the
desktop bundle's smoke test starts it this way)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_window_quits_after_its_first_paint(tmp_path):
    env = dict(os.environ, PEFT_STUDIO_HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(ROOT), PEFT_STUDIO_QUIT_AFTER_FIRST_PAINT="1")
    done = subprocess.run([sys.executable, "-m", "studio"], capture_output=True, text=True,
                          env=env, timeout=120, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "peft-studio: first paint; quitting" in done.stderr


def test_unattended_a_crash_quits_instead_of_waiting_on_a_dialog(qapp, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from studio.app import QUIT_AFTER_PAINT, CrashHandler

    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self) or 0)
    monkeypatch.setenv(QUIT_AFTER_PAINT, "1")
    assert CrashHandler(qapp).ask("ValueError: x", "details") == "quit"
    assert shown == []
    monkeypatch.setenv(QUIT_AFTER_PAINT, "0")   # "0" is off: the dialog is shown as usual
    CrashHandler(qapp).ask("ValueError: x", "details")
    assert len(shown) == 1
