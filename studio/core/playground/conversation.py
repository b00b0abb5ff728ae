"""A Playground conversation as data: its turns, the tools the model may call, and where it
was saved. Turns become the messages chat templates read (``prompt_messages``), in the same
shape training reads from a data file (``studio.core.data.chats``), so a conversation with
tools is rendered exactly as a training row with the same tools.

A reply that calls a tool is recognised in the generated text (``split_tool_calls``): a JSON
object naming one of the conversation's tools with its arguments, as templates write calls
(``<tool_call>{...}</tool_call>`` and the like). The user answers it with a ``tool`` turn.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..data.chats import normalise_tools, tool_call
from ..errors import StudioError
from ..messages import Message, msg

ROLES = ("system", "user", "assistant", "tool")


@dataclass(frozen=True)
class ToolCall:
    name: str
    arguments: dict[str, Any]
    id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """As chat templates read it (and as training writes it)."""
        call: dict[str, Any] = {"type": "function",
                                "function": {"name": self.name, "arguments": self.arguments}}
        if self.id:
            call["id"] = self.id
        return call

    @classmethod
    def from_dict(cls, data: Any) -> ToolCall:
        """OpenAI- or ShareGPT-shaped; ValueError with the reason when it is neither."""
        call = tool_call(data, "tool call")
        return cls(call["function"]["name"], call["function"]["arguments"], call.get("id"))

    def signature(self) -> str:
        """``name({"arg": ...})``: how the call is shown."""
        return f"{self.name}({json.dumps(self.arguments, ensure_ascii=False)})"


@dataclass
class Turn:
    role: str                                # system | user | assistant | tool
    content: str = ""
    adapter: str | None = None               # assistant turns: who answered (None: the base)
    tool_calls: list[ToolCall] = field(default_factory=list)
    name: str | None = None                  # tool turns: the function that answered
    tool_call_id: str | None = None

    def prompt_message(self) -> dict[str, Any]:
        """The message a chat template reads."""
        message: dict[str, Any] = {"role": self.role, "content": self.content}
        if self.tool_calls:
            message["tool_calls"] = [c.to_dict() for c in self.tool_calls]
        if self.role == "tool":
            message.update({k: v for k, v in (("name", self.name),
                                              ("tool_call_id", self.tool_call_id)) if v})
        return message

    def to_dict(self) -> dict[str, Any]:
        """As saved: the prompt message, and for an answer the adapter that gave it."""
        data = self.prompt_message()
        if self.role == "assistant":
            data["adapter"] = self.adapter
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Turn:
        role = str(data.get("role") or "")
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        return cls(role, str(data.get("content") or ""), data.get("adapter"),
                   [ToolCall.from_dict(c) for c in data.get("tool_calls") or []],
                   data.get("name"), data.get("tool_call_id"))


@dataclass
class Conversation:
    turns: list[Turn] = field(default_factory=list)
    tools: list[dict[str, Any]] = field(default_factory=list)   # normalised function schemas
    id: int | None = None                                       # in the run store, once saved

    def prompt_messages(self) -> list[dict[str, Any]]:
        return [t.prompt_message() for t in self.turns]

    def to_dicts(self) -> list[dict[str, Any]]:
        return [t.to_dict() for t in self.turns]

    def tool_names(self) -> list[str]:
        return [t["function"]["name"] for t in self.tools]

    def add_user(self, text: str) -> Turn:
        turn = Turn("user", text)
        self.turns.append(turn)
        return turn

    def add_answer(self, text: str, adapter: str | None) -> Turn:
        """The model's reply; calls of the conversation's tools in it become tool calls."""
        content, calls = split_tool_calls(text, self.tool_names())
        turn = Turn("assistant", content if calls else text, adapter, calls)
        self.turns.append(turn)
        return turn

    def pending_call(self) -> ToolCall | None:
        """The call the last reply made that no tool turn has answered yet."""
        answered = 0
        for turn in reversed(self.turns):
            if turn.role == "tool":
                answered += 1
            elif turn.role == "assistant" and turn.tool_calls:
                return turn.tool_calls[answered] if answered < len(turn.tool_calls) else None
            else:
                return None
        return None

    def add_tool_result(self, text: str) -> Turn:
        """What the tool returned, answering the pending call (StudioError when none is)."""
        call = self.pending_call()
        if call is None:
            raise StudioError(msg("playground.no_tool_call_to_answer"))
        turn = Turn("tool", text, name=call.name, tool_call_id=call.id)
        self.turns.append(turn)
        return turn

    def awaits_answer(self) -> bool:
        """Whether the model is to speak next (after a user or tool turn)."""
        return bool(self.turns) and self.turns[-1].role in ("user", "tool")

    def drop_answer(self) -> bool:
        """Regenerate: the last reply goes; True when there is something to answer again."""
        if self.turns and self.turns[-1].role == "assistant":
            self.turns.pop()
        return self.awaits_answer()

    def clear(self) -> None:
        """A new conversation: the turns go, the tools stay (they describe the setup)."""
        self.turns, self.id = [], None

    def saved_settings(self, sampling: dict[str, Any]) -> dict[str, Any]:
        """What goes into the saved conversation's settings: sampling and the tools."""
        return {**sampling, "tools": self.tools} if self.tools else dict(sampling)

    @classmethod
    def from_saved(cls, messages: list[dict[str, Any]], settings: dict[str, Any] | None,
                   conversation_id: int | None) -> Conversation:
        """A conversation from the run store (``ConversationRecord``); ValueError when a
        message or the tools cannot be read."""
        tools = normalise_tools((settings or {}).get("tools")) or []
        return cls([Turn.from_dict(m) for m in messages], tools, conversation_id)


# ---- tools ------------------------------------------------------------------------------------


def parse_tools(text: str) -> list[dict[str, Any]]:
    """The Tools editor's text: a JSON list of OpenAI-style function definitions
    (``{"type": "function", "function": {"name", "description", "parameters"}}``, or the bare
    function object). Empty text is no tools. StudioError naming the fault otherwise."""
    if not text.strip():
        return []
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StudioError(msg("playground.tools_not_json", line=exc.lineno, column=exc.colno,
                              detail=exc.msg)) from None
    return check_tools(value)


def check_tools(value: Any) -> list[dict[str, Any]]:
    """Function definitions already read from JSON (the Tools editor's text, a request's
    ``tools``), checked and normalised. StudioError naming the first fault."""
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise StudioError(msg("playground.tools_not_list", kind=_kind(value)))
    names: set[str] = set()
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            raise StudioError(msg("playground.tool_not_object", number=number,
                                  kind=_kind(item)))
        function = item.get("function", item) if item.get("type", "function") == "function" \
            else None
        if function is None:
            raise StudioError(msg("playground.tool_type", number=number,
                                  kind=str(item.get("type"))))
        if not isinstance(function, dict):
            raise StudioError(msg("playground.tool_function_not_object", number=number,
                                  kind=_kind(function)))
        name = function.get("name")
        if not isinstance(name, str) or not name.strip():
            raise StudioError(msg("playground.tool_without_name", number=number))
        if name in names:
            raise StudioError(msg("playground.tool_name_twice", name=name))
        names.add(name)
        parameters = function.get("parameters")
        if parameters is not None and not isinstance(parameters, dict):
            raise StudioError(msg("playground.tool_parameters_not_object", number=number,
                                  name=name, kind=_kind(parameters)))
        description = function.get("description")
        if description is not None and not isinstance(description, str):
            raise StudioError(msg("playground.tool_description_not_text", number=number,
                                  name=name, kind=_kind(description)))
    return normalise_tools(value) or []


def _kind(value: Any) -> Message:
    """A JSON value's kind in JSON's words ("a list", "an object")."""
    kinds = {bool: "boolean", int: "number", float: "number", str: "string", list: "list",
             dict: "object"}
    return msg(f"playground.json_{kinds.get(type(value), 'null')}")


_OPEN_TAG = re.compile(r"<([A-Za-z_|][\w|]*)>\s*$")


def split_tool_calls(text: str, tool_names: list[str]) -> tuple[str, list[ToolCall]]:
    """The text before the first call, and the calls: JSON objects in ``text`` that name one
    of ``tool_names`` and carry their ``arguments`` (or ``parameters``) as an object or a JSON
    string. A tag just before the first call (``<tool_call>``) is not part of the text. No
    tools, or no such object: the whole text and no calls."""
    if not tool_names:
        return text, []
    decoder = json.JSONDecoder()
    calls: list[ToolCall] = []
    first = None
    at = text.find("{")
    while at >= 0:
        try:
            value, end = decoder.raw_decode(text, at)
        except json.JSONDecodeError:
            at = text.find("{", at + 1)
            continue
        call = _as_call(value, tool_names)
        if call is None:
            at = text.find("{", at + 1)
            continue
        calls.append(call)
        first = at if first is None else first
        at = text.find("{", end)
    if first is None:
        return text, []
    before = _OPEN_TAG.sub("", text[:first]).strip()
    return before, calls


def _as_call(value: Any, tool_names: list[str]) -> ToolCall | None:
    if not isinstance(value, dict):
        return None
    function = value.get("function") if isinstance(value.get("function"), dict) else value
    if function.get("name") not in tool_names:
        return None
    arguments = function.get("arguments", function.get("parameters", {}))
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments) if arguments.strip() else {}
        except json.JSONDecodeError:
            return None
    if not isinstance(arguments, dict):
        return None
    return ToolCall(function["name"], arguments, str(value["id"]) if value.get("id") else None)
