"""Conversations in the shapes people export them, as one list of messages for a chat template.

Read: OpenAI's fine-tuning JSONL (``role``/``content``, assistant ``tool_calls``, the ``tool``
role, ``weight`` 0/1 on assistant messages), ShareGPT (``from``/``value`` with ``human``,
``gpt``, ``function_call``, ``observation`` and ``system``), role and key names renamed by
LLaMA-Factory's ``tags``, and content given as a list of text parts. Written: messages with
roles user/assistant/system/tool, text content, tool calls as
``{"type": "function", "function": {"name", "arguments": {...}}}`` (what transformers' chat
templates read) and ``"weight": 0`` on assistant messages that carry no loss.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..messages import msg

# Known role names -> our roles; "function_call" is an assistant turn that calls tools.
ROLES = {"user": "user", "human": "user", "assistant": "assistant", "gpt": "assistant",
         "bot": "assistant", "model": "assistant", "system": "system", "tool": "tool",
         "observation": "tool", "function": "tool", "ipython": "tool",
         "function_call": "function_call"}
# dataset_info.json "tags" -> the role each renames.
TAG_ROLES = {"user_tag": "user", "assistant_tag": "assistant", "observation_tag": "tool",
             "function_tag": "function_call", "system_tag": "system"}
TAG_KEYS = ("role_tag", "content_tag", *TAG_ROLES)


@dataclass(frozen=True)
class Conversation:
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]] | None = None


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def content_text(value: Any, where: str) -> str:
    """A string, or a list of text parts ``{"type": "text", "text" | "value": ...}``."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts = []
        for part in value:
            if isinstance(part, str):
                parts.append(part)
                continue
            kind = part.get("type", "text") if isinstance(part, dict) else None
            if kind not in ("text", None):
                raise ValueError(msg("data.part_only_text_parts", where=where, kind=kind))
            text = part.get("text", part.get("value")) if isinstance(part, dict) else None
            if not isinstance(text, str):
                raise ValueError(msg("data.content_part_without_text", where=where,
                                     part=_short(part)))
            parts.append(text)
        return "".join(parts)
    raise ValueError(msg("data.content_type_expected_text", where=where, kind=type(value).__name__))


def _json(value: Any, where: str, what: str) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value) if value.strip() else {}
    except json.JSONDecodeError as exc:
        raise ValueError(msg("data.not_valid_json",
                             where=where, what=what, detail=exc.msg)) from None


def tool_call(item: Any, where: str) -> dict[str, Any]:
    """One call, OpenAI-shaped (``{"function": {"name", "arguments": "<json>"}}``) or
    ShareGPT-shaped (``{"name", "arguments": {...}}``)."""
    if not isinstance(item, dict):
        raise ValueError(msg("data.tool_call_expected_object", where=where,
                             kind=type(item).__name__))
    function = item["function"] if isinstance(item.get("function"), dict) else item
    name = function.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(msg("data.tool_call_no_name", where=where, item=_short(item)))
    arguments = _json(function.get("arguments", function.get("parameters", {})), where,
                      f"the arguments of tool call '{name}'")
    if not isinstance(arguments, dict):
        raise ValueError(msg("data.arguments_tool_call_are", where=where, name=name,
                             kind=type(arguments).__name__))
    call: dict[str, Any] = {"type": "function",
                            "function": {"name": name, "arguments": arguments}}
    if item.get("id"):
        call["id"] = str(item["id"])
    return call


def _calls(value: Any, where: str) -> list[dict[str, Any]]:
    value = _json(value, where, "the function call")
    calls = value if isinstance(value, list) else [value]
    return [tool_call(c, where) for c in calls]


def _role_names(tags: dict[str, str] | None) -> tuple[str | None, str | None, dict[str, str]]:
    names = dict(ROLES)
    for tag, role in TAG_ROLES.items():
        if tags and tags.get(tag):
            names[tags[tag].lower()] = role
    return (tags or {}).get("role_tag"), (tags or {}).get("content_tag"), names


def _weight(item: dict[str, Any], role: str, where: str) -> int | None:
    if "weight" not in item or item["weight"] is None:
        return None
    weight = item["weight"]
    if role != "assistant":
        raise ValueError(msg("data.message_with_weight_only", where=where, role=role))
    if isinstance(weight, bool) or weight not in (0, 1):
        raise ValueError(msg("data.weight_expected_0_no", where=where, weight=repr(weight)))
    return int(weight)


def normalise_messages(value: Any, system_prompt: str | None = None,
                       tags: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The messages of one conversation (see the module doc). Raises ValueError."""
    if not isinstance(value, list) or not value:
        raise ValueError(msg("data.expected_messages"))
    role_key, content_key, names = _role_names(tags)
    messages: list[dict[str, Any]] = []
    for i, item in enumerate(value, start=1):
        where = msg("data.message_number", number=i)
        if not isinstance(item, dict):
            raise ValueError(msg("data.expected_object", where=where, kind=type(item).__name__))
        role = item.get(role_key) if role_key else item.get("role", item.get("from"))
        content = item.get(content_key) if content_key else item.get("content",
                                                                     item.get("value"))
        kind = names.get(role.lower()) if isinstance(role, str) else None
        if kind is None:
            raise ValueError(msg("data.role_expected_one_user", where=where, role=repr(role)))
        if kind == "function_call":
            if content is None:
                raise ValueError(msg("data.no_content_2", where=where, role=role))
            message: dict[str, Any] = {"role": "assistant", "content": "",
                                       "tool_calls": _calls(content, where)}
        else:
            calls = item.get("tool_calls") if kind == "assistant" else None
            if content is None and not calls:
                raise ValueError(msg("data.no_content_at", where=where))
            message = {"role": kind,
                       "content": "" if content is None else content_text(content, where)}
            if calls:
                if not isinstance(calls, list):
                    raise ValueError(msg("data.tool_calls_expected_list", where=where,
                                         kind=type(calls).__name__))
                message["tool_calls"] = [tool_call(c, where) for c in calls]
            if kind == "tool":
                message.update({k: str(item[k]) for k in ("name", "tool_call_id")
                                if item.get(k)})
        if _weight(item, message["role"], where) == 0:
            message["weight"] = 0
        messages.append(message)
    if system_prompt and messages[0]["role"] != "system":
        messages.insert(0, {"role": "system", "content": system_prompt})
    return messages


def normalise_tools(value: Any) -> list[dict[str, Any]] | None:
    """Tool schemas as a list of ``{"type": "function", "function": {...}}``; a JSON string
    (ShareGPT's ``tools`` column) is parsed. None when there are none. Raises ValueError."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, str):  # ShareGPT keeps the schemas as a JSON string
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValueError(msg("data.tools_are_not_valid", detail=exc.msg)) from None
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise ValueError(msg("data.tools_are_expected_list", kind=type(value).__name__))
    tools = []
    for item in value:
        function = item.get("function") if isinstance(item, dict) else None
        function = function if isinstance(function, dict) else item
        if not isinstance(function, dict) or not isinstance(function.get("name"), str):
            raise ValueError(msg("data.tool_no_name", item=_short(item)))
        tools.append({"type": "function", "function": function})
    return tools or None


def _answer(value: Any, tags: dict[str, str] | None) -> list[dict[str, Any]]:
    """A mapped output column: an answer text, one message or a list of messages."""
    if isinstance(value, str):
        return [{"role": "assistant", "content": value}]
    return normalise_messages(value if isinstance(value, list) else [value], None, tags)


def row_conversation(row: dict[str, Any], columns: dict[str, str], system_prompt: str | None,
                     tags: dict[str, str] | None = None) -> Conversation:
    """One chat row: its messages (with the row's ``system`` before the run's system prompt,
    and a mapped ``output`` after them) and its tools. Raises ValueError."""
    def read(role: str, parse: Any, *args: Any) -> Any:
        try:
            return parse(row.get(columns[role]), *args)
        except ValueError as exc:
            raise ValueError(msg("data.fault_in_column", fault=exc.args[0] if exc.args else exc,
                                 column=columns[role])) from None

    system = row.get(columns["system"]) if "system" in columns else None
    if not (isinstance(system, str) and system.strip()):
        system = system_prompt
    messages = read("messages", normalise_messages, system, tags)
    if "output" in columns:
        if row.get(columns["output"]) in (None, "", []):
            raise ValueError(msg("data.no_answer_column", column=columns["output"]))
        messages += read("output", _answer, tags)
    tools = read("tools", normalise_tools) if "tools" in columns else None
    return Conversation(messages, tools)


def learns_something(messages: list[dict[str, Any]]) -> bool:
    """Whether some assistant message carries loss (text or a tool call, weight not 0)."""
    return any(m["role"] == "assistant" and m.get("weight", 1) != 0
               and (m["content"].strip() or m.get("tool_calls")) for m in messages)
