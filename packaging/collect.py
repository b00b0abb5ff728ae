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

The probe sees what a training and the window import; modules imported only when a feature
is used (the evaluation metrics: sacrebleu, rouge-score; the ModelScope client; uvicorn for
``serve``; hf_xet for Hugging Face downloads) are not among them. So every distribution that
``pip install peft-studio`` installs (the declared run-time dependencies, followed through
theirs) is copied too, except the real PyTorch and the build/test tools some of the stack
declares without using (NEVER_SHIPPED).
"""

from __future__ import annotations

import fnmatch
import importlib.metadata as md
import importlib.util
import json
import re
import sys
import sysconfig
from pathlib import Path

from packaging.requirements import Requirement

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
APP = "peft-studio"
# Declared but never shipped: the real PyTorch (only peft/accelerate declare it), our own
# editable install, and tools that mindnlp (pytest, and through pyctcdecode hypothesis),
# sqlite-utils (pip) and astunparse (wheel) declare but never import in the app.
NEVER_SHIPPED = {"torch", "peft-studio", "pip", "setuptools", "wheel", "pytest", "iniconfig",
                 "hypothesis"}


def canonical(name: str) -> str:
    """A distribution name as PEP 503 compares them (PySide6_Essentials = pyside6-essentials)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def version() -> str:
    sys.path.insert(0, str(ROOT))
    import studio

    return studio.__version__


def dropped(rel: str) -> bool:
    return any(fnmatch.fnmatch(rel, pattern) for pattern in DROP)


def runtime_requires(name: str) -> list[str]:
    """The canonical names of ``name``'s run-time requirements (markers evaluated here, no
    extras)."""
    found = []
    for text in md.requires(name) or []:
        req = Requirement(text)
        if req.marker is None or req.marker.evaluate({"extra": ""}):
            found.append(canonical(req.name))
    return found


def declared(app: str = APP) -> set[str]:
    """The canonical names of every distribution ``pip install app`` puts in place: its
    run-time requirements (markers evaluated here, no extras) and theirs, less NEVER_SHIPPED
    (whose own requirements are not followed either)."""
    found: set[str] = set()
    todo = [app]
    while todo:
        name = canonical(todo.pop())
        if name in found or (name in NEVER_SHIPPED and name != canonical(app)):
            continue
        try:
            requires = runtime_requires(name)
        except md.PackageNotFoundError:   # an optional one this platform does not install
            continue
        found.add(name)
        todo.extend(requires)
    return found - NEVER_SHIPPED


def distributions(packages: list[str], app: str = APP) -> list[md.Distribution]:
    """The distributions that own the probe's top-level ``packages``, and every declared
    run-time dependency of ``app`` (for the modules imported only when a feature runs)."""
    owners = md.packages_distributions()
    names: set[str] = declared(app)
    for top in packages:
        if top in NOT_COPIED or top.startswith("__editable__"):
            continue
        names.update(canonical(dist) for dist in owners.get(top, []))
    # PySide6 and shiboken6 are analysed (PyInstaller's Qt hooks), not copied
    analysed = {canonical(dist) for top in NOT_COPIED for dist in owners.get(top, [])}
    return [md.distribution(name) for name in sorted(names - NEVER_SHIPPED - analysed)]


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


def import_names(app: str = APP) -> list[str]:
    """The top-level modules of ``app``'s direct run-time requirements, mindnlp first (it
    redirects ``import torch``, which peft and accelerate import): what smoke.sh imports in
    the bundle, since several of them are imported only when a feature runs."""
    wanted = set(runtime_requires(app)) - NEVER_SHIPPED
    names = {top for top, dists in md.packages_distributions().items()
             if top.isidentifier() and not top.startswith("_")
             and any(canonical(d) in wanted for d in dists)
             and importlib.util.find_spec(top) is not None}   # not a stub file's name
    return sorted(names, key=lambda top: (top != "mindnlp", top))


if __name__ == "__main__":   # python3 packaging/collect.py --imports (for smoke.sh)
    if sys.argv[1:] != ["--imports"]:
        sys.exit("usage: collect.py --imports")
    print(" ".join(import_names()))
