"""See what the model sees: a row rendered exactly as training encodes it (``render_row``,
``data inspect --render``), and the Playground's prompt for a tool conversation equal to the
training text before the answer."""

from __future__ import annotations

import argparse
import json

import pytest
from factories import TOOL_CHAT_TEMPLATE, make_tokenizer

from studio.cli import data as data_cli
from studio.core.data import prepare
from studio.core.data.encoding import Encoder
from studio.core.data.rendering import marked_text, render_row
from studio.core.errors import DatasetError
from studio.core.inference.prompts import chat_prompt

CHAT = {"messages": [{"role": "user", "content": "hello"},
                     {"role": "assistant", "content": "world"},
                     {"role": "user", "content": "cat"},
                     {"role": "assistant", "content": "dog", "weight": 0},
                     {"role": "user", "content": "red"},
                     {"role": "assistant", "content": "blue"}]}


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="peft-studio")
    data_cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["data", "inspect", *argv])
    return args.handler(args)


def test_render_spans_are_the_training_example(write, cfg, tok):
    path = write("c.jsonl", [{"messages": [{"role": "user", "content": "x"},
                                           {"role": "assistant", "content": "y"}]}, CHAT])
    render = render_row(cfg(path), tok, 2, 256)
    example = prepare(cfg(path, validation_split=0), "causal_lm", tok, 256).train[1]
    assert [s["loss"] for s in render["spans"]] == [False, True, False, True]
    assert [s["text"] for s in render["spans"] if s["loss"]] == ["world</s>", "blue</s>"]
    assert "dog</s>" in render["spans"][2]["text"]  # weight 0: shown without loss
    assert render["tokens"] == len(example["input_ids"])
    assert render["loss_tokens"] == sum(label != -100 for label in example["labels"])
    assert "".join(s["text"] for s in render["spans"]) == tok.decode(example["input_ids"])
    assert render["chat_template"] == "fallback" and not render["truncated"]
    assert marked_text(render).startswith("⟦<|im_start|>user\nhello</s><|im_start|>assistant\n"
                                          "⟧world</s>⟦")


def test_render_truncated_and_dropped(write, cfg, tok):
    path = write("i.jsonl", [{"instruction": "tell me about the market " * 20,
                              "output": "it rose"}])
    short = render_row(cfg(path), tok, 1, 16)
    assert short["truncated"] and short["tokens"] == 16 and short["loss_tokens"] > 0
    assert short["spans"][-1]["text"] == "it rose</s>"
    seq = render_row(cfg(path), tok, 1, 512)
    assert not seq["truncated"] and seq["spans"][0]["text"].startswith("### Instruction:")


def test_render_seq2seq_and_classification(write, cfg, tok, t5_tokenizer_dir):
    from transformers import AutoTokenizer

    t5 = AutoTokenizer.from_pretrained(str(t5_tokenizer_dir))
    path = write("s.jsonl", [{"source": "good market", "target": "positive"}])
    render = render_row(cfg(path), t5, 1, 64)
    assert [(s["text"], s["loss"]) for s in render["spans"]] == [
        ("good market</s>", False), ("positive</s>", True)]
    labels = write("l.csv", "text,label\ngood,pos\nbad,neg\n")
    render = render_row(cfg(labels), tok, 3, 64)
    assert render["task"] == "seq_cls" and render["spans"][-1] == {
        "text": "neg", "loss": True, "tokens": 0, "part": "label"}


def test_render_unknown_row(write, cfg, tok):
    path = write("c.jsonl", "\n" + json.dumps(CHAT) + "\n")
    with pytest.raises(DatasetError, match="no line 1; the data is on lines 2 to 2"):
        render_row(cfg(path), tok, 1)


def test_cli_render_text_and_json(write, tokenizer_dir, capsys, runtime):
    path = write("c.jsonl", [CHAT])
    assert run([str(path), "--render", "1", "--tokenizer", str(tokenizer_dir)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Line 1 as chat data for causal_lm: ")
    assert "chat template: fallback" in out and "No loss on the parts between ⟦ ⟧:" in out
    assert "⟧world</s>⟦" in out and "⟧blue</s>\n" in out
    assert run([str(path), "--render", "1", "--tokenizer", str(tokenizer_dir), "--json",
                "--max-length", "12"]) == 0
    render = json.loads(capsys.readouterr().out)
    # the first 12 tokens hold no answer: training drops the row; it is shown whole
    assert render["dropped"] and render["truncated"] and render["tokens"] > 12
    assert render["spans"][0]["loss"] is False
    assert run([str(path), "--render", "1"]) == 2
    assert "--render needs --tokenizer" in capsys.readouterr().err
    assert run([str(path), "--render", "9", "--tokenizer", str(tokenizer_dir)]) == 2
    assert "no line 9" in capsys.readouterr().err


def test_playground_prompt_is_the_training_text_before_the_answer(tmp_path, runtime):
    """A tool conversation: chat_prompt (Playground, serve) renders the conversation before
    the last answer exactly as training rendered it, with the model's template and with the
    fallback one."""
    from transformers import AutoTokenizer

    tools = [{"type": "function", "function": {"name": "get_weather", "parameters": {}}}]
    messages = [{"role": "user", "content": "weather?"},
                {"role": "assistant", "content": "", "tool_calls": [
                    {"type": "function", "function": {"name": "get_weather",
                                                      "arguments": {"city": "Paris"}}}]},
                {"role": "tool", "content": "sunny"},
                {"role": "assistant", "content": "it is sunny"}]
    plain = AutoTokenizer.from_pretrained(str(make_tokenizer(tmp_path / "plain")))
    templated = AutoTokenizer.from_pretrained(str(make_tokenizer(
        tmp_path / "tools", chat_template=TOOL_CHAT_TEMPLATE)))
    for tokenizer, style in ((plain, "fallback"), (templated, "template")):
        encoder = Encoder(tokenizer, 1024)
        segments = encoder.chat_segments(messages, tools)
        before_answer = "".join(text for text, _ in segments[:-1])
        example = encoder.chat(messages, tools)
        assert example is not None
        prompt = chat_prompt(tokenizer, messages[:-1], style, tools=tools)
        assert prompt.text == before_answer
        answer_ids = encoder.ids(segments[-1][0])
        assert prompt.ids == example["input_ids"][:len(example["input_ids"]) - len(answer_ids)]
    assert "<tool_call>" in before_answer or "<call>" in before_answer
