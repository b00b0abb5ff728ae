"""``inspect``: what a data file holds, as a JSON-able dict (for the CLI and the data page)."""

from __future__ import annotations

import math
import random
import statistics
from collections import Counter
from typing import Any

from ..config import DatasetConfig
from .catalog import resolve_catalog
from .chats import row_conversation
from .checks import check_rows, train_label_names
from .encoding import Encoder
from .formats import Detected, resolve_format, task_problem
from .labels import label_key
from .preparing import instruction_texts
from .reading import read_rows
from .table import Table

MAX_TOKENISED = 20000  # rows tokenised for length statistics (a seeded sample beyond that)
MAX_CHARS = 500        # sample values longer than this are cut


def _jsonable(value: Any) -> Any:
    if isinstance(value, str):
        return value if len(value) <= MAX_CHARS else value[:MAX_CHARS] + "…"
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return str(value)


def length_stats(lengths: list[int]) -> dict[str, float | int]:
    ordered = sorted(lengths)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    return {"count": len(ordered), "min": ordered[0], "mean": round(statistics.fmean(ordered), 1),
            "median": statistics.median(ordered), "p95": p95, "max": ordered[-1]}


def length_histogram(lengths: list[int], bins: int = 20) -> dict[str, list[int]]:
    """Rows per length range: ``edges`` (bins + 1 bounds, integer-wide) and ``counts``."""
    low, high = min(lengths), max(lengths)
    width = max(1, math.ceil((high - low + 1) / bins))
    n = math.ceil((high - low + 1) / width)
    counts = [0] * n
    for length in lengths:
        counts[(length - low) // width] += 1
    return {"edges": [low + i * width for i in range(n + 1)], "counts": counts}


def _texts(table: Table, detected: Detected, cfg: DatasetConfig, tokenizer: Any,
           task: str | None) -> tuple[list[Any], list[str] | None]:
    """Per row, what the model reads (and for seq2seq the target)."""
    col, rows = detected.columns, table.rows
    get = lambda row, role: str(row.get(col[role]) or "")  # noqa: E731
    if detected.format in ("classification", "text"):
        return [get(r, "text") for r in rows], None
    if detected.format == "instruction":
        pairs = []
        for row in rows:
            try:
                pairs.append(instruction_texts(row, col, cfg, task or "causal_lm"))
            except ValueError:  # bad rows are reported as problems
                continue
        if task == "seq2seq":
            return [p for p, _ in pairs], [t for _, t in pairs]
        return [p + t for p, t in pairs], None
    if detected.format == "seq2seq":
        return [get(r, "source") for r in rows], [get(r, "target") for r in rows]
    if detected.format == "token_cls":
        return [[str(w) for w in r.get(col["tokens"]) or []] for r in rows], None
    enc = Encoder(tokenizer, 1 << 30)
    texts = []
    for row in rows:
        try:
            chat = row_conversation(row, col, cfg.system_prompt, cfg.tags)
            texts.append(enc.render_chat(chat.messages, False, chat.tools))
        except Exception:  # noqa: BLE001 - bad rows are reported as problems
            continue
    return texts, None


def _token_lengths(table: Table, detected: Detected, cfg: DatasetConfig,
                   tokenizer: Any, task: str | None) -> dict[str, Any]:
    sampled = len(table) > MAX_TOKENISED
    if sampled:
        table = table.subset(sorted(random.Random(cfg.seed).sample(range(len(table)),
                                                                   MAX_TOKENISED)))
    texts, targets = _texts(table, detected, cfg, tokenizer, task)
    split = detected.format == "token_cls"
    texts = [t for t in texts if t]
    if not texts:
        return {}
    ids = tokenizer(texts, add_special_tokens=detected.format != "chat",
                    is_split_into_words=split)["input_ids"]
    lengths = [len(x) for x in ids]
    result: dict[str, Any] = {"token_lengths": length_stats(lengths),
                              "token_length_histogram": length_histogram(lengths)}
    if targets:
        target_ids = tokenizer(text_target=targets)["input_ids"]
        result["target_token_lengths"] = length_stats([len(x) for x in target_ids])
    result["token_lengths_sampled"] = sampled
    return result


def _label_counts(table: Table, detected: Detected, cfg: DatasetConfig) -> dict[str, int]:
    names = train_label_names(table, detected, cfg) or []
    if detected.format == "classification":
        keys = [label_key(r.get(detected.columns["label"])) for r in table.rows]
    else:
        keys = [label_key(t) for r in table.rows
                for t in (r.get(detected.columns["tags"]) or [])]
    counts = Counter(k for k in keys if k is not None)
    ordered = {name: counts.pop(name, 0) for name in names}
    return {**ordered, **dict(sorted(counts.items()))}


def inspect(cfg: DatasetConfig, tokenizer: Any = None, samples: int = 5,
            task: str | None = None) -> dict[str, Any]:
    """Format, columns, row count, label counts, token lengths (with a tokenizer), sample rows
    and problems. Raises DatasetError only when the file cannot be read at all."""
    cfg = resolve_catalog(cfg)
    table = read_rows(cfg)
    detected, problems = resolve_format(table, cfg)
    result: dict[str, Any] = {
        "path": table.path, "file_type": table.file_type, "rows": len(table),
        "file_columns": list(table.columns),
        "format": detected.format if detected else None,
        "columns": dict(detected.columns) if detected else {},
    }
    if detected:
        mismatch = task_problem(detected.format, task)
        problems = ([mismatch] if mismatch else []) + check_rows(table, detected, cfg)
        if detected.format in ("classification", "token_cls"):
            key = "label_counts" if detected.format == "classification" else "tag_counts"
            result[key] = _label_counts(table, detected, cfg)
        if tokenizer is not None:
            result.update(_token_lengths(table, detected, cfg, tokenizer, task))
    result["samples"] = [{"row": table.numbers[i], "values": _jsonable(table.rows[i])}
                         for i in range(min(samples, len(table)))]
    result["row_unit"] = table.unit
    result["problems"] = [p.to_dict() for p in problems]
    return result
