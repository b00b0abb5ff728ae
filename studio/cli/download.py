"""``peft-studio download ORG/NAME``: fetch a hub model into the hub's cache (Hugging Face's,
or ModelScope's when it is the source) before it is used, its size first, then progress.
Ctrl+C (or the window's Cancel) stops it; running it again resumes where it stopped."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from studio.core.events import encode


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "download", help="download a hub model into the hub's local cache",
        description="Download a model's config, tokenizer and safetensors weights from the "
                    "chosen hub (Hugging Face unless a run file or the window's Settings "
                    "chose a mirror or ModelScope) into its standard cache (Hugging Face's, "
                    "or ModelScope's for ModelScope). Interrupted downloads resume.")
    parser.add_argument("model", help="a hub id such as org/name")
    parser.add_argument("--revision", help="a branch, tag or commit (default: main)")
    parser.add_argument("--allow-pickle-weights", action="store_true",
                        help="also fetch pickle weights (.bin, .pt) when the model has no "
                             "safetensors; a pickle can run code when it is loaded")
    parser.add_argument("--events", choices=("auto", "json", "text"), default="auto",
                        help="output format (auto: text on a terminal, else JSON lines)")
    parser.set_defaults(handler=run)


class _Output:
    def __init__(self, fmt: str):
        self.json = fmt == "json"

    def event(self, name: str, text: str, **fields: Any) -> None:
        if self.json:   # a Message's code goes under "messages", so the window translates it
            print(encode(name, **fields), flush=True)
        else:
            print(text, flush=True)

    def progress(self, p: dict[str, Any]) -> None:
        if self.json:
            print(json.dumps({"event": "download_progress", **p}), flush=True)
            return
        from studio.core.download import size_text

        eta = f"  ETA {p['eta']:.0f} s" if p.get("eta") is not None else ""
        line = (f"\r{p['files_done']}/{p['files_total']} files  "
                f"{size_text(p['bytes_done'])} / {size_text(p['bytes_total'])}  "
                f"{size_text(p['speed'])}/s{eta}")
        sys.stdout.write(line.ljust(70))
        sys.stdout.flush()


def run(args: argparse.Namespace) -> int:
    # The clients' own per-file bars (tqdm, on stderr) would write over the progress line
    # and fill the stderr kept for errors; this command shows its own progress.
    os.environ.setdefault("TQDM_DISABLE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from studio.core import download, hub, weightsafety
    from studio.core.download import size_text
    from studio.core.errors import StudioError

    out = _Output(args.events if args.events != "auto"
                  else ("text" if sys.stdout.isatty() else "json"))
    weightsafety.allow_pickle(args.allow_pickle_weights)
    if hub.offline():
        found = download.cached(args.model)
        if found is None:
            problem = download.offline_not_cached(args.model)
            out.event("error", f"peft-studio download: {problem}", message=problem.message)
            return 2
        out.event("download_finished", f"offline: using the cached copy in {found}",
                  path=str(found), offline=True, source=hub.from_environment().source)
        return 0
    try:
        chosen = download.plan(args.model, revision=args.revision)
    except StudioError as exc:
        out.event("error", f"peft-studio download: {exc}", message=exc.message)
        return 2
    out.event("download_plan", f"{args.model}: {len(chosen.files)} files, "
              f"{size_text(chosen.total_bytes)} from {chosen.endpoint}", **chosen.to_dict())
    try:
        folder = download.fetch(chosen, lambda p: out.progress(p.to_dict()))
    except StudioError as exc:
        out.event("error", f"\npeft-studio download: {exc}", message=exc.message)
        return 1
    except KeyboardInterrupt:
        out.event("download_stopped", "\nstopped; run the same command again to resume")
        return 130
    out.event("download_finished", f"\ndownloaded to {folder}", path=str(folder),
              offline=False, source=chosen.source)
    return 0
