"""What the spec puts in the bundle besides the Python runtime and Qt.

The stack (MindSpore, mindnlp/mindtorch, transformers, peft, datasets, ...) imports modules
by name at run time, reads its own source (MindSpore's graph compiler) and redirects
``import torch`` with a meta-path finder; PyInstaller's static analysis sees little of that
and takes very long on it. So the distributions that a real training imports (recorded by
``probe.py``) are copied file by file from their RECORD, as site-packages has them, with their
``.dist-info`` (``importlib.metadata`` versions); their shared libraries go through
PyInstaller's binary analysis so system libraries they need come along. Our own packages are
copied as source the same way. Only the interpreter, the standard library and PySide6 are
analysed.
"""

from __future__ import annotations

import fnmatch
import importlib.metadata as md
import json
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(sysconfig.get_paths()["purelib"])

# Analysed by PyInstaller (its Qt hooks collect plugins), or never shipped.
NOT_COPIED = {"PySide6", "shiboken6", "torch", "_distutils_hack", "peft_studio"}
# The real PyTorch wheel (only peft declares it: mindnlp redirects `import torch`), the GPU
# and Ascend back ends of MindSpore (this is a CPU bundle), C headers and test suites.
DROP = [
    "mindspore/lib/plugin/gpu*", "mindspore/lib/plugin/ascend*",
    "mindspore/lib/plugin/libmindspore_gpu*", "mindspore/lib/plugin/libmindspore_ascend*",
    "mindspore/lib/plugin/libmindspore_ops_ascend*", "mindspore/include/*",
    "*/tests/*", "*/__pycache__/*", "*.pyc", "../*",
]
STDLIB_SKIP = {"test", "tests", "idlelib", "tkinter", "turtledemo", "turtle", "lib2to3",
               "ensurepip", "venv", "pydoc_data", "site-packages", "__pycache__", "__phello__",
               "distutils", "_tkinter"}
OURS = ("studio", "workers", "resources")


def version() -> str:
    sys.path.insert(0, str(ROOT))
    import studio

    return studio.__version__


def dropped(rel: str) -> bool:
    return any(fnmatch.fnmatch(rel, pattern) for pattern in DROP)


def distributions(packages: list[str]) -> list[md.Distribution]:
    owners = md.packages_distributions()
    names: set[str] = set()
    for top in packages:
        if top in NOT_COPIED or top.startswith("__editable__"):
            continue
        for dist in owners.get(top, []):
            if dist.lower().replace("-", "_") not in {"torch", "peft_studio"}:
                names.add(dist)
    return [md.distribution(name) for name in sorted(names)]


def is_binary(path: str) -> bool:
    """Shared libraries and extension modules (Linux; Windows and macOS for their recipes)."""
    name = Path(path).name.lower()
    return name.endswith((".so", ".pyd", ".dll", ".dylib")) or ".so." in name


def stack_files(probe: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(datas, binaries) as PyInstaller's (source, destination folder) pairs."""
    packages = json.loads(probe.read_text())["packages"]
    datas: list[tuple[str, str]] = []
    binaries: list[tuple[str, str]] = []
    for dist in distributions(packages):
        for file in dist.files or []:
            rel = str(file)
            if dropped(rel):
                continue
            src = SITE / rel
            if not src.is_file():
                continue
            dest = str(Path(rel).parent)
            (binaries if is_binary(rel) else datas).append((str(src), dest))
    for package in OURS:
        for src in (ROOT / package).rglob("*"):
            rel = src.relative_to(ROOT).as_posix()
            if src.is_file() and not dropped(rel):
                datas.append((str(src), str(Path(rel).parent)))
    return datas, binaries


def stdlib_modules() -> list[str]:
    """Every standard-library module: the copied packages import them unseen by analysis."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    names = set(sys.builtin_module_names)
    for path in stdlib.rglob("*.py"):
        parts = path.relative_to(stdlib).with_suffix("").parts
        if parts[0] in STDLIB_SKIP or parts[0].startswith("config-") or "test" in parts \
                or "tests" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts and all(p.isidentifier() for p in parts):
            names.add(".".join(parts))
    dynload = Path(sysconfig.get_paths()["platstdlib"]) / "lib-dynload"
    for path in dynload.glob("*.so"):
        name = path.name.split(".")[0]
        if name not in STDLIB_SKIP:
            names.add(name)
    return sorted(n for n in names if n.split(".")[0] not in STDLIB_SKIP)
