"""``peft-studio validate RUN_FILE [--json]``: check a run file without training.

Exit 0 when the run file is valid, 2 when it has problems. Never imports MindSpore.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from studio.core.errors import ConfigError
from studio.core.validate import load_and_validate, summary


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "validate", help="Check a run file without training.",
        description="Check a run file: the model, task, method and its parameters, training "
                    "settings and data. Lists every problem at once.")
    parser.add_argument("run_file", help="The run file (.yaml, .yml or .json).")
    parser.add_argument("--json", action="store_true",
                        help="Print the result as JSON for scripts.")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        config = load_and_validate(args.run_file)
    except ConfigError as exc:
        if args.json:
            print(json.dumps({"ok": False, "problems": [p.to_dict() for p in exc.problems]},
                             indent=2))
        else:
            count = len(exc.problems)
            print(f"The run file has {count} problem{'s' if count != 1 else ''}:")
            for problem in exc.problems:
                print(f"  {problem}")
        return 2
    info = summary(config)
    if args.json:
        print(json.dumps({"ok": True, "summary": info}, indent=2))
        return 0
    print("OK")
    print(f"  model:   {info['model']} ({info['family'] or 'family unknown'})")
    if info["remote"]:
        print("           Not found locally: it will be downloaded from the Hugging Face Hub "
              "when training starts.")
    detected = " (detected)" if info["task_detected"] else ""
    print(f"  task:    {info['task'] or 'decided when the model is downloaded'}{detected}")
    params = ", ".join(f"{k}={v}" for k, v in info["params"].items() if v is not None)
    print(f"  method:  {info['method_name']}" + (f" ({params})" if params else ""))
    print(f"  dataset: {info['dataset']}")
    print(f"  device:  {info['device']}")
    if info["workers"] > 1:
        print(f"  workers: {info['workers']} (msrun, data parallel)")
    return 0
