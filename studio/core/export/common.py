"""What the export operations share: progress reports, the result, the store records, the
tokenizer files and the model card."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .. import weightsafety
from ..errors import StudioError
from ..messages import msg
from ..runfiles import folder_size
from . import card, folders, verify
from .sources import ExportSource
from .verify import Verification

STAGES = ("checking", "loading", "merging", "writing", "verifying", "done")


@dataclass(frozen=True)
class Progress:
    stage: str            # one of STAGES
    message: str
    current: int = 0      # e.g. shard 2 of 5; 0 of 0 when the stage is not counted
    total: int = 0


ProgressFn = Callable[[Progress], None]
Report = Callable[..., None]


@dataclass
class ExportResult:
    kind: str                          # 'adapter' | 'merged' | 'combined'
    path: Path
    dtype: str | None                  # merged: the stored dtype; adapters: None
    size_bytes: int
    files: list[str]
    verification: Verification | None  # None when verification was skipped
    run_ids: list[str] = field(default_factory=list)
    export_ids: list[int] = field(default_factory=list)   # store rows, one per run
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """False only when verification ran and failed (the files are kept)."""
        return self.verification is None or self.verification.passed

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["path"] = str(self.path)
        data["ok"] = self.ok
        return data


def reporter(progress: ProgressFn | None) -> Report:
    def report(stage: str, message: str, current: int = 0, total: int = 0) -> None:
        if progress is not None:
            progress(Progress(stage, message, current, total))

    return report


@contextmanager
def store_scope(store) -> Iterator[Any]:
    """The caller's store, or the default one opened for this export (one per thread)."""
    if store is not None:
        yield store
        return
    from ..store import RunStore

    opened = RunStore()
    try:
        yield opened
    finally:
        opened.close()


def protected(*srcs: ExportSource) -> tuple[Path, ...]:
    """Folders an export must never replace: the sources, their runs, their base models."""
    found = []
    for src in srcs:
        found.append(src.folder)
        if src.run is not None and src.run.output_dir:
            found.append(Path(src.run.output_dir).expanduser())
        if Path(src.base_model).expanduser().is_dir():
            found.append(Path(src.base_model).expanduser())
    return tuple(found)


def files_size(folder: Path, names: Sequence[str]) -> int:
    return sum((folder / n).stat().st_size for n in names if (folder / n).is_file())


def write_tokenizer(target: Path, src: ExportSource, tokenizer=None) -> list[str]:
    """Copy the tokenizer files the run saved (or the base model's); a hub-id tokenizer is
    loaded and saved."""
    from .model import TOKENIZER_FILES, tokenizer_folder

    folder = Path(tokenizer_folder(src)).expanduser()
    if folder.is_dir():
        copied = folders.copy_files(folder, target, list(TOKENIZER_FILES))
        if copied:
            return copied
    if tokenizer is None:
        from ..modeling import load_tokenizer
        from ..runtime import bootstrap

        bootstrap()
        tokenizer = load_tokenizer(src.base_model, src.task)
    tokenizer.save_pretrained(str(target))
    return [n for n in TOKENIZER_FILES if (target / n).is_file()]


def labels_or_none(src: ExportSource) -> list[str] | None:
    """Class names for the card, when they can be told without loading anything."""
    from .sources import label_names

    try:
        return label_names(src)
    except StudioError:
        return None


def run_metrics(store, src: ExportSource) -> dict[str, Any]:
    """What the card reports: steps, last training loss and the final evaluation."""
    run = src.run
    if run is None:
        return {}
    if src.step is not None:
        return {"checkpoint step": src.step}
    metrics: dict[str, Any] = {}
    if run.last_step is not None:
        metrics["steps"] = f"{run.last_step}/{run.total_steps or '?'}"
    try:
        losses = store.metric_series(run.id).get("train/loss") or []
    except StudioError:
        losses = []
    if losses:
        metrics["final train loss"] = float(losses[-1].value)
    for key, value in (run.final_metrics or {}).items():
        if isinstance(value, (int, float)) and math.isfinite(value):
            metrics[key] = float(value)
    return metrics


def write_card(target: Path, info: card.CardInfo) -> str:
    (target / "README.md").write_text(card.render(info), encoding="utf-8")
    return "README.md"


def run_verification(kind: str, final: Path, src: ExportSource, inputs, reference, labels,
                     pad_id, dtype: str, report: Report, timeout_s: float) -> Verification:
    report("verifying", msg("export.reloading_export_fresh_process"))
    job = {"kind": kind, "folder": str(final), "base": src.base_model, "task": src.task,
           "labels": labels, "pad_token_id": pad_id, "inputs": inputs,
           "allow_pickle_weights": weightsafety.pickle_allowed()}
    verification = verify.check(job, reference, dtype, timeout_s)
    report("verifying", verification.summary(), 1, 1)
    return verification


def finish(kind: str, final: Path, dtype: str | None, files: list[str],
           srcs: Sequence[ExportSource], store, verification: Verification | None,
           details: dict[str, Any], report: Report) -> ExportResult:
    """Measure the export, record it with every run among the sources, report done."""
    size = folder_size(final)
    details = {**details, "files": sorted(files),
               "verification": verification.to_dict() if verification else None}
    run_ids: list[str] = []
    export_ids: list[int] = []
    for src in srcs:
        if src.run is None or src.run.id in run_ids:
            continue
        record = store.add_export(
            src.run.id, kind, final, dtype=dtype, size_bytes=size,
            verified=None if verification is None else verification.passed,
            max_abs_diff=None if verification is None else verification.max_abs_diff,
            details={**details, "step": src.step})
        run_ids.append(src.run.id)
        export_ids.append(int(record.id))
    result = ExportResult(kind, final, dtype, size, sorted(files), verification, run_ids,
                          export_ids, details)
    report("done", verification.summary() if verification
           else msg("export.done_not_verified", folder=final))
    return result
