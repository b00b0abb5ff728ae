"""What the run store hands out: plain dataclasses, one per table row (or metric point).

Times are unix seconds (floats), like the training events' ``time``.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, field
from typing import Any

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


def _loads(text: str | None) -> Any:
    return json.loads(text) if text else None


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
    error: str | None = None
    pid: int | None = None             # of the training process, for orphan detection
    trainable_params: int | None = None
    total_params: int | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> RunRecord:
        return cls(**{**row, "config": _loads(row["config"]) or {},
                      "final_metrics": _loads(row["final_metrics"])})

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
        return cls(**{**row, "metrics": _loads(row["metrics"])})

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
                      "details": _loads(row["details"])})

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class ConversationRecord:
    """A saved playground conversation. ``adapters`` lists what was loaded (names and refs as
    the playground chose them); ``messages`` are {role, content} dicts, optionally with the
    adapter that answered (``adapter``); ``settings`` is GenerationSettings.to_dict()."""

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
        return cls(**{**row, "adapters": _loads(row["adapters"]) or [],
                      "settings": _loads(row["settings"]) or {},
                      "messages": _loads(row["messages"]) or []})

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
