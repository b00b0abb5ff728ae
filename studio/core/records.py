"""What the run store hands out: plain dataclasses, one per table row (or metric point).

Times are unix seconds (floats), like the training events' ``time``.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, field
from typing import Any

from .errors import StudioError
from .messages import Message, msg
from .names import shown_name

STATUSES = ("pending", "running", "completed", "stopped", "failed", "early_stopped")
TERMINAL_STATUSES = frozenset({"completed", "stopped", "failed", "early_stopped"})


def json_safe(value: Any) -> Any:
    """NaN/inf -> None, so ``json.dumps`` output is strict JSON (other tools choke on NaN)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


class DamagedRecordError(StudioError):
    """A row whose stored JSON cannot be read (the file was edited or damaged). ``run_id``
    names the run it belongs to; the other rows are still usable."""

    def __init__(self, run_id: str, what: str, column: str, detail: str,
                 remedy: str | None = None):
        self.run_id, self.column = run_id, column
        super().__init__(msg("records.damaged", what=what, column=column, detail=detail,
                             remedy=remedy or msg("records.remedy_run", run_id=run_id)))


def _message(text: str | None) -> Message | None:
    """A stored Message's JSON back as the Message; None when there is none, or when it
    cannot be read or rendered (a code this version does not know): the English is kept
    next to it, so nothing is lost."""
    try:
        return Message.from_dict(json.loads(text)) if text else None
    except (ValueError, RecursionError):
        return None


def message_json(message: str | None) -> str | None:
    """What ``_message`` reads back: a Message's code and parameters as JSON (None for plain
    text, which is stored as it is)."""
    return json.dumps(message.to_dict(), ensure_ascii=False) \
        if isinstance(message, Message) else None


def _loads(text: str | None) -> Any:
    return json.loads(text) if text else None


def _column(row: dict[str, Any], column: str, what: str, mapping: bool = False,
            kind: type = object, remedy: str | None = None) -> Any:
    """``row[column]`` parsed as JSON; DamagedRecordError (naming the run) when it is not, or
    when it is not a ``kind`` (dict with ``mapping``)."""
    run_id = str(row.get("run_id") or row.get("id") or "?")
    kind = dict if mapping else kind
    try:
        value = _loads(row[column])
    except (ValueError, RecursionError) as exc:
        detail = f"{exc.msg} at character {exc.pos}" if isinstance(exc, json.JSONDecodeError) \
            else type(exc).__name__
        raise DamagedRecordError(run_id, what, column, detail, remedy) from None
    if value is not None and not isinstance(value, kind):
        raise DamagedRecordError(run_id, what, column, msg(
            "records.not_object" if kind is dict else "records.not_list",
            kind=type(value).__name__), remedy)
    return value


@dataclass
class RunRecord:
    id: str
    name: str
    status: str
    created_at: float
    updated_at: float
    started_at: float | None = None
    finished_at: float | None = None
    config: dict[str, Any] = field(default_factory=dict)   # RunConfig.to_dict()
    model: str | None = None
    method: str | None = None
    task: str | None = None
    dataset: str | None = None
    device: str | None = None
    output_dir: str | None = None
    total_steps: int | None = None
    last_step: int | None = None
    final_metrics: dict[str, Any] | None = None
    # Why it failed: a Message (code and parameters, English as text) when the store has its
    # code, else the plain text an older version stored (its traceback included).
    error: str | None = None
    pid: int | None = None             # of the training process, for orphan detection
    trainable_params: int | None = None
    total_params: int | None = None
    error_detail: str | None = None    # the traceback or stderr tail of a failure, untranslated

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> RunRecord:
        what = msg("records.what_run", id=row["id"], name=shown_name(str(row.get("name"))))
        row = dict(row)
        coded = _message(row.pop("error_message", None))
        return cls(**{**row, "config": _column(row, "config", what, mapping=True) or {},
                      "final_metrics": _column(row, "final_metrics", what, mapping=True),
                      "error": coded if coded is not None else row.get("error")})

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


# The runs columns a caller may set through RunStore.update_run.
RUN_COLUMNS = frozenset(f.name for f in dataclasses.fields(RunRecord)) - {"id"}
JSON_COLUMNS = frozenset({"config", "final_metrics"})


@dataclass
class CheckpointRecord:
    run_id: str
    step: int
    path: str
    created_at: float
    metrics: dict[str, Any] | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> CheckpointRecord:
        what = msg("records.what_checkpoint", step=row["step"], run_id=row["run_id"])
        return cls(**{**row, "metrics": _column(row, "metrics", what)})

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class MetricPoint:
    step: int
    value: float       # NaN where the logged value was NaN (SQLite keeps it as NULL)
    time: float


@dataclass
class ExportRecord:
    id: int
    run_id: str
    kind: str
    path: str
    created_at: float
    dtype: str | None = None
    size_bytes: int | None = None
    verified: bool | None = None
    max_abs_diff: float | None = None
    details: dict[str, Any] | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ExportRecord:
        verified = row["verified"]
        return cls(**{**row, "verified": None if verified is None else bool(verified),
                      "details": _column(row, "details",
                                         msg("records.what_export", run_id=row["run_id"]))})

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class ConversationRecord:
    """A saved playground conversation. ``adapters`` lists what was loaded (names and refs as
    the playground chose them); ``messages`` are {role, content} dicts, optionally with the
    adapter that answered (``adapter``), an assistant's ``tool_calls`` and a tool message's
    ``name`` / ``tool_call_id`` (``studio.core.playground.Turn``); ``settings`` is the
    sampling form's values, with ``tools`` (function schemas) when the conversation had any."""

    id: int
    title: str
    created_at: float
    updated_at: float
    run_id: str | None = None
    base_model: str | None = None
    adapters: list[Any] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    messages: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ConversationRecord:
        what = msg("records.what_conversation", title=shown_name(str(row.get("title"))))
        remedy = msg("records.remedy_conversation")

        def read(column: str, kind: type) -> Any:
            return _column({**row, "run_id": row.get("run_id") or ""}, column, what,
                           kind=kind, remedy=remedy)
        return cls(**{**row, "adapters": read("adapters", list) or [],
                      "settings": read("settings", dict) or {},
                      "messages": read("messages", list) or []})

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class EvaluationRecord:
    """One held-out evaluation: what was evaluated (``target``: a display name such as
    ``run@step`` or ``base``), on which file (path and sha256), with which settings, the
    metrics (``studio.core.evaluate.metrics``) and where the predictions file went."""

    id: int
    target: str
    kind: str                      # classify / label_words / generate / perplexity
    data_path: str
    data_sha256: str
    rows: int
    created_at: float
    run_id: str | None = None
    adapter_path: str | None = None
    step: int | None = None
    base_model: str | None = None
    task: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    predictions_path: str | None = None
    seconds: float | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> EvaluationRecord:
        return cls(**{**row, "settings": _loads(row["settings"]) or {},
                      "metrics": _loads(row["metrics"]) or {}})

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)
