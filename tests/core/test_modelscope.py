"""ModelScope as the download source (issue 13, items 6-7): its official client
(``modelscope_hub``) pointed with MODELSCOPE_ENDPOINT at a local stand-in for ModelScope
(tests/msserver.py): size first from its file list, a full download into ModelScope's cache,
an interrupted one resumed, a missing repository, offline mode, and a run file with
``hub: {source: modelscope}`` that downloads then trains. No test touches the internet."""

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
from msserver import FakeModelScope

from studio.core import download, hub, modelinfo
from studio.core.errors import StudioError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def repo(tmp_path, tokenizer_dir):
    """A tiny model as ModelScope holds it: config, tokenizer, safetensors (1 MB), plus a
    pickle, a README and an ONNX folder the studio does not need."""
    from safetensors.numpy import save_file

    folder = tmp_path / "repo"
    shutil.copytree(tokenizer_dir, folder)
    (folder / "config.json").write_text(json.dumps({"model_type": "llama", "hidden_size": 16,
                                                    "num_hidden_layers": 1}))
    save_file({"w": np.random.default_rng(0).standard_normal((512, 512)).astype(np.float32)},
              str(folder / "model.safetensors"))
    (folder / "pytorch_model.bin").write_bytes(b"pickle" * 100)
    (folder / "README.md").write_text("# tiny")
    (folder / "onnx").mkdir()
    (folder / "onnx" / "model.onnx").write_bytes(b"onnx")
    return folder


@pytest.fixture
def env(tmp_path, monkeypatch):
    """ModelScope chosen; its cache and its client's home in tmp_path (the client writes a
    session id there); the HF cache elsewhere, to see that nothing goes into it."""
    monkeypatch.setenv("MODELSCOPE_CACHE", str(tmp_path / "ms-cache"))
    monkeypatch.setenv("MODELSCOPE_HOME", str(tmp_path / "ms-home"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    for name in ("HF_HUB_OFFLINE", "MODELSCOPE_DOMAIN", "MODELSCOPE_API_TOKEN", "HF_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(hub.ENV_SOURCE, "modelscope")    # as the window's Settings hand down
    monkeypatch.delenv(hub.ENV_ENDPOINT, raising=False)
    return tmp_path / "ms-cache"


def _needed(repo: Path) -> list[str]:
    return sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file()
                  and p.suffix not in (".bin", ".md", ".onnx"))


def _cli(server_url: str, *args: str, offline: bool = False) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT), MODELSCOPE_ENDPOINT=server_url)
    if offline:
        env["HF_HUB_OFFLINE"] = "1"
    return subprocess.Popen([sys.executable, "-m", "studio", "download", *args,
                             "--events", "json"], env=env, cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _events(process: subprocess.Popen) -> tuple[int, list[dict]]:
    out, err = process.communicate(timeout=120)
    assert "%|" not in err      # the client's own bars stay off: the studio shows progress
    return process.returncode, [json.loads(line) for line in out.splitlines()
                                if line.startswith("{")]


def _downloads(server: FakeModelScope) -> list[dict]:
    return [r for r in server.requests if r["path"].endswith("/repo")]


def test_the_size_comes_first_from_modelscopes_file_list(repo, env, monkeypatch):
    with FakeModelScope({"org/tiny": repo}) as server:
        monkeypatch.setenv("MODELSCOPE_ENDPOINT", server.url)
        chosen = download.plan("org/tiny")
    assert chosen.source == "modelscope" and chosen.endpoint == server.url
    assert chosen.revision == "master"
    assert [f.name for f in chosen.files] == _needed(repo)     # no pickle, README, ONNX
    assert chosen.total_bytes == sum((repo / n).stat().st_size for n in _needed(repo))
    assert all(f.sha256 and len(f.sha256) == 64 for f in chosen.files)   # checked on arrival
    assert [r["path"] for r in server.requests] == ["/api/v1/models/org/tiny/repo/files"]
    assert not (env / "models").exists()                         # nothing downloaded yet


def test_a_full_download_from_modelscope_into_its_cache(repo, env, tmp_path):
    with FakeModelScope({"org/tiny": repo}) as server:
        code, events = _events(_cli(server.url, "org/tiny"))
    assert code == 0, events
    plan = events[0]
    assert plan["event"] == "download_plan" and plan["source"] == "modelscope"
    assert plan["endpoint"] == server.url and plan["total_bytes"] > 1_000_000
    final = [e for e in events if e["event"] == "download_progress"][-1]
    assert final["bytes_done"] == final["bytes_total"] == plan["total_bytes"]
    assert final["files_done"] == final["files_total"] == len(_needed(repo))
    done = events[-1]
    assert done["event"] == "download_finished" and done["source"] == "modelscope"
    folder = Path(done["path"])
    assert folder == env / "models" / "org--tiny" / "snapshots" / "master"   # its standard cache
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file()) == _needed(repo)
    assert (folder / "model.safetensors").read_bytes() == (repo / "model.safetensors").read_bytes()
    assert sorted(r["query"]["FilePath"] for r in _downloads(server)) == _needed(repo)
    assert not (tmp_path / "hf-cache").exists()
    # the studio finds it there: the Model page's inspection, and before training
    assert modelinfo.inspect("org/tiny").family == "llama"
    assert download.cached("org/tiny") == folder


def test_an_interrupted_modelscope_download_resumes(repo, env):
    from safetensors.numpy import save_file

    save_file({"w": np.random.default_rng(1).standard_normal((1800, 1800)).astype(np.float32)},
              str(repo / "model.safetensors"))
    snapshot = env / "models" / "org--tiny" / "snapshots" / "master"
    partial = snapshot / "model.safetensors.incomplete"
    with FakeModelScope({"org/tiny": repo}) as server:
        server.stall["model.safetensors"] = 5 * 1024 * 1024
        first = _cli(server.url, "org/tiny")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (
                partial.is_file() and partial.stat().st_size >= 5 * 1024 * 1024):
            time.sleep(0.05)   # polling a file another process writes
        first.kill()           # what the window's Cancel and a lost connection leave behind
        first.communicate()
        kept = partial.stat().st_size
        assert 0 < kept < (repo / "model.safetensors").stat().st_size
        assert not (snapshot / "model.safetensors").exists()
        assert download.cached("org/tiny") is None               # not taken as downloaded
        server.release.set()
        server.stall.clear()
        code, events = _events(_cli(server.url, "org/tiny"))
    assert code == 0, events
    weights = [r for r in _downloads(server) if r["query"]["FilePath"] == "model.safetensors"]
    assert weights[-1]["range"] == f"bytes={kept}-"            # only the rest was asked for
    assert (snapshot / "model.safetensors").read_bytes() == \
        (repo / "model.safetensors").read_bytes()
    assert not partial.exists()
    first_progress = next(e for e in events if e["event"] == "download_progress")
    assert first_progress["bytes_done"] >= kept or first_progress["files_done"] > 0


def test_a_missing_modelscope_repository_is_a_clear_error(repo, env):
    with FakeModelScope({"org/tiny": repo}) as server:
        code, events = _events(_cli(server.url, "org/missing"))
    assert code == 2
    error = events[-1]
    assert (error["event"], error["message"]) == (
        "error", f"there is no model org/missing on {server.url} (or it is private)")
    assert error["messages"]["message"]["code"] == "download.no_such_model"   # for the window
    assert not _downloads(server)


def test_a_private_modelscope_repository_says_how_to_log_in(repo, env, monkeypatch):
    with FakeModelScope({"org/tiny": repo}) as server:
        server.private = frozenset({"org/tiny"})
        monkeypatch.setenv("MODELSCOPE_ENDPOINT", server.url)
        with pytest.raises(StudioError) as caught:
            download.plan("org/tiny")
    assert str(caught.value) == (f"org/tiny on {server.url} needs a ModelScope login: set "
                                 "MODELSCOPE_API_TOKEN to an access token of your ModelScope "
                                 "account")


def test_modelscope_offline_uses_its_cache_only_and_says_so(repo, env, monkeypatch):
    with FakeModelScope({"org/tiny": repo}) as server:
        code, events = _events(_cli(server.url, "org/tiny", offline=True))
        assert code == 2 and not server.requests
        assert events[-1]["message"] == (
            f"org/tiny is not in the local ModelScope cache ({env}), and HF_HUB_OFFLINE is "
            "set, so it cannot be downloaded")
        assert _events(_cli(server.url, "org/tiny"))[0] == 0
        count = len(server.requests)
        code, events = _events(_cli(server.url, "org/tiny", offline=True))
        assert len(server.requests) == count    # offline: not a single request
        monkeypatch.setenv("MODELSCOPE_ENDPOINT", server.url)
        monkeypatch.setenv("HF_HUB_OFFLINE", "1")
        assert download.ensure("org/tiny") == events[-1]["path"]
        with pytest.raises(StudioError, match="HF_HUB_OFFLINE is set, so nothing is downloaded"):
            download.plan("org/tiny")
    assert code == 0 and events[-1]["offline"] is True
    assert Path(events[-1]["path"]).is_relative_to(env)


def test_modelscope_without_its_client_is_a_clear_error(env, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "modelscope_hub", None)   # not installed
    with pytest.raises(StudioError, match=r"its client is not installed: pip install "
                                          r"modelscope-hub"):
        download.ensure("org/model")
    assert download.ensure(str(tmp_path)) == str(tmp_path)     # a local folder needs no client


def test_a_run_file_with_hub_modelscope_downloads_then_trains(tmp_path, env, tiny_models,
                                                              monkeypatch, recwarn):
    from factories import Recorder, train, write_run_file, write_text_dataset

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(hub.ENV_SOURCE, "huggingface")   # the run file's choice wins
    data = write_text_dataset(tmp_path / "d.txt", n=8)
    run_file = write_run_file(tmp_path / "run.yaml", "org/tiny-llama", data,
                              training={"max_steps": 1}, output_dir=str(tmp_path / "out"),
                              hub={"source": "modelscope"})
    with FakeModelScope({"org/tiny-llama": tiny_models("llama")}) as server:
        monkeypatch.setenv("MODELSCOPE_ENDPOINT", server.url)
        code, recorder, store = train(run_file, Recorder())
    assert code == 0, recorder.of("error")
    logs = [e["message"] for e in recorder.of("log")]
    planned = next(i for i, m in enumerate(logs) if m.startswith("downloading org/tiny-llama"))
    loading = next(i for i, m in enumerate(logs) if m.startswith("loading org/tiny-llama"))
    assert planned < loading and f"from {server.url}" in logs[planned]
    assert _downloads(server) and (env / "models" / "org--tiny-llama" / "snapshots" / "master"
                                   / "config.json").is_file()
    adapter = json.loads((tmp_path / "out" / "adapter_config.json").read_text())
    assert adapter["base_model_name_or_path"] == "org/tiny-llama"
    assert store.list_runs()[0].config["hub"] == {"source": "modelscope", "endpoint": None}
    # saving the adapter asked no other hub (peft looks the base id up on Hugging Face)
    assert not [str(w.message) for w in recwarn if "remote file" in str(w.message)
                or "Could not find a config file" in str(w.message)]


@pytest.mark.parametrize("targets, expected", [
    (["q_proj", "v_proj"], False), (r".*\.q_proj", False),
    (["embed_tokens", "q_proj"], "auto"), (r".*embed_tokens", "auto")])
def test_saving_an_adapter_asks_a_hub_only_when_embeddings_are_trained(tiny_models, targets,
                                                                       expected):
    """peft's "auto" looks the base id up on the Hugging Face hub unless it can decide
    alone; the studio never resizes the vocabulary, so it lets peft decide alone."""
    from studio.core.runtime import bootstrap

    bootstrap()
    from peft import LoraConfig, get_peft_model
    from peft.utils.constants import EMBEDDING_LAYER_NAMES
    from transformers import AutoModelForCausalLM

    from studio.core.modeling import EMBEDDING_LAYER_NAMES as OURS
    from studio.core.modeling import _embedding_layers

    assert tuple(EMBEDDING_LAYER_NAMES) == OURS

    base = AutoModelForCausalLM.from_pretrained(tiny_models("llama"))
    model = get_peft_model(base, LoraConfig(r=2, target_modules=targets))
    assert _embedding_layers(model) == expected
