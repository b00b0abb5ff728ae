"""What the desktop bundle ships (``packaging/collect.py``): every module our code imports,
including those imported only when a feature runs (the evaluation metrics, the ModelScope
client, ``serve``'s uvicorn), which the probe's tiny training never loads. Reads the installed
distributions' metadata only; the bundle itself is checked by ``packaging/smoke.sh``."""

from __future__ import annotations

import ast
import importlib.metadata as md
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
import collect  # noqa: E402 - packaging/ is not a package

ANALYSED = {"PySide6", "shiboken6"}   # collected by PyInstaller's Qt hooks, not copied
REDIRECTED = {"torch"}                # mindnlp's mindtorch answers `import torch`


@pytest.fixture(scope="module")
def shipped() -> set[str]:
    """Canonical names of the distributions copied with an empty probe (none imported)."""
    return {collect.canonical(d.metadata["Name"]) for d in collect.distributions([])}


def _third_party_imports() -> dict[str, str]:
    """Top-level module -> a file of ours importing it (at the top or inside a function)."""
    found: dict[str, str] = {}
    for package in ("studio", "workers"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return {top: where for top, where in found.items()
            if top not in sys.stdlib_module_names and top not in collect.OURS}


def test_every_module_our_code_imports_is_shipped(shipped):
    owners = md.packages_distributions()
    missing = {}
    for top, where in _third_party_imports().items():
        if top in ANALYSED | REDIRECTED:
            continue
        dists = {collect.canonical(d) for d in owners.get(top, [])}
        if not dists & shipped:
            missing[top] = where
    assert not missing, f"imported but not in the bundle (declare them in pyproject): {missing}"


def test_features_imported_lazily_are_shipped_without_the_probe(shipped):
    # none of these is imported by a training or the window (the probe's view)
    assert {"sacrebleu", "rouge-score", "modelscope-hub", "uvicorn", "h11", "nltk"} <= shipped


def test_never_shipped_and_analysed_ones_are_left_out(shipped):
    assert not shipped & {"torch", "pip", "pytest", "hypothesis", "wheel", "peft-studio"}
    assert not shipped & {"pyside6-essentials", "shiboken6"}   # analysed, not copied
    assert "pyside6-essentials" in collect.declared()           # though declared


def test_the_probe_adds_what_the_stack_imports_undeclared(shipped):
    # boto3 is imported by the stack at start-up but declared by none of our dependencies'
    # run-time requirements here; the probe's packages bring it in
    with_probe = {collect.canonical(d.metadata["Name"])
                  for d in collect.distributions(["boto3", "PySide6", "torch"])}
    assert "boto3" not in shipped and with_probe - shipped == {"boto3"}
    assert "torch" not in with_probe


def test_smoke_imports_mindnlp_first():
    names = collect.import_names()
    assert names[0] == "mindnlp"   # before peft/accelerate import torch
    assert {"sacrebleu", "rouge_score", "modelscope_hub", "uvicorn", "peft"} <= set(names)
    assert "torch" not in names
