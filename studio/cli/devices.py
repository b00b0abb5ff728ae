"""``peft-studio devices``: what MindSpore reports as usable here (the GUI asks this in a
child process so the window never imports MindSpore)."""

from __future__ import annotations

import argparse
import json


def register(sub) -> None:
    parser = sub.add_parser("devices", help="list the devices MindSpore can use here")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from studio.core.runtime import available_devices, quiet_environment

    quiet_environment()
    info = available_devices()
    if args.json:
        print(json.dumps(info))
    else:
        names = [name for name in ("cpu", "gpu", "ascend") if info[name]]
        print(f"MindSpore {info['mindspore']}: {', '.join(names)}")
    return 0
