"""How long ``peft-studio`` takes to show its window: time to first paint.

Each round starts a fresh Python process (nothing cached in ``sys.modules``, a new settings
folder) that opens the window the way ``studio.app.run_app`` does and reports when the first
paint event of the window arrives, counted from the moment this script started the process
(so the interpreter's own start-up is included), with the phases on the way:

    python bench/startup.py                 # 5 rounds, a table and the median
    python bench/startup.py --rounds 10 --json
    python bench/startup.py --no-probe      # without the device-probe child process

The issue asks for a window in under 2 seconds without importing MindSpore or mindnlp; the
rounds also list the heavy packages imported by the time of the first paint (there should be
none; tests/ui/test_mainwindow.py checks the GUI thread's imports without timing anything).
Without a display the Qt platform defaults to ``offscreen``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("mindspore", "mindnlp", "torch", "transformers", "peft", "datasets", "pandas",
         "pyarrow", "sqlite_utils")
PHASES = ("imports", "application", "window", "first_paint")


def child(spawned: float, probe: bool) -> None:
    """Runs in the measured process: open the window, report the times, quit."""
    start = time.perf_counter()
    marks: dict[str, float] = {}

    def mark(name: str) -> None:
        marks[name] = time.perf_counter() - start

    from PySide6.QtCore import QEvent, QObject, QThreadPool, QTimer
    from PySide6.QtWidgets import QWidget

    from studio.app import setup_application
    from studio.ui.mainwindow import MainWindow
    mark("imports")
    app = setup_application(["peft-studio"])
    mark("application")
    window = MainWindow(probe_devices=probe)
    app.aboutToQuit.connect(window.shutdown)
    mark("window")

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt
            if event.type() == QEvent.Type.Paint and "first_paint" not in marks \
                    and isinstance(obj, QWidget) and obj.window() is window:
                mark("first_paint")
                marks["since_spawn"] = time.time() - spawned
                heavy[:] = sorted({m.split(".")[0] for m in sys.modules} & set(HEAVY))
                QTimer.singleShot(0, app.quit)   # after the rest of this frame is painted
            return False

    heavy: list[str] = []   # imported by the time of the first paint, by any thread
    watcher = FirstPaint()
    app.installEventFilter(watcher)
    window.show()
    QTimer.singleShot(30000, app.quit)   # never hang a benchmark
    app.exec()
    window.close()
    QThreadPool.globalInstance().waitForDone(30000)   # no job left running at exit
    print(json.dumps({"since_spawn": marks.get("since_spawn"), "heavy": heavy,
                      **{p: marks.get(p) for p in PHASES}}), flush=True)


def one_round(probe: bool) -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p))
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="studio-bench-") as home:
        env["PEFT_STUDIO_HOME"] = home
        args = [sys.executable, __file__, "--child", repr(time.time())]
        if not probe:
            args.append("--no-probe")
        out = subprocess.run(args, cwd=ROOT, env=env, text=True, capture_output=True,
                             timeout=120)
    if out.returncode != 0:
        raise SystemExit(f"the window process failed ({out.returncode}):\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-probe", action="store_true",
                        help="do not start the device-probe child process")
    parser.add_argument("--json", action="store_true", help="print the rounds as JSON")
    parser.add_argument("--child", metavar="SPAWNED", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        child(float(args.child), probe=not args.no_probe)
        return 0

    rounds = [one_round(probe=not args.no_probe) for _ in range(args.rounds)]
    columns = ("since_spawn", *PHASES)
    summary = {c: statistics.median(r[c] for r in rounds) for c in columns}
    heavy = sorted({m for r in rounds for m in r["heavy"]})
    if args.json:
        print(json.dumps({"rounds": rounds, "median": summary, "heavy": heavy}, indent=2))
        return 0
    print("seconds, measured in the window process from its first line; 'total' is from "
          "process spawn (interpreter start included) to the first paint")
    print(f"{'round':>6} {'total':>7} " + " ".join(f"{p:>12}" for p in PHASES))
    for i, r in enumerate(rounds, 1):
        print(f"{i:>6} {r['since_spawn']:7.3f} " + " ".join(f"{r[p]:12.3f}" for p in PHASES))
    print(f"{'median':>6} {summary['since_spawn']:7.3f} "
          + " ".join(f"{summary[p]:12.3f}" for p in PHASES))
    print("heavy packages imported by the first paint (any thread):", ", ".join(heavy) or "none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
