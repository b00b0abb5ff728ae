"""``peft-studio methods [--json]``: the PEFT methods on offer, as a table or as JSON."""

from __future__ import annotations

import argparse
import json
from typing import Any

from studio.core import methods


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "methods", help="List the fine-tuning methods and their parameters.",
        description="List the fine-tuning methods, the tasks and model families each fits, "
                    "and (with --json) every parameter with its default and range.")
    parser.add_argument("--json", action="store_true",
                        help="Print the whole registry as JSON for scripts.")
    parser.set_defaults(handler=run)


def _families(spec: methods.MethodSpec) -> str:
    if spec.families is None:
        return "all"
    known = list(methods.DEFAULT_TARGET_MODULES)
    missing = [f for f in known if f not in spec.families]
    if len(missing) < len(spec.families):  # the shorter way to say it
        return "all but " + ",".join(missing)
    return ",".join(spec.families)


def table() -> str:
    rows = [("ID", "NAME", "TASKS", "FAMILIES", "MERGE", "DESCRIPTION")]
    for spec in methods.all_methods():
        rows.append((spec.id, spec.display_name, ",".join(spec.tasks),
                     _families(spec),
                     "yes" if spec.mergeable else "no", spec.description))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1]
                     for row in rows)


def run(args: argparse.Namespace) -> int:
    print(json.dumps(methods.to_json(), indent=2) if args.json else table())
    return 0
