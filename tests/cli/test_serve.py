"""``peft-studio serve`` against the official ``openai`` client: a live server in a child
process on a free localhost port, one trained chat adapter for the module."""

from __future__ import annotations

import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import openai
import pytest
from factories import train_colours

ROOT = Path(__file__).resolve().parents[2]
KEY = "test-key"
PROMPT = [{"role": "user", "content": "colour of cat"}]
MAX_QUEUE = 2
LONG = 240   # tokens: an answer that holds the model while other clients arrive


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONUNBUFFERED="1", PEFT_STUDIO_HOME=str(home))
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("PEFT_STUDIO_API_KEY", None)
    return env


class Server:
    """The serve command in a child process; its JSON events collected as they come."""

    def __init__(self, args: list[str], home: Path):
        self.proc = subprocess.Popen([sys.executable, "-m", "studio", "serve", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     env=_env(home), cwd=ROOT)
        self.events: list[dict] = []
        self.changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self.stderr: list[str] = []
        threading.Thread(target=lambda: self.stderr.extend(self.proc.stderr), daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self.changed:
                self.events.append(json.loads(line))
                self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()

    def wait_for(self, test, timeout: float = 180) -> dict:
        """The first event passing ``test``, waiting for it (or for the server to end)."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                found = next((e for e in self.events if test(e)), None)
                if found is not None:
                    return found
                left = deadline - time.monotonic()
                assert left > 0 and self.proc.poll() is None, (self.events, self.stderr)
                self.changed.wait(timeout=min(left, 1.0))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(scope="module")
def colours(tmp_path_factory, tiny_models):
    return train_colours(tmp_path_factory.mktemp("serve-run"), tiny_models("llama", init_range=0.2))


@pytest.fixture(scope="module")
def server(colours, tmp_path_factory):
    """A server for the colours adapter with an API key and room for two requests to wait
    behind the running one."""
    home = tmp_path_factory.mktemp("serve-home")
    server = Server(["--adapter", str(colours["out"]), "--base", str(colours["model"]),
                     "--port", "0", "--api-key", KEY, "--max-queue", str(MAX_QUEUE)], home)
    try:
        ready = server.wait_for(lambda e: e["event"] == "ready")
        server.url, server.models = ready["url"], ready["models"]
        server.home = home
        yield server
    finally:
        server.stop()
    assert server.proc.returncode == 0, server.stderr
    assert server.events[-1]["event"] == "stopped"


@pytest.fixture
def client(server):
    return openai.OpenAI(base_url=server.url, api_key=KEY, max_retries=0, timeout=120)


def _adapter(server) -> str:
    return server.models[1]


@pytest.mark.slow
def test_models_lists_the_base_and_the_adapter(server, client, colours):
    listed = client.models.list().data
    assert [m.id for m in listed] == server.models
    assert listed[0].id == Path(colours["model"]).name
    assert server.models[1] not in ("base", listed[0].id) and len(listed) == 2


@pytest.mark.slow
def test_greedy_chat_equals_peft_studio_chat(server, client, colours):
    reply = client.chat.completions.create(model=_adapter(server), messages=PROMPT,
                                           temperature=0, max_tokens=6)
    done = subprocess.run([sys.executable, "-m", "studio", "chat", "--base", str(colours["model"]),
                           "--adapter", str(colours["out"]), "--greedy", "--max-new-tokens", "6",
                           PROMPT[0]["content"]], capture_output=True, text=True,
                          env=_env(server.home), cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    answer = reply.choices[0].message.content
    assert answer == done.stdout[:-1] and "blue" in answer
    assert reply.choices[0].message.role == "assistant"
    assert reply.object == "chat.completion" and reply.model == _adapter(server)
    usage = reply.usage
    assert usage.prompt_tokens > 3 and 1 <= usage.completion_tokens <= 6
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    # the base answers differently: the adapter really was switched per request
    base = client.chat.completions.create(model="base", messages=PROMPT, temperature=0,
                                          max_tokens=6)
    assert base.choices[0].message.content != answer


@pytest.mark.slow
def test_streaming_chat_adds_up_to_the_answer(server, client):
    whole = client.chat.completions.create(model=_adapter(server), messages=PROMPT,
                                           temperature=0, max_tokens=6)
    chunks = list(client.chat.completions.create(
        model=_adapter(server), messages=PROMPT, temperature=0, max_tokens=6, stream=True,
        stream_options={"include_usage": True}))
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    assert len({c.id for c in chunks}) == 1
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == whole.choices[0].message.content
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert finishes[-1] == whole.choices[0].finish_reason and not any(finishes[:-1])
    assert chunks[-1].choices == [] and chunks[-1].usage.completion_tokens == \
        whole.usage.completion_tokens


@pytest.mark.slow
def test_completion_with_a_stop_string_and_a_seed(server, client):
    full = client.completions.create(model="base", prompt="the market", temperature=0,
                                     max_tokens=12).choices[0]
    assert full.finish_reason == "length" and len(full.text) > 4
    stop = full.text[3:5]
    cut = client.completions.create(model="base", prompt="the market", temperature=0,
                                    max_tokens=12, stop=[stop]).choices[0]
    assert cut.text == full.text[:full.text.index(stop)] and cut.finish_reason == "stop"
    sampled = [client.completions.create(model="base", prompt="the market", temperature=1.0,
                                         max_tokens=8, seed=7).choices[0].text for _ in range(2)]
    assert sampled[0] == sampled[1]


def _error(raised) -> dict:
    body = raised.value.response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"message", "type", "param", "code"}
    return body["error"]


@pytest.mark.slow
def test_errors_have_openai_status_and_shape(server, client):
    with pytest.raises(openai.NotFoundError) as raised:
        client.chat.completions.create(model="nope", messages=PROMPT)
    error = _error(raised)
    assert error["code"] == "model_not_found" and "nope" in error["message"]
    with pytest.raises(openai.BadRequestError) as raised:
        client.chat.completions.create(model="base", messages=PROMPT, temperature=5)
    assert _error(raised)["param"] == "temperature"
    with pytest.raises(openai.BadRequestError) as raised:   # more than the model's positions
        client.chat.completions.create(model="base", messages=PROMPT, max_tokens=100_000)
    assert _error(raised)["param"] == "max_tokens" and "256 tokens" in _error(raised)["message"]
    with pytest.raises(openai.BadRequestError) as raised:   # ends with an answer: nothing to do
        client.chat.completions.create(model="base", messages=[
            *PROMPT, {"role": "assistant", "content": "blue"}], stream=True)
    assert "add a user message" in _error(raised)["message"]
    with pytest.raises(openai.BadRequestError) as raised:
        client.post("/classifications", body={"model": "base", "input": "hi"}, cast_to=object)
    assert "/v1/chat/completions" in _error(raised)["message"]
    for key in ("", "wrong"):
        keyless = openai.OpenAI(base_url=server.url, api_key=key or "-", max_retries=0,
                                default_headers={} if key else {"Authorization": ""})
        with pytest.raises(openai.AuthenticationError) as raised:
            keyless.models.list()
        assert _error(raised)["code"] == "invalid_api_key"
        # the key is checked first: a stranger learns nothing from a 400 about the body
        with pytest.raises(openai.AuthenticationError):
            keyless.post("/chat/completions", body={"model": 1}, cast_to=object)
        # nor which routes exist: an unknown route or method is refused for the key too
        with pytest.raises(openai.AuthenticationError):
            keyless.post("/no-such-route", body={}, cast_to=object)
        with pytest.raises(openai.AuthenticationError):
            keyless.get("/chat/completions", cast_to=object)
    with pytest.raises(openai.NotFoundError) as raised:   # with the key: a plain 404
        client.post("/no-such-route", body={}, cast_to=object)
    assert _error(raised)["code"] == "not_found"


def _health(server) -> dict:
    return httpx.get(server.url.removesuffix("/v1") + "/health", timeout=30).json()


def _hold(client):
    """A long streamed answer, already generating: the model is busy until it is closed."""
    stream = client.chat.completions.create(model="base", messages=PROMPT, temperature=0,
                                            max_tokens=LONG, stream=True)
    chunks = iter(stream)
    next(chunks)
    assert next(chunks).choices[0].delta.content   # it is generating now
    return stream


def _wait(condition, timeout: float = 120):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.05)


def _logged(server, since: float, test) -> list[dict]:
    """Requests logged since ``since`` (the time a test began: a request of the previous
    test may be logged after its client already had the answer)."""
    return [e for e in list(server.events)
            if e["event"] == "request" and e["time"] >= since and test(e)]


@pytest.mark.slow
def test_disconnect_mid_stream_frees_the_server(server, client):
    since = time.time()
    stream = _hold(client)
    stream.close()   # the client goes away mid-answer
    gone = server.wait_for(lambda e: e["event"] == "request" and e["stream"]
                           and e["time"] >= since)
    assert gone["status"] == 499 and gone["finish_reason"] == "cancelled"
    assert 1 <= gone["completion_tokens"] < LONG
    _wait(lambda: _health(server) == {"status": "ok", "running": 0, "waiting": 0,
                                      "max_queue": MAX_QUEUE})
    after = client.chat.completions.create(model="base", messages=PROMPT, max_tokens=2)
    assert after.choices[0].finish_reason == "length"


@pytest.mark.slow
def test_a_full_queue_answers_503_with_retry_after_and_the_queued_requests_run(server):
    """Concurrent clients while one answer holds the model: two of them wait in the queue,
    the two beyond its bound are refused at once, then the waiting two are answered."""
    since = time.time()

    def client() -> openai.OpenAI:   # one each: clients in different threads share nothing
        return openai.OpenAI(base_url=server.url, api_key=KEY, max_retries=0, timeout=300)

    stream = _hold(client())
    answers: queue.Queue = queue.Queue()

    def ask(n: int) -> None:
        try:
            answers.put(client().chat.completions.create(
                model="base", messages=[{"role": "user", "content": f"colour {n}"}],
                temperature=0, max_tokens=2))
        except openai.APIStatusError as exc:
            answers.put(exc)

    askers = [threading.Thread(target=ask, args=(n,), daemon=True)
              for n in range(MAX_QUEUE + 2)]
    for asker in askers:
        asker.start()
    refused = [answers.get(timeout=120) for _ in range(2)]   # the queued ones cannot end yet
    for exc in refused:
        assert isinstance(exc, openai.InternalServerError) and exc.status_code == 503, exc
        assert 1 <= int(exc.response.headers["retry-after"]) <= 60
        error = exc.response.json()["error"]
        assert set(error) == {"message", "type", "param", "code"}
        assert error["code"] == "queue_full" and error["type"] == "server_error"
        assert f"{MAX_QUEUE} requests are already waiting" in error["message"]
    assert _health(server) == {"status": "ok", "running": 1, "waiting": MAX_QUEUE,
                               "max_queue": MAX_QUEUE}
    stream.close()
    waited = [answers.get(timeout=300) for _ in range(MAX_QUEUE)]
    assert all(a.choices[0].finish_reason == "length" for a in waited), waited
    for asker in askers:
        asker.join(timeout=30)
    held = server.wait_for(lambda e: e["event"] == "request" and e["stream"]
                           and e["time"] >= since)
    assert held["status"] == 499 and held["completion_tokens"] < LONG   # it held until closed
    _wait(lambda: len(_logged(server, since, lambda e: not e["stream"])) >= MAX_QUEUE + 2)
    statuses = sorted(e["status"] for e in _logged(server, since, lambda e: not e["stream"]))
    assert statuses == [200] * MAX_QUEUE + [503, 503]
    _wait(lambda: _health(server) == {"status": "ok", "running": 0, "waiting": 0,
                                      "max_queue": MAX_QUEUE})


@pytest.mark.slow
def test_a_client_that_leaves_while_queued_costs_the_model_nothing(server, client):
    since = time.time()
    stream = _hold(client)
    body = json.dumps({"model": "base", "messages": PROMPT, "max_tokens": 50}).encode()
    host, port = server.url.removeprefix("http://").removesuffix("/v1").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=30) as raw:
        raw.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                    b"Authorization: Bearer " + KEY.encode() + b"\r\n"
                    b"Content-Type: application/json\r\n"
                    b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        _wait(lambda: _health(server)["waiting"] == 1)
    # gone while still waiting; the model finishes the held answer, then skips it
    stream.close()
    left = server.wait_for(lambda e: e["event"] == "request" and not e["stream"]
                           and e["time"] >= since)
    assert left["status"] == 499 and left["finish_reason"] == "cancelled"
    assert left["completion_tokens"] == 0 and left["prompt_tokens"] == 0
    _wait(lambda: _health(server)["waiting"] == 0)


@pytest.mark.slow
def test_health_needs_no_key_and_names_no_model(server):
    health = _health(server)
    assert set(health) == {"status", "running", "waiting", "max_queue"}
    assert health["status"] == "ok" and health["max_queue"] == MAX_QUEUE


def test_listening_beyond_this_computer_needs_a_key(capsys, monkeypatch):
    from studio.cli import main

    monkeypatch.delenv("PEFT_STUDIO_API_KEY", raising=False)
    assert main(["serve", "--host", "0.0.0.0", "--adapter", "anything"]) == 2
    event = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert event["event"] == "error" and "--api-key" in event["message"]
    assert main(["serve", "--max-queue", "-1", "--adapter", "anything"]) == 2
    assert "--max-queue" in json.loads(capsys.readouterr().out.strip())["message"]
    assert main(["serve", "--adapter", "no-such-run"]) == 2   # refused before loading anything
    assert "no-such-run" in json.loads(capsys.readouterr().out.strip())["message"]


@pytest.mark.slow
def test_tools_go_to_a_chat_template_and_a_prompt_without_one_refuses_them(server, client):
    tools = [{"type": "function", "function": {"name": "paint", "parameters": {
        "type": "object", "properties": {"colour": {"type": "string"}}}}}]
    # the adapter was trained on chats with the fallback template, which renders tools
    bare = client.chat.completions.create(model=_adapter(server), messages=PROMPT,
                                          temperature=0, max_tokens=2)
    tooled = client.chat.completions.create(model=_adapter(server), messages=PROMPT,
                                            tools=tools, temperature=0, max_tokens=2)
    assert tooled.usage.prompt_tokens > bare.usage.prompt_tokens + 10
    # the base model has no template: its plain prompt would drop the tools without a word,
    # so it refuses them with the reason training gives for such a template
    with pytest.raises(openai.BadRequestError) as raised:
        client.chat.completions.create(model="base", messages=PROMPT, tools=tools)
    assert "does not render tools (it never reads 'tools')" in _error(raised)["message"]
    with pytest.raises(openai.BadRequestError) as raised:
        client.chat.completions.create(model="base", messages=PROMPT, tools=[{"name": 3}])
    assert _error(raised)["param"] == "tools"
    assert _error(raised)["message"] == 'tool 1 has no "name" (a non-empty string)'
