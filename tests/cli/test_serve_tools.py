"""Tools through the serve API, with the official ``openai`` client against a live server on
localhost (the app ``peft-studio serve`` builds, run by uvicorn in this process so the prompt
the session rendered can be read): the tiny llama with a chat template that renders tools
and tool calls. The prompt of a request with tools and a tool-call history is the training
text of the same conversation; a reply that calls a tool comes back as ``tool_calls``."""

from __future__ import annotations

import json
import threading
import time

import openai
import pytest
from factories import free_port, tool_training_text, with_tool_template

WEATHER = {"type": "function", "function": {
    "name": "get_weather", "description": "the weather in a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}
CALL = '<call>{"name": "get_weather", "arguments": {"city": "Paris"}}</call>'
ASKED = [{"role": "user", "content": "weather in Paris?"}]
HISTORY = [*ASKED, {"role": "assistant", "content": None, "tool_calls": [
    {"id": "call_1", "type": "function",
     "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'}}]},
    {"role": "tool", "tool_call_id": "call_1", "content": "sunny"}]
ANSWER = {"role": "assistant", "content": "it is sunny"}


class Scripted:
    """The session's real stream (the model answers as usual, from the real prompt) whose
    text is replaced by ``pieces``: a tiny random model never writes a call, so one is fed
    through the path a generated answer takes, as the Playground's tools test does."""

    def __init__(self, stream, pieces: list[str]):
        self.stream, self.pieces, self.prompt = stream, pieces, stream.prompt
        self.finish_reason = "eos"

    def __iter__(self):
        self.stream.read()
        yield from self.pieces

    def close(self) -> None:
        self.stream.close()

    @property
    def token_ids(self) -> list[int]:
        return self.stream.token_ids


@pytest.fixture(scope="module")
def served(tmp_path_factory, tiny_models):
    """The tool model served in this process; ``prompts`` collects what the session rendered
    for each chat request, and ``script`` (when set) replaces the next answer's text."""
    import uvicorn

    from studio.core.inference import InferenceSession
    from studio.core.serving.app import create_app
    from studio.core.serving.jobs import ServedModels
    from studio.core.serving.worker import ModelWorker

    model = with_tool_template(tiny_models("llama"), tmp_path_factory.mktemp("tools") / "m")
    worker = ModelWorker(max_queue=4)
    session = InferenceSession(str(model), task="causal_lm", device="cpu")
    worker.call(session.load)
    served = type("Served", (), {})()
    served.model, served.session, served.worker = model, session, worker
    served.prompts, served.script = [], None
    real = session.stream_chat

    def spy(*args, **kwargs):
        stream = real(*args, **kwargs)
        served.prompts.append(stream.prompt)
        script, served.script = served.script, None
        return Scripted(stream, script) if script else stream

    session.stream_chat = spy
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(
        create_app(ServedModels(session, []), worker), host="127.0.0.1", port=port,
        log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    served.client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="-",
                                  max_retries=0, timeout=120)
    yield served
    server.should_exit = True
    thread.join(timeout=30)


@pytest.mark.slow
def test_the_prompt_with_tools_and_a_call_history_is_the_training_text(served, tmp_path):
    for name, messages in (("asked", ASKED), ("history", HISTORY)):
        served.prompts.clear()
        reply = served.client.chat.completions.create(
            model="base", messages=messages, tools=[WEATHER], temperature=0, max_tokens=4)
        text, ids = tool_training_text(tmp_path, served.model, [*messages, ANSWER], [WEATHER],
                                       name)
        [prompt] = served.prompts
        assert prompt.text == text and prompt.ids == ids
        assert reply.usage.prompt_tokens == len(ids)
        assert json.dumps(WEATHER) in text and text.endswith("<|assistant|>")
        assert reply.choices[0].message.tool_calls is None   # the random model wrote text
    assert text.endswith(f"{CALL}</s><|tool|>sunny</s><|assistant|>")
    # the answer is the session's own greedy answer to the same conversation and tools
    from studio.core.inference import GenerationSettings

    settings = GenerationSettings(max_new_tokens=4, temperature=0, top_p=1, top_k=0)
    plain = [ASKED[0], {"role": "assistant", "content": "", "tool_calls": [
        {"type": "function", "function": {"name": "get_weather",
                                          "arguments": {"city": "Paris"}}}]},
        {"role": "tool", "content": "sunny"}]
    direct = served.worker.call(lambda: served.session.stream_chat(
        plain, settings, adapter=None, tools=[WEATHER]).read())
    assert reply.choices[0].message.content == direct


@pytest.mark.slow
def test_a_reply_that_calls_a_tool_comes_back_as_tool_calls(served, tmp_path):
    client = served.client
    served.script = [CALL[:20], CALL[20:]]
    reply = client.chat.completions.create(model="base", messages=ASKED, tools=[WEATHER],
                                           temperature=0, max_tokens=3)
    choice = reply.choices[0]
    assert choice.finish_reason == "tool_calls" and choice.message.content is None
    [call] = choice.message.tool_calls
    assert call.type == "function" and call.id.startswith("call_")
    assert call.function.name == "get_weather"
    assert json.loads(call.function.arguments) == {"city": "Paris"}

    # the call and its result go back in the history, and are rendered as training would
    served.prompts.clear()
    result = {"role": "tool", "tool_call_id": call.id, "content": "sunny"}
    client.chat.completions.create(
        model="base", tools=[WEATHER], temperature=0, max_tokens=2,
        messages=[*ASKED, choice.message.model_dump(exclude_none=True), result])
    text, ids = tool_training_text(tmp_path, served.model, [
        *ASKED, choice.message.model_dump(exclude_none=True), result, ANSWER], [WEATHER],
        "round-trip")
    assert served.prompts[-1].text == text and served.prompts[-1].ids == ids

    # streamed: the call arrives as delta.tool_calls, which the client's helper accumulates
    served.script = ["Let me check. ", CALL[:9], CALL[9:30], CALL[30:]]
    chunks = list(client.chat.completions.create(
        model="base", messages=ASKED, tools=[WEATHER], temperature=0, max_tokens=3,
        stream=True))
    content = "".join(c.choices[0].delta.content or "" for c in chunks)
    deltas = [c.choices[0].delta.tool_calls for c in chunks if c.choices[0].delta.tool_calls]
    assert content == "Let me check." and len(deltas) == 1
    [delta] = deltas[0]
    assert delta.index == 0 and delta.id.startswith("call_") and delta.type == "function"
    assert delta.function.name == "get_weather"
    assert json.loads(delta.function.arguments) == {"city": "Paris"}
    assert [c.choices[0].finish_reason for c in chunks][-1] == "tool_calls"
    served.script = [CALL]
    with client.chat.completions.stream(model="base", messages=ASKED, tools=[WEATHER],
                                        temperature=0, max_tokens=3) as stream:
        final = stream.get_final_completion()
    [call] = final.choices[0].message.tool_calls
    assert json.loads(call.function.arguments) == {"city": "Paris"}

    # tool_choice none: the tools are in the prompt, but the answer is text
    served.script = [CALL]
    reply = client.chat.completions.create(model="base", messages=ASKED, tools=[WEATHER],
                                           tool_choice="none", max_tokens=3)
    assert reply.choices[0].message.content == CALL
    assert reply.choices[0].message.tool_calls is None
    assert reply.choices[0].finish_reason == "stop"


def _error(raised) -> dict:
    body = raised.value.response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"message", "type", "param", "code"}
    return body["error"]


@pytest.mark.slow
def test_bad_tools_and_unsupported_tool_choices_are_400s(served):
    client = served.client
    for tools, message in (
            ([WEATHER, WEATHER], 'two tools are named "get_weather": each name must be unique'),
            ([{"type": "function", "function": {"description": "x"}}],
             'tool 1 has no "name" (a non-empty string)')):
        with pytest.raises(openai.BadRequestError) as raised:
            client.chat.completions.create(model="base", messages=ASKED, tools=tools)
        assert _error(raised)["param"] == "tools" and _error(raised)["message"] == message
    with pytest.raises(openai.BadRequestError) as raised:
        client.chat.completions.create(model="base", messages=ASKED, tools=[WEATHER],
                                       tool_choice="required", stream=True)
    assert _error(raised)["param"] == "tool_choice"
    with pytest.raises(openai.BadRequestError) as raised:   # a result that answers no call
        client.chat.completions.create(model="base", tools=[WEATHER], messages=[
            *ASKED, {"role": "tool", "tool_call_id": "call_9", "content": "sunny"}])
    assert _error(raised)["param"] == "messages.1.tool_call_id"
    with pytest.raises(openai.BadRequestError) as raised:   # arguments that are not JSON
        client.chat.completions.create(model="base", tools=[WEATHER], messages=[
            *ASKED, {**HISTORY[1], "tool_calls": [{**HISTORY[1]["tool_calls"][0], "function": {
                "name": "get_weather", "arguments": "{city"}}]}, HISTORY[2]])
    assert "the arguments of tool call 'get_weather'" in _error(raised)["message"]
