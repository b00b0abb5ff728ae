"""The held-out file: read with the same format detection, column mapping and checks as the
training data (``studio.core.data``; a run's own ``dataset`` settings apply, with the path
swapped), then each row split into what the model is shown and the reference answer.

Kinds of evaluation, by data format and task:
- ``classify``: classification data, seq_cls (label probabilities);
- ``label_words``: classification data, seq2seq (the generated text read as a label word);
- ``generate``: instruction, seq2seq or chat data (answer generated, compared with the
  reference; for chat, the last assistant turn is the reference);
- ``perplexity``: plain text, causal LM.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import DatasetConfig
from ..data import check_rows, detect_format, label_space, normalise_messages, read_rows
from ..data.formats import task_problem
from ..errors import DatasetError, StudioError
from ..inference.sources import AdapterSource, _run_config, _run_folder
from ..messages import lines, msg

KINDS = ("classify", "label_words", "generate", "perplexity")
# run.yaml dataset fields that say how to read a file (not which file or how to split it)
_READING = ("format", "file_type", "text_column", "label_column", "instruction_column",
            "input_column", "output_column", "messages_column", "source_column",
            "target_column", "tokens_column", "tags_column", "labels", "system_prompt",
            "delimiter", "encoding")


@dataclass(frozen=True)
class HeldOutRow:
    number: int                  # line or row in the file (1-based), for messages
    input: str                   # what the predictions file shows as the input
    reference: str               # label name, expected answer; "" for plain text
    parts: dict[str, Any] = field(default_factory=dict)   # what prompt building needs


@dataclass
class HeldOut:
    path: str
    sha256: str
    format: str
    task: str
    kind: str
    columns: dict[str, str]
    rows: list[HeldOutRow]
    total_rows: int                         # in the file, before --max-samples
    labels: list[str] | None = None         # classification label names in id order
    system_prompt: str | None = None


def file_sha256(path: str | Path) -> str:
    """Of the file, or of a folder's files (an Arrow dataset) in name order."""
    target = Path(path).expanduser()
    digest = hashlib.sha256()
    files = sorted(p for p in target.rglob("*") if p.is_file()) if target.is_dir() else [target]
    for file in files:
        if target.is_dir():
            digest.update(str(file.relative_to(target)).encode("utf-8") + b"\0")
        with open(file, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def training_settings(source: AdapterSource | None) -> DatasetConfig:
    """How the run that made ``source`` read its data (columns, format, labels, system
    prompt); defaults for a folder from elsewhere or a base model."""
    if source is None:
        return DatasetConfig()
    run_dir, _ = _run_folder(Path(source.path))
    raw = _run_config(run_dir).get("dataset")
    names = {f.name for f in dataclasses.fields(DatasetConfig)}
    kept = {k: v for k, v in (raw if isinstance(raw, dict) else {}).items()
            if k in _READING and k in names}
    cfg = DatasetConfig(**kept)
    if source.label_names:
        cfg.labels = list(source.label_names)
    if source.system_prompt is not None and cfg.system_prompt is None:
        cfg.system_prompt = source.system_prompt
    if source.data_format and cfg.format in (None, "auto"):
        cfg.format = source.data_format
    return cfg


def kind_of(fmt: str, task: str) -> str:
    if fmt == "classification":
        return "classify" if task == "seq_cls" else "label_words"
    if fmt == "text":
        return "perplexity"
    if fmt == "token_cls":
        raise StudioError(msg("evaluate.token_cls_unsupported"))
    return "generate"


def read_heldout(path: str | Path, task: str, cfg: DatasetConfig | None = None,
                 labels: list[str] | None = None, max_samples: int | None = None) -> HeldOut:
    """Read and check ``path`` for ``task``. ``labels``: the trained label names (a label
    the model never learned is an error naming its row). Raises DatasetError/StudioError."""
    if max_samples is not None and max_samples < 1:
        raise StudioError(msg("evaluate.max_samples", value=max_samples))
    cfg = dataclasses.replace(cfg or DatasetConfig(), path=str(path))
    table = read_rows(cfg)
    detected = detect_format(table, cfg)
    problem = task_problem(detected.format, task)
    problems = [problem] if problem else []
    problems += check_rows(table, detected, cfg, known_labels=labels or cfg.labels)
    if problems:
        raise DatasetError(lines([p.text() for p in problems], "text.semicolons"), table.path)
    kind = kind_of(detected.format, task)
    names = None
    if detected.format == "classification":
        column = detected.columns["label"]
        space, unknown = label_space([r.get(column) for r in table.rows],
                                     labels or cfg.labels, table.class_names.get(column))
        if unknown:
            raise DatasetError(msg("evaluate.unknown_labels", unknown=", ".join(unknown),
                                   known=", ".join(space.names)), table.path, column=column)
        names = space.names
    count = len(table.rows) if max_samples is None else min(max_samples, len(table.rows))
    rows = [_row(row, table.numbers[i], detected.format, detected.columns, cfg, names, table.path)
            for i, row in enumerate(table.rows[:count])]
    return HeldOut(path=table.path, sha256=file_sha256(path), format=detected.format, task=task,
                   kind=kind, columns=dict(detected.columns), rows=rows,
                   total_rows=len(table.rows), labels=names, system_prompt=cfg.system_prompt)


def _row(row: dict[str, Any], number: int, fmt: str, columns: dict[str, str],
         cfg: DatasetConfig, labels: list[str] | None, path: str) -> HeldOutRow:
    def text(role: str) -> str:
        value = row.get(columns[role]) if role in columns else None
        return "" if value is None else str(value)

    if fmt == "classification":
        space, _ = label_space([row.get(columns["label"])], labels)
        class_id = space.id_of(row.get(columns["label"]))
        reference = labels[class_id] if labels and class_id is not None else text("label")
        return HeldOutRow(number, text("text"), reference, {"text": text("text")})
    if fmt == "instruction":
        extra = text("input")
        shown = text("instruction") + (f"\n{extra}" if extra.strip() else "")
        return HeldOutRow(number, shown, text("output"),
                          {"instruction": text("instruction"), "input": extra or None})
    if fmt == "seq2seq":
        return HeldOutRow(number, text("source"), text("target"), {"source": text("source")})
    if fmt == "chat":
        try:
            messages = normalise_messages(row.get(columns["messages"]), cfg.system_prompt)
        except ValueError as exc:
            raise DatasetError(exc.args[0], path, row=number) from None  # a Message
        last = max((i for i, m in enumerate(messages) if m["role"] == "assistant"), default=None)
        if last is None or not any(m["role"] == "user" for m in messages[:last]):
            raise DatasetError(msg("evaluate.chat_needs_pair"), path, row=number)
        history = messages[:last]
        user = next(m["content"] for m in reversed(history) if m["role"] == "user")
        return HeldOutRow(number, user, messages[last]["content"], {"messages": history})
    return HeldOutRow(number, text("text"), "", {"text": text("text")})
