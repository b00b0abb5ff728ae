"""Column roles and the column names each role is recognised by (lower case, best first)."""

from __future__ import annotations

# role -> the DatasetConfig field that maps it explicitly
ROLE_FIELDS: dict[str, str] = {
    "text": "text_column", "label": "label_column", "instruction": "instruction_column",
    "input": "input_column", "output": "output_column", "messages": "messages_column",
    "source": "source_column", "target": "target_column", "tokens": "tokens_column",
    "tags": "tags_column", "system": "system_column", "history": "history_column",
    "tools": "tools_column",
}

CANDIDATES: dict[str, tuple[str, ...]] = {
    "text": ("text", "sentence", "content", "review", "document", "tweet", "body", "passage",
             "utterance", "comment", "sentence1"),
    "label": ("label", "labels", "class", "category", "sentiment", "intent", "topic", "emotion",
              "polarity", "gold_label", "y"),
    "instruction": ("instruction", "instructions"),
    "input": ("input", "context"),
    "output": ("output", "response", "completion", "answer"),
    "messages": ("messages", "conversations", "conversation", "dialog", "chat"),
    "tokens": ("tokens", "words"),
    "tags": ("ner_tags", "tags", "labels", "pos_tags", "chunk_tags", "ner", "label"),
    "system": ("system", "system_prompt"),
    "history": ("history",),
    "tools": ("tools", "functions"),
}

# seq2seq column pairs, best first
SEQ2SEQ_PAIRS: tuple[tuple[str, str], ...] = (
    ("source", "target"), ("src", "tgt"), ("input", "output"), ("input_text", "target_text"),
    ("question", "answer"), ("prompt", "completion"), ("prompt", "response"),
    ("query", "response"), ("article", "highlights"), ("document", "summary"),
    ("dialogue", "summary"), ("text", "summary"), ("text", "target"),
)

# Which roles each format needs; optional roles are listed separately.
REQUIRED: dict[str, tuple[str, ...]] = {
    "classification": ("text", "label"),
    "instruction": ("instruction", "output"),
    "chat": ("messages",),
    "text": ("text",),
    "seq2seq": ("source", "target"),
    "token_cls": ("tokens", "tags"),
}
# Optional roles are found by name like the required ones; chat's "output" (an answer put
# after the conversation, e.g. the chosen answer of preference data) only when mapped.
OPTIONAL: dict[str, tuple[str, ...]] = {"instruction": ("input", "system", "history"),
                                        "chat": ("system", "tools", "output")}
EXPLICIT_ONLY: dict[str, tuple[str, ...]] = {"chat": ("output",)}

KNOWN_NAMES: frozenset[str] = frozenset(
    [name for names in CANDIDATES.values() for name in names]
    + [name for pair in SEQ2SEQ_PAIRS for name in pair])


def config_field(role: str) -> str:
    return "dataset." + ROLE_FIELDS.get(role, role)
