"""What the desktop bundle ships (``packaging/collect.py``): every module our code imports,
including those imported only when a feature runs (the evaluation metrics, the ModelScope
client, ``serve``'s uvicorn), which the probe's tiny training never loads. Reads the installed
distributions' metadata only; the bundle itself is checked by ``packaging/smoke.sh``.

collect.py runs in a fresh process here, as in the build: once mindnlp is imported (other
tests in this process may have), mindtorch's fake ``torch`` distribution breaks
``importlib.metadata.packages_distributions``."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ANALYSED = {"PySide6", "shiboken6"}   # collected by PyInstaller's Qt hooks, not copied
REDIRECTED = {"torch"}                # mindnlp's mindtorch answers `import torch`

FACTS = """
import importlib.metadata as md, json, sys
sys.path.insert(0, sys.argv[1])
import collect
names = lambda dists: sorted(collect.canonical(d.metadata["Name"]) for d in dists)
owners = md.packages_distributions()
print(json.dumps({
    "shipped": names(collect.distributions([])),
    "with_probe": names(collect.distributions(["boto3", "PySide6", "torch"])),
    "declared": sorted(collect.declared()),
    "import_names": collect.import_names(),
    "owners": {top: [collect.canonical(d) for d in owners.get(top, [])]
               for top in sys.argv[2:]}}))
"""


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
            if top not in sys.stdlib_module_names and top not in {"studio", "workers",
                                                                   "resources"}}


@pytest.fixture(scope="module")
def imports() -> dict[str, str]:
    return _third_party_imports()


@pytest.fixture(scope="module")
def facts(imports) -> dict:
    done = subprocess.run([sys.executable, "-c", FACTS, str(ROOT / "packaging"), *imports],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_every_module_our_code_imports_is_shipped(facts, imports):
    shipped = set(facts["shipped"])
    missing = {top: where for top, where in imports.items()
               if top not in ANALYSED | REDIRECTED and not set(facts["owners"][top]) & shipped}
    assert not missing, f"imported but not in the bundle (declare them in pyproject): {missing}"
    assert {"sacrebleu", "rouge_score", "modelscope_hub", "uvicorn"} <= set(imports)


def test_features_imported_lazily_are_shipped_without_the_probe(facts):
    # none of these is imported by a training or the window (the probe's view)
    assert {"sacrebleu", "rouge-score", "modelscope-hub", "uvicorn", "h11", "nltk"} \
        <= set(facts["shipped"])


def test_never_shipped_and_analysed_ones_are_left_out(facts):
    shipped = set(facts["shipped"])
    assert not shipped & {"torch", "pip", "pytest", "hypothesis", "wheel", "peft-studio"}
    assert not shipped & {"pyside6-essentials", "shiboken6"}   # analysed, not copied
    assert "pyside6-essentials" in facts["declared"]           # though declared


def test_the_probe_adds_what_the_stack_imports_undeclared(facts):
    # boto3 is imported by the stack at start-up but is not among the declared run-time
    # requirements; the probe's packages bring it in (and never torch or Qt's)
    shipped, with_probe = set(facts["shipped"]), set(facts["with_probe"])
    assert "boto3" not in shipped and with_probe - shipped == {"boto3"}


def test_smoke_imports_mindnlp_first(facts):
    names = facts["import_names"]
    assert names[0] == "mindnlp"   # before peft/accelerate import torch
    assert {"sacrebleu", "rouge_score", "modelscope_hub", "uvicorn", "peft"} <= set(names)
    assert "torch" not in names
