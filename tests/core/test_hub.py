"""Downloads come from where the user chose (issue 11, security 2): the official hub unless a
mirror or ModelScope is chosen, HF_HUB_OFFLINE respected, local-looking paths never
downloaded; the choice is validated in the run file and recorded with the run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from studio.core import config as config_mod
from studio.core import hub, modelinfo
from studio.core.errors import ConfigError, StudioError

ROOT = Path(__file__).resolve().parents[2]
PROBE = ("import json, os; from studio.core.runtime import bootstrap; bootstrap(); "
         "import huggingface_hub.constants as c; "
         "print(json.dumps([os.environ['HF_ENDPOINT'], c.ENDPOINT]))")


@pytest.fixture(autouse=True)
def clean_hub_env(monkeypatch):
    for name in ("HF_ENDPOINT", "HF_HUB_OFFLINE", hub.ENV_SOURCE, hub.ENV_ENDPOINT):
        monkeypatch.delenv(name, raising=False)


def _endpoints(env_extra: dict[str, str]) -> list[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("HF_ENDPOINT", hub.ENV_SOURCE, hub.ENV_ENDPOINT)}
    env.update(env_extra, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_stack_downloads_from_the_official_hub_by_default():
    # mindnlp alone would point HF_ENDPOINT at a third-party mirror
    assert _endpoints({}) == [hub.OFFICIAL_ENDPOINT] * 2


def test_a_chosen_mirror_reaches_the_stack():
    assert _endpoints({hub.ENV_SOURCE: "mirror", hub.ENV_ENDPOINT: "https://mirror.test/"}) \
        == ["https://mirror.test"] * 2


def test_apply_updates_a_loaded_client_and_the_environment(monkeypatch):
    from huggingface_hub import constants, file_download, hf_api, hf_hub_url

    for module, name in ((constants, "ENDPOINT"), (constants, "HUGGINGFACE_CO_URL_TEMPLATE"),
                         (file_download, "HUGGINGFACE_CO_URL_TEMPLATE"),
                         (hf_api.api, "endpoint")):
        monkeypatch.setattr(module, name, getattr(module, name))
    hub.apply(hub.choice("mirror", "http://127.0.0.1:9/"))
    assert os.environ["HF_ENDPOINT"] == constants.ENDPOINT == "http://127.0.0.1:9"
    assert hf_hub_url("org/m", "config.json") == "http://127.0.0.1:9/org/m/resolve/main/config.json"
    assert hf_api.api.endpoint == "http://127.0.0.1:9"   # file_exists, model_info, ...
    assert hub.from_environment() == hub.HubChoice("mirror", "http://127.0.0.1:9")
    hub.apply(hub.choice("modelscope"))   # its own client; the HF client stays official
    assert os.environ["HF_ENDPOINT"] == constants.ENDPOINT == hub.OFFICIAL_ENDPOINT
    assert hub.from_environment().url == hub.MODELSCOPE_ENDPOINT


def test_an_endpoint_set_by_mindnlp_is_not_a_choice(monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", "https://hf-mirror.com")
    assert hub.apply().url == hub.OFFICIAL_ENDPOINT
    assert os.environ["HF_ENDPOINT"] == hub.OFFICIAL_ENDPOINT


@pytest.mark.parametrize("section, field, words", [
    ({"source": "github"}, "hub.source", "one of huggingface, mirror, modelscope"),
    ({"source": "mirror"}, "hub.endpoint", "a mirror needs its address"),
    ({"source": "mirror", "endpoint": "mirror.test"}, "hub.endpoint", "http(s) URL"),
    ({"source": "huggingface", "endpoint": "https://x.test"}, "hub.endpoint", "only a mirror"),
    ({"sorce": "mirror"}, "hub.sorce", "unknown field"),
    ("nowhere", "hub.source", "unknown download source"),
    ({"source": "mirror", "endpoint": 3}, "hub.endpoint", "a mirror needs its address"),
])
def test_the_run_files_hub_section_is_validated(section, field, words):
    with pytest.raises(ConfigError) as caught:
        config_mod.from_dict({"model": "m", "dataset": "d.jsonl", "hub": section})
    found = [p for p in caught.value.problems if p.field == field]
    assert found and words in str(found[0])


def test_a_valid_hub_section_and_consent_are_kept_in_the_run_file():
    config = config_mod.from_dict({"model": "m", "dataset": "d.jsonl", "allow_pickle_weights": True,
                                   "hub": {"source": "mirror", "endpoint": "https://m.test"}})
    dumped = yaml.safe_load(config.dump_yaml())
    assert dumped["hub"] == {"source": "mirror", "endpoint": "https://m.test"}
    assert dumped["allow_pickle_weights"] is True
    assert config_mod.from_dict({"model": "m", "hub": "modelscope"}).hub.source == "modelscope"
    with pytest.raises(ConfigError, match=r"allow_pickle_weights.*true or false"):
        config_mod.from_dict({"model": "m", "allow_pickle_weights": "yes"})


# ---- local paths are never hub ids ------------------------------------------------------
@pytest.mark.parametrize("name", ["./tiny", "../models/tiny", "~/models/tiny", "/opt/models/tiny",
                                  "models/llama/tiny"])
def test_a_local_looking_path_that_is_missing_is_not_found(name):
    assert modelinfo.looks_local(name)
    with pytest.raises(StudioError, match=r"does not exist.*never looked up on the hub"):
        modelinfo.inspect(name)


def test_a_path_whose_first_part_exists_is_local(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert not modelinfo.looks_local("models/tiny")
    (tmp_path / "models").mkdir()
    assert modelinfo.looks_local("models/tiny")
    with pytest.raises(StudioError, match="models/tiny does not exist"):
        modelinfo.inspect("models/tiny")


def test_a_hub_id_is_remote_online_and_missing_offline(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "cache"))
    info = modelinfo.inspect("some-org/some-model")
    assert info.remote and info.model_type is None
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(StudioError, match=r"not in the local Hugging Face cache.*HF_HUB_OFFLINE"):
        modelinfo.inspect("some-org/some-model")
    snapshot = tmp_path / "cache" / "models--some-org--some-model" / "snapshots" / "abc"
    snapshot.mkdir(parents=True)
    (snapshot / "config.json").write_text(json.dumps({"model_type": "llama"}))
    assert modelinfo.inspect("some-org/some-model").family == "llama"   # the cache is used


# ---- recorded with the run ----------------------------------------------------------------
def test_a_run_records_where_downloads_came_from(tmp_path, tiny_models, monkeypatch):
    from factories import train_ok, write_run_file, write_text_dataset

    monkeypatch.setenv(hub.ENV_SOURCE, "mirror")            # as the window's Settings hand down
    monkeypatch.setenv(hub.ENV_ENDPOINT, "https://mirror.test")
    data = write_text_dataset(tmp_path / "d.txt", n=8)
    plain = write_run_file(tmp_path / "a.yaml", tiny_models("llama"), data,
                           training={"max_steps": 1}, output_dir=str(tmp_path / "a"))
    own = write_run_file(tmp_path / "b.yaml", tiny_models("llama"), data,
                         training={"max_steps": 1}, output_dir=str(tmp_path / "b"),
                         hub={"source": "huggingface"}, allow_pickle_weights=True)
    store = train_ok(plain)
    train_ok(own, store=store)
    first, second = sorted(store.list_runs(), key=lambda r: r.created_at)
    assert first.config["hub"] == {"source": "mirror", "endpoint": "https://mirror.test"}
    assert second.config["hub"] == {"source": "huggingface", "endpoint": None}
    assert second.config["allow_pickle_weights"] is True
    assert not first.config["allow_pickle_weights"]
    recorded = yaml.safe_load((tmp_path / "b" / "run.yaml").read_text())
    assert recorded["hub"]["source"] == "huggingface" and recorded["allow_pickle_weights"] is True
