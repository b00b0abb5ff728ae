"""Chat formats people export (OpenAI fine-tuning JSONL, ShareGPT with tool calls, content as
text parts), Alpaca's system/history, and preference data: read, checked and encoded with
loss on the assistant turns (tool calls included) only, verified token by token."""

from __future__ import annotations

import json
import re

import pytest
from factories import TOOL_CHAT_TEMPLATE

from studio.core.data import FALLBACK_CHAT_TEMPLATE, inspect, prepare, validate_dataset
from studio.core.data.templates import render_prompt
from studio.core.errors import DatasetError

WEATHER = {"type": "function", "function": {
    "name": "get_weather", "description": "the weather in a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}
OPENAI_ROW = {
    "messages": [
        {"role": "system", "content": "you tell the weather"},
        {"role": "user", "content": "weather in Paris?"},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "c1", "type": "function",
             "function": {"name": "get_weather", "arguments": "{\"city\": \"Paris\"}"}}]},
        {"role": "tool", "tool_call_id": "c1", "content": "sunny"},
        {"role": "assistant", "content": "a bad first answer", "weight": 0},
        {"role": "user", "content": "thanks"},
        {"role": "assistant", "content": "it is sunny", "weight": 1}],
    "tools": [WEATHER]}
CALL_TEXT = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>'


def ids(tok, text: str) -> list[int]:
    return tok(text, add_special_tokens=False)["input_ids"]


def expected_labels(tok, pieces: list[tuple[str, bool]]) -> tuple[list[int], list[int]]:
    """input_ids and labels of text pieces tokenised one by one, loss where marked."""
    input_ids, labels = [], []
    for text, loss in pieces:
        piece = ids(tok, text)
        input_ids += piece
        labels += piece if loss else [-100] * len(piece)
    return input_ids, labels


def only(prepared):
    assert len(prepared.train) == 1
    return prepared.train[0]


def test_openai_jsonl_tools_weights_fallback_template(write, cfg, tok):
    path = write("openai.jsonl", [OPENAI_ROW])
    prepared = prepare(cfg(path, validation_split=0), "causal_lm", tok, 1024)
    assert prepared.format == "chat" and prepared.columns == {"messages": "messages",
                                                              "tools": "tools"}
    assert prepared.stats["chat_template"] == "fallback"
    tools = json.dumps([WEATHER])
    pieces = [
        (f"<|im_start|>tools\n{tools}</s><|im_start|>system\nyou tell the weather</s>"
         "<|im_start|>user\nweather in Paris?</s><|im_start|>assistant\n", False),
        (f"{CALL_TEXT}</s>", True),
        ("<|im_start|>tool\nsunny</s><|im_start|>assistant\n", False),
        ("a bad first answer</s>", False),   # weight 0: no loss
        ("<|im_start|>user\nthanks</s><|im_start|>assistant\n", False),
        ("it is sunny</s>", True)]
    input_ids, labels = expected_labels(tok, pieces)
    example = only(prepared)
    assert example == {"input_ids": input_ids, "labels": labels}
    assert tok.decode(example["input_ids"]) == "".join(text for text, _ in pieces)


def test_tool_calls_render_through_the_models_template(write, cfg, tok):
    tok.chat_template = TOOL_CHAT_TEMPLATE
    path = write("openai.jsonl", [OPENAI_ROW])
    example = only(prepare(cfg(path, validation_split=0), "causal_lm", tok, 1024))
    tools = json.dumps(WEATHER)
    call = '<call>{"name": "get_weather", "arguments": {"city": "Paris"}}</call>'
    pieces = [(f"<|system|>you tell the weather\nTools:\n{tools}</s>"
               "<|user|>weather in Paris?</s><|assistant|>", False),
              (f"{call}</s>", True),
              ("<|tool|>sunny</s><|assistant|>", False), ("a bad first answer</s>", False),
              ("<|user|>thanks</s><|assistant|>", False), ("it is sunny</s>", True)]
    assert example == dict(zip(("input_ids", "labels"), expected_labels(tok, pieces)))


def test_template_without_tool_support_is_refused(write, cfg, tok):
    tok.chat_template = ("{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}</s>"
                         "{% endfor %}{% if add_generation_prompt %}<|assistant|>{% endif %}")
    path = write("openai.jsonl", [OPENAI_ROW])
    with pytest.raises(DatasetError, match="line 1: the model's chat template does not "
                                           "render tools"):
        prepare(cfg(path, validation_split=0), "causal_lm", tok, 1024)


def test_sharegpt_function_call_observation_system_tools(write, cfg, tok):
    sharegpt = {"conversations": [
        {"from": "human", "value": "weather in Paris?"},
        {"from": "function_call", "value": "{\"name\": \"get_weather\", "
                                           "\"arguments\": {\"city\": \"Paris\"}}"},
        {"from": "observation", "value": "sunny"},
        {"from": "gpt", "value": "it is sunny"}],
        "system": "you tell the weather", "tools": json.dumps([WEATHER["function"]])}
    openai = {"messages": [
        {"role": "system", "content": "you tell the weather"},
        {"role": "user", "content": "weather in Paris?"},
        {"role": "assistant", "content": "", "tool_calls": [
            {"type": "function", "function": {"name": "get_weather",
                                              "arguments": {"city": "Paris"}}}]},
        {"role": "tool", "content": "sunny"},
        {"role": "assistant", "content": "it is sunny"}], "tools": [WEATHER]}
    prepared = prepare(cfg(write("s.json", [sharegpt]), validation_split=0), "causal_lm",
                       tok, 1024)
    assert prepared.columns == {"messages": "conversations", "system": "system",
                                "tools": "tools"}
    same = prepare(cfg(write("o.jsonl", [openai]), validation_split=0), "causal_lm", tok, 1024)
    assert only(prepared) == only(same)
    loss = [t for t, label in zip(only(prepared)["input_ids"], only(prepared)["labels"])
            if label != -100]
    assert tok.decode(loss) == f"{CALL_TEXT}</s>it is sunny</s>"


def test_content_as_text_parts(write, cfg, tok):
    row = {"messages": [
        {"role": "user", "content": [{"type": "text", "text": "hello "},
                                     {"type": "text", "value": "there"}]},
        {"role": "assistant", "content": [{"type": "text", "text": "world"}]}]}
    path = write("parts.jsonl", [row])
    assert validate_dataset(cfg(path)) == []
    example = only(prepare(cfg(path, validation_split=0), "causal_lm", tok, 256))
    pieces = [("<|im_start|>user\nhello there</s><|im_start|>assistant\n", False),
              ("world</s>", True)]
    assert example == dict(zip(("input_ids", "labels"), expected_labels(tok, pieces)))


@pytest.mark.parametrize("message, error", [
    ({"role": "assistant", "content": [{"type": "image_url", "image_url": "x"}]},
     "message 2 has a image_url part; only text parts can be trained"),
    ({"role": "assistant", "content": "x", "weight": 2},
     "message 2 has weight 2, expected 0 \\(no loss\\) or 1"),
    ({"role": "assistant", "content": "x", "weight": 0}, "no assistant message to learn from"),
    ({"role": "assistant", "content": None, "tool_calls": [
        {"function": {"name": "f", "arguments": "{not json"}}]},
     "message 2: not valid JSON in the arguments of tool call 'f'"),
    ({"from": "function_call", "value": "get_weather(Paris)"},
     "message 2: not valid JSON in the function call"),
])
def test_bad_chat_rows_are_named(write, cfg, message, error):
    user = ({"from": "human", "value": "hi"} if "from" in message
            else {"role": "user", "content": "hi"})
    path = write("bad.jsonl", [{"messages": [user, message]}])
    problems = validate_dataset(cfg(path))
    assert len(problems) == 1 and problems[0].field == "dataset.messages_column"
    assert problems[0].message.endswith("at line 1 of bad.jsonl")
    assert re.search(error, problems[0].message)


def test_alpaca_system_and_history(write, cfg, tok):
    row = {"instruction": "and 2 plus 2?", "input": "", "output": "4",
           "system": "you add numbers", "history": [["1 plus 1?", "2"], ["2 plus 1?", "3"]]}
    path = write("alpaca.json", [row])
    prepared = prepare(cfg(path, validation_split=0, system_prompt="ignored"), "causal_lm",
                       tok, 512)
    assert prepared.columns == {"instruction": "instruction", "output": "output",
                                "input": "input", "system": "system", "history": "history"}
    prompt = (render_prompt("1 plus 1?", None, "you add numbers") + "2\n\n"
              + render_prompt("2 plus 1?") + "3\n\n" + render_prompt("and 2 plus 2?"))
    assert prompt.startswith("you add numbers\n\n### Instruction:\n1 plus 1?")
    pieces = [(prompt, False), ("4", True)]
    input_ids, labels = expected_labels(tok, pieces)
    eos = tok.eos_token_id
    assert only(prepared) == {"input_ids": [*input_ids, eos], "labels": [*labels, eos]}


def test_alpaca_bad_history_is_named(write, cfg):
    path = write("alpaca.jsonl", [{"instruction": "a", "output": "b", "history": [["q"]]}])
    problems = validate_dataset(cfg(path))
    assert [p.field for p in problems] == ["dataset.history_column"]
    assert "history must be a list of [question, answer] pairs" in problems[0].message
    assert "line 1 of alpaca.jsonl" in problems[0].message


# ---- preference data -------------------------------------------------------------------
@pytest.mark.parametrize("row, mapping", [
    ({"prompt": "hi", "chosen": "hello", "rejected": "go away"},
     "dataset.instruction_column: prompt and dataset.output_column: chosen"),
    ({"chosen": "Human: hi Assistant: hello", "rejected": "Human: hi Assistant: no"},
     "dataset.text_column: chosen"),
    ({"conversations": [{"from": "human", "value": "hi"}],
      "chosen": {"from": "gpt", "value": "hello"}, "rejected": {"from": "gpt", "value": "no"}},
     "dataset.messages_column: conversations and dataset.output_column: chosen"),
    ({"prompt": [{"role": "user", "content": "hi"}],
      "chosen": [{"role": "assistant", "content": "hello"}],
      "rejected": [{"role": "assistant", "content": "no"}]},
     "dataset.messages_column: prompt and dataset.output_column: chosen"),
])
def test_preference_data_is_explained(write, cfg, row, mapping):
    problems = validate_dataset(cfg(write("pref.jsonl", [row])))
    assert len(problems) == 1
    problem = problems[0]
    assert problem.expected == mapping
    assert "holds preference data (columns 'chosen' and 'rejected')" in problem.message
    assert "PEFT Studio trains supervised fine-tuning" in problem.message
    assert problem.field == mapping.split(" and ")[-1].split(":")[0]


def test_preference_data_trains_on_the_mapped_chosen_answer(write, cfg, tok):
    row = {"conversations": [{"from": "human", "value": "hi"}],
           "chosen": {"from": "gpt", "value": "hello"}, "rejected": {"from": "gpt", "value": "no"}}
    path = write("pref.jsonl", [row])
    mapped = cfg(path, validation_split=0, messages_column="conversations",
                 output_column="chosen")
    assert validate_dataset(mapped) == []
    pieces = [("<|im_start|>user\nhi</s><|im_start|>assistant\n", False), ("hello</s>", True)]
    assert only(prepare(mapped, "causal_lm", tok, 256)) == dict(
        zip(("input_ids", "labels"), expected_labels(tok, pieces)))
    instruction = write("p2.jsonl", [{"prompt": "hi", "chosen": "hello", "rejected": "no"}])
    prepared = prepare(cfg(instruction, validation_split=0, instruction_column="prompt",
                           output_column="chosen"), "causal_lm", tok, 256)
    assert prepared.format == "instruction"
    assert tok.decode([t for t, label in zip(only(prepared)["input_ids"],
                                             only(prepared)["labels"]) if label != -100]) \
        == "hello</s>"


def test_inspect_reports_tools_and_lengths(write, cfg, tok):
    info = inspect(cfg(write("openai.jsonl", [OPENAI_ROW])), tokenizer=tok)
    assert info["format"] == "chat" and info["problems"] == []
    rendered = tok.apply_chat_template(
        [{k: v for k, v in m.items() if k != "weight"} for m in OPENAI_ROW["messages"][:3]],
        chat_template=FALLBACK_CHAT_TEMPLATE, tools=[WEATHER], tokenize=False)
    assert info["token_lengths"]["max"] > len(ids(tok, rendered))


def test_fallback_template_text_before_tool_calls(tok):
    messages = [{"role": "user", "content": "hi"},
                {"role": "assistant", "content": "let me look", "tool_calls": [
                    {"type": "function", "function": {"name": "a", "arguments": {}}},
                    {"type": "function", "function": {"name": "b", "arguments": {"x": 1}}}]}]
    text = tok.apply_chat_template(messages, chat_template=FALLBACK_CHAT_TEMPLATE,
                                   tokenize=False)
    assert text == ("<|im_start|>user\nhi</s><|im_start|>assistant\nlet me look\n"
                    '<tool_call>\n{"name": "a", "arguments": {}}\n</tool_call>\n'
                    '<tool_call>\n{"name": "b", "arguments": {"x": 1}}\n</tool_call></s>')


def test_bad_tools_name_their_column(write, cfg):
    row = {"conversations": [{"from": "human", "value": "hi"}, {"from": "gpt", "value": "yo"}],
           "tools": "[{\"name\": \"a\"}, "}
    problems = validate_dataset(cfg(write("t.jsonl", [row])))
    assert [p.message for p in problems] == [
        "the tools are not valid JSON (Expecting value) in column 'tools' at line 1 of "
        "t.jsonl"]
