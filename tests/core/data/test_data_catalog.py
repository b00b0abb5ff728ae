"""dataset_info.json folders (LLaMA-Factory's convention): a dataset chosen by name, its
formatting, column mapping and role tags honoured; wrong names explained."""

from __future__ import annotations

import json

import pytest

from studio.core import config as run_config
from studio.core.data import inspect, prepare, validate_dataset
from studio.core.data.catalog import dataset_names
from studio.core.data.templates import render_prompt
from studio.core.errors import ConfigError, DatasetError

ALPACA = [{"q": "name a colour", "extra": "", "a": "red", "sys": "be short"}]
OPENAI_STYLE = [{"dialog": [{"speaker": "me", "text": "hi"}, {"speaker": "bot", "text": "hello"}]}]
INFO = {
    "colours": {"file_name": "colours.json",
                "columns": {"prompt": "q", "query": "extra", "response": "a", "system": "sys"}},
    "talk": {"file_name": "talk.jsonl", "formatting": "sharegpt",
             "columns": {"messages": "dialog"},
             "tags": {"role_tag": "speaker", "content_tag": "text", "user_tag": "me",
                      "assistant_tag": "bot"}},
    "pairs": {"file_name": "pairs.json", "ranking": True,
              "columns": {"prompt": "instruction", "chosen": "chosen", "rejected": "rejected"}},
    "hub": {"hf_hub_url": "someone/data"},
}


@pytest.fixture
def folder(write, tmp_path):
    write("colours.json", ALPACA)
    write("talk.jsonl", OPENAI_STYLE)
    write("pairs.json", [{"instruction": "hi", "chosen": "hello", "rejected": "no"}])
    write("dataset_info.json", INFO)
    return tmp_path


def ids(tok, text):
    return tok(text, add_special_tokens=False)["input_ids"]


def test_names_in_file_order(folder, write):
    assert dataset_names(str(folder)) == ["colours", "talk", "pairs", "hub"]
    assert dataset_names(str(folder / "colours.json")) == []
    # datasets' save_to_disk folders also hold a dataset_info.json, of another kind
    save_to_disk = folder / "arrow"
    save_to_disk.mkdir()
    (save_to_disk / "dataset_info.json").write_text(json.dumps({"citation": "", "features": {}}))
    assert dataset_names(str(save_to_disk)) == []


def test_alpaca_entry_columns(folder, cfg, tok):
    prepared = prepare(cfg(folder, name="colours", validation_split=0), "causal_lm", tok, 128)
    assert prepared.format == "instruction"
    assert prepared.columns == {"instruction": "q", "output": "a", "input": "extra",
                                "system": "sys"}
    prompt = ids(tok, render_prompt("name a colour", None, "be short"))
    answer = [*ids(tok, "red"), tok.eos_token_id]
    assert prepared.train == [{"input_ids": prompt + answer,
                               "labels": [-100] * len(prompt) + answer}]


def test_sharegpt_entry_tags(folder, cfg, tok):
    prepared = prepare(cfg(folder, name="talk", validation_split=0), "causal_lm", tok, 128)
    assert prepared.format == "chat" and prepared.columns == {"messages": "dialog"}
    prompt = ids(tok, "<|im_start|>user\nhi</s><|im_start|>assistant\n")
    answer = ids(tok, "hello</s>")
    assert prepared.train == [{"input_ids": prompt + answer,
                               "labels": [-100] * len(prompt) + answer}]
    info = inspect(cfg(folder, name="talk"))
    assert info["path"].endswith("talk.jsonl") and info["problems"] == []


@pytest.mark.parametrize("name, field, words", [
    (None, "dataset.name", "missing: {folder} holds a dataset_info.json with 4 datasets"),
    ("nope", "dataset.name", "no dataset named 'nope'"),
    ("hub", "dataset.name", "dataset 'hub' is not a local file (hf_hub_url: someone/data)"),
    ("pairs", "dataset.output_column", "dataset 'pairs' is preference data (ranking: true"),
])
def test_unusable_names_are_explained(folder, cfg, name, field, words):
    problems = validate_dataset(cfg(folder, name=name))
    assert [p.field for p in problems] == [field]
    assert words.format(folder=folder) in problems[0].message
    if name in (None, "nope"):
        assert problems[0].expected == "one of colours, talk, pairs, hub"
    with pytest.raises(DatasetError, match=field):
        prepare(cfg(folder, name=name), "causal_lm", None, 128)


def test_ranking_entry_trains_on_the_mapped_chosen_answer(folder, cfg, tok):
    prepared = prepare(cfg(folder, name="pairs", output_column="chosen", validation_split=0),
                       "causal_lm", tok, 128)
    assert prepared.columns["instruction"] == "instruction"
    labels = [t for t in prepared.train[0]["labels"] if t != -100]
    assert tok.decode(labels) == "hello</s>"


def test_name_without_catalog(write, cfg):
    path = write("plain.jsonl", [{"text": "a"}])
    problems = validate_dataset(cfg(path, name="x"))
    assert [p.field for p in problems] == ["dataset.name"]
    assert "is not a folder with a dataset_info.json" in problems[0].message


def test_run_file_fields(folder, tmp_path):
    run = tmp_path / "run.yaml"
    run.write_text("model: m\ndataset: {path: ., name: talk, tags: {role_tag: speaker}}\n")
    loaded = run_config.load(run)
    assert loaded.dataset.name == "talk" and loaded.dataset.tags == {"role_tag": "speaker"}
    assert loaded.dataset.path == str(tmp_path)
    run.write_text("model: m\ndataset: {path: ., tags: [speaker]}\n")
    with pytest.raises(ConfigError, match=r"dataset\.tags: wrong type"):
        run_config.load(run)
    bad_key = run_config.DatasetConfig(path=str(folder), name="talk", tags={"speaker": "x"})
    assert [p.field for p in validate_dataset(bad_key)] == ["dataset.tags"]


def test_a_tool_calling_dataset_from_a_folder_trains(tmp_path, tiny_models):
    """The whole way: a run file naming a ShareGPT tool-calling dataset in a dataset_info.json
    folder validates and trains (tiny Qwen2, the fallback template)."""
    from factories import train_ok, write_run_file

    data = tmp_path / "data"
    data.mkdir()
    row = {"conversations": [
        {"from": "human", "value": "weather in Paris?"},
        {"from": "function_call", "value": json.dumps(
            {"name": "get_weather", "arguments": {"city": "Paris"}})},
        {"from": "observation", "value": "sunny"},
        {"from": "gpt", "value": "it is sunny"}],
        "tools": json.dumps([{"name": "get_weather", "parameters": {}}])}
    (data / "glaive.json").write_text(json.dumps([row] * 8))
    (data / "dataset_info.json").write_text(json.dumps(
        {"toolcalls": {"file_name": "glaive.json", "formatting": "sharegpt",
                       "columns": {"messages": "conversations", "tools": "tools"}}}))
    run = write_run_file(tmp_path / "run.yaml", tiny_models("qwen2"), data,
                         training={"max_steps": 2, "max_length": 160, "batch_size": 4},
                         dataset_options={"name": "toolcalls", "validation_split": 0})
    store = train_ok(run)
    (record,) = store.list_runs()
    assert record.status == "completed"

