"""Prompt templates: the Alpaca-style instruction prompt, chat message normalisation and the
fallback chat template for tokenizers that have none. Inference must use the same ones."""

from __future__ import annotations

from typing import Any

from ..messages import msg
from .chats import normalise_messages  # noqa: F401 - re-exported: inference imports it here

# ChatML-like. The end of every turn is the tokenizer's eos token (so generation stops by
# itself after the assistant's answer); "<|im_end|>" only when the tokenizer has none. Tools
# come first as a "tools" turn of JSON schemas; an assistant's tool calls follow its text, one
# <tool_call> JSON object each (Hermes/Qwen style). Without tools it renders what it always did.
# (transformers renders with trim_blocks: a newline right after a block tag is dropped, hence
# the {{ '\n' }}.)
_END = "{% if eos_token %}{{ eos_token }}{% else %}<|im_end|>\n{% endif %}"
FALLBACK_CHAT_TEMPLATE = (
    "{% if tools %}<|im_start|>tools\n{{ tools | tojson }}" + _END + "{% endif %}"
    "{% for message in messages %}"
    "<|im_start|>{{ message['role'] }}\n{{ message['content'] }}"
    "{% if message['tool_calls'] %}{% for call in message['tool_calls'] %}"
    "{% if message['content'] or not loop.first %}{{ '\\n' }}{% endif %}"
    "<tool_call>\n{{ {'name': call['function']['name'], "
    "'arguments': call['function']['arguments']} | tojson }}\n</tool_call>"
    "{% endfor %}{% endif %}" + _END +
    "{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")


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


def history_pairs(value: Any) -> list[tuple[str, str]]:
    """Alpaca's ``history``: earlier turns as [question, answer] pairs. Raises ValueError."""
    if value is None or value == "":
        return []
    if not isinstance(value, list) or not all(
            isinstance(p, (list, tuple)) and len(p) == 2 and all(isinstance(x, str) for x in p)
            for p in value):
        raise ValueError(msg("data.history_not_pairs"))
    return [(q, a) for q, a in value]


def render_history(history: list[tuple[str, str]], instruction: str,
                   input_text: str | None = None, system_prompt: str | None = None) -> str:
    """The prompt of an instruction row with earlier turns: each earlier question as an
    instruction prompt followed by its answer and a blank line (as the Playground writes an
    instruction-trained conversation), then the row's own prompt. The system prompt opens it."""
    text = ""
    for question, answer in history:
        text += render_prompt(question, None, None if text else system_prompt) + answer + "\n\n"
    return text + render_prompt(instruction, input_text, None if text else system_prompt)
