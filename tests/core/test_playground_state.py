"""The Playground's state as plain data (studio.core.playground): the adapter lineup, the
conversation and its tools, without Qt or a model."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from studio.core.errors import StudioError
from studio.core.playground import (
    Conversation,
    Lineup,
    ToolCall,
    Turn,
    parse_tools,
    split_tool_calls,
)

WEATHER = {"type": "function", "function": {
    "name": "get_weather", "description": "the weather in a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}


def source(name, path, step=None, task=None, labels=None, run_id=None):
    return SimpleNamespace(name=name, path=path, step=step, task=task, label_names=labels,
                           run_id=run_id, method="lora", kind="peft")


# ---- the lineup ------------------------------------------------------------------------------


def test_lineup_names_are_unique_and_never_base():
    lineup = Lineup()
    first = lineup.add("/runs/a", source("colours", "/runs/a"))
    second = lineup.add("/runs/b", source("colours", "/runs/b"))
    checkpoint = lineup.add("r1@20", source("colours", "/runs/a", step=20, run_id="r1"))
    base = lineup.add("/x", source("base", "/x"))
    unnamed = lineup.add("/y", source(None, "/y"))
    assert [first.name, second.name, checkpoint.name, base.name, unnamed.name] == [
        "colours", "colours-2", "colours@20", "base-2", "adapter"]
    assert lineup.has(source("other name", "/runs/a"))          # same folder, same step
    assert not lineup.has(source("colours", "/runs/a", step=10))
    assert checkpoint.run_id == "r1" and lineup.refs()[2] == "r1@20"


def test_lineup_task_labels_pairs_and_run():
    lineup = Lineup()
    lineup.add("/a", source("a", "/a"))
    lineup.add("/b", source("b", "/b", task="seq_cls", labels=("neg", "pos"), run_id="r2"))
    lineup.add("/c", source("c", "/c", run_id="r3"))
    assert lineup.task() == "seq_cls" and lineup.label_names() == ("neg", "pos")
    assert [name for name, _ in lineup.pairs()] == ["a", "b", "c"]
    assert lineup.run_for("c") == "r3" and lineup.run_for("a") == "r2"   # a has no run
    assert lineup.pop(0).name == "a" and lineup.names() == ["b", "c"]
    lineup.clear()
    assert len(lineup) == 0 and lineup.task() is None and lineup.run_for(None) is None


# ---- the conversation -------------------------------------------------------------------------


def test_turns_become_template_messages_and_saved_dicts():
    conversation = Conversation(tools=[WEATHER])
    conversation.add_user("weather in Paris?")
    answer = conversation.add_answer(
        'let me look\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n'
        '</tool_call>', "weather-lora")
    assert answer.content == "let me look"
    assert answer.tool_calls == [ToolCall("get_weather", {"city": "Paris"})]
    assert conversation.pending_call() == answer.tool_calls[0]
    conversation.add_tool_result("sunny, 21 °C")
    assert conversation.pending_call() is None and conversation.awaits_answer()
    assert conversation.prompt_messages() == [
        {"role": "user", "content": "weather in Paris?"},
        {"role": "assistant", "content": "let me look", "tool_calls": [
            {"type": "function", "function": {"name": "get_weather",
                                              "arguments": {"city": "Paris"}}}]},
        {"role": "tool", "content": "sunny, 21 °C", "name": "get_weather"}]
    saved = conversation.to_dicts()
    assert saved[1]["adapter"] == "weather-lora" and "adapter" not in saved[0]
    settings = conversation.saved_settings({"greedy": True})
    assert settings == {"greedy": True, "tools": [WEATHER]}
    again = Conversation.from_saved(json.loads(json.dumps(saved)), settings, 7)
    assert again == Conversation(conversation.turns, [WEATHER], 7)


def test_an_old_saved_conversation_still_opens():
    """Saved before tools existed: {role, content[, adapter]} and sampling settings only."""
    conversation = Conversation.from_saved(
        [{"role": "user", "content": "colour of cat"},
         {"role": "assistant", "content": "blue", "adapter": "colours"}], {"top_k": 50}, 3)
    assert conversation.turns == [Turn("user", "colour of cat"),
                                  Turn("assistant", "blue", "colours")]
    assert conversation.tools == [] and conversation.id == 3
    with pytest.raises(ValueError, match="unknown role 'robot'"):
        Conversation.from_saved([{"role": "robot", "content": "x"}], {}, 4)


def test_a_tool_result_needs_a_call_and_answers_each_call_in_turn():
    conversation = Conversation(tools=[WEATHER])
    conversation.add_user("hi")
    conversation.add_answer("hello", None)
    with pytest.raises(StudioError, match="calls no tool"):
        conversation.add_tool_result("sunny")
    conversation.add_user("Paris and Rome?")
    conversation.add_answer('{"name": "get_weather", "arguments": {"city": "Paris"}} '
                            '{"name": "get_weather", "arguments": "{\\"city\\": \\"Rome\\"}", '
                            '"id": "c2"}', None)
    assert conversation.pending_call().arguments == {"city": "Paris"}
    conversation.add_tool_result("sunny")
    assert conversation.pending_call() == ToolCall("get_weather", {"city": "Rome"}, "c2")
    assert conversation.add_tool_result("rain").tool_call_id == "c2"
    assert conversation.pending_call() is None


def test_regenerate_drops_the_answer_and_clear_keeps_the_tools():
    conversation = Conversation(tools=[WEATHER], id=5)
    conversation.add_user("hi")
    assert conversation.drop_answer()             # nothing to drop: the user still waits
    conversation.add_answer("hello", None)
    assert conversation.drop_answer() and [t.role for t in conversation.turns] == ["user"]
    conversation.clear()
    assert conversation.turns == [] and conversation.id is None
    assert conversation.tools == [WEATHER] and not conversation.drop_answer()


def test_replies_without_a_known_tool_are_text():
    names = ["get_weather"]
    assert split_tool_calls('{"name": "send_mail", "arguments": {}}', names) == (
        '{"name": "send_mail", "arguments": {}}', [])
    assert split_tool_calls("a { broken", names) == ("a { broken", [])
    assert split_tool_calls('{"name": "get_weather", "arguments": {}}', []) == (
        '{"name": "get_weather", "arguments": {}}', [])
    text, calls = split_tool_calls('<call>{"name": "get_weather", "arguments": {"city": "Oslo"}}'
                                   '</call>', names)
    assert text == "" and calls == [ToolCall("get_weather", {"city": "Oslo"})]
    conversation = Conversation(tools=[WEATHER])
    assert conversation.add_answer("  plain answer ", None).content == "  plain answer "


# ---- the Tools editor's text --------------------------------------------------------------------


def test_tools_text_is_normalised():
    assert parse_tools("  ") == []
    bare = {"name": "get_weather", "parameters": {"type": "object"}}
    assert parse_tools(json.dumps([bare])) == [{"type": "function", "function": bare}]
    assert parse_tools(json.dumps(WEATHER)) == [WEATHER]      # one object: a list of one


@pytest.mark.parametrize(("text", "error"), [
    ('[{"name": "a",}]', "the tools are not valid JSON: Expecting property name enclosed in "
                         "double quotes at line 1, column 15"),
    ('"get_weather"', "the tools are a string: expected a list of function definitions"),
    ("[1]", "tool 1 is a number: expected an object"),
    ('[{"name": "a"}, {"type": "retrieval"}]',
     'tool 2 has type "retrieval": only "function" tools are supported'),
    ('[{"type": "function", "function": "a"}]',
     'the "function" of tool 1 is a string: expected an object'),
    ('[{"type": "function", "function": {"description": "x"}}]',
     'tool 1 has no "name" (a non-empty string)'),
    ('[{"name": "a"}, {"name": "a"}]', 'two tools are named "a": each name must be unique'),
    ('[{"name": "a", "parameters": []}]',
     'the "parameters" of tool 1 (a) are a list: expected a JSON Schema object'),
    ('[{"name": "a", "description": 3}]',
     'the "description" of tool 1 (a) is a number: expected a string'),
])
def test_bad_tools_text_names_the_fault(text, error):
    with pytest.raises(StudioError) as caught:
        parse_tools(text)
    assert str(caught.value).startswith(error)
    assert caught.value.message.code.startswith("playground.")
