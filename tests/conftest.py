"""Shared fixtures. Heavy ones (mindnlp, tiny models) are session-scoped and lazy, so tests
that need no compute never import the stack."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
SHARED_DATA = ROOT.parent / "shared" / "data"
# The dataset-layer fixtures (write, cfg, tok, t5_tokenizer_dir), for every test module.
pytest_plugins = ["data_fixtures"]


@pytest.fixture(autouse=True)
def no_pickle_consent():
    """Consent to pickle weights is per process (weightsafety): none leaks between tests."""
    from studio.core import weightsafety

    weightsafety.allow_pickle(False)
    yield
    weightsafety.allow_pickle(False)


@pytest.fixture(autouse=True)
def hub_environment():
    """The download source is process-wide (environment variables set by hub.apply, e.g. by
    the window's Settings): every test starts and ends on the official hub."""
    names = ("PEFT_STUDIO_HUB", "PEFT_STUDIO_HUB_ENDPOINT", "HF_ENDPOINT")
    saved = {name: os.environ.get(name) for name in names}
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(autouse=True)
def studio_home(tmp_path, monkeypatch):
    """Every test gets its own data/config dirs (store, runs, settings)."""
    home = tmp_path / "studio-home"
    monkeypatch.setenv("PEFT_STUDIO_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def runtime():
    """mindnlp imported and compat fixes applied (once per test process)."""
    from studio.core.runtime import bootstrap

    bootstrap()
    import torch

    return torch


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory, runtime):
    """A factory: tiny_models('llama') -> folder of a tiny random model (cached per session)."""
    from factories import make_model

    cache: dict[tuple, Path] = {}
    root = tmp_path_factory.mktemp("models")

    def get(family: str, task: str | None = None, num_labels: int | None = None,
            init_range: float | None = None) -> Path:
        key = (family, task, num_labels, init_range)
        if key not in cache:
            name = "-".join(str(k) for k in key if k is not None)
            cache[key] = make_model(root / name, family, task, num_labels=num_labels,
                                    init_range=init_range)
        return cache[key]

    return get


@pytest.fixture(scope="session")
def tokenizer_dir(tmp_path_factory):
    """A tiny tokenizer folder (no torch needed to build it)."""
    from factories import make_tokenizer

    return make_tokenizer(tmp_path_factory.mktemp("tokenizer"))


@pytest.fixture(scope="session")
def phrasebank():
    path = SHARED_DATA / "financial_phrasebank" / "sentences_allagree.txt"
    if not path.is_file():
        pytest.skip(f"shared data not present: {path}")
    return path


@pytest.fixture
def chinese(qapp):
    """The window's Simplified Chinese catalogs installed for one test."""
    from studio.app import install_translators

    installed = install_translators(qapp, "zh_CN")
    assert installed, "the zh_CN catalog did not load"
    yield
    for translator in installed:
        qapp.removeTranslator(translator)
