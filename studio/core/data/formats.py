"""Which data format a table holds, and which column plays which role.

Explicit settings win: ``dataset.format`` fixes the format and the ``*_column`` fields fix
columns; anything left open is matched by name (case-insensitive, see ``columns.py``) and by
value type (messages and tokens are lists, labels are scalars).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import DatasetConfig
from ..errors import DatasetError, Problem
from ..messages import CATALOG, msg, one_of
from .catalog import resolve_catalog
from .columns import (
    CANDIDATES,
    EXPLICIT_ONLY,
    OPTIONAL,
    REQUIRED,
    ROLE_FIELDS,
    SEQ2SEQ_PAIRS,
    config_field,
)
from .table import Table

# The tasks each format can train, the usual one first.
FORMAT_TASKS: dict[str, tuple[str, ...]] = {
    "classification": ("seq_cls", "seq2seq"),
    "instruction": ("causal_lm", "seq2seq"),
    "chat": ("causal_lm",),
    "text": ("causal_lm",),
    "seq2seq": ("seq2seq", "causal_lm"),
    "token_cls": ("token_cls",),
}
FORMATS = tuple(FORMAT_TASKS)


@dataclass(frozen=True)
class Detected:
    format: str
    columns: dict[str, str] = field(default_factory=dict)  # role -> column name


def tasks_for(fmt: str) -> tuple[str, ...]:
    """Tasks that can train on data of this format; the first is the natural default."""
    return FORMAT_TASKS.get(fmt, ())


def task_problem(fmt: str, task: str | None) -> Problem | None:
    if task is None or task in tasks_for(fmt):
        return None
    hint = f"data.hint_{fmt}" if f"data.hint_{fmt}" in CATALOG else None
    message = (msg("data.not_for_task_hint", format=fmt, task=task, hint=msg(hint)) if hint
               else msg("data.not_for_task", format=fmt, task=task))
    return Problem("task", message, expected=one_of(tasks_for(fmt)), found=task)


def _sample(table: Table, column: str) -> Any:
    for row in table.rows[:50]:
        value = row.get(column)
        if value not in (None, "", []):
            return value
    return None


def _is_messages(value: Any) -> bool:
    return (isinstance(value, list) and bool(value) and isinstance(value[0], dict)
            and ({"role", "content"} <= set(value[0]) or {"from", "value"} <= set(value[0])))


_KIND_OK = {
    "messages": _is_messages,
    "tokens": lambda v: isinstance(v, list),
    "tags": lambda v: isinstance(v, list),
    "label": lambda v: not isinstance(v, (list, dict)),
    "text": lambda v: isinstance(v, str),
    "system": lambda v: isinstance(v, str),
    "history": lambda v: isinstance(v, list),
    "tools": lambda v: isinstance(v, (list, str)),
}


class _Resolver:
    def __init__(self, table: Table, cfg: DatasetConfig):
        self.table, self.cfg = table, cfg
        self.lower = {c.lower(): c for c in table.columns}
        self.problems: list[Problem] = []

    def add(self, problem: Problem) -> None:
        if problem not in self.problems:
            self.problems.append(problem)

    def explicit(self, role: str) -> str | None:
        return getattr(self.cfg, ROLE_FIELDS[role], None) or None

    def fits(self, column: str, role: str) -> bool:
        check = _KIND_OK.get(role)
        value = _sample(self.table, column)
        return check is None or value is None or bool(check(value))

    def find(self, role: str, taken: Collection[str] = ()) -> str | None:
        name = self.explicit(role)
        if name:
            if name in self.table.columns:
                return name
            if name.lower() in self.lower:
                return self.lower[name.lower()]
            self.add(Problem(
                config_field(role), msg("data.column_not_found", name=name,
                                        file=self.table.path),
                expected=one_of(self.table.columns), found=name))
            return None
        for candidate in CANDIDATES.get(role, ()):
            column = self.lower.get(candidate)
            if column and column not in taken and self.fits(column, role):
                return column
        return None

    def seq2seq_pair(self) -> tuple[str, str] | None:
        for source, target in SEQ2SEQ_PAIRS:
            if source in self.lower and target in self.lower:
                return self.lower[source], self.lower[target]
        return None

    def columns_for(self, fmt: str) -> dict[str, str] | None:
        found: dict[str, str] = {}
        if fmt == "seq2seq" and not (self.explicit("source") and self.explicit("target")):
            pair = self.seq2seq_pair()
            if pair:
                found = {"source": self.explicit("source") or pair[0],
                         "target": self.explicit("target") or pair[1]}
        if fmt == "text" and not self.explicit("text") and len(self.table.columns) == 1:
            found["text"] = self.table.columns[0]
        if fmt == "seq2seq" and not found and len(self.table.columns) == 2 and not any(
                self.explicit(r) for r in ("source", "target")):
            found = dict(zip(("source", "target"), self.table.columns))  # e.g. headerless
        for role in REQUIRED[fmt] + OPTIONAL.get(fmt, ()):
            if role in found or (role in EXPLICIT_ONLY.get(fmt, ()) and not self.explicit(role)):
                continue
            column = self.find(role, set(found.values()))
            if column:
                found[role] = column
            elif role in REQUIRED[fmt] and not self.explicit(role):
                names = ", ".join(CANDIDATES.get(role, ())[:4]) or role
                self.add(Problem(
                    config_field(role), msg("data.no_column_data", role=role, fmt=fmt,
                                            file=self.table.path),
                    expected=msg("data.column_named_like_set", names=names,
                                 role=config_field(role)),
                    found=", ".join(self.table.columns)))
        missing = [r for r in REQUIRED[fmt] if r not in found]
        return None if missing else found

    def guess_format(self) -> str | None:
        explicit = {role for role in ROLE_FIELDS if self.explicit(role)}
        for fmt, roles in (("chat", {"messages"}), ("token_cls", {"tokens", "tags"}),
                           ("instruction", {"instruction"}), ("seq2seq", {"source", "target"}),
                           ("classification", {"label"})):
            if explicit & roles:
                return fmt
        if explicit & {"input", "output"}:
            return "instruction" if self.find("instruction") else "seq2seq"
        if self.find("messages"):
            return "chat"
        if self.find("tokens") and self.find("tags"):
            return "token_cls"
        if self.find("instruction") and self.find("output"):
            return "instruction"
        if self.seq2seq_pair():
            return "seq2seq"
        text = self.find("text")
        if text and self.find("label", {text}):
            return "classification"
        if text or (len(self.table.columns) == 1
                    and isinstance(_sample(self.table, self.table.columns[0]), str)):
            return "text"
        return None


def preference_problem(resolver: _Resolver) -> Problem | None:
    """Preference data (``chosen``/``rejected``) read with nothing mapped: say that the studio
    trains supervised fine-tuning and which mapping trains on the preferred answers."""
    lower = resolver.lower
    if "chosen" not in lower or "rejected" not in lower:
        return None
    chosen = lower["chosen"]
    messages = resolver.find("messages")
    prompt = next((lower[n] for n in ("prompt", "question", "instruction", "query")
                   if n in lower), None)
    value = _sample(resolver.table, chosen)
    if messages:
        how = {"messages_column": messages, "output_column": chosen}
    elif _is_messages(value):
        how = ({"messages_column": prompt, "output_column": chosen}
               if prompt and _is_messages(_sample(resolver.table, prompt))
               else {"messages_column": chosen})
    elif prompt:
        how = {"instruction_column": prompt, "output_column": chosen}
    else:
        how = {"text_column": chosen}
    mapping = " and ".join(f"dataset.{k}: {v}" for k, v in how.items())
    return Problem(f"dataset.{next(reversed(how))}",
                   msg("data.holds_preference_data_columns", name=Path(resolver.table.path).name,
                       chosen=chosen, rejected=lower["rejected"], mapping=mapping),
                   expected=mapping, found=", ".join(resolver.table.columns))


def resolve_format(table: Table, cfg: DatasetConfig | None = None
                   ) -> tuple[Detected | None, list[Problem]]:
    """Detected (or None) plus the problems that prevented detection."""
    cfg = resolve_catalog(cfg or DatasetConfig())
    resolver = _Resolver(table, cfg)
    if (not cfg.format or cfg.format == "auto") and not any(
            resolver.explicit(role) for role in ROLE_FIELDS):
        preference = preference_problem(resolver)
        if preference:
            return None, [preference]
    fmt = cfg.format if cfg.format and cfg.format != "auto" else resolver.guess_format()
    label_like = [c for c in table.columns if c.lower() in CANDIDATES["label"]
                  and c.lower() not in CANDIDATES["text"]]
    if fmt in (None, "text") and not resolver.explicit("text") and table.columns \
            and label_like == table.columns:
        return None, [Problem(
            "dataset.text_column", msg("data.only_label_column", file=table.path,
                                       columns=", ".join(table.columns)),
            expected=msg("data.expected_text_column"),
            found=", ".join(table.columns))]
    if fmt is None:
        return None, [Problem(
            "dataset.format", msg("data.cannot_tell_data_format", file=table.path),
            expected=msg("data.expected_format_and_columns", formats=", ".join(FORMATS)),
            found=", ".join(table.columns))]
    if fmt not in FORMAT_TASKS:
        return None, [Problem("dataset.format", msg("data.unknown_format"),
                              expected=", ".join(FORMATS), found=fmt)]
    columns = resolver.columns_for(fmt)
    if columns is None:
        return None, resolver.problems
    return Detected(fmt, columns), []


def detect_format(table: Table, cfg: DatasetConfig | None = None) -> Detected:
    """The table's format and role->column mapping; DatasetError when it cannot be told."""
    detected, problems = resolve_format(table, cfg)
    if detected is None:
        raise DatasetError("; ".join(str(p) for p in problems), table.path)
    return detected
