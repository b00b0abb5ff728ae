"""Fixtures for the dataset-layer tests: writing small data files and loading the tiny
tokenizer (the compute stack is imported only by tests that ask for ``tok``).

Loaded as a plugin by ``tests/conftest.py`` (``pytest_plugins``) rather than kept in a second
``conftest.py``: without ``__init__.py`` files a second conftest would replace
``tests/conftest.py`` as the ``conftest`` module that other tests import from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from studio.core.config import DatasetConfig


@pytest.fixture
def write(tmp_path):
    """write("name.ext", text_or_rows) -> path. Lists of dicts become JSON/JSONL by extension."""

    def _write(name: str, content: Any, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding=encoding)
        elif name.endswith(".jsonl"):
            path.write_text("".join(json.dumps(r) + "\n" for r in content), encoding=encoding)
        else:
            path.write_text(json.dumps(content), encoding=encoding)
        return path

    return _write


@pytest.fixture
def cfg():
    def _cfg(path: Path | str, **kwargs: Any) -> DatasetConfig:
        return DatasetConfig(path=str(path), **kwargs)

    return _cfg


@pytest.fixture
def tok(runtime, tokenizer_dir):
    """A fresh tokenizer per test (tests may set a chat template on it)."""
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(tokenizer_dir))


@pytest.fixture(scope="session")
def t5_tokenizer_dir(tmp_path_factory):
    from factories import make_tokenizer

    return make_tokenizer(tmp_path_factory.mktemp("t5tok"), encoder_decoder=True)
