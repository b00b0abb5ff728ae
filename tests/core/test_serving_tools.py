"""Tools in the serve API without a model: a request's tools are checked as the Playground
checks its Tools editor, its tool_choice and tool history are checked, and an answer that
calls a declared tool becomes OpenAI's ``tool_calls``, streamed or whole."""

from __future__ import annotations

import json

import pytest

from studio.core.serving.protocol import ApiError, ChatRequest
from studio.core.serving.toolcalls import ToolCallStream, answer_message

WEATHER = {"type": "function", "function": {
    "name": "get_weather", "parameters": {"type": "object",
                                          "properties": {"city": {"type": "string"}}}}}
CALL = '<call>{"name": "get_weather", "arguments": {"city": "Paris"}}</call>'
ASKED = [{"role": "user", "content": "weather in Paris?"}]
HISTORY = [*ASKED, {"role": "assistant", "content": None, "tool_calls": [
    {"id": "call_1", "type": "function",
     "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'}}]},
    {"role": "tool", "tool_call_id": "call_1", "content": "sunny"}]


def _refused(**body) -> ApiError:
    request = ChatRequest(model="m", **{"messages": ASKED, **body})
    with pytest.raises(ApiError) as refused:
        request.callable_tools()
    assert refused.value.status == 400
    return refused.value


def test_bad_tools_are_refused_with_the_playgrounds_reason():
    error = _refused(tools=[WEATHER, WEATHER])
    assert error.param == "tools"
    assert error.message == 'two tools are named "get_weather": each name must be unique'
    error = _refused(tools=[{"type": "function", "function": {"description": "x"}}])
    assert error.message == 'tool 1 has no "name" (a non-empty string)'
    error = _refused(tools=[{"type": "function", "function": {"name": "f", "parameters": [1]}}])
    assert error.message == ('the "parameters" of tool 1 (f) are a list: expected a JSON '
                             'Schema object')
    error = _refused(tools=[{"type": "retrieval"}])
    assert 'only "function" tools are supported' in error.message


def test_tool_choice_auto_and_none_are_taken_others_refused():
    auto = ChatRequest(model="m", messages=ASKED, tools=[WEATHER])
    assert auto.callable_tools() == ["get_weather"]
    assert auto.function_tools() == [WEATHER]
    none = ChatRequest(model="m", messages=ASKED, tools=[WEATHER], tool_choice="none")
    assert none.callable_tools() == [] and none.function_tools() == [WEATHER]
    for choice in ("required", {"type": "function", "function": {"name": "get_weather"}}):
        error = _refused(tools=[WEATHER], tool_choice=choice)
        assert error.param == "tool_choice" and "is not supported" in error.message
    assert ChatRequest(model="m", messages=ASKED).callable_tools() == []


def test_a_tool_history_becomes_the_messages_training_reads():
    request = ChatRequest(model="m", messages=HISTORY, tools=[WEATHER])
    assert request.callable_tools() == ["get_weather"]
    plain = [m.plain() for m in request.messages]
    assert plain[1] == {"role": "assistant", "content": "", "tool_calls": HISTORY[1]["tool_calls"]}
    assert plain[2] == {"role": "tool", "content": "sunny", "tool_call_id": "call_1"}


def test_a_tool_message_must_answer_an_earlier_call():
    unanswered = [*ASKED, {"role": "tool", "tool_call_id": "call_9", "content": "sunny"}]
    error = _refused(messages=unanswered, tools=[WEATHER])
    assert error.param == "messages.1.tool_call_id" and "'call_9'" in error.message
    error = _refused(messages=[*ASKED, {"role": "tool", "content": "sunny"}])
    assert error.param == "messages.1.tool_call_id" and "needs the id" in error.message


def test_an_answer_that_calls_a_declared_tool_is_a_tool_call():
    message, called = answer_message(CALL, ["get_weather"])
    assert called and message["content"] is None
    [call] = message["tool_calls"]
    assert call["type"] == "function" and call["id"].startswith("call_")
    assert call["function"] == {"name": "get_weather", "arguments": '{"city": "Paris"}'}
    message, called = answer_message("let me look. " + CALL, ["get_weather"])
    assert called and message["content"] == "let me look."
    # an undeclared name, or no tools, is text
    assert answer_message(CALL, ["other"]) == ({"role": "assistant", "content": CALL}, False)
    assert answer_message(CALL, []) == ({"role": "assistant", "content": CALL}, False)


def _stream(pieces: list[str]) -> tuple[list[str], str, list[dict]]:
    watch = ToolCallStream(["get_weather"])
    sent = [watch.feed(p) for p in pieces]
    rest, calls = watch.finish()
    return sent, rest, calls


@pytest.mark.parametrize("text", [CALL, "let me look. " + CALL, " \n" + CALL,
                                  "  it is {not a call} ok", "plain <b>words</b> here",
                                  " leading space then " + CALL])
def test_streamed_pieces_add_up_to_the_whole_answer(text):
    for size in (1, 3, 7, len(text)):
        pieces = [text[i:i + size] for i in range(0, len(text), size)]
        sent, rest, calls = _stream(pieces)
        whole, called = answer_message(text, ["get_weather"])
        content = "".join(sent) + rest
        assert bool(calls) == called
        if called:
            assert content.strip() == (whole["content"] or "")
            assert [c["function"] for c in calls] == [c["function"] for c in whole["tool_calls"]]
            assert "{" not in content and "<call>" not in content   # the call is never text
        else:
            assert content == whole["content"] == text


def test_text_before_a_possible_call_streams_at_once():
    sent, rest, calls = _stream(["The weather ", "is ", "<call>", '{"name": "get_weather", ',
                                 '"arguments": {"city": "Paris"}}</call>'])
    assert sent == ["The weather", " is", "", "", ""] and rest == ""
    assert json.loads(calls[0]["function"]["arguments"]) == {"city": "Paris"}
