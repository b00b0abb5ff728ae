"""``peft-studio validate`` and ``peft-studio methods``: output, JSON and exit codes."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from studio.cli import methods as methods_cmd
from studio.cli import validate as validate_cmd
from studio.core import methods

LLAMA = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 32,
         "num_hidden_layers": 2, "num_attention_heads": 4, "vocab_size": 512}


def cli(*argv: str) -> int:
    """Parse and run one of our commands the way studio.cli.main does."""
    parser = argparse.ArgumentParser(prog="peft-studio")
    sub = parser.add_subparsers(dest="command")
    validate_cmd.register(sub)
    methods_cmd.register(sub)
    args = parser.parse_args(list(argv))
    return args.handler(args)


@pytest.fixture
def run_file(tmp_path):
    """Writes a run file next to a tiny model folder and a data file."""
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text(json.dumps(LLAMA))
    (model / "tokenizer.json").write_text("{}")
    (tmp_path / "train.jsonl").write_text(
        "".join(json.dumps({"text": f"some text {i}"}) + "\n" for i in range(20)))

    def write(method: str = "{name: lora, r: 4}", training: str = "{max_steps: 5}") -> str:
        path = tmp_path / "run.yaml"
        path.write_text(f"model: ./model\ndataset: train.jsonl\nmethod: {method}\n"
                        f"training: {training}\n")
        return str(path)

    return write


def test_valid_run_file(run_file, capsys):
    assert cli("validate", run_file()) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK\n")
    assert "(llama)" in out and "causal_lm (detected)" in out and "LoRA (r=4" in out


def test_bad_run_file_lists_every_problem_one_per_line(run_file, capsys):
    path = run_file("{name: lora, r: 0, rank: 2}", "{max_steps: 5, batch_size: 0}")
    assert cli("validate", path) == 2
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "The run file has 3 problems:"
    assert lines[1:] == ["  method.rank: unknown parameter for LoRA; did you mean 'r'? (expected "
                         "one of r, lora_alpha, lora_dropout, target_modules, bias, "
                         "modules_to_save, found 'rank')",
                         "  method.r: must be >= 1 (found 0)",
                         "  training.batch_size: must be >= 1 (found 0)"]


def test_missing_run_file(tmp_path, capsys):
    assert cli("validate", str(tmp_path / "nope.yaml")) == 2
    assert "file not found" in capsys.readouterr().out


def test_json_problems(run_file, capsys):
    assert cli("validate", run_file("{name: adaption_prompt, adapter_layers: 5}"), "--json") == 2
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] is False
    assert result["problems"] == [{"field": "method.adapter_layers",
                                   "message": "exceeds the model's layers",
                                   "code": "method.exceeds_layers",
                                   "expected": "<= 2", "found": "5"}]


def test_json_summary(run_file, capsys):
    assert cli("validate", run_file(), "--json") == 0
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] is True
    summary = result["summary"]
    assert (summary["family"], summary["task"], summary["method"]) == ("llama", "causal_lm", "lora")
    assert summary["params"]["r"] == 4 and summary["params"]["target_modules"] == ["q_proj",
                                                                                  "v_proj"]


def test_remote_model_is_announced_as_a_download(run_file, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    path = run_file()
    file = Path(path)
    file.write_text(file.read_text().replace("model: ./model", "model: org/some-model"))
    assert cli("validate", path) == 0
    assert "downloaded from the Hugging Face Hub" in capsys.readouterr().out


def test_methods_json_covers_every_method(capsys):
    assert cli("methods", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert [m["id"] for m in data] == [m.id for m in methods.all_methods()]
    for entry in data:
        assert {"display_name", "kind", "tasks", "families", "mergeable", "params"} <= set(entry)


def test_methods_table_has_a_row_per_method(capsys):
    assert cli("methods") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["ID", "NAME"]
    assert [line.split()[0] for line in lines[1:]] == [m.id for m in methods.all_methods()]
    loha = next(line for line in lines if line.startswith("loha "))
    assert "all but gpt2" in loha


def test_entry_point_runs_without_mindspore(run_file):
    """The real ``python -m studio`` path: exit code 2 and no compute stack imported."""
    code = ("import sys\n"
            "from studio.cli import main\n"
            f"rc = main(['validate', {run_file('{name: lora, r: 0}')!r}])\n"
            "assert 'mindspore' not in sys.modules and 'torch' not in sys.modules\n"
            "sys.exit(rc)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, cwd=ROOT)
    assert result.returncode == 2, result.stderr
    assert "method.r: must be >= 1 (found 0)" in result.stdout
