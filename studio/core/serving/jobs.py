"""What a request asks of the loaded session, run as one job on the model's thread.

A job reports through ``emit(kind, data)`` (called on the model's thread): ``started`` with
the prompt's token count once the prompt is built, ``piece`` with text, then exactly one of
``end`` (an Outcome) or ``error`` (an ApiError). ``stop`` (set when the client goes away)
ends the answer after the current token.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import StudioError
from .protocol import ApiError, ChatRequest, ClassificationRequest, CompletionRequest
from .stops import StopMatcher

Emit = Callable[[str, Any], None]
BASE_ALIAS = "base"


class UnknownModelError(ApiError):
    def __init__(self, model: str, known: list[str]):
        super().__init__(404, f"the model {model!r} does not exist here; this server has "
                              f"{', '.join(known)}", param="model", code="model_not_found")


@dataclass
class Outcome:
    finish_reason: str       # stop / length / cancelled (tool_calls: set by the app)
    prompt_tokens: int
    completion_tokens: int


class ServedModels:
    """The session's base and adapters under the names clients use as ``model``."""

    def __init__(self, session: Any, adapters: list[str], base_id: str | None = None):
        self.session = session
        self.adapters = list(adapters)
        self.base_id = base_id or Path(str(session.base_path).rstrip("/\\")).name \
            or str(session.base_path)
        self.created = int(time.time())

    @property
    def task(self) -> str | None:
        return self.session.task

    @property
    def context(self) -> int | None:
        """How many positions a causal model has for prompt and answer together (None: no
        fixed limit that applies)."""
        if self.task != "causal_lm":
            return None
        config = getattr(getattr(self.session, "base", None), "config", None)
        return next((v for v in (getattr(config, "max_position_embeddings", None),
                                 getattr(config, "n_positions", None))
                     if isinstance(v, int) and v > 0), None)

    @property
    def ids(self) -> list[str]:
        return [self.base_id, *self.adapters]

    def listing(self) -> list[dict[str, Any]]:
        rows = [{"id": self.base_id, "object": "model", "created": self.created,
                 "owned_by": "peft-studio", "root": self.session.base_path, "parent": None,
                 "task": self.task}]
        for name in self.adapters:
            source = self.session.source(name)
            rows.append({"id": name, "object": "model", "created": self.created,
                         "owned_by": "peft-studio", "root": source.path,
                         "parent": self.base_id, "task": self.task,
                         "method": source.method})
        return rows

    def adapter_for(self, model: str) -> str | None:
        """The session's adapter for a ``model`` field (None = the base). Raises
        UnknownModelError."""
        if model in (self.base_id, BASE_ALIAS):
            return None
        if model in self.adapters:
            return model
        raise UnknownModelError(model, self.ids)

    # ---- jobs (on the model's thread) ----------------------------------------------------
    def _generative(self) -> None:
        if self.task == "seq_cls":
            raise ApiError(400, "this server's model classifies text: use POST "
                                "/v1/classifications", param="model")

    def chat(self, request: ChatRequest, stop: threading.Event, emit: Emit) -> None:
        self._generative()
        name = self.adapter_for(request.model)
        messages = [m.plain() for m in request.messages]
        tools = request.function_tools()
        if tools and self.task != "causal_lm":
            raise ApiError(400, "tools need a chat model that generates text; this server's "
                                "model answers from its encoder's input alone", param="tools")
        self._stream(lambda: self.session.stream_chat(
            messages, request.settings(self.context), adapter=name, stop=stop,
            tools=tools or None), request.stops(), emit)

    def complete(self, request: CompletionRequest, stop: threading.Event, emit: Emit) -> None:
        self._generative()
        name = self.adapter_for(request.model)
        self._stream(lambda: self.session.stream_completion(
            request.text, request.settings(self.context), adapter=name, stop=stop),
            request.stops(), emit)

    def classify(self, request: ClassificationRequest, emit: Emit) -> None:
        if self.task != "seq_cls":
            raise ApiError(400, "this server's model generates text: use POST "
                                "/v1/chat/completions or /v1/completions", param="model")
        name = self.adapter_for(request.model)
        data = []
        for index, text in enumerate(request.texts):
            ranked = self.session.classify(text, adapter=name)
            data.append({"object": "classification", "index": index, "label": ranked[0][0],
                         "probabilities": dict(ranked)})
        emit("result", data)

    def _stream(self, open_stream: Callable[[], Any], stops: list[str], emit: Emit) -> None:
        try:
            stream = open_stream()
        except StudioError as exc:   # the conversation or settings cannot be used
            raise ApiError(400, str(exc)) from None
        prompt_tokens = len(stream.prompt.ids) if stream.prompt is not None else 0
        emit("started", prompt_tokens)
        matcher = StopMatcher(stops)
        for piece in stream:
            text = matcher.feed(piece)
            if text:
                emit("piece", text)
            if matcher.hit:
                stream.close()
                break
        else:
            rest = matcher.flush()
            if rest:
                emit("piece", rest)
        finish = ("stop" if matcher.hit or stream.finish_reason == "eos" else
                  "length" if stream.finish_reason == "length" else "cancelled")
        emit("end", Outcome(finish, prompt_tokens, len(stream.token_ids)))


def run_job(work: Callable[[], None], stop: threading.Event, emit: Emit) -> None:
    """``work`` with every failure turned into an ``error`` event (the job never raises)."""
    if stop.is_set():   # the client left while the request waited in the queue
        emit("end", Outcome("cancelled", 0, 0))
        return
    try:
        work()
    except ApiError as exc:
        emit("error", exc)
    except StudioError as exc:
        emit("error", ApiError(400, str(exc)))
    except Exception as exc:  # noqa: BLE001 - a bug: the client gets a 500, the server lives
        emit("error", ApiError(500, f"{type(exc).__name__}: {exc}", kind="server_error"))
