"""What the model sees: a conversation or a prompt turned into token ids exactly the way the
training data was encoded (``studio.core.data.encoding``), so an adapter is asked in the form
it learned.

Styles:
- ``template``: the tokenizer's chat template (or one shipped with the adapter's tokenizer);
- ``fallback``: FALLBACK_CHAT_TEMPLATE, for chat-trained adapters on tokenizers without one;
- ``instruction``: the Alpaca-style render_prompt, for instruction-trained adapters;
- ``plain``: the text itself (plain-text training, or a base model with no chat template).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..data.chats import normalise_tools
from ..data.encoding import special_affixes
from ..data.templates import (
    FALLBACK_CHAT_TEMPLATE,
    normalise_messages,
    render_prompt,
    render_source,
)
from ..errors import StudioError
from ..messages import msg
from .sources import AdapterSource

STYLES = ("template", "fallback", "instruction", "plain")


@dataclass(frozen=True)
class Prompt:
    text: str               # the rendered prompt (without the tokenizer's own special tokens)
    ids: list[int]          # what goes into the model
    style: str


def prompt_style(tokenizer: Any, source: AdapterSource | None) -> str:
    if getattr(tokenizer, "chat_template", None) or (source and source.chat_template):
        return "template"
    fmt = source.data_format if source else None
    if fmt == "chat":
        return "fallback"
    if fmt in ("instruction", "seq2seq", "classification"):
        return "instruction"
    return "plain"


def _ids(tokenizer: Any, text: str) -> list[int]:
    return list(tokenizer(text, add_special_tokens=False)["input_ids"])


def chat_prompt(tokenizer: Any, messages: list[dict[str, Any]], style: str,
                system_prompt: str | None = None,
                chat_template: str | None = None,
                tools: list[dict[str, Any]] | None = None) -> Prompt:
    """The conversation so far, ready for the assistant's next turn. ``tools`` (function
    schemas) are rendered the way training rendered a data row's tools."""
    try:
        messages = normalise_messages(messages, system_prompt)
        tools = normalise_tools(tools)
    except ValueError as exc:
        raise StudioError(msg("inference.cannot_use_conversation", error=exc)) from None
    if messages[-1]["role"] == "assistant":
        raise StudioError(msg("inference.conversation_ends_with_answer"))
    prefix = special_affixes(tokenizer)[0]
    if style == "template":
        _check_tool_support(str(getattr(tokenizer, "chat_template", None) or chat_template),
                            messages, tools)
    elif style != "fallback":   # instruction and plain prompts have no place for them
        _check_tool_support("", messages, tools)
    if style in ("template", "fallback"):
        template = (None if getattr(tokenizer, "chat_template", None) else chat_template) \
            if style == "template" else FALLBACK_CHAT_TEMPLATE
        try:
            text = str(tokenizer.apply_chat_template(messages, chat_template=template,
                                                     tokenize=False, add_generation_prompt=True,
                                                     **({"tools": tools} if tools else {})))
        except Exception as exc:  # noqa: BLE001 - templates raise their own errors
            raise StudioError(msg("inference.chat_template_cannot_render", error=exc)) \
                from None
        # Training put the tokenizer's specials in front only for the fallback template; a
        # model's own template writes them itself.
        return Prompt(text, (prefix if style == "fallback" else []) + _ids(tokenizer, text),
                      style)
    system = next((m["content"] for m in messages if m["role"] == "system"), None)
    turns = [m for m in messages if m["role"] in ("user", "assistant")]
    if style == "instruction":
        text = ""
        for message in turns:
            if message["role"] == "user":
                text += render_prompt(message["content"], None, system if not text else None)
            else:
                text += message["content"] + "\n\n"
    else:
        text = "\n".join(m["content"] for m in ([{"content": system}] if system else []) + turns)
    return Prompt(text, prefix + _ids(tokenizer, text), style)


def _check_tool_support(template: str, messages: list[dict[str, Any]],
                        tools: list[dict[str, Any]] | None) -> None:
    """A template that never reads the tools (or the calls) would drop them without a word;
    training refuses such a row the same way (``Encoder._check_tool_support``)."""
    if tools and "tools" not in template:
        fault = msg("data.template_without_tools")
    elif any(m.get("tool_calls") for m in messages) and "tool_call" not in template:
        fault = msg("data.template_without_tool_calls")
    else:
        return
    raise StudioError(msg("inference.cannot_use_conversation", error=fault))


def completion_prompt(tokenizer: Any, text: str) -> Prompt:
    """Plain text to continue (a document start, as plain-text training saw it)."""
    return Prompt(text, special_affixes(tokenizer)[0] + _ids(tokenizer, text), "plain")


def encoder_prompt(tokenizer: Any, source: str, system_prompt: str | None = None) -> Prompt:
    """Encoder input for seq2seq models and classifiers (the tokenizer adds its specials)."""
    text = render_source(source, None, system_prompt) if system_prompt else source
    limit = min(int(getattr(tokenizer, "model_max_length", 512) or 512), 4096)
    ids = list(tokenizer(text, add_special_tokens=True, truncation=True,
                         max_length=limit)["input_ids"])
    return Prompt(text, ids, "plain")
