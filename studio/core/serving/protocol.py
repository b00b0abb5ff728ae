"""Request bodies of the API (the subset of OpenAI's fields we honour) and its error JSON.

Unknown fields are ignored, as OpenAI-compatible servers commonly do, so clients that send
``user`` or ``presence_penalty`` still work; fields we cannot honour (``n`` > 1, non-text
message parts) are refused with a 400 that names them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..errors import StudioError
from ..inference import GenerationSettings

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
    role: Literal["system", "developer", "user", "assistant"]
    content: str | list[dict[str, Any]] | None = None

    def plain(self) -> dict[str, str]:
        """The message as our templates take it: a role and one text."""
        content = self.content
        if isinstance(content, list):
            kinds = {str(part.get("type")) for part in content} - {"text"}
            if kinds:
                raise ApiError(400, f"only text message parts are supported, not "
                                    f"{', '.join(sorted(kinds))}", param="messages")
            content = "".join(str(part.get("text") or "") for part in content)
        role = "system" if self.role == "developer" else self.role
        return {"role": role, "content": content or ""}


class ChatRequest(_Sampling):
    messages: list[ChatMessage] = Field(min_length=1)


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
