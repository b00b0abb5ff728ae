"""How the studio starts itself again. From source a child is ``python -m studio ...``; in the
desktop bundle (PyInstaller sets ``sys.frozen``) there is no ``python``, only the bundle's
executable, which is both the CLI and, through two hidden options, a stand-in for
``python -m MODULE`` and ``python -c CODE``. Every child process gets its command here."""

from __future__ import annotations

import runpy
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


def main(argv: list[str] | None = None) -> int:
    """The bundle's entry point: the hidden stand-ins first, then the CLI (the window when
    there are no arguments)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if len(argv) >= 2 and argv[0] == RUN_MODULE:
        sys.argv = [argv[1], *argv[2:]]
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
        return 0
    if len(argv) >= 2 and argv[0] == RUN_CODE:
        sys.argv = ["-c", *argv[2:]]
        exec(compile(argv[1], "<string>", "exec"), {"__name__": "__main__"})
        return 0
    from studio.cli import main as cli

    return cli(argv)
