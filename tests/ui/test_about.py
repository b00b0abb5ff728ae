"""Help > About: versions from package metadata, the device from the probe child, and the
window process still free of the compute stack."""

from __future__ import annotations

import importlib.metadata as metadata
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QApplication

from studio import __version__
from studio.ui.about import AboutDialog
from studio.ui.mainwindow import MainWindow

ROOT = Path(__file__).resolve().parents[2]
CPU = {"cpu": True, "gpu": False, "ascend": False, "mindspore": "2.7.0"}


def rows(dialog: AboutDialog) -> dict[str, str]:
    table = dialog.table
    return {table.topLevelItem(i).text(0): table.topLevelItem(i).text(1)
            for i in range(table.topLevelItemCount())}


def test_lists_the_studio_the_stack_qt_and_the_device(qtbot):
    dialog = AboutDialog(CPU)
    qtbot.addWidget(dialog)
    got = rows(dialog)
    assert got["PEFT Studio"] == __version__
    for label, dist in (("MindSpore", "mindspore"), ("mindnlp", "mindnlp"),
                        ("transformers", "transformers"), ("peft", "peft")):
        assert got[label] == metadata.version(dist)
    assert got["Qt"].startswith(qVersion())
    assert got["Device"] == "CPU"
    dialog.copy()
    assert f"PEFT Studio: {__version__}" in QApplication.clipboard().text()


@pytest.mark.parametrize(("devices", "shown"), [
    (None, "being probed…"),
    ({"error": "no MindSpore"}, "unknown (no MindSpore)"),
    ({"cpu": True, "gpu": True, "ascend": False}, "GPU, CPU"),
])
def test_the_device_line_follows_the_probe(qtbot, devices, shown):
    dialog = AboutDialog(devices)
    qtbot.addWidget(dialog)
    assert rows(dialog)["Device"] == shown


def test_a_missing_package_is_said_not_installed(qtbot, monkeypatch):
    real = metadata.version

    def version(dist: str) -> str:
        if dist == "peft":
            raise metadata.PackageNotFoundError(dist)
        return real(dist)

    monkeypatch.setattr(metadata, "version", version)
    dialog = AboutDialog(CPU)
    qtbot.addWidget(dialog)
    assert rows(dialog)["peft"] == "not installed"


def test_the_help_menu_opens_it_with_the_probed_device(qtbot):
    window = MainWindow(probe_devices=False)
    qtbot.addWidget(window)
    window.probe_devices([sys.executable, "-c", f"print({json.dumps(json.dumps(CPU))})"])
    qtbot.waitUntil(lambda: window.devices_info == CPU, timeout=15000)
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert window.about_action in help_menu.actions()
    window.about_action.trigger()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None and dialog.isVisible()
    assert rows(dialog)["Device"] == "CPU"
    dialog.close()


def test_it_does_not_import_the_compute_stack(tmp_path):
    code = textwrap.dedent("""
        import sys
        from studio.app import setup_application
        app = setup_application(["peft-studio"])
        from studio.ui.about import AboutDialog
        dialog = AboutDialog({"cpu": True})
        dialog.show()
        app.processEvents()
        print(sorted({m.split(".")[0] for m in sys.modules}
                     & {"mindspore", "mindnlp", "mindtorch", "torch", "transformers", "peft"}))
    """)
    env = dict(os.environ, PEFT_STUDIO_HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
