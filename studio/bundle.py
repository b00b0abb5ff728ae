"""The desktop bundle's entry point (``packaging/peft_studio.py`` calls ``main``): the hidden
stand-ins for ``python -m`` / ``python -c`` that ``studio.launch`` gives its children, then
the CLI (the window when there are no arguments)."""

from __future__ import annotations

import runpy
import sys

from studio.launch import RUN_CODE, RUN_MODULE


def main(argv: list[str] | None = None) -> int:
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
