"""The Model page's download of a hub model (issue 13, item 6): size first, progress, Cancel
that keeps what was fetched, then the model read from the cache. A real ``peft-studio
download`` child talks to a local stand-in for the hub (tests/hubserver.py)."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from hubserver import STALLED_READ_TIMEOUT, FakeHub, partial_sizes

from studio.core import hub
from studio.ui.model.page import ModelPage


@pytest.fixture
def repo(tmp_path, tokenizer_dir):
    from safetensors.numpy import save_file

    folder = tmp_path / "repo"
    shutil.copytree(tokenizer_dir, folder)
    (folder / "config.json").write_text(json.dumps({"model_type": "llama", "hidden_size": 16,
                                                    "num_hidden_layers": 1,
                                                    "num_attention_heads": 2}))
    save_file({"w": np.random.default_rng(0).standard_normal((1800, 1800)).astype(np.float32)},
              str(folder / "model.safetensors"))
    return folder


@pytest.fixture
def server(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.chdir(tmp_path)
    with FakeHub({"org/tiny": repo}) as running:
        monkeypatch.setenv(hub.ENV_SOURCE, "mirror")      # as the window's Settings set them
        monkeypatch.setenv(hub.ENV_ENDPOINT, running.url)
        monkeypatch.delenv("HF_ENDPOINT", raising=False)
        yield running


@pytest.fixture
def page(qtbot):
    widget = ModelPage()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    return widget


def _show_hub_id(qtbot, page) -> None:
    with qtbot.waitSignal(page.sig_model_changed, timeout=10000):
        page.set_model("org/tiny")
    assert page.download_button.isVisibleTo(page)
    assert "downloaded before training" in page.message_text()


def test_download_shows_the_size_then_reads_the_model_from_the_cache(qtbot, page, server,
                                                                      repo, tmp_path):
    _show_hub_id(qtbot, page)
    dialog = page.download()
    qtbot.waitUntil(lambda: "files," in dialog.headline.text(), timeout=30000)
    size = sum(p.stat().st_size for p in repo.iterdir())
    assert f"from {server.url}" in dialog.headline.text()
    assert dialog.headline.text().startswith(f"org/tiny: {len(list(repo.iterdir()))} files")
    with qtbot.waitSignal(page.sig_model_changed, timeout=60000):
        pass   # the dialog's success makes the page read the model again
    assert "Downloaded into the Hugging Face cache" in dialog.details.text()
    assert dialog.bar.value() == dialog.bar.maximum()
    assert not page.download_button.isVisibleTo(page)
    assert "in the local Hugging Face cache" in page.message_text()
    assert page.model_info().model_type == "llama" and size > 0
    assert any((tmp_path / "hf-cache").rglob("model.safetensors"))


def test_cancel_keeps_what_was_fetched(qtbot, page, server, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_DOWNLOAD_TIMEOUT", STALLED_READ_TIMEOUT)
    server.stall["model.safetensors"] = 11 * 1024 * 1024
    _show_hub_id(qtbot, page)
    dialog = page.download()
    blobs = tmp_path / "hf-cache" / "models--org--tiny" / "blobs"
    qtbot.waitUntil(lambda: any(size > 0 for size in partial_sizes(blobs)), timeout=60000)
    dialog.reject()                        # Escape, or Cancel
    qtbot.waitUntil(lambda: "Stopped" in dialog.details.text(), timeout=10000)
    assert "resume" in dialog.details.text()
    assert not page._download_worker.is_running()
    assert page.download_button.isVisibleTo(page)
    assert [size > 0 for size in partial_sizes(blobs)] == [True]


@pytest.fixture
def modelscope(repo, tmp_path, monkeypatch):
    """ModelScope chosen in Settings; its official client pointed at a local stand-in."""
    from msserver import FakeModelScope

    monkeypatch.setenv("MODELSCOPE_CACHE", str(tmp_path / "ms-cache"))
    monkeypatch.setenv("MODELSCOPE_HOME", str(tmp_path / "ms-home"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.chdir(tmp_path)
    with FakeModelScope({"org/tiny": repo}) as running:
        monkeypatch.setenv(hub.ENV_SOURCE, "modelscope")
        monkeypatch.delenv(hub.ENV_ENDPOINT, raising=False)
        monkeypatch.setenv("MODELSCOPE_ENDPOINT", running.url)
        yield running


def test_a_modelscope_download_goes_into_its_cache(qtbot, page, modelscope, repo, tmp_path):
    _show_hub_id(qtbot, page)
    dialog = page.download()
    qtbot.waitUntil(lambda: "files," in dialog.headline.text(), timeout=30000)
    assert dialog.headline.text().startswith(f"org/tiny: {len(list(repo.iterdir()))} files")
    assert dialog.headline.text().endswith(f"from {modelscope.url}")
    with qtbot.waitSignal(page.sig_model_changed, timeout=60000):
        pass   # the dialog's success makes the page read the model again
    snapshot = tmp_path / "ms-cache" / "models" / "org--tiny" / "snapshots" / "master"
    assert dialog.details.text() == f"Downloaded into the ModelScope cache: {snapshot}"
    assert dialog.bar.value() == dialog.bar.maximum()
    assert not page.download_button.isVisibleTo(page)
    assert "in the local ModelScope cache" in page.message_text()
    assert page.model_info().model_type == "llama"
    assert not (tmp_path / "hf-cache").exists()


def test_cancelling_a_modelscope_download_keeps_the_partial_file(qtbot, page, modelscope,
                                                                 tmp_path):
    modelscope.stall["model.safetensors"] = 5 * 1024 * 1024
    _show_hub_id(qtbot, page)
    dialog = page.download()
    partial = (tmp_path / "ms-cache" / "models" / "org--tiny" / "snapshots" / "master"
               / "model.safetensors.incomplete")
    qtbot.waitUntil(lambda: partial.is_file() and partial.stat().st_size > 0, timeout=60000)
    qtbot.waitUntil(lambda: dialog.bar.value() > 0, timeout=10000)   # progress counts it
    dialog.reject()
    qtbot.waitUntil(lambda: "Stopped" in dialog.details.text(), timeout=10000)
    assert not page._download_worker.is_running()
    assert page.download_button.isVisibleTo(page)
    assert partial.stat().st_size > 0
