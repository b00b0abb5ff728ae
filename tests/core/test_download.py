"""Hub downloads before use (issue 13, items 6-7), against a local stand-in for the hub
(tests/hubserver.py) that the hub client is pointed at as a mirror: size first, a full
download into the standard cache, an interrupted one resumed, a missing repository,
offline mode, pickles left out. No test touches the internet."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from hubserver import STALLED_READ_TIMEOUT, FakeHub, partial_sizes

from studio.core import download, hub, weightsafety
from studio.core.errors import StudioError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tiny_repo(tmp_path, tokenizer_dir):
    """A tiny model as the hub holds it: config, tokenizer, safetensors (1 MB), plus a
    pickle, a README and an ONNX file the studio does not need."""
    from safetensors.numpy import save_file

    folder = tmp_path / "repo"
    shutil.copytree(tokenizer_dir, folder)
    (folder / "config.json").write_text(json.dumps({"model_type": "llama", "hidden_size": 16,
                                                    "num_hidden_layers": 1}))
    rng = np.random.default_rng(0)
    save_file({"w": rng.standard_normal((512, 512)).astype(np.float32)},
              str(folder / "model.safetensors"))
    (folder / "pytorch_model.bin").write_bytes(b"pickle" * 100)
    (folder / "README.md").write_text("# tiny")
    (folder / "onnx").mkdir()
    (folder / "onnx" / "model.onnx").write_bytes(b"onnx")
    return folder


@pytest.fixture
def env(tmp_path, monkeypatch):
    """The hub client of this process and of child processes pointed at a local mirror."""
    from huggingface_hub import constants, file_download, hf_api

    cache = tmp_path / "hf-cache"
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    for name in ("HF_HUB_OFFLINE", "HF_ENDPOINT", hub.ENV_SOURCE, hub.ENV_ENDPOINT):
        monkeypatch.delenv(name, raising=False)      # hub.apply sets them: undone after
    for module, name in ((constants, "ENDPOINT"), (constants, "HUGGINGFACE_CO_URL_TEMPLATE"),
                         (file_download, "HUGGINGFACE_CO_URL_TEMPLATE"),
                         (hf_api.api, "endpoint")):
        monkeypatch.setattr(module, name, getattr(module, name))
    return cache


def _cli(hub_url: str, *args: str, offline: bool = False) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT), **{hub.ENV_SOURCE: "mirror",
                                                    hub.ENV_ENDPOINT: hub_url})
    env.pop("HF_ENDPOINT", None)
    if offline:
        env["HF_HUB_OFFLINE"] = "1"
    return subprocess.Popen([sys.executable, "-m", "studio", "download", *args,
                             "--events", "json"], env=env, cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _events(process: subprocess.Popen) -> tuple[int, list[dict]]:
    out, _err = process.communicate(timeout=120)
    events = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return process.returncode, events


def _needed(repo: Path) -> list[str]:
    return sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file()
                  and p.suffix not in (".bin", ".md", ".onnx"))


def test_the_size_comes_first_and_only_needed_files(tiny_repo, env, monkeypatch):
    with FakeHub({"org/tiny": tiny_repo}) as server:
        hub.apply(hub.choice("mirror", server.url))
        chosen = download.plan("org/tiny")
    assert sorted(f.name for f in chosen.files) == _needed(tiny_repo)
    assert chosen.total_bytes == sum((tiny_repo / n).stat().st_size for n in _needed(tiny_repo))
    assert chosen.endpoint == server.url and not env.exists()   # nothing downloaded yet
    assert [r["path"] for r in server.requests] == ["/api/models/org/tiny"]


def test_a_repository_with_pickles_only_needs_consent(tiny_repo, env):
    (tiny_repo / "model.safetensors").unlink()
    with FakeHub({"org/tiny": tiny_repo}) as server:
        hub.apply(hub.choice("mirror", server.url))
        with pytest.raises(weightsafety.PickleWeightsRefusedError, match=r"pytorch_model\.bin"):
            download.plan("org/tiny")
        chosen = download.plan("org/tiny", allow_pickle=True)
    assert "pytorch_model.bin" in [f.name for f in chosen.files]


def test_a_full_download_on_the_command_line(tiny_repo, env):
    with FakeHub({"org/tiny": tiny_repo}) as server:
        code, events = _events(_cli(server.url, "org/tiny"))
    assert code == 0, events
    assert events[0]["event"] == "download_plan"
    assert events[0]["total_bytes"] > 1_000_000 and events[0]["endpoint"] == server.url
    assert any(e["event"] == "download_progress" for e in events)
    final = [e for e in events if e["event"] == "download_progress"][-1]
    assert final["bytes_done"] == final["bytes_total"] and final["files_done"] == len(
        _needed(tiny_repo))
    folder = Path(events[-1]["path"])
    assert events[-1]["event"] == "download_finished" and folder.is_relative_to(env)
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file()) == _needed(tiny_repo)
    assert (folder / "model.safetensors").read_bytes() == \
        (tiny_repo / "model.safetensors").read_bytes()
    # the standard cache layout: other tools, and the studio's model inspection, find it
    from studio.core import modelinfo

    assert modelinfo.inspect("org/tiny").family == "llama"


def test_an_interrupted_download_resumes(tiny_repo, env, monkeypatch):
    from safetensors.numpy import save_file

    # The client writes in 10 MiB chunks: a partial file needs a bigger one.
    save_file({"w": np.random.default_rng(1).standard_normal((1800, 1800)).astype(np.float32)},
              str(tiny_repo / "model.safetensors"))
    blobs = env / "models--org--tiny" / "blobs"
    monkeypatch.setenv("HF_HUB_DOWNLOAD_TIMEOUT", STALLED_READ_TIMEOUT)
    with FakeHub({"org/tiny": tiny_repo}) as server:
        server.stall["model.safetensors"] = 11 * 1024 * 1024
        first = _cli(server.url, "org/tiny")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(partial_sizes(blobs)):
            time.sleep(0.05)   # polling a file another process writes
        first.kill()           # what the window's Cancel and a lost connection leave behind
        first.communicate()
        partial = partial_sizes(blobs)
        assert len(partial) == 1 and 0 < partial[0] < (tiny_repo / "model.safetensors").stat(
        ).st_size
        server.release.set()
        server.stall.clear()
        code, events = _events(_cli(server.url, "org/tiny"))
    assert code == 0, events
    ranges = [r["range"] for r in server.requests
              if r["method"] == "GET" and r["path"].endswith("model.safetensors")]
    assert ranges[-1] == f"bytes={partial[0]}-"
    folder = Path(events[-1]["path"])
    assert (folder / "model.safetensors").read_bytes() == \
        (tiny_repo / "model.safetensors").read_bytes()


def test_a_missing_repository_is_a_clear_error(tiny_repo, env):
    with FakeHub({"org/tiny": tiny_repo}) as server:
        code, events = _events(_cli(server.url, "org/missing"))
    assert code == 2
    assert events[-1]["event"] == "error"
    assert events[-1]["message"] == f"there is no model org/missing on {server.url} (or it is " \
                                    "private)"


def test_offline_uses_the_cache_only_and_says_so(tiny_repo, env):
    with FakeHub({"org/tiny": tiny_repo}) as server:
        code, events = _events(_cli(server.url, "org/tiny", offline=True))
        assert code == 2 and "HF_HUB_OFFLINE" in events[-1]["message"]
        assert _events(_cli(server.url, "org/tiny"))[0] == 0
        count = len(server.requests)
        code, events = _events(_cli(server.url, "org/tiny", offline=True))
        assert len(server.requests) == count    # offline: not a single request
    assert code == 0 and events[-1]["offline"] is True
    assert Path(events[-1]["path"]).is_relative_to(env)


def test_ensure_downloads_before_use_and_reports(tiny_repo, env, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    seen: list[str] = []
    with FakeHub({"org/tiny": tiny_repo}) as server:
        hub.apply(hub.choice("mirror", server.url))
        folder = download.ensure("org/tiny", lambda kind, fields: seen.append(kind))
    assert Path(folder).is_relative_to(env) and (Path(folder) / "config.json").is_file()
    assert seen[0] == "download_plan" and seen[-1] == "download_progress"
    assert download.ensure(str(tiny_repo)) == str(tiny_repo)     # local: as it is
    assert download.ensure("./models/tiny") == "./models/tiny"   # local-looking: never fetched
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert download.ensure("org/tiny") == folder                 # offline: the cache
    with pytest.raises(StudioError, match=r"not in the local Hugging Face cache.*HF_HUB_OFFLINE"):
        download.ensure("org/other")


def test_training_on_a_hub_id_downloads_it_first(tmp_path, env, tiny_models, monkeypatch):
    from factories import Recorder, train, write_run_file, write_text_dataset

    monkeypatch.chdir(tmp_path)
    data = write_text_dataset(tmp_path / "d.txt", n=8)
    run_file = write_run_file(tmp_path / "run.yaml", "org/tiny-llama", data,
                              training={"max_steps": 1}, output_dir=str(tmp_path / "out"))
    with FakeHub({"org/tiny-llama": tiny_models("llama")}) as server:
        monkeypatch.setenv(hub.ENV_SOURCE, "mirror")
        monkeypatch.setenv(hub.ENV_ENDPOINT, server.url)
        code, recorder, store = train(run_file, Recorder())
    assert code == 0, recorder.of("error")
    logs = [e["message"] for e in recorder.of("log")]
    planned = next(i for i, m in enumerate(logs) if m.startswith("downloading org/tiny-llama"))
    loading = next(i for i, m in enumerate(logs) if m.startswith("loading org/tiny-llama"))
    assert planned < loading and f"from {server.url}" in logs[planned]
    adapter = json.loads((tmp_path / "out" / "adapter_config.json").read_text())
    assert adapter["base_model_name_or_path"] == "org/tiny-llama"
    assert store.list_runs()[0].config["hub"] == {"source": "mirror", "endpoint": server.url}
