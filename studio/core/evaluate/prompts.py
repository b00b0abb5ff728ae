"""Held-out rows as token ids, rendered exactly as training encoded them
(``studio.core.data.preparing._encode_row``), with the prompt builders the Playground uses
(``studio.core.inference.prompts``)."""

from __future__ import annotations

from typing import Any

from ..data.encoding import Encoder
from ..data.templates import render_prompt, render_source
from ..inference.prompts import chat_prompt, completion_prompt, encoder_prompt
from ..inference.sources import AdapterSource
from .heldout import HeldOut, HeldOutRow


def chat_style(tokenizer: Any, source: AdapterSource | None) -> str:
    """Chat training used the model's template, or the fallback one when it has none."""
    has_template = getattr(tokenizer, "chat_template", None) or (source and source.chat_template)
    return "template" if has_template else "fallback"


def row_ids(tokenizer: Any, held: HeldOut, row: HeldOutRow,
            source: AdapterSource | None) -> list[int]:
    fmt, task, system, parts = held.format, held.task, held.system_prompt, row.parts
    if held.kind == "perplexity":
        return Encoder(tokenizer, 2).document(parts["text"])
    if fmt == "classification":
        return encoder_prompt(tokenizer, parts["text"]).ids
    if fmt == "instruction":
        if task == "causal_lm":
            text = render_prompt(parts["instruction"], parts["input"], system)
            return completion_prompt(tokenizer, text).ids
        return encoder_prompt(tokenizer,
                              render_source(parts["instruction"], parts["input"], system)).ids
    if fmt == "seq2seq":
        if task == "causal_lm":
            return completion_prompt(tokenizer, render_prompt(parts["source"], None, system)).ids
        return encoder_prompt(tokenizer, parts["source"]).ids
    return chat_prompt(tokenizer, parts["messages"], chat_style(tokenizer, source), None,
                       source.chat_template if source else None).ids
