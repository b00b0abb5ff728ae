"""``peft-studio data inspect``."""

from __future__ import annotations

import argparse
import json

from studio.cli import data as data_cli


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="peft-studio")
    data_cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["data", "inspect", *argv])
    return args.handler(args)


def test_inspect_json(write, capsys):
    path = write("d.csv", "text,label\ngood,pos\nbad,neg\nfine,pos\n")
    assert run([str(path), "--json", "--samples", "2"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["format"] == "classification" and info["rows"] == 3
    assert info["columns"] == {"text": "text", "label": "label"}
    assert info["label_counts"] == {"neg": 1, "pos": 2}
    assert info["samples"] == [{"row": 2, "values": {"text": "good", "label": "pos"}},
                               {"row": 3, "values": {"text": "bad", "label": "neg"}}]
    assert info["problems"] == [] and "token_lengths" not in info


def test_inspect_summary_with_problems_and_options(write, capsys):
    path = write("pb.txt", "# comment\ngood@pos\nbad news@neg\nmeh@\n")
    assert run([str(path), "--delimiter", "@", "--labels", "neg,pos", "--task", "causal_lm"]) == 0
    out = capsys.readouterr().out
    assert "Format:   classification" in out and "Labels:   neg 1, pos 1" in out
    assert "task: classification data does not fit task causal_lm" in out
    assert "empty or non-scalar label" in out and "line 4" in out


def test_inspect_column_mapping(write, capsys):
    path = write("d.jsonl", [{"q": "why", "a": "because"}])
    assert run([str(path), "--json", "--source-column", "q", "--target-column", "a"]) == 0
    assert json.loads(capsys.readouterr().out)["format"] == "seq2seq"


def test_inspect_bad_file_exits_2(write, capsys, tmp_path):
    assert run([str(tmp_path / "missing.jsonl")]) == 2
    assert "file not found" in capsys.readouterr().err
    bad = write("bad.jsonl", '{"text": "a"}\n{oops}\n')
    assert run([str(bad), "--json"]) == 2
    assert "line 2: not valid JSON" in capsys.readouterr().err
    assert run([str(bad), "--tokenizer", str(tmp_path / "no-tokenizer")]) == 2


def test_inspect_with_tokenizer(write, capsys, runtime, tokenizer_dir):
    path = write("d.jsonl", [{"instruction": "say hi", "output": "hello"},
                             {"instruction": "tell me about the market", "output": "it rose"}])
    assert run([str(path), "--json", "--tokenizer", str(tokenizer_dir)]) == 0
    lengths = json.loads(capsys.readouterr().out)["token_lengths"]
    assert lengths["count"] == 2 and lengths["min"] <= lengths["median"] <= lengths["max"]
    assert run([str(path), "--tokenizer", str(tokenizer_dir)]) == 0
    assert "Tokens:   min" in capsys.readouterr().out


def test_registered_in_main_parser(write, capsys):
    from studio import cli

    path = write("d.txt", "hello world\n")
    assert cli.main(["data", "inspect", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["format"] == "text"


def test_a_json_error_carries_its_code(tmp_path, capsys):
    """With --json a failure is also a JSON document on stdout, with the message's code and
    parameters (the Data page's token counter shows it in the user's language)."""
    assert run([str(tmp_path / "missing.jsonl"), "--json"]) == 2
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert "file not found" in document["error"] and "file not found" in captured.err
    assert document["messages"]["error"]["code"] == "data.at"
    assert document["messages"]["error"]["params"]["detail"] == {
        "$message": {"code": "value.file_not_found", "params": {}}}
