"""``peft-studio train RUN_FILE`` and ``peft-studio train --resume RUN``."""

from __future__ import annotations

import argparse
import sys


def register(sub) -> None:
    parser = sub.add_parser("train", help="fine-tune from a run file (or resume a run)",
                            description="Fine-tune a model as a run file describes. Events go "
                                        "to stdout: readable text in a terminal, JSON lines "
                                        "otherwise (or as --events says).")
    parser.add_argument("run_file", nargs="?", help="YAML or JSON run file")
    parser.add_argument("--resume", metavar="RUN",
                        help="continue a run (id, id prefix, name or output folder) from its "
                             "latest checkpoint")
    parser.add_argument("--node-rank", type=int, default=None, metavar="N",
                        help="several hosts: this machine's index in distributed.hosts (0 leads "
                             "the run; detected from its addresses when not given)")
    parser.add_argument("--events", choices=("auto", "json", "text"), default="auto",
                        help="event format on stdout (auto: text on a terminal, else JSON lines)")
    parser.add_argument("--allow-pickle-weights", action="store_true",
                        help="allow pickle weights (.bin, .pt) where a folder has no "
                             "safetensors; a pickle can run code, so it is read by a loader "
                             "that accepts tensors only")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from studio.core.errors import ConfigError, StudioError
    from studio.core.events import EventSink
    from studio.core.messages import msg
    from studio.core.store import RunStore

    fmt = args.events if args.events != "auto" else ("text" if sys.stdout.isatty() else "json")
    emit = EventSink(sys.stdout, fmt)
    if bool(args.run_file) == bool(args.resume):
        emit("error", message=msg("cli.run_file_or_resume"), kind="known", traceback=None)
        return 2
    try:
        store = RunStore()
        store.mark_orphans_failed()
        if args.resume:
            from studio.core import runner

            return runner.resume(args.resume, emit, store,
                                 allow_pickle_weights=args.allow_pickle_weights,
                                 node_rank=args.node_rank)
        from studio.core.validate import load_and_validate

        config = load_and_validate(args.run_file, node_rank=args.node_rank)
        config.allow_pickle_weights = config.allow_pickle_weights or args.allow_pickle_weights
    except ConfigError as exc:
        for problem in exc.problems:
            emit("error", message=problem.text(), kind="known", traceback=None,
                 field=problem.field)
        return 2
    except StudioError as exc:
        emit("error", message=exc.message, kind="known", traceback=None)
        return 2
    from studio.core import runner

    return runner.start(config, emit, store, node_rank=args.node_rank)
