"""Run a tiny training with the dev Python and record what the stack really loads: the
top-level packages imported from site-packages and the shared libraries mapped. The spec
copies those packages whole (``python3 packaging/probe.py RUN_FILE OUT.json``)."""

from __future__ import annotations

import io
import json
import os
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(run_file: str, out: str) -> None:
    import contextlib
    import importlib
    import pkgutil

    os.environ.setdefault("PEFT_STUDIO_HOME", str(Path(out).parent / "probe-home"))
    from studio.cli import main as cli

    with contextlib.redirect_stdout(io.StringIO()):
        code = cli(["train", run_file, "--events", "json"])
    assert code == 0, f"the probe's training failed ({code})"
    import studio
    import workers
    for pkg in (studio, workers):   # every module of ours, the window's included
        for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
            if not info.name.endswith("__main__"):   # those run the program
                importlib.import_module(info.name)
    site = sysconfig.get_paths()["purelib"]
    tops = set()
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None) or ""
        if path.startswith(site):
            tops.add(Path(path).relative_to(site).parts[0].removesuffix(".py").split(".")[0])
    libs = sorted({line.split()[-1] for line in Path("/proc/self/maps").read_text().splitlines()
                   if ".so" in line and line.split()[-1].startswith("/")})
    qt = sorted(m for m in sys.modules if m.startswith("PySide6.Qt"))  # pyqtgraph's too
    Path(out).write_text(json.dumps({"packages": sorted(tops), "qt_modules": qt,
                                     "libraries": libs}, indent=1))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
