"""``peft-studio data inspect FILE``: what a data file holds (format, columns, labels, token
lengths, samples, problems); with ``--render N`` row N as training tokenizes it. The compute
stack is imported only with ``--tokenizer``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from studio.core.config import DATA_FORMATS, FILE_TYPES, TASKS, DatasetConfig, TrainingConfig
from studio.core.data.columns import ROLE_FIELDS
from studio.core.errors import DatasetError
from studio.core.messages import Message, msg

_COLUMN_ROLES = tuple(ROLE_FIELDS)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("data", help="look at a data file",
                                   description="Look at a data file without training.")
    actions = parser.add_subparsers(dest="data_command", metavar="ACTION", required=True)
    ins = actions.add_parser("inspect", help="format, columns, labels, lengths and problems")
    ins.add_argument("file", help="data file (csv, tsv, json, jsonl, parquet, txt), a "
                                  "datasets save_to_disk folder or a folder with a "
                                  "dataset_info.json")
    ins.add_argument("--name", help="the dataset to read from a dataset_info.json folder")
    ins.add_argument("--json", action="store_true", help="print JSON instead of a summary")
    ins.add_argument("--format", choices=DATA_FORMATS, default="auto")
    ins.add_argument("--file-type", choices=FILE_TYPES, default="auto")
    ins.add_argument("--task", choices=TASKS, help="also check that the data fits this task")
    ins.add_argument("--tokenizer", metavar="FOLDER",
                     help="tokenizer or model folder, for token-length statistics")
    ins.add_argument("--delimiter", help="csv/tsv delimiter (a character, or tab)")
    ins.add_argument("--encoding", default="utf-8")
    ins.add_argument("--labels", help="label names in id order, comma-separated")
    ins.add_argument("--samples", type=int, default=5, help="sample rows to show (default 5)")
    ins.add_argument("--render", type=int, metavar="N",
                     help="show row (or line) N as training tokenizes it, the parts without "
                          "loss between ⟦ ⟧ (needs --tokenizer)")
    ins.add_argument("--max-length", type=int, default=TrainingConfig.max_length,
                     help="training.max_length for --render (default %(default)s)")
    ins.add_argument("--system-prompt", help="dataset.system_prompt for --render")
    for role in _COLUMN_ROLES:
        ins.add_argument(f"--{role}-column", metavar="NAME", dest=f"{role}_column")
    ins.set_defaults(handler=run_inspect)


def _config(args: argparse.Namespace) -> DatasetConfig:
    columns = {f"{r}_column": getattr(args, f"{r}_column") for r in _COLUMN_ROLES}
    labels = [x.strip() for x in args.labels.split(",")] if args.labels else None
    return DatasetConfig(path=args.file, format=args.format, file_type=args.file_type,
                         delimiter=args.delimiter, encoding=args.encoding, labels=labels,
                         name=args.name, system_prompt=args.system_prompt, **columns)


def _load_tokenizer(folder: str) -> Any:
    if not Path(folder).expanduser().is_dir():
        raise DatasetError(msg("cli.tokenizer_not_found"), folder)
    from studio.core.runtime import bootstrap

    bootstrap()
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(str(Path(folder).expanduser()),
                                             local_files_only=True)
    except (OSError, ValueError) as exc:
        raise DatasetError(msg("cli.cannot_load_tokenizer", error=exc), folder) from None


def _stats_line(stats: dict[str, Any]) -> str:
    return (f"min {stats['min']}, mean {stats['mean']}, median {stats['median']}, "
            f"p95 {stats['p95']}, max {stats['max']}")


def format_summary(info: dict[str, Any]) -> str:
    lines = [f"File:     {info['path']} ({info['file_type']}, {info['rows']} rows)",
             f"Columns:  {', '.join(info['file_columns'])}"]
    if info["format"]:
        mapping = ", ".join(f"{role}={col}" for role, col in info["columns"].items())
        lines.append(f"Format:   {info['format']} ({mapping})")
    else:
        lines.append("Format:   not recognised")
    for key, title in (("label_counts", "Labels:  "), ("tag_counts", "Tags:    ")):
        if key in info:
            lines.append(f"{title} " + ", ".join(f"{k} {v}" for k, v in info[key].items()))
    if "token_lengths" in info:
        lines.append(f"Tokens:   {_stats_line(info['token_lengths'])}")
    if "target_token_lengths" in info:
        lines.append(f"Targets:  {_stats_line(info['target_token_lengths'])}")
    if info["samples"]:
        lines.append("Samples:")
        for sample in info["samples"]:
            text = json.dumps(sample["values"], ensure_ascii=False)
            lines.append(f"  {info['row_unit']} {sample['row']}: "
                         + (text if len(text) <= 160 else text[:157] + "..."))
    if info["problems"]:
        lines.append(f"Problems ({len(info['problems'])}):")
        for problem in info["problems"]:
            text = f"  {problem['field']}: {problem['message']}"
            if problem.get("expected"):
                text += f" (expected {problem['expected']})"
            lines.append(text)
    else:
        lines.append("Problems: none")
    return "\n".join(lines)


def format_render(render: dict[str, Any]) -> str:
    flags = [w for w, on in (("truncated", render["truncated"]),
                             ("no loss within max_length", render["dropped"])) if on]
    head = (f"{render['unit'].capitalize()} {render['row']} as {render['format']} data for "
            f"{render['task']}: {render['tokens']} tokens, {render['loss_tokens']} with loss "
            f"(max_length {render['max_length']})" + (f", {', '.join(flags)}" if flags else ""))
    if render.get("chat_template"):
        head += f"; chat template: {render['chat_template']}"
    from studio.core.data.rendering import marked_text

    return head + "\nNo loss on the parts between ⟦ ⟧:\n" + marked_text(render)


def _failed(args: argparse.Namespace, exc: DatasetError) -> int:
    """The error on stderr; with --json also as a JSON document on stdout, with the code and
    parameters of its message (``{"error", "messages": {"error": ...}}``, as in the events),
    so the window can show it in the user's language."""
    print(f"error: {exc}", file=sys.stderr)
    if args.json:
        document: dict[str, Any] = {"error": str(exc)}
        if isinstance(exc.message, Message):
            document["messages"] = {"error": exc.message.to_dict()}
        print(json.dumps(document, ensure_ascii=False))
    return 2


def run_render(args: argparse.Namespace) -> int:
    from studio.core.data.rendering import render_row

    if not args.tokenizer:
        print("error: --render needs --tokenizer (a local tokenizer or model folder)",
              file=sys.stderr)
        return 2
    if args.max_length < 2:
        print("error: --max-length must be at least 2", file=sys.stderr)
        return 2
    try:
        render = render_row(_config(args), _load_tokenizer(args.tokenizer), args.render,
                            args.max_length, args.task)
    except DatasetError as exc:
        return _failed(args, exc)
    print(json.dumps(render, ensure_ascii=False, indent=2) if args.json
          else format_render(render))
    return 0


def run_inspect(args: argparse.Namespace) -> int:
    from studio.core.data import inspect

    if args.render is not None:
        return run_render(args)
    try:
        tokenizer = _load_tokenizer(args.tokenizer) if args.tokenizer else None
        info = inspect(_config(args), tokenizer=tokenizer, samples=max(0, args.samples),
                       task=args.task)
    except DatasetError as exc:
        return _failed(args, exc)
    print(json.dumps(info, ensure_ascii=False, indent=2) if args.json else format_summary(info))
    return 0
