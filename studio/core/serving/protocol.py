"""Request bodies of the API (the subset of OpenAI's fields we honour) and its error JSON.

Unknown fields are ignored, as OpenAI-compatible servers commonly do, so clients that send
``user`` or ``presence_penalty`` still work; fields we cannot honour (``n`` > 1, non-text
message parts, a ``tool_choice`` other than auto or none) are refused with a 400 that names
them.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..errors import StudioError
from ..inference import GenerationSettings
from ..playground import check_tools

DEFAULT_MAX_TOKENS = 256


class ApiError(Exception):
    """An error answered as ``{"error": {...}}`` with an HTTP status."""

    def __init__(self, status: int, message: str, kind: str = "invalid_request_error",
                 param: str | None = None, code: str | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.kind, self.param, self.code = (
            status, message, kind, param, code)
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.kind, "param": self.param,
                          "code": self.code}}


class _Request(BaseModel):
    model_config = ConfigDict(extra="ignore")
    model: str = Field(min_length=1)


class _Sampling(_Request):
    temperature: float = Field(1.0, ge=0, le=2)
    top_p: float = Field(1.0, gt=0, le=1)
    max_tokens: int | None = Field(None, ge=1)
    max_completion_tokens: int | None = Field(None, ge=1)
    stop: str | list[str] | None = None
    seed: int | None = None
    n: int = Field(1, ge=1, le=1)
    stream: bool = False
    stream_options: dict[str, Any] | None = None

    def settings(self, context: int | None = None) -> GenerationSettings:
        """Temperature 0 is greedy decoding (GenerationSettings.sampling). ``context``: the
        model's positions (prompt and answer together), when it has a fixed number."""
        asked = self.max_completion_tokens or self.max_tokens
        if asked is not None and context and asked >= context:
            field = "max_completion_tokens" if self.max_completion_tokens else "max_tokens"
            raise ApiError(400, f"{field} is {asked}, but this model's context holds {context} "
                                f"tokens, the prompt included", param=field)
        default = min(DEFAULT_MAX_TOKENS, context // 2) if context else DEFAULT_MAX_TOKENS
        try:
            return GenerationSettings(
                max_new_tokens=asked or default, temperature=self.temperature,
                top_p=self.top_p, top_k=0, seed=self.seed)
        except StudioError as exc:
            raise ApiError(400, str(exc)) from None

    def stops(self) -> list[str]:
        return [self.stop] if isinstance(self.stop, str) else list(self.stop or [])

    @property
    def include_usage(self) -> bool:
        return bool((self.stream_options or {}).get("include_usage"))


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[dict[str, Any]] | None = None
    tool_calls: list[Any] | None = None     # assistant: the calls it made
    tool_call_id: str | None = None         # tool: the call it answers
    name: str | None = None

    def plain(self) -> dict[str, Any]:
        """The message as our templates take it, in the shape training reads a data row's
        (``studio.core.data.chats``, which also checks the calls): a role, one text, and the
        calls or the call answered."""
        content = self.content
        if isinstance(content, list):
            kinds = {str(part.get("type")) for part in content} - {"text"}
            if kinds:
                raise ApiError(400, f"only text message parts are supported, not "
                                    f"{', '.join(sorted(kinds))}", param="messages")
            content = "".join(str(part.get("text") or "") for part in content)
        role = "system" if self.role == "developer" else self.role
        message: dict[str, Any] = {"role": role, "content": content or ""}
        if role == "assistant" and self.tool_calls:
            message["tool_calls"] = self.tool_calls
        if role == "tool":
            message.update({k: v for k, v in (("name", self.name),
                                              ("tool_call_id", self.tool_call_id)) if v})
        return message


TOOL_CHOICES = ("auto", "none")


class ChatRequest(_Sampling):
    messages: list[ChatMessage] = Field(min_length=1)
    tools: list[Any] | None = None
    tool_choice: str | dict[str, Any] | None = None

    def function_tools(self) -> list[dict[str, Any]]:
        """The declared tools, checked as the Playground checks its Tools editor (no tools:
        an empty list). ApiError naming the fault."""
        if self.tool_choice is not None and self.tool_choice not in TOOL_CHOICES:
            shown = json.dumps(self.tool_choice) if isinstance(self.tool_choice, dict) \
                else repr(self.tool_choice)
            raise ApiError(400, f"tool_choice {shown} is not supported: use \"auto\" (the "
                                f"model may call a tool) or \"none\" (it answers in text)",
                           param="tool_choice")
        self._check_history()
        if not self.tools:
            return []
        try:
            return check_tools(self.tools)
        except StudioError as exc:
            raise ApiError(400, str(exc), param="tools") from None

    def callable_tools(self) -> list[str]:
        """The names whose calls are recognised in the answer (none with tool_choice none)."""
        if self.tool_choice == "none":
            return []
        return [t["function"]["name"] for t in self.function_tools()]

    def _check_history(self) -> None:
        """Each tool message answers a call an earlier assistant message made (as OpenAI
        requires): a result that answers nothing would be rendered without its call."""
        made: set[str] = set()
        for number, message in enumerate(self.messages):
            for call in (message.tool_calls or []) if message.role == "assistant" else []:
                if isinstance(call, dict) and call.get("id"):
                    made.add(str(call["id"]))
            if message.role != "tool":
                continue
            where = f"messages.{number}.tool_call_id"
            if not message.tool_call_id:
                raise ApiError(400, f"{where}: a tool message needs the id of the call it "
                                    f"answers", param=where)
            if message.tool_call_id not in made:
                raise ApiError(400, f"{where}: {message.tool_call_id!r} answers no tool call "
                                    f"of an earlier assistant message", param=where)


class CompletionRequest(_Sampling):
    prompt: str | list[str]

    @model_validator(mode="after")
    def _one_prompt(self) -> CompletionRequest:
        if isinstance(self.prompt, list) and len(self.prompt) != 1:
            raise ValueError("give one prompt (a string or a list of one string)")
        return self

    @property
    def text(self) -> str:
        return self.prompt if isinstance(self.prompt, str) else self.prompt[0]


class ClassificationRequest(_Request):
    input: str | list[str]

    @property
    def texts(self) -> list[str]:
        return [self.input] if isinstance(self.input, str) else list(self.input)
