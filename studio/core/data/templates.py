"""Prompt templates: the Alpaca-style instruction prompt, chat message normalisation and the
fallback chat template for tokenizers that have none. Inference must use the same ones."""

from __future__ import annotations

from typing import Any

# ChatML-like. The end of every turn is the tokenizer's eos token (so generation stops by
# itself after the assistant's answer); "<|im_end|>" only when the tokenizer has none.
FALLBACK_CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "<|im_start|>{{ message['role'] }}\n{{ message['content'] }}"
    "{% if eos_token %}{{ eos_token }}{% else %}<|im_end|>\n{% endif %}"
    "{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")

ROLES = {"user": "user", "human": "user", "assistant": "assistant", "gpt": "assistant",
         "bot": "assistant", "model": "assistant", "system": "system", "tool": "tool"}


def render_prompt(instruction: str, input_text: str | None = None,
                  system_prompt: str | None = None) -> str:
    """The Alpaca-style prompt; the response follows it directly. Sections "### Instruction:",
    "### Input:" (only when there is an input) and "### Response:", each followed by a newline
    and separated by a blank line. Alpaca's preamble sentence ("Below is an instruction ...")
    is left out to save tokens at small max_length; a ``system_prompt`` goes in its place."""
    text = f"{system_prompt}\n\n" if system_prompt else ""
    text += f"### Instruction:\n{instruction}\n\n"
    if input_text is not None and str(input_text).strip():
        text += f"### Input:\n{input_text}\n\n"
    return text + "### Response:\n"


def render_source(instruction: str, input_text: str | None = None,
                  system_prompt: str | None = None) -> str:
    """Instruction data as an encoder input (seq2seq): no markup, the parts on their own lines
    (``system_prompt``, instruction, input), like T5's "task: text" inputs."""
    parts = [system_prompt, instruction, input_text]
    return "\n".join(str(p) for p in parts if p is not None and str(p).strip())


def _content(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):  # [{"type": "text", "text": ...}, ...]
        return "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in value)
    raise ValueError(f"content is {type(value).__name__}, expected text")


def normalise_messages(value: Any, system_prompt: str | None = None) -> list[dict[str, str]]:
    """``messages`` ({role, content}) or ShareGPT ``conversations`` ({from, value}) as a list
    of {role, content} with roles user/assistant/system/tool. Raises ValueError."""
    if not isinstance(value, list) or not value:
        raise ValueError("expected a non-empty list of messages")
    messages = []
    for i, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            raise ValueError(f"message {i} is {type(item).__name__}, expected an object")
        role = item.get("role", item.get("from"))
        content = item.get("content", item.get("value"))
        if not isinstance(role, str) or role.lower() not in ROLES:
            raise ValueError(f"message {i} has role {role!r}, expected one of "
                             "user, assistant, system (or human, gpt)")
        if content is None:
            raise ValueError(f"message {i} has no content")
        messages.append({"role": ROLES[role.lower()], "content": _content(content)})
    if system_prompt and messages[0]["role"] != "system":
        messages.insert(0, {"role": "system", "content": system_prompt})
    return messages
