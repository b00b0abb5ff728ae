"""``peft-studio``: the window with no arguments, headless commands otherwise.

Each command lives in its own module with ``register(subparsers)``; handlers return an exit
code. Exit codes: 0 ok, 1 the work failed, 2 bad input (run file, data, arguments).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from studio import __version__

# Modules of studio.cli; each registers its command ("evaluate" registers "eval")
COMMANDS = ("train", "validate", "methods", "data", "runs", "devices", "export", "chat",
            "download", "evaluate", "serve")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="peft-studio",
        description="Parameter-efficient fine-tuning on MindSpore. "
                    "Without a command, opens the window.")
    parser.add_argument("--version", action="version", version=f"peft-studio {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"studio.cli.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    args = parser.parse_args(argv)
    from studio.core import hub

    hub.apply()  # downloads go where the user chose (the official hub unless told otherwise)
    if args.command is None:
        try:
            from studio.app import run_app
        except ImportError as exc:  # e.g. Qt's system libraries are missing: say so, fail
            print(f"peft-studio: the window cannot start: {exc}\n"
                  "The commands work without it: peft-studio --help", file=sys.stderr)
            return 1
        return run_app()
    return int(args.handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
