"""``peft-studio`` with no command: the window, or a clear error when it cannot start."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

from studio import cli


def test_a_window_that_cannot_import_is_an_error_not_help(monkeypatch, capsys):
    """Fail closed: printing the usage and exiting 0 would look like success to a script."""
    monkeypatch.setitem(sys.modules, "studio.app", None)  # import raises ImportError
    assert cli.main([]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "the window cannot start" in err and "peft-studio --help" in err


def test_the_module_entry_point_exits_non_zero_when_the_window_cannot_import(tmp_path):
    """``python -m studio`` carries the failure to the exit status."""
    code = ("import sys; sys.modules['studio.app'] = None\n"
            "import runpy; runpy.run_module('studio', run_name='__main__')\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, cwd=ROOT)
    assert result.returncode == 1
    assert "the window cannot start" in result.stderr and "usage:" not in result.stdout
