"""The FastAPI application: OpenAI's routes over ServedModels, one job per request on the
ModelWorker. A request's job talks to its handler through an asyncio queue; a client that
disconnects sets the job's stop event, which ends its generation after the current token
(or skips it while it still waits in the queue).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import hmac
import json
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.exceptions import HTTPException

from .jobs import Outcome, ServedModels, run_job
from .protocol import ApiError, ChatRequest, ClassificationRequest, CompletionRequest
from .toolcalls import ToolCallStream, answer_message, call_deltas
from .worker import ModelWorker, QueueFullError

ServeLog = Callable[[dict[str, Any]], None]   # one call per finished request


class _Channel:
    """A job's events, handed from the model's thread to the request's event loop. Once the
    handler stops listening (the client left), the job's last event goes to ``after_leaving``'s
    callback instead, so the request log still gets the tokens it spent."""

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.stop = threading.Event()
        self._events: collections.deque[tuple[str, Any]] = collections.deque()
        self._ready = asyncio.Event()
        self._lock = threading.Lock()
        self._late: Callable[[str, Any], None] | None = None

    def emit(self, kind: str, data: Any) -> None:
        with self._lock:
            if self._late is not None:
                if kind in ("end", "error"):
                    self._late(kind, data)
                return
            self._events.append((kind, data))
        # RuntimeError: the server is shutting down and its loop has closed
        with contextlib.suppress(RuntimeError):
            self.loop.call_soon_threadsafe(self._ready.set)

    def unget(self, event: tuple[str, Any]) -> None:
        with self._lock:
            self._events.appendleft(event)
        self._ready.set()

    async def get(self) -> tuple[str, Any]:
        while True:
            with self._lock:
                if self._events:
                    return self._events.popleft()
                self._ready.clear()
            await self._ready.wait()

    async def next(self, request: Request) -> tuple[str, Any]:
        """The next event, or ('gone', None) when the client disconnects first."""
        getting = asyncio.ensure_future(self.get())
        leaving = asyncio.ensure_future(_disconnected(request))
        done, _ = await asyncio.wait({getting, leaving}, return_when=asyncio.FIRST_COMPLETED)
        if getting in done:
            leaving.cancel()
            return getting.result()
        getting.cancel()
        self.stop.set()
        return "gone", None

    def after_leaving(self, callback: Callable[[str, Any], None]) -> None:
        """The client is gone: stop the job and hand its last event to ``callback``."""
        self.stop.set()
        with self._lock:
            while self._events:
                kind, data = self._events.popleft()
                if kind in ("end", "error"):
                    callback(kind, data)
                    self._late = lambda kind, data: None
                    return
            self._late = callback


async def _disconnected(request: Request) -> None:
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


def _error(exc: ApiError) -> JSONResponse:
    return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)


def _sse(data: dict[str, Any]) -> str:
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"


def create_app(models: ServedModels, worker: ModelWorker, api_key: str | None = None,
               log: ServeLog | None = None) -> FastAPI:
    app = FastAPI(title="PEFT Studio", docs_url=None, redoc_url=None, openapi_url=None)
    record = log or (lambda entry: None)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return _error(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        if first.get("type") == "json_invalid":
            reason = (first.get("ctx") or {}).get("error", "")
            return _error(ApiError(400, f"the request body is not valid JSON: {reason}"))
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        message = f"{where}: {first.get('msg', 'invalid')}" if where else \
            str(first.get("msg", "the request body is not valid JSON"))
        return _error(ApiError(400, message, param=where or None))

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        if exc.status_code in (404, 405) and request.url.path != "/health":
            try:   # with a key set, a stranger cannot probe which routes exist
                await authorised(request)
            except ApiError as refused:
                return _error(refused)
        return _error(ApiError(exc.status_code, str(exc.detail),
                               code="not_found" if exc.status_code == 404 else None))

    async def authorised(request: Request) -> None:
        if api_key is None:
            return
        given = request.headers.get("authorization", "")
        token = given[7:] if given.lower().startswith("bearer ") else ""
        if not hmac.compare_digest(token.encode(), api_key.encode()):
            raise ApiError(401, "a valid API key is required: send 'Authorization: Bearer KEY'"
                           if not token else "the API key is not valid",
                           code="invalid_api_key")

    guard = [Depends(authorised)]

    @app.get("/health")
    async def health() -> dict[str, Any]:
        """For load balancers and scripts, so without the key (like vLLM's): no model names,
        only how busy the model is."""
        return {"status": "ok", **worker.load()}

    @app.get("/v1/models", dependencies=guard)
    async def list_models() -> dict[str, Any]:
        return {"object": "list", "data": models.listing()}

    @app.get("/v1/models/{model:path}", dependencies=guard)
    async def get_model(model: str) -> dict[str, Any]:
        models.adapter_for(model)
        return next(row for row in models.listing() if row["id"] == model) \
            if model in models.ids else models.listing()[0]

    def submit(work: Callable[[_Channel], None]) -> _Channel:
        channel = _Channel()
        try:
            worker.submit(lambda: run_job(lambda: work(channel), channel.stop, channel.emit))
        except QueueFullError as exc:
            # 503, not 429: the server is overloaded, not this client over a quota. Clients
            # (the official openai one among them) retry after Retry-After by themselves.
            raise ApiError(503, str(exc), kind="server_error", code="queue_full",
                           headers={"Retry-After": str(exc.retry_after)}) from None
        return channel

    def logged(path: str, model: str, status: int, started: float, stream: bool = False,
               outcome: Outcome | None = None) -> None:
        entry: dict[str, Any] = {"method": "POST", "path": path, "model": model,
                                 "status": status, "stream": stream,
                                 "seconds": round(time.perf_counter() - started, 4)}
        if outcome is not None:
            entry.update(finish_reason=outcome.finish_reason,
                         prompt_tokens=outcome.prompt_tokens,
                         completion_tokens=outcome.completion_tokens)
        record(entry)

    def cancelled(path: str, body: Any, started: float, stream: bool) -> Callable[[str, Any], None]:
        def log_cancelled(kind: str, data: Any) -> None:
            logged(path, body.model, 499, started, stream,
                   Outcome("cancelled", data.prompt_tokens, data.completion_tokens)
                   if kind == "end" else None)
        return log_cancelled

    async def generate(request: Request, body: Any, path: str, chat: bool) -> Any:
        started = time.perf_counter()
        try:
            models.adapter_for(body.model)
            body.settings(models.context)
            tool_names = body.callable_tools() if chat else []
            run = models.chat if chat else models.complete
            channel = submit(lambda ch: run(body, ch.stop, ch.emit))
        except ApiError as exc:
            logged(path, body.model, exc.status, started)
            raise
        # Wait for the prompt to be built, so a conversation we cannot use is a 400 even
        # when streaming (the status goes out with the first byte).
        first = await channel.next(request)
        if first[0] == "error":
            logged(path, body.model, first[1].status, started)
            return _error(first[1])
        if first[0] == "gone":
            channel.after_leaving(cancelled(path, body, started, body.stream))
            return JSONResponse({}, status_code=499)
        prompt_tokens = first[1] if first[0] == "started" else 0
        if first[0] != "started":
            channel.unget(first)
        ident = f"{'chatcmpl' if chat else 'cmpl'}-{uuid.uuid4().hex}"
        created = int(time.time())
        if body.stream:
            def finished(status: int, outcome: Outcome | None) -> None:
                logged(path, body.model, status, started, True, outcome)
            return StreamingResponse(
                _stream_events(channel, ident, created, body, chat, prompt_tokens, finished,
                               cancelled(path, body, started, True), tool_names),
                media_type="text/event-stream", headers={"Cache-Control": "no-cache"})
        text: list[str] = []
        while True:
            kind, data = await channel.next(request)
            if kind == "piece":
                text.append(data)
            elif kind == "error":
                logged(path, body.model, data.status, started)
                return _error(data)
            elif kind == "gone":
                channel.after_leaving(cancelled(path, body, started, False))
                return JSONResponse({}, status_code=499)
            else:
                outcome: Outcome = data
                break
        answer = "".join(text)
        if chat:
            message, called = answer_message(answer, tool_names)
            if called:
                outcome = dataclasses.replace(outcome, finish_reason="tool_calls")
            choice: dict[str, Any] = {"index": 0, "message": message,
                                      "finish_reason": outcome.finish_reason, "logprobs": None}
        else:
            choice = {"index": 0, "text": answer, "finish_reason": outcome.finish_reason,
                      "logprobs": None}
        logged(path, body.model, 200, started, False, outcome)
        return {"id": ident, "object": "chat.completion" if chat else "text_completion",
                "created": created, "model": body.model, "choices": [choice],
                "usage": _usage(outcome)}

    @app.post("/v1/chat/completions", dependencies=guard)
    async def chat_completions(body: ChatRequest, request: Request) -> Any:
        return await generate(request, body, "/v1/chat/completions", chat=True)

    @app.post("/v1/completions", dependencies=guard)
    async def completions(body: CompletionRequest, request: Request) -> Any:
        return await generate(request, body, "/v1/completions", chat=False)

    @app.post("/v1/classifications", dependencies=guard)
    async def classifications(body: ClassificationRequest, request: Request) -> Any:
        started = time.perf_counter()
        path = "/v1/classifications"
        try:
            models.adapter_for(body.model)
            channel = submit(lambda ch: models.classify(body, ch.emit))
        except ApiError as exc:
            logged(path, body.model, exc.status, started)
            raise
        kind, data = await channel.next(request)
        if kind == "error":
            logged(path, body.model, data.status, started)
            return _error(data)
        if kind != "result":
            logged(path, body.model, 499, started)
            return JSONResponse({}, status_code=499)
        logged(path, body.model, 200, started)
        return {"object": "list", "model": body.model, "data": data}

    return app


def _usage(outcome: Outcome) -> dict[str, int]:
    return {"prompt_tokens": outcome.prompt_tokens,
            "completion_tokens": outcome.completion_tokens,
            "total_tokens": outcome.prompt_tokens + outcome.completion_tokens}


async def _stream_events(channel: _Channel, ident: str, created: int, body: Any, chat: bool,
                         prompt_tokens: int, done: Callable[[int, Outcome | None], None],
                         left: Callable[[str, Any], None],
                         tool_names: list[str] | None = None) -> AsyncIterator[str]:
    """OpenAI's chunks as server-sent events, ending with ``data: [DONE]``. With tools, a
    call is sent whole in one ``delta.tool_calls`` chunk once the answer ends (see
    ``toolcalls``)."""
    obj = "chat.completion.chunk" if chat else "text_completion"
    watch = ToolCallStream(tool_names) if tool_names else None

    def chunk(text: str | None, finish: str | None, first: bool = False,
              calls: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        if chat:
            delta: dict[str, Any] = {"role": "assistant", "content": ""} if first else (
                {"tool_calls": call_deltas(calls)} if calls else
                {"content": text} if text is not None else {})
            choice: dict[str, Any] = {"index": 0, "delta": delta, "finish_reason": finish,
                                      "logprobs": None}
        else:
            choice = {"index": 0, "text": text or "", "finish_reason": finish,
                      "logprobs": None}
        return {"id": ident, "object": obj, "created": created, "model": body.model,
                "choices": [choice]}

    finished = False
    try:
        if chat:
            yield _sse(chunk(None, None, first=True))
        while True:
            kind, data = await channel.get()
            if kind == "piece":
                text = watch.feed(data) if watch else data
                if text:
                    yield _sse(chunk(text, None))
            elif kind == "error":
                finished = True
                done(data.status, None)
                yield _sse(data.body())
                return
            else:
                finished = True
                if watch:
                    rest, calls = watch.finish()
                    if rest:
                        yield _sse(chunk(rest, None))
                    if calls:
                        yield _sse(chunk(None, None, calls=calls))
                        data = dataclasses.replace(data, finish_reason="tool_calls")
                done(200, data)
                yield _sse(chunk(None, data.finish_reason))
                if body.include_usage:
                    yield _sse({"id": ident, "object": obj, "created": created,
                                "model": body.model, "choices": [], "usage": _usage(data)})
                yield "data: [DONE]\n\n"
                return
    finally:
        # Also reached when the client disconnects (the response task is cancelled): stop
        # generating for nobody; the job ends after the current token.
        if not finished:
            channel.after_leaving(left)
