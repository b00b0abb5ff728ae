"""A zoo of bad inputs, as a new user and as an attacker would give them, each through the
real entry point (``studio.cli.main``): ``validate``, ``data inspect``, ``runs ...`` and
``export``. Every one must end in a clear error that names the field, file, line or run (exit
code 2 for bad input, 1 for a store that cannot be used), never in a traceback and never be
accepted as valid. Each case failed (a traceback, or acceptance) before issue 11."""

from __future__ import annotations

import csv
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT

from studio import paths
from studio.cli import main
from studio.core.config import RunConfig
from studio.core.data import reading
from studio.core.store import RunStore

LLAMA = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 32,
         "num_hidden_layers": 2, "num_attention_heads": 4, "vocab_size": 512}
BOMB = "".join(f"{c}: &{c} [" + ",".join([f"*{p}"] * 9 if p else ["lol"] * 9) + "]\n"
               for p, c in zip([None, *"abcdefgh"], "abcdefghi"))


@pytest.fixture(autouse=True)
def bounded_memory():
    """A regression that expands a bomb must fail with MemoryError here, not exhaust the
    machine: each case may grow the address space by 2 GiB at most."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    status = Path("/proc/self/status")
    used = next((int(line.split()[1]) * 1024 for line in status.read_text().splitlines()
                 if line.startswith("VmSize:")), None) if status.exists() else None
    if used is not None:
        limit = used + (2 << 30)
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY
                                                else min(limit, hard), hard))
    yield
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """Run the real entry point; an exception escaping it is a traceback for the user."""
    code = main(list(argv))
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "Traceback" not in text
    return code, text


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text(json.dumps(LLAMA))
    (model / "tokenizer.json").write_text("{}")
    (tmp_path / "train.jsonl").write_text(
        "".join(json.dumps({"text": f"some text {i}"}) + "\n" for i in range(20)))
    return tmp_path


def run_file(folder: Path, text: str, name: str = "run.yaml") -> str:
    path = folder / name
    path.write_text(text)
    return str(path)


BASE = "model: ./model\ndataset: train.jsonl\nmethod: {name: lora, r: 4}\n"


def with_training(extra: str) -> str:
    return BASE + f"training: {{max_steps: 5, {extra}}}\n"


def with_dataset(extra: str) -> str:
    return f"model: ./model\ndataset: {{path: train.jsonl, {extra}}}\nmethod: lora\n"


# --- the run file: every case is `validate RUN_FILE` -> exit 2 naming the field -------------

RUN_FILES: dict[str, tuple[str, list[str]]] = {
    # 9. numeric fields
    "seed a list": (with_training("seed: [1, 2]"), ["training.seed", "whole number"]),
    "seed a map": (with_training("seed: {a: 1}"), ["training.seed", "whole number"]),
    "seed a boolean": (with_training("seed: true"), ["training.seed", "True"]),
    "seed NaN": (with_training("seed: .nan"), ["training.seed"]),
    "seed negative": (with_training("seed: -1"), ["training.seed", "out of range",
                                                   "4294967295"]),
    "seed too large": (with_training("seed: 99999999999999999999"),
                       ["training.seed", "out of range"]),
    "data seed negative": (with_dataset("seed: -5"), ["dataset.seed", "out of range"]),
    "learning rate a list": (with_training("learning_rate: [1]"),
                             ["training.learning_rate", "wrong type", "a number"]),
    "learning rate infinite": (with_training("learning_rate: .inf"),
                               ["training.learning_rate", "finite"]),
    "epochs NaN": (BASE + "training: {epochs: .nan}\n", ["training.epochs", "finite"]),
    "epochs infinite": (BASE + "training: {epochs: .inf}\n", ["training.epochs", "finite"]),
    "epochs a boolean": (BASE + "training: {epochs: true}\n", ["training.epochs", "wrong type"]),
    "max_grad_norm NaN": (with_training("max_grad_norm: .nan"),
                          ["training.max_grad_norm", "finite"]),
    "weight_decay NaN": (with_training("weight_decay: .nan"),
                         ["training.weight_decay", "finite"]),
    "early stopping threshold infinite": (with_training("early_stopping_threshold: .inf"),
                                          ["training.early_stopping_threshold", "finite"]),
    "batch size a boolean": (with_training("batch_size: true"), ["training.batch_size"]),
    "validation split a list": (with_dataset("validation_split: [0.1]"),
                                ["dataset.validation_split", "wrong type"]),
    "labels nested lists": (with_dataset("labels: [[1], [2]]"), ["dataset.labels"]),
    "labels booleans": (with_dataset("labels: [true, false]"), ["dataset.labels",
                                                               "quote true/false"]),
    "seed of 5000 digits": (with_training(f"seed: {'9' * 5000}"), ["line 4", "cannot be read"]),
    "rank as a 5000-digit hex number": (BASE.replace("r: 4", f"r: 0x{'f' * 5000}"),
                                        ["line 3", "too large"]),
    "batch size beyond 64 bits": (with_training(f"batch_size: {'9' * 30}"),
                                  ["training.batch_size", "fits in 64 bits"]),
    "a float tag on text": (BASE + "name: !!float abc\n", ["line 4", "'abc' cannot be read"]),
    "an impossible date": (BASE + "name: !!timestamp 2024-13-45\n", ["line 4",
                                                                   "month must be in 1..12"]),
    # 13. name must be text; top-level fields have types
    "name a list": (BASE + "name: [a]\n", ["name", "expected text"]),
    "name a number": (BASE + "name: 12\n", ["name", 'quote it: name: "12"']),
    "name a date": (BASE + "name: 2024-01-01\n", ["name", 'quote it: name: "2024-01-01"']),
    "name a boolean": (BASE + "name: true\n", ["name", "expected text"]),
    "name with an escape sequence": (BASE + 'name: "red\\e[31m"\n',
                                     ["name", "control characters", "U+001B"]),
    "name with a right-to-left override": (BASE + 'name: "abc\\u202Etxt.exe"\n',
                                           ["name", "U+202E"]),
    "name too long": (BASE + f"name: {'n' * 300}\n", ["name", "at most 200"]),
    "model a list": ("model: [a]\ndataset: train.jsonl\n", ["model", "expected text"]),
    "output_dir a number": (BASE + "output_dir: 1\n", ["output_dir", "expected text"]),
    "output_dir a list": (BASE + "output_dir: [a]\n", ["output_dir", "expected text"]),
    "task a list": (BASE + "task: [causal_lm]\n", ["task"]),
    "device a map": (BASE + "device: {a: 1}\n", ["device", "expected text"]),
    "model path too long": (f"model: ./{'m' * 5000}\ndataset: train.jsonl\n",
                            ["model", "a path is at most 4,096"]),
    "dataset path with a NUL": ('model: ./model\ndataset: "train\\0.jsonl"\n',
                                ["dataset.path", "NUL"]),
    "validation path name too long": (with_dataset(f"validation_path: {'v' * 300}.jsonl"),
                                      ["dataset.validation_path", "at most 255"]),
    "output_dir under an unknown user": (BASE + "output_dir: ~no-such-user-zz/out\n",
                                         ["output_dir", "unknown user"]),
    # 13. duplicate keys name the key and both lines
    "duplicate section": (BASE + "training: {max_steps: 5}\ntraining: {max_steps: 6}\n",
                          ["'training' is given twice", "line 4", "line 5"]),
    "duplicate nested key": (BASE + "training:\n  max_steps: 5\n  seed: 1\n  max_steps: 6\n",
                             ["'max_steps' is given twice", "line 5", "line 7"]),
    # 8. bombs and deep nesting
    "billion laughs": (BASE + BOMB, ["aliases", "10,000"]),
    "billion laughs inside a field": (BOMB + BASE.replace("r: 4", "r: *i"), ["aliases"]),
    "alias to itself": (BASE + "training: &t {max_steps: *t}\n",
                        ["refers to the value that contains"]),
    "deep flow nesting": ("model: " + "[" * 50_000 + "]" * 50_000 + "\n",
                          ["nested more than 100 levels"]),
    "deep block nesting": ("".join("  " * i + f"k{i}:\n" for i in range(150)) + "  " * 150
                           + "x\n", ["nested more than 100 levels", "line 101"]),
}


@pytest.mark.parametrize("text, expected", RUN_FILES.values(), ids=RUN_FILES.keys())
def test_bad_run_file(workspace, capsys, text, expected):
    code, out = cli(capsys, "validate", run_file(workspace, text))
    assert code == 2, out
    for part in expected:
        assert part in out, (part, out)


def test_json_run_file_duplicates_nesting_and_nan(workspace, capsys):
    code, out = cli(capsys, "validate", run_file(
        workspace, '{"model": "./model",\n "dataset": "train.jsonl",\n "model": "x"}',
        "run.json"))
    assert code == 2 and "'model' is given twice" in out and "line 1 and on line 3" in out
    code, out = cli(capsys, "validate", run_file(workspace, '{"model": ' + "[" * 100_000
                                                  + "]" * 100_000 + "}", "run.json"))
    assert code == 2 and "nested more than 100 levels" in out
    code, out = cli(capsys, "validate", run_file(
        workspace, '{"model": "./model", "dataset": "train.jsonl", '
                   '"training": {"learning_rate": NaN}}', "run.json"))
    assert code == 2 and "NaN is not valid JSON" in out


def test_bombs_load_in_bounded_memory(workspace, capsys):
    """Refused while loading, before anything walks the expanded value (whose repr would be
    9**9 items)."""
    path = run_file(workspace, BOMB + BASE.replace("r: 4", "r: *i"))
    tracemalloc.start()
    try:
        code, _ = cli(capsys, "validate", path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert code == 2 and peak < 20 << 20


@pytest.mark.parametrize("kind", ["folder", "fifo", "too large"])
def test_run_file_that_is_not_a_small_regular_file(workspace, capsys, kind):
    path = workspace / "run.yaml"
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)   # opening it would block until a writer comes: never opened
    else:
        path.write_text(BASE + f"name: {'n' * (2 << 20)}\n")
    code, out = cli(capsys, "validate", str(path))
    assert code == 2 and str(path) in out
    assert {"folder": "is a folder", "fifo": "not a regular file",
            "too large": "a run file is a few kilobytes"}[kind] in out


# --- model folders (11) ------------------------------------------------------------------

MODELS: dict[str, tuple[object, list[str]]] = {
    "architectures a string": ({**LLAMA, "architectures": "LlamaForCausalLM"},
                               ["architectures must be a list", '"LlamaForCausalLM"']),
    "architectures a number": ({**LLAMA, "architectures": 5}, ["architectures must be a list"]),
    "unknown model_type": ({**LLAMA, "model_type": "foobar"},
                           ['model_type "foobar"', "llama", "gpt2", "qwen2"]),
    "model_type a list": ({**LLAMA, "model_type": ["llama"]}, ["model_type must be text"]),
    "zero heads": ({**LLAMA, "num_attention_heads": 0},
                   ["num_attention_heads is 0", "at least 1"]),
    "negative layers": ({**LLAMA, "num_hidden_layers": -2}, ["num_hidden_layers is -2"]),
    "hidden size as text": ({**LLAMA, "hidden_size": "32"}, ['hidden_size is "32"']),
    "zero vocabulary": ({**LLAMA, "vocab_size": 0}, ["vocab_size is 0"]),
    "heads that do not divide": ({**LLAMA, "num_attention_heads": 5},
                                 ["hidden size 32 does not divide into 5"]),
    "key/value heads that do not divide": ({**LLAMA, "num_key_value_heads": 3},
                                           ["num_key_value_heads must divide"]),
    "is_encoder_decoder as text": ({**LLAMA, "is_encoder_decoder": "no"},
                                   ["is_encoder_decoder must be true or false"]),
    "config nested deep": ('{"model_type": "llama", "x": ' + "[" * 100_000 + "]" * 100_000
                           + "}", ["nested more than 100 levels"]),
    "config with a 5000-digit number": ('{"model_type": "llama", "hidden_size": ' + "9" * 5000
                                        + "}", ["number too long"]),
}


@pytest.mark.parametrize("config, expected", MODELS.values(), ids=MODELS.keys())
def test_bad_model_folder(workspace, capsys, config, expected):
    (workspace / "model" / "config.json").write_text(
        config if isinstance(config, str) else json.dumps(config))
    code, out = cli(capsys, "validate", run_file(workspace, BASE))
    assert code == 2, out
    assert "model:" in out and "config.json" in out
    for part in expected:
        assert part in out, (part, out)


def test_a_device_as_the_model(workspace, capsys):
    code, out = cli(capsys, "validate", run_file(workspace, BASE.replace("./model",
                                                                          "/dev/zero")))
    assert code == 2 and "model: /dev/zero is not a folder" in out


def test_config_json_that_is_a_fifo_is_not_opened(workspace, capsys):
    config = workspace / "model" / "config.json"
    config.unlink()
    os.mkfifo(config)
    code, out = cli(capsys, "validate", run_file(workspace, BASE))
    assert code == 2 and "config.json is not a regular file" in out


# --- data files (10) ---------------------------------------------------------------------

@dataclass
class DataCase:
    name: str                       # file name in tmp_path
    content: bytes | str
    expected: list[str]
    args: tuple[str, ...] = ()


DATA: dict[str, DataCase] = {
    'a line holding only ""': DataCase("quotes.csv", '""\n', ["quotes.csv", "line 1",
                                                              "no data rows"]),
    "NUL-filled text": DataCase("nul.txt", b"\x00" * 1000, ["nul.txt", "line 1",
                                                            "NUL characters"]),
    "NUL bytes in a CSV row": DataCase("nul.csv", b"text,label\nok,a\n\x00\x00,b\n",
                                       ["nul.csv", "line 3", "NUL"]),
    "deeply nested JSON": DataCase("deep.json", "[" * 100_000 + "]" * 100_000,
                                   ["deep.json", "nested more than 100 levels"]),
    "deeply nested JSON line": DataCase(
        "deep.jsonl", '{"text": "a"}\n{"text": ' + "[" * 900 + "]" * 900 + "}\n",
        ["deep.jsonl", "line 2", "nested more than 100 levels"]),
    "a 5000-digit number": DataCase("big.jsonl", '{"text": "a", "n": ' + "9" * 5000 + "}\n",
                                    ["big.jsonl", "line 1", "number too long"]),
    "a quote as delimiter": DataCase("q.csv", "text,label\na,b\n", ["cannot be the delimiter"],
                                     ("--delimiter", '"')),
}


@pytest.mark.parametrize("case", DATA.values(), ids=DATA.keys())
def test_unreadable_data_file(tmp_path, capsys, case):
    path = tmp_path / case.name
    if isinstance(case.content, bytes):
        path.write_bytes(case.content)
    else:
        path.write_text(case.content)
    code, out = cli(capsys, "data", "inspect", str(path), *case.args)
    assert code == 2, out
    for part in case.expected:
        assert part in out, (part, out)


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_pipes_and_devices_are_refused_without_blocking(tmp_path, capsys, kind):
    path = tmp_path / "data.csv"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path = Path("/dev/zero")   # endless: reading it would fill memory
    code, out = cli(capsys, "data", "inspect", str(path), "--file-type", "csv")
    assert code == 2 and str(path) in out and "not a regular file" in out


def test_size_cap(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(reading, "MAX_DATA_BYTES", 1 << 20)
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"text": "x" * (2 << 20)}) + "\n")
    code, out = cli(capsys, "data", "inspect", str(path))
    assert code == 2 and "big.jsonl" in out and "is 2.0 MiB" in out and "1.0 MiB" in out


def test_a_10_mb_csv_field_is_read(tmp_path, capsys):
    """Once a traceback (the delimiter sniffer ran under csv's 128 KiB field limit); a long
    document is data, not an error."""
    path = tmp_path / "long.csv"
    path.write_text('text,label\n"' + "a" * 10_000_000 + '",pos\nb,neg\n')
    default = csv.field_size_limit(128 * 1024)   # as in a fresh process: the limit is global
    try:
        code, out = cli(capsys, "data", "inspect", str(path), "--json")
    finally:
        csv.field_size_limit(default)
    assert code == 0
    info = json.loads(out)
    assert info["rows"] == 2 and info["format"] == "classification"


def _arrow_folder(root: Path, name: str) -> Path:
    folder = root / name
    folder.mkdir()
    return folder


def _datasets_case(tmp_path: Path, kind: str) -> tuple[Path, list[str]]:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.arrow").write_bytes(b"not yours")
    folder = _arrow_folder(tmp_path, "ds")
    if kind == "split is the folder itself":
        (folder / "dataset_dict.json").write_text(json.dumps({"splits": ["."]}))
        return folder, ["dataset_dict.json names the split '.'"]
    if kind == "split outside":
        (folder / "dataset_dict.json").write_text(json.dumps({"splits": ["../outside"]}))
        return folder, ["the split '../outside'", "not a plain name"]
    if kind == "split linked outside":
        (folder / "dataset_dict.json").write_text(json.dumps({"splits": ["train"]}))
        (folder / "train").symlink_to(outside)
        return folder, ["the split 'train'", "leads outside the folder"]
    if kind == "split linked to itself":
        (folder / "dataset_dict.json").write_text(json.dumps({"splits": ["train"]}))
        (folder / "train").symlink_to(folder)
        return folder, ["the split 'train'", "leads outside the folder"]
    if kind == "data file absolute":
        (folder / "state.json").write_text(json.dumps(
            {"_data_files": [{"filename": str(outside / "secret.arrow")}]}))
        return folder, ["state.json names the data file", "not a plain name"]
    if kind == "data file is the folder":
        (folder / "state.json").write_text(json.dumps({"_data_files": [{"filename": "."}]}))
        return folder, ["state.json names the data file '.'"]
    if kind == "data file linked outside":
        (folder / "state.json").write_text(json.dumps(
            {"_data_files": [{"filename": "data.arrow"}]}))
        (folder / "data.arrow").symlink_to(outside / "secret.arrow")
        return folder, ["'data.arrow'", "leads outside the folder"]
    if kind == "data file name a number":
        (folder / "state.json").write_text(json.dumps({"_data_files": [{"filename": 5}]}))
        return folder, ["names the data file 5"]
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", [
    "split is the folder itself", "split outside", "split linked outside",
    "split linked to itself", "data file absolute", "data file is the folder",
    "data file linked outside", "data file name a number"])
def test_datasets_folder_metadata_that_points_elsewhere(tmp_path, capsys, kind):
    folder, expected = _datasets_case(tmp_path, kind)
    code, out = cli(capsys, "data", "inspect", str(folder))
    assert code == 2 and str(folder) in out, out
    for part in expected:
        assert part in out, (part, out)


ROW_PROBLEMS: dict[str, tuple[str, str, list[str]]] = {
    "only a label column": ("labels.csv", "label\npos\nneg\npos\n",
                            ["labels.csv holds only a label column", "no text to learn from"]),
    "NaN label": ("nan.jsonl", ('{"text": "a", "label": NaN}\n{"text": "b", "label": 1}\n'
                                '{"text": "c", "label": 0}\n'),
                  ["NaN or infinite label", "line 1 of nan.jsonl"]),
    "infinite label": ("inf.jsonl", ('{"text": "a", "label": 1}\n{"text": "b", "label": 0}\n'
                                     '{"text": "c", "label": -Infinity}\n'),
                       ["NaN or infinite label", "line 3 of inf.jsonl"]),
    "nan among numeric CSV labels": ("nan.csv", "text,label\na,1\nb,nan\nc,0\n",
                                     ["NaN or infinite label", "line 3 of nan.csv"]),
    "NUL characters in JSON text": ("nul.jsonl", ('{"text": "\\u0000\\u0000", "label": "a"}\n'
                                                  '{"text": "b", "label": "c"}\n'),
                                    ["NUL characters", "line 1 of nul.jsonl"]),
}


@pytest.mark.parametrize("name, content, expected", ROW_PROBLEMS.values(),
                         ids=ROW_PROBLEMS.keys())
def test_data_problems_fail_validation(workspace, capsys, name, content, expected):
    (workspace / name).write_text(content)
    code, out = cli(capsys, "validate", run_file(
        workspace, f"model: ./model\ndataset: {name}\nmethod: lora\ntask: "
                   f"{'causal_lm' if 'label column' in expected[0] else 'seq_cls'}\n"))
    assert code == 2, out
    for part in expected:
        assert part in out, (part, out)
    code, out = cli(capsys, "data", "inspect", str(workspace / name))   # listed there too
    assert expected[-1] in out


# --- the run store (12) ------------------------------------------------------------------

def _dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())


@pytest.fixture
def two_runs() -> tuple[str, str]:
    with RunStore() as store:
        good = store.create_run(RunConfig(model="m", name="good").to_dict(),
                                run_id="20260101-000000-aaaa")
        bad = store.create_run(RunConfig(model="m", name="bad").to_dict(),
                               run_id="20260101-000000-bbbb")
        with store.db.conn:
            store.db.conn.execute("UPDATE runs SET config = '{broken' WHERE id = ?", [bad.id])
    return good.id, bad.id


def test_store_that_is_a_folder(capsys):
    paths.store_path().mkdir(parents=True)
    code, out = cli(capsys, "runs", "list")
    assert code == 1 and str(paths.store_path()) in out and "is a folder" in out
    assert paths.store_path().is_dir() and not any(paths.store_path().iterdir())


def test_one_damaged_run_is_named_and_the_others_listed(two_runs, capsys):
    good, bad = two_runs
    code, out = cli(capsys, "runs", "list")
    assert code == 0 and good in out
    assert f"run {bad} (bad) is damaged" in out and "config is not readable JSON" in out
    assert f"peft-studio runs delete {bad}" in out
    code, out = cli(capsys, "runs", "list", "--json")
    assert code == 0 and [r["id"] for r in json.loads(out.split("\npeft-studio")[0])] == [good]
    code, out = cli(capsys, "runs", "show", bad)
    assert code == 1 and f"run {bad} (bad) is damaged" in out
    code, out = cli(capsys, "runs", "show", "good")
    assert code == 0 and good in out
    code, out = cli(capsys, "runs", "delete", bad, "--yes")
    assert code == 0 and f"Deleted run {bad}" in out
    with RunStore() as store:
        assert [r.id for r in store.list_runs()] == [good] and not store.damaged_runs()


def test_a_damaged_conversation_hides_no_other():
    from studio.core.records import DamagedRecordError

    with RunStore() as store:
        kept = store.save_conversation([{"role": "user", "content": "hello"}])
        broken = store.save_conversation([{"role": "user", "content": "bye"}])
        with store.db.conn:
            store.db.conn.execute("UPDATE conversations SET messages = '[{' WHERE id = ?",
                                  [broken])
        assert [c.id for c in store.conversations()] == [kept]
        with pytest.raises(DamagedRecordError, match="conversation 'bye' is damaged: its "
                                                     "messages is not readable JSON"):
            store.get_conversation(broken)


@pytest.mark.parametrize("ref, expected", [
    ("x" * 100_000, "100,000 characters"),
    ("2026\x00", "a NUL character"),
])
@pytest.mark.parametrize("command", [("runs", "show"), ("runs", "delete", "--yes"),
                                     ("runs", "rename", "--", "new name")])
def test_absurd_run_references_leave_the_store_untouched(two_runs, capsys, ref, expected,
                                                         command):
    before = _dump(paths.store_path())
    argv = [*command[:2], ref, *command[2:]] if command[1] != "rename" \
        else ["runs", "rename", ref, "new name"]
    code, out = cli(capsys, *argv)
    assert code == 2 and expected in out and len(out) < 1000
    assert _dump(paths.store_path()) == before


def test_export_of_an_absurd_reference(two_runs, capsys, tmp_path):
    code, out = cli(capsys, "export", "y" * 100_000, "--adapter", str(tmp_path / "out"))
    assert code == 2 and "100,000 characters" in out
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name, expected", [
    ("red\x1b[31m", "U+001B"), ("two\nlines", "U+000A"), ("abc\u202etxt", "U+202E"),
    ("n" * 201, "at most 200"),
])
def test_rename_refuses_control_characters(two_runs, capsys, name, expected):
    before = _dump(paths.store_path())
    code, out = cli(capsys, "runs", "rename", "good", name)
    assert code == 2 and expected in out and "nothing was renamed" in out
    assert _dump(paths.store_path()) == before


def test_names_from_an_older_store_are_shown_escaped(capsys):
    with RunStore() as store:
        run = store.create_run(RunConfig(model="m").to_dict(), name="plain")
        with store.db.conn:
            store.db.conn.execute("UPDATE runs SET name = ? WHERE id = ?",
                                  ["evil\x1b[2J\u202e", run.id])
    code, out = cli(capsys, "runs", "list")
    assert code == 0 and "evil\\x1b[2J\\u202e" in out and "\x1b" not in out
    code, out = cli(capsys, "runs", "show", run.id)
    assert code == 0 and "\x1b" not in out and "\u202e" not in out


def test_a_full_database_reports_the_disk_error(two_runs):
    """SQLite's own SQLITE_FULL, raised mid-statement (max_page_count stands in for the
    disk): the message is the disk's, the store is as it was, and the next write works."""
    from studio.core.database import StoreError

    before = _dump(paths.store_path())
    with RunStore() as store:
        pages = store.db.conn.execute("PRAGMA page_count").fetchone()[0]
        store.db.conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(StoreError, match=r"database or disk is full.*store is as it was"):
            store.create_run({**RunConfig(model="m").to_dict(), "notes": "x" * 200_000})
        with pytest.raises(StoreError, match="database or disk is full"):
            store.add_metrics("20260101-000000-aaaa",
                              [(i, "train", "loss", 1.0) for i in range(20_000)])
        assert not store.db.conn.in_transaction
        store.db.conn.execute("PRAGMA max_page_count = 1073741823")
        store.rename_run("20260101-000000-aaaa", "still writable")
    after = _dump(paths.store_path())
    assert [line for line in after if "still writable" not in line] == \
        [line for line in before if "'good'" not in line]


FULL_AT_COMMIT = """
import os, resource, signal, sys
from studio.core.store import RunStore
from studio.core.config import RunConfig
store = RunStore()
store.create_run(RunConfig(model="m", name="kept").to_dict(), run_id="20260101-000000-aaaa")
store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # writes past the limit fail with EFBIG instead
size = max(p.stat().st_size for p in store.path.parent.iterdir())
resource.setrlimit(resource.RLIMIT_FSIZE, (size + 8192, resource.RLIM_INFINITY))
try:
    store.create_run({**RunConfig(model="m").to_dict(), "notes": "x" * 200_000}, name="lost")
except Exception as exc:
    print(type(exc).__name__, exc)
resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
print("in transaction:", store.db.conn.in_transaction)
print("runs:", [r.name for r in store.list_runs()])
"""


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE as a stand-in for a full disk")
def test_a_write_that_fails_at_commit_reports_the_disk_error(tmp_path):
    """The real path of a full disk under WAL: the pages reach the disk at COMMIT, which
    fails (a file-size limit makes the write fail as ENOSPC would). The user reads the disk
    error, nothing of the change is kept, and the connection is usable."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PEFT_STUDIO_HOME": str(tmp_path / "home")}
    result = subprocess.run([sys.executable, "-c", FULL_AT_COMMIT], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=120, check=False)
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stderr
    assert lines[0].startswith("StoreError Cannot write the run store")
    assert "disk I/O error" in lines[0] and "store is as it was" in lines[0]
    assert lines[1:] == ["in transaction: False", "runs: ['kept']"]


def test_an_adapter_folder_from_elsewhere_with_a_bomb_and_deep_json(tmp_path):
    """The Playground and `chat --adapter FOLDER` read run.yaml and peft_studio.json of any
    folder: a bomb or deep nesting there is ignored as unreadable, in bounded memory."""
    from studio.core.inference.sources import resolve_adapter

    folder = tmp_path / "adapter"
    folder.mkdir()
    (folder / "adapter_config.json").write_text(json.dumps(
        {"base_model_name_or_path": "org/base", "peft_type": "LORA", "task_type": "CAUSAL_LM"}))
    (folder / "adapter_model.safetensors").write_bytes(b"")
    (folder / "run.yaml").write_text(BOMB + "dataset: {path: x, format: classification, "
                                            "labels: *i}\ntask: seq_cls\n")
    (folder / "peft_studio.json").write_text('{"labels": ' + "[" * 5000 + "]" * 5000 + "}")
    tracemalloc.start()
    try:
        source = resolve_adapter(str(folder))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert source.method == "lora" and peak < 50 << 20


@pytest.mark.parametrize("file_name", ["../outside.jsonl", "ABSOLUTE", "link.jsonl"])
def test_a_dataset_info_folder_that_points_outside(tmp_path, capsys, file_name):
    """LLaMA-Factory's dataset_info.json names each dataset's file: only files inside the
    folder are read."""
    outside = tmp_path / "outside.jsonl"
    outside.write_text(json.dumps({"instruction": "secret", "output": "x"}) + "\n")
    folder = tmp_path / "catalog"
    folder.mkdir()
    if file_name == "ABSOLUTE":
        file_name = str(outside)
    elif file_name == "link.jsonl":
        (folder / "link.jsonl").symlink_to(outside)
    (folder / "dataset_info.json").write_text(json.dumps({"mine": {"file_name": file_name}}))
    code, out = cli(capsys, "data", "inspect", str(folder), "--name", "mine", "--json")
    assert code == 2, out
    assert "dataset 'mine' names the file" in out and "not inside" in out
    assert "secret" not in out


@pytest.mark.parametrize("kind", ["fifo", "deep"])
def test_a_dataset_info_json_that_cannot_be_an_index(tmp_path, capsys, kind):
    folder = tmp_path / "catalog"
    folder.mkdir()
    info = folder / "dataset_info.json"
    if kind == "fifo":
        os.mkfifo(info)   # never opened
    else:
        info.write_text('{"mine": {"file_name": ' + "[" * 5000 + "]" * 5000 + "}}")
    code, out = cli(capsys, "data", "inspect", str(folder))
    assert code == 2 and str(folder) in out
