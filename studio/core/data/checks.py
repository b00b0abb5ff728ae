"""Row-level checks (one Problem per kind of fault, naming the rows) and ``validate_dataset``."""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path
from typing import Any

from ..config import DatasetConfig
from ..errors import DatasetError, Problem
from ..messages import msg
from .catalog import resolve_catalog
from .chats import TAG_KEYS, learns_something, row_conversation
from .columns import config_field
from .formats import Detected, resolve_format, task_problem
from .labels import is_nonfinite, label_key, label_space, numeric_labels
from .reading import read_rows
from .table import Table
from .templates import history_pairs

SHOWN_ROWS = 5


def _where(table: Table, indices: list[int]) -> str:
    numbers = ", ".join(str(table.numbers[i]) for i in indices[:SHOWN_ROWS])
    unit = "line" if table.unit == "line" else "row"
    name = Path(table.path).name
    if len(indices) > SHOWN_ROWS:
        return msg(f"data.in_{unit}s_more", numbers=numbers, more=len(indices) - SHOWN_ROWS,
                   file=name)
    return msg(f"data.in_{unit}s" if len(indices) > 1 else f"data.in_{unit}", numbers=numbers,
               file=name)


def text_fault(value: Any) -> str | None:
    """Why a value cannot be used as text, or None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return msg("data.empty_value")
    if isinstance(value, float) and not math.isfinite(value):
        return msg("data.nonfinite_not_text", value=value)
    if isinstance(value, str) and "\x00" in value:
        return msg("data.nul_in_text")
    if isinstance(value, (list, dict)):
        return msg("data.not_text", kind=type(value).__name__)
    return None


class _Faults:
    """Collects (field, message) -> row indices, then one Problem per key."""

    def __init__(self, table: Table):
        self.table = table
        self.found: dict[tuple[str, str, str | None, str | None], list[int]] = defaultdict(list)

    def add(self, index: int, field: str, message: str, expected: str | None = None,
            found: str | None = None) -> None:
        self.found[(field, message, expected, found)].append(index)

    def problems(self) -> list[Problem]:
        return [Problem(field, msg("data.fault_at", fault=message,
                                   where=_where(self.table, rows)), expected, found)
                for (field, message, expected, found), rows in self.found.items()]


def _check_text_columns(faults: _Faults, detected: Detected, roles: tuple[str, ...]) -> None:
    for role in roles:
        column = detected.columns.get(role)
        if column is None:
            continue
        for i, row in enumerate(faults.table.rows):
            fault = text_fault(row.get(column))
            if fault:
                faults.add(i, config_field(role),
                           msg("data.fault_in_column", fault=fault, column=column))


def _check_labels(faults: _Faults, values: list[tuple[int, Any]], cfg: DatasetConfig,
                  class_names: list[str] | None, known: list[str] | None, role: str) -> int:
    """Unknown labels; returns the number of distinct labels seen."""
    space, unknown = label_space([v for _, v in values], cfg.labels, class_names)
    if known is not None and not cfg.labels:  # validation file: train's labels are the space
        unknown = [k for k in dict.fromkeys(label_key(v) for _, v in values)
                   if k is not None and k not in known]
        where, expected = msg("data.not_in_training_data"), ", ".join(known)
    else:
        where, expected = msg("data.not_in_dataset_labels"), ", ".join(space.names)
    for bad in unknown[:SHOWN_ROWS]:
        for i, value in values:
            if label_key(value) == bad:
                faults.add(i, "dataset.labels", msg(f"data.unknown_{role}", value=bad,
                                                    reason=where),
                           expected=msg("value.one_of", choices=expected), found=bad)
    return len({label_key(v) for _, v in values} - {None})


def check_rows(table: Table, detected: Detected, cfg: DatasetConfig,
               known_labels: list[str] | None = None) -> list[Problem]:
    """Problems in the rows of ``table`` read as ``detected``. ``known_labels``: for a
    validation file, the training data's label names."""
    faults = _Faults(table)
    fmt, cols = detected.format, detected.columns
    rows = table.rows
    if fmt in ("classification", "instruction", "seq2seq", "text"):
        roles = {"classification": ("text",), "instruction": ("instruction", "output"),
                 "seq2seq": ("source", "target"), "text": ("text",)}[fmt]
        _check_text_columns(faults, detected, roles)
    if fmt == "classification":
        column = cols["label"]
        values = []
        numeric = numeric_labels([row.get(column) for row in rows])
        for i, row in enumerate(rows):
            value = row.get(column)
            if label_key(value) is None:
                faults.add(i, "dataset.label_column", msg("data.bad_label", column=column))
            elif is_nonfinite(value, numeric):
                faults.add(i, "dataset.label_column", msg("data.nonfinite_label", column=column),
                           expected=msg("data.expected_class"), found=str(value))
            else:
                values.append((i, value))
        distinct = _check_labels(faults, values, cfg, table.class_names.get(column),
                                 known_labels, "label")
        problems = faults.problems()
        if distinct < 2 and known_labels is None:
            problems.append(Problem("dataset.label_column",
                                    msg("data.too_few_labels", column=column,
                                        file=Path(table.path).name, distinct=distinct),
                                    expected=msg("data.expected_two_or_more"),
                                    found=str(distinct)))
        return problems
    if fmt == "instruction" and "history" in cols:
        for i, row in enumerate(rows):
            try:
                history_pairs(row.get(cols["history"]))
            except ValueError as exc:
                faults.add(i, "dataset.history_column",
                           msg("data.fault_in_column", fault=exc.args[0] if exc.args else exc,
                               column=cols["history"]))
    if fmt == "chat":
        for i, row in enumerate(rows):
            try:
                messages = row_conversation(row, cols, None, cfg.tags).messages
            except ValueError as exc:
                faults.add(i, "dataset.messages_column", exc.args[0])
                continue
            if not learns_something(messages):
                faults.add(i, "dataset.messages_column", msg("data.no_assistant_message"))
    if fmt == "token_cls":
        tags: list[tuple[int, Any]] = []
        for i, row in enumerate(rows):
            tokens, row_tags = row.get(cols["tokens"]), row.get(cols["tags"])
            if not isinstance(tokens, list) or not tokens or not all(
                    isinstance(t, str) for t in tokens):
                faults.add(i, "dataset.tokens_column",
                           msg("data.tokens_not_words", column=cols["tokens"]))
            elif not isinstance(row_tags, list) or len(row_tags) != len(tokens):
                faults.add(i, "dataset.tags_column",
                           msg("data.tags_not_per_word", column=cols["tags"]))
            else:
                tags.extend((i, t) for t in row_tags)
        numeric = numeric_labels([v for _, v in tags])
        for i, value in tags:
            if label_key(value) is None:
                faults.add(i, "dataset.tags_column", msg("data.empty_tag"))
            elif is_nonfinite(value, numeric):
                faults.add(i, "dataset.tags_column", msg("data.nonfinite_tag"),
                           expected=msg("data.expected_tag"), found=str(value))
        tags = [(i, v) for i, v in tags if not is_nonfinite(v, numeric)]
        _check_labels(faults, [(i, v) for i, v in tags if label_key(v) is not None], cfg,
                      table.class_names.get(cols["tags"]), known_labels, "tag")
    return faults.problems()


def train_label_names(table: Table, detected: Detected, cfg: DatasetConfig) -> list[str] | None:
    """Label (or tag) names in id order for classification/token_cls data, else None."""
    if detected.format == "classification":
        column = detected.columns["label"]
        values = [row.get(column) for row in table.rows]
    elif detected.format == "token_cls":
        column = detected.columns["tags"]
        values = [t for row in table.rows if isinstance(row.get(column), list)
                  for t in row[column]]
    else:
        return None
    return label_space(values, cfg.labels, table.class_names.get(column))[0].names


def _settings_problems(cfg: DatasetConfig) -> list[Problem]:
    problems = []
    if not cfg.validation_path and not 0 <= cfg.validation_split < 1:
        problems.append(Problem("dataset.validation_split", msg("data.out_range"),
                                expected=msg("data.fraction_from_0_up"),
                                found=str(cfg.validation_split)))
    if cfg.max_samples is not None and cfg.max_samples < 1:
        problems.append(Problem("dataset.max_samples", msg("data.must_at_least_1"),
                                found=str(cfg.max_samples)))
    unknown_tags = sorted(set(cfg.tags or {}) - set(TAG_KEYS))
    if unknown_tags:
        problems.append(Problem("dataset.tags", msg("data.unknown_keys"),
                                expected=", ".join(TAG_KEYS), found=", ".join(unknown_tags)))
    if cfg.labels is not None and len(set(cfg.labels)) != len(cfg.labels):
        problems.append(Problem("dataset.labels", msg("data.duplicates"),
                                found=", ".join(cfg.labels)))
    return problems


def validate_dataset(cfg: DatasetConfig, task: str | None = None) -> list[Problem]:
    """Every problem found in the data (and the validation file), without raising."""
    if not cfg.path:
        return [Problem("dataset.path", msg("value.missing"),
                        expected=msg("data.expected_file_or_folder"))]
    problems = _settings_problems(cfg)
    try:
        cfg = resolve_catalog(cfg)
        table = read_rows(cfg)
    except DatasetError as exc:
        return [*problems, *getattr(exc, "problems", [Problem("dataset.path", exc.message)])]
    detected, found = resolve_format(table, cfg)
    if detected is None:
        return problems + found
    mismatch = task_problem(detected.format, task)
    if mismatch:
        problems.append(mismatch)
    problems += check_rows(table, detected, cfg)
    if cfg.validation_path:
        problems += _validate_validation_file(cfg, detected, table)
    return problems


def _validate_validation_file(cfg: DatasetConfig, detected: Detected,
                              table: Table) -> list[Problem]:
    field = "dataset.validation_path"
    try:
        val_table = read_rows(cfg, cfg.validation_path)
    except DatasetError as exc:
        return [Problem(field, exc.message)]
    val_detected, found = resolve_format(val_table, cfg)
    if val_detected is None:
        return [Problem(field, p.message, p.expected, p.found) for p in found]
    if val_detected.format != detected.format:
        return [Problem(field, msg("data.validation_file_holds_different"),
                        expected=detected.format, found=val_detected.format)]
    known = train_label_names(table, detected, cfg)
    return check_rows(val_table, val_detected, cfg, known_labels=known)
