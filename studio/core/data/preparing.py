"""``prepare``: read, check, cap, split and tokenise a dataset for one task."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..config import TASKS, DatasetConfig
from ..errors import DatasetError, Problem
from ..messages import msg
from .catalog import resolve_catalog
from .chats import row_conversation
from .checks import check_rows, train_label_names
from .encoding import Encoder, Example
from .formats import Detected, detect_format, task_problem
from .labels import LabelSpace, label_key, label_space
from .reading import read_rows
from .splitting import cap_indices, split_indices
from .table import Table
from .templates import history_pairs, render_history, render_prompt, render_source


@dataclass
class Prepared:
    train: list[Example]
    validation: list[Example]
    label_names: list[str] | None   # classification labels / token tags, in id order
    format: str
    columns: dict[str, str]          # role -> column
    stats: dict[str, Any] = field(default_factory=dict)


def _raise_problems(problems: list[Problem | None], path: str) -> None:
    found = [p for p in problems if p is not None]
    if found:
        err = DatasetError("; ".join(str(p) for p in found), path)
        err.problems = found  # type: ignore[attr-defined]
        raise err


def _space(table: Table, detected: Detected, cfg: DatasetConfig) -> LabelSpace | None:
    names = train_label_names(table, detected, cfg)
    if names is None:
        return None
    column = detected.columns["label" if detected.format == "classification" else "tags"]
    values = ([row.get(column) for row in table.rows] if detected.format == "classification"
              else [t for row in table.rows for t in row.get(column) or []])
    return label_space(values, cfg.labels, table.class_names.get(column))[0]


def _class_id(space: LabelSpace | None, value: Any) -> int:
    class_id = space.id_of(value) if space else None
    if class_id is None:
        raise ValueError(msg("data.unknown_label_value", value=repr(label_key(value))))
    return class_id


def _system(row: dict[str, Any], col: dict[str, str], cfg: DatasetConfig) -> str | None:
    value = row.get(col["system"]) if "system" in col else None
    return value if isinstance(value, str) and value.strip() else cfg.system_prompt


def instruction_texts(row: dict[str, Any], col: dict[str, str], cfg: DatasetConfig,
                      task: str) -> tuple[str, str]:
    """An instruction row as (prompt, response) for causal_lm, (source, target) for seq2seq.
    The row's own system prompt wins over the run's; ``history`` turns precede the prompt
    (no loss on them). Raises ValueError."""
    instruction, output = str(row.get(col["instruction"]) or ""), str(row.get(col["output"]) or "")
    input_text = row.get(col["input"]) if "input" in col else None
    history = history_pairs(row.get(col["history"])) if "history" in col else []
    system = _system(row, col, cfg)
    if task == "causal_lm":
        return render_history(history, instruction, input_text, system), output
    earlier = [f"{q}\n{a}" for q, a in history]
    return render_source("\n".join([*earlier, instruction]), input_text, system), output


def _encode_row(enc: Encoder, row: dict[str, Any], detected: Detected, task: str,
                space: LabelSpace | None, cfg: DatasetConfig) -> Example | None:
    fmt, col = detected.format, detected.columns
    text = lambda role: str(row.get(col[role]) or "")  # noqa: E731
    if fmt == "instruction":
        source, target = instruction_texts(row, col, cfg, task)
        if task == "causal_lm":
            return enc.prompted(source, target)
        return enc.seq2seq(source, target)
    if fmt == "seq2seq":
        if task == "causal_lm":
            return enc.prompted(render_prompt(text("source"), None, cfg.system_prompt),
                                text("target"))
        return enc.seq2seq(text("source"), text("target"))
    if fmt == "chat":
        conversation = row_conversation(row, col, cfg.system_prompt, cfg.tags)
        return enc.chat(conversation.messages, conversation.tools)
    if fmt == "text":
        return enc.causal_text(text("text"))
    if fmt == "classification":
        class_id = _class_id(space, row.get(col["label"]))
        if task == "seq2seq":  # "sentence -> label word"
            return enc.seq2seq(text("text"), space.names[class_id])  # type: ignore[union-attr]
        return enc.seq_cls(text("text"), class_id)
    tags = [_class_id(space, t) for t in row.get(col["tags"]) or []]
    return enc.token_cls([str(w) for w in row.get(col["tokens"]) or []], tags)


def encode_table(enc: Encoder, table: Table, detected: Detected, task: str,
                 space: LabelSpace | None, cfg: DatasetConfig) -> list[Example]:
    if detected.format == "text" and cfg.pack:
        column = detected.columns["text"]
        return enc.pack([enc.document(str(row.get(column) or "")) for row in table.rows])
    examples = []
    for i, row in enumerate(table.rows):
        try:
            example = _encode_row(enc, row, detected, task, space, cfg)
        except ValueError as exc:
            raise table.error(exc.args[0] if exc.args else str(exc), i) from None
        except Exception as exc:  # noqa: BLE001 - chat templates raise their own errors
            raise table.error(msg("data.cannot_tokenise", kind=type(exc).__name__, error=exc),
                              i) from None
        if example is not None:
            examples.append(example)
    return examples


def _validation_table(cfg: DatasetConfig, detected: Detected,
                      train: Table) -> tuple[Table, Detected]:
    assert cfg.validation_path
    table = read_rows(cfg, cfg.validation_path)
    val_detected = detect_format(table, cfg)
    if val_detected.format != detected.format:
        raise DatasetError(msg("data.holds_data_but_training",
                               found=val_detected.format, expected=detected.format), table.path)
    known = train_label_names(train, detected, cfg)
    _raise_problems(list(check_rows(table, val_detected, cfg, known_labels=known)), table.path)
    return table, val_detected


def prepare(cfg: DatasetConfig, task: str, tokenizer: Any, max_length: int) -> Prepared:
    """Training and validation examples for ``task``; DatasetError on any data problem."""
    if task not in TASKS:
        raise DatasetError(msg("data.unknown_task_expected_one", task=repr(task),
                               tasks=', '.join(TASKS)))
    cfg = resolve_catalog(cfg)
    table = read_rows(cfg)
    detected = detect_format(table, cfg)
    _raise_problems([task_problem(detected.format, task), *check_rows(table, detected, cfg)],
                    table.path)
    space = _space(table, detected, cfg)
    used = table.subset(cap_indices(len(table), cfg.max_samples, cfg.seed))
    if cfg.validation_path:
        train_table = used
        val_table, val_detected = _validation_table(cfg, detected, table)
    else:
        strata = None
        if detected.format == "classification":
            strata = [label_key(r.get(detected.columns["label"])) for r in used.rows]
        train_idx, val_idx = split_indices(len(used), cfg.validation_split, cfg.seed, strata)
        train_table, val_table = used.subset(train_idx), used.subset(val_idx)
        val_detected = detected
    enc = Encoder(tokenizer, max_length)
    train = encode_table(enc, train_table, detected, task, space, cfg)
    validation = encode_table(enc, val_table, val_detected, task, space, cfg)
    if not train:
        raise DatasetError(msg("data.no_training_examples_left", rows=len(train_table),
                               dropped=enc.dropped, max_length=max_length), table.path)
    stats: dict[str, Any] = {
        "rows": len(table), "used_rows": len(used), "train_rows": len(train_table),
        "validation_rows": len(val_table), "train_examples": len(train),
        "validation_examples": len(validation), "truncated": enc.truncated,
        "dropped": enc.dropped, "max_length": max_length,
        "train_tokens": sum(len(e["input_ids"]) for e in train),
    }
    if detected.format == "chat":
        stats["chat_template"] = "fallback" if enc.uses_fallback_template else "model"
    if detected.format == "text":
        stats["packed"] = bool(cfg.pack)
    return Prepared(train, validation, space.names if space else None, detected.format,
                    dict(detected.columns), stats)
