"""Tokenising rows into training examples: ``{"input_ids": [...], "labels": [...] | int}``.

Loss masks use -100. The tokenizer is any Hugging Face tokenizer object (passed in: nothing
here imports transformers). Special tokens are placed the way the tokenizer does for one
sequence (``prefix``/``suffix``, found by probing), so BOS-adding (Llama), EOS-appending (T5)
and bare (GPT-2) tokenizers all come out right.
"""

from __future__ import annotations

from typing import Any

from ..messages import msg
from .templates import FALLBACK_CHAT_TEMPLATE

IGNORE = -100
Example = dict[str, Any]


def special_affixes(tokenizer: Any) -> tuple[list[int], list[int]]:
    """The special-token ids the tokenizer puts before and after a single sequence."""
    plain = list(tokenizer("a", add_special_tokens=False)["input_ids"])
    full = list(tokenizer("a", add_special_tokens=True)["input_ids"])
    for i in range(len(full) - len(plain) + 1):
        if full[i:i + len(plain)] == plain:
            return full[:i], full[i + len(plain):]
    return [], []


class Encoder:
    """Turns texts into examples for one tokenizer and max_length; counts truncations."""

    def __init__(self, tokenizer: Any, max_length: int):
        if max_length < 2:
            raise ValueError(msg("data.max_length_too_small"))
        self.tok = tokenizer
        self.max_length = max_length
        self.prefix, self.suffix = special_affixes(tokenizer)
        self.eos: int | None = tokenizer.eos_token_id
        self.truncated = 0
        self.dropped = 0  # examples left with no loss token after truncation
        self.uses_fallback_template = not getattr(tokenizer, "chat_template", None)

    def ids(self, text: str) -> list[int]:
        return list(self.tok(text, add_special_tokens=False)["input_ids"])

    def _eos(self) -> list[int]:
        return [self.eos] if self.eos is not None else []

    # -- causal LM ---------------------------------------------------------------------
    def _cut(self, input_ids: list[int], labels: list[int]) -> Example | None:
        if len(input_ids) > self.max_length:
            self.truncated += 1
            input_ids, labels = input_ids[:self.max_length], labels[:self.max_length]
        if all(label == IGNORE for label in labels):
            self.dropped += 1
            return None
        return {"input_ids": input_ids, "labels": labels}

    def document(self, text: str) -> list[int]:
        """A plain-text row: specials, the text, eos."""
        return self.prefix + self.ids(text) + self._eos()

    def causal_text(self, text: str) -> Example | None:
        ids = self.document(text)
        return self._cut(ids, list(ids))

    def pack(self, documents: list[list[int]]) -> list[Example]:
        """Concatenate and cut into max_length blocks; a last shorter block is kept."""
        stream = [token for doc in documents for token in doc]
        blocks = [stream[i:i + self.max_length] for i in range(0, len(stream), self.max_length)]
        return [{"input_ids": b, "labels": list(b)} for b in blocks if len(b) >= 2]

    def prompted(self, prompt: str, response: str) -> Example | None:
        """Prompt (no loss) then response + eos (loss). Too long: the response keeps up to
        half of max_length (more when the prompt is short) and the prompt loses its start,
        so "### Response:" stays right before the answer."""
        prompt_ids, response_ids = self.ids(prompt), self.ids(response) + self._eos()
        room = self.max_length - len(self.prefix)
        if len(prompt_ids) + len(response_ids) > room:
            self.truncated += 1
            keep = min(len(response_ids), max(room // 2, room - len(prompt_ids)))
            response_ids = response_ids[:keep]
            prompt_ids = prompt_ids[len(prompt_ids) - (room - keep):] if room > keep else []
        prompt_ids = self.prefix + prompt_ids
        return self._cut(prompt_ids + response_ids, [IGNORE] * len(prompt_ids) + response_ids)

    def render_chat(self, messages: list[dict[str, Any]], generation_prompt: bool,
                    tools: list[dict[str, Any]] | None = None) -> str:
        """The conversation as text, with the tokenizer's template or the fallback one."""
        template = FALLBACK_CHAT_TEMPLATE if self.uses_fallback_template else None
        extra = {"tools": tools} if tools else {}
        return str(self.tok.apply_chat_template(messages, chat_template=template, tokenize=False,
                                                add_generation_prompt=generation_prompt,
                                                **extra))

    def _check_tool_support(self, messages: list[dict[str, Any]],
                            tools: list[dict[str, Any]] | None) -> None:
        """A model's template that never mentions tools would drop them without a word."""
        if self.uses_fallback_template:
            return
        template = str(self.tok.chat_template)
        if tools and "tools" not in template:
            raise ValueError(msg("data.template_without_tools"))
        if any(m.get("tool_calls") for m in messages) and "tool_call" not in template:
            raise ValueError(msg("data.template_without_tool_calls"))

    def chat_segments(self, messages: list[dict[str, Any]],
                      tools: list[dict[str, Any]] | None = None) -> list[tuple[str, bool]]:
        """The rendered conversation as (text, carries_loss) pieces: each assistant turn is
        what rendering up to it adds beyond the generation prompt before it; an assistant
        message with weight 0 carries no loss."""
        self._check_tool_support(messages, tools)
        segments: list[tuple[str, bool]] = []
        done = ""
        for k, message in enumerate(messages):
            if message["role"] != "assistant":
                continue
            if k:
                before = self.render_chat(messages[:k], True, tools)
            else:
                try:
                    before = self.render_chat([], True, tools)
                except Exception:  # noqa: BLE001 - some templates cannot render no history
                    before = ""
            after = self.render_chat(messages[:k + 1], False, tools)
            if not before.startswith(done) or not after.startswith(before):
                raise ValueError(msg("data.template_prefixes"))
            segments += [(before[len(done):], False),
                         (after[len(before):], message.get("weight", 1) != 0)]
            done = after
        full = self.render_chat(messages, False, tools)
        if not full.startswith(done):
            raise ValueError(msg("data.template_differs"))
        segments.append((full[len(done):], False))
        return [(text, loss) for text, loss in segments if text]

    def chat(self, messages: list[dict[str, Any]],
             tools: list[dict[str, Any]] | None = None) -> Example | None:
        input_ids = list(self.prefix) if self.uses_fallback_template else []
        labels = [IGNORE] * len(input_ids)
        for text, loss in self.chat_segments(messages, tools):
            piece = self.ids(text)
            input_ids += piece
            labels += piece if loss else [IGNORE] * len(piece)
        return self._cut(input_ids, labels)

    # -- encoder inputs (seq2seq source, classification) --------------------------------
    def _fit(self, ids: list[int], keep_end: int) -> list[int]:
        if len(ids) <= self.max_length:
            return ids
        self.truncated += 1
        head = ids[:self.max_length - keep_end]
        return head + (ids[-keep_end:] if keep_end else [])

    def encoder_input(self, text: str) -> list[int]:
        ids = list(self.tok(text, add_special_tokens=True)["input_ids"])
        return self._fit(ids, len(self.suffix))

    def seq2seq(self, source: str, target: str) -> Example:
        target_ids = list(self.tok(text_target=target, add_special_tokens=True)["input_ids"])
        if self.eos is not None and (not target_ids or target_ids[-1] != self.eos):
            target_ids.append(self.eos)
        tail = 1 if self.eos is not None else 0
        return {"input_ids": self.encoder_input(source), "labels": self._fit(target_ids, tail)}

    def seq_cls(self, text: str, label: int) -> Example:
        return {"input_ids": self.encoder_input(text), "labels": label}

    # -- token classification -----------------------------------------------------------
    def token_cls(self, words: list[str], tags: list[int]) -> Example:
        """First sub-token of each word gets its tag, the others and specials -100."""
        if getattr(self.tok, "is_fast", False):
            encoded = self.tok(words, is_split_into_words=True, add_special_tokens=True)
            input_ids, word_ids = list(encoded["input_ids"]), encoded.word_ids()
        else:  # slow tokenizer: tokenise word by word
            input_ids, word_ids = list(self.prefix), [None] * len(self.prefix)
            for w, word in enumerate(words):
                piece = self.ids(word if w == 0 else " " + word)
                input_ids += piece
                word_ids += [w] * len(piece)
            input_ids += self.suffix
            word_ids += [None] * len(self.suffix)
        labels, previous = [], None
        for word in word_ids:
            labels.append(IGNORE if word is None or word == previous else tags[word])
            previous = word
        if len(input_ids) > self.max_length:
            self.truncated += 1
            tail = 0
            while tail < len(word_ids) and word_ids[len(word_ids) - 1 - tail] is None:
                tail += 1
            keep = self.max_length - tail
            input_ids = input_ids[:keep] + input_ids[len(input_ids) - tail:]
            labels = labels[:keep] + [IGNORE] * tail
        return {"input_ids": input_ids, "labels": labels}
