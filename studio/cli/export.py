"""``peft-studio export``: a run's adapter, a merged model, or a combination of LoRA adapters.

    peft-studio export RUN --adapter OUT
    peft-studio export RUN --merged OUT [--dtype bfloat16] [--shard-size 2GB]
    peft-studio export --combine RUN1:0.7 RUN2:0.3 --out OUT [--combination linear]

RUN is a run id, id prefix, name or output folder, ``RUN@STEP`` for a checkpoint, or any
folder holding an adapter. Exit codes: 0 exported (and verified), 1 the verification failed
(the files are kept) or the export broke, 2 bad input (unknown run, folder not empty, a method
that cannot be merged, ...). With ``--events json`` every line on stdout is one JSON event:
``export_progress`` (stage, message, current, total), ``export_finished`` (the result) or
``error`` (message, kind, traceback) — what the window's Export page reads.
"""

from __future__ import annotations

import argparse
import signal
import sys
import traceback
from typing import Any

from studio.core.messages import msg

DTYPE_CHOICES = ("float32", "float16", "bfloat16")
COMBINATION_CHOICES = ("linear", "cat", "svd")


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "export", help="export a run as an adapter, a merged model or a LoRA combination",
        description="Export a run (or RUN@STEP, or a folder) as standard PEFT adapter files or "
                    "as a merged standalone model, or combine LoRA adapters; the result is "
                    "reloaded in a fresh process and its logits compared with the studio's.")
    parser.add_argument("source", nargs="?", metavar="RUN",
                        help="run id, id prefix, name or output folder; RUN@STEP for a "
                             "checkpoint; or an adapter/model folder")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--adapter", metavar="OUT", help="write the adapter files into OUT")
    what.add_argument("--merged", metavar="OUT", help="write a merged model into OUT")
    what.add_argument("--combine", nargs="+", metavar="RUN:WEIGHT",
                      help="combine LoRA adapters, each RUN with its weight (RUN:0.7)")
    parser.add_argument("--out", metavar="OUT", help="where --combine writes the new adapter")
    parser.add_argument("--dtype", choices=DTYPE_CHOICES, default="float32",
                        help="dtype of a merged model's weights (default float32)")
    parser.add_argument("--shard-size", default="2GB", metavar="SIZE",
                        help="largest safetensors shard of a merged model, e.g. 2GB, 500MB")
    parser.add_argument("--combination", choices=COMBINATION_CHOICES, default="linear",
                        help="how --combine mixes the adapters (default linear)")
    parser.add_argument("--svd-rank", type=int, metavar="R",
                        help="rank of an svd combination (default: the largest source rank)")
    parser.add_argument("--base-model-name", metavar="NAME",
                        help="record NAME (e.g. the hub id) as the adapter's base model")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace the contents of a non-empty OUT")
    parser.add_argument("--no-verify", action="store_true",
                        help="skip reloading the export in a fresh process")
    parser.add_argument("--allow-pickle-weights", action="store_true",
                        help="allow pickle weights (.bin, .pt) where a folder has no "
                             "safetensors; a pickle can run code, so it is read by a loader "
                             "that accepts tensors only")
    parser.add_argument("--events", choices=("auto", "json", "text"), default="auto",
                        help="output format (auto: text on a terminal, else JSON lines)")
    parser.set_defaults(handler=run)


class _Output:
    def __init__(self, fmt: str):
        self.json = fmt == "json"

    def event(self, name: str, text: str, **fields: Any) -> None:
        from studio.core.events import encode

        stream = sys.stdout if name != "error" or self.json else sys.stderr
        stream.write((encode(name, **fields) if self.json else text) + "\n")
        stream.flush()

    def progress(self, step: Any) -> None:
        if step.stage == "done" and not self.json:
            return   # the final summary says it
        self.event("export_progress", f"[{step.stage}] {step.message}",
                   stage=step.stage, message=step.message, current=step.current,
                   total=step.total)

    def error(self, message: str, kind: str = "known", tb: str | None = None) -> None:
        text = f"peft-studio export: {message}" + (f"\n{tb}" if tb else "")
        self.event("error", text, message=message, kind=kind, traceback=tb)


def _exit_on_sigterm() -> Any:
    """SIGTERM (the window's Cancel) unwinds like an exception, so the staging folder is
    removed and a fresh-process verification is killed; returns the previous handler."""
    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    try:
        return signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread
        return None


def _bad_arguments(args: argparse.Namespace) -> str | None:
    if args.combine:
        if args.source:
            return "--combine takes its runs after it (RUN1:0.7 RUN2:0.3), not before"
        if not args.out:
            return "--combine needs --out OUT"
        return None
    if not args.source:
        return "name the run (or folder) to export"
    if args.out:
        return "--out belongs to --combine; give the folder after --adapter or --merged"
    return None


def run(args: argparse.Namespace) -> int:
    from studio.core.errors import StudioError

    fmt = args.events if args.events != "auto" else ("text" if sys.stdout.isatty() else "json")
    out = _Output(fmt)
    problem = _bad_arguments(args)
    if problem:
        out.error(problem)
        return 2
    from studio.core import export, weightsafety

    weightsafety.allow_pickle(args.allow_pickle_weights)
    common: dict[str, Any] = {"overwrite": args.overwrite, "progress": out.progress,
                              "verify": not args.no_verify}
    previous = _exit_on_sigterm()
    try:
        if args.adapter:
            result = export.export_adapter(args.source, args.adapter,
                                           base_model_name=args.base_model_name, **common)
        elif args.merged:
            result = export.export_merged(args.source, args.merged, dtype=args.dtype,
                                          max_shard_size=args.shard_size, **common)
        else:
            pairs = [export.parse_weighted(item) for item in args.combine]
            result = export.combine_lora(pairs, args.out, combination=args.combination,
                                         svd_rank=args.svd_rank,
                                         base_model_name=args.base_model_name, **common)
    except StudioError as exc:
        out.error(exc.message)
        return 2
    except Exception as exc:  # noqa: BLE001 - a bug: show the traceback, exit 1
        out.error(msg("error.internal", error=f"{type(exc).__name__}: {exc}"), kind="bug",
                  tb=traceback.format_exc())
        return 1
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    verification = result.verification
    text = (f"exported {result.kind} to {result.path} ({result.size_bytes:,} bytes"
            + (f", {result.dtype}" if result.dtype else "") + ")\n"
            + (verification.summary() if verification else "not verified (--no-verify)"))
    out.event("export_finished", text, **result.to_dict())
    return 0 if result.ok else 1
