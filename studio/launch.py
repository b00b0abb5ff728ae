"""How the studio starts itself again. From source a child is ``python -m studio ...``; in the
desktop bundle (PyInstaller sets ``sys.frozen``) there is no ``python``, only the bundle's
executable, which is both the CLI and, through two hidden options, a stand-in for
``python -m MODULE`` and ``python -c CODE`` (``studio.bundle``). Every child process gets its
command here. Qt-free and CLI-free: studio.core uses it."""

from __future__ import annotations

import sys
from pathlib import Path

RUN_MODULE = "--run-module"   # hidden: only the bundle's own children use these
RUN_CODE = "--run-code"


def frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def program() -> str:
    """The bundle's program for children: on Windows the window runs as the windowed
    ``peft-studio-gui.exe``, which has no stdout, so its children use the console
    ``peft-studio.exe`` next to it."""
    exe = Path(sys.executable)
    console = exe.with_name("peft-studio.exe")
    if exe.name.lower() == "peft-studio-gui.exe" and console.is_file():
        return str(console)
    return sys.executable


def studio_command(*args: str) -> list[str]:
    """``peft-studio ARGS`` as a child process of this one."""
    if frozen():
        return [program(), *args]
    return [sys.executable, "-m", "studio", *args]


def module_command(module: str, *args: str) -> list[str]:
    """``python -m MODULE ARGS``."""
    if frozen():
        return [program(), RUN_MODULE, module, *args]
    return [sys.executable, "-m", module, *args]


def code_command(code: str) -> list[str]:
    """``python -u -c CODE``."""
    if frozen():
        return [program(), RUN_CODE, code]
    return [sys.executable, "-u", "-c", code]
