"""Answers that call tools, in OpenAI's shape. The calls are found in the generated text by the
Playground's ``split_tool_calls`` (a JSON object naming a declared tool with its arguments,
as templates write calls); here they become ``message.tool_calls`` (an id, the function's
name, its arguments as a JSON string) or, while streaming, ``delta.tool_calls``.

Streaming with tools: text is sent as it comes until something may begin a call (a ``{``,
or a tag such as ``<tool_call>`` just before it); from there the answer is held until it
ends, then sent as the rest of the text or as the calls, so the streamed content and calls
add up to the non-streamed answer.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from ..playground import ToolCall, split_tool_calls

_TAG_AT_END = re.compile(r"<[A-Za-z_|]?[\w|]*>?$")   # a tag (or its start) before a call


def call_id() -> str:
    return f"call_{uuid.uuid4().hex[:24]}"


def openai_calls(calls: list[ToolCall]) -> list[dict[str, Any]]:
    """``message.tool_calls``: arguments as a JSON string, as OpenAI sends them; a call
    without an id (models rarely write one) gets a new one."""
    return [{"id": call.id or call_id(), "type": "function",
             "function": {"name": call.name,
                          "arguments": json.dumps(call.arguments, ensure_ascii=False)}}
            for call in calls]


def answer_message(text: str, tool_names: list[str]) -> tuple[dict[str, Any], bool]:
    """The assistant message for a whole answer, and whether it calls tools (then the
    finish reason is ``tool_calls`` and ``content`` is the text before the call, or None)."""
    content, calls = split_tool_calls(text, tool_names)
    if not calls:
        return {"role": "assistant", "content": text}, False
    return {"role": "assistant", "content": content or None,
            "tool_calls": openai_calls(calls)}, True


def call_deltas(calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``delta.tool_calls`` for calls sent whole (one delta each, by index)."""
    return [{"index": index, **call} for index, call in enumerate(calls)]


class ToolCallStream:
    """Streamed text pieces in, the text safe to send now out (``feed``); ``finish`` gives
    the rest of the text and the calls (OpenAI-shaped; empty when the answer calls none)."""

    def __init__(self, tool_names: list[str]):
        self.tool_names = tool_names
        self.text = ""
        self.sent = 0

    def feed(self, piece: str) -> str:
        self.text += piece
        brace = self.text.find("{")
        safe = self.text if brace < 0 else self.text[:brace]
        safe = safe.rstrip()
        tag = _TAG_AT_END.search(safe)
        if tag:
            safe = safe[:tag.start()].rstrip()
        if not safe.strip():   # leading white space is not content if a call follows
            return ""
        end = max(len(safe), self.sent)
        out, self.sent = self.text[self.sent:end], end
        return out

    def finish(self) -> tuple[str, list[dict[str, Any]]]:
        message, called = answer_message(self.text, self.tool_names)
        if not called:
            return self.text[self.sent:], []
        content, sent = message["content"] or "", self.text[:self.sent]
        # the content is stripped; what was sent may have begun with white space
        rest = content[len(sent):] if content.startswith(sent) else \
            content[len(sent.lstrip()):]
        return rest, message["tool_calls"]
