"""What the Runs page does off the GUI thread. Each function runs in a pool worker, opens its
own ``RunStore`` (one SQLite connection per thread), does one thing and returns plain data;
none touches a widget (``QCoreApplication.translate`` is thread-safe).

The store and run-file modules are imported inside the jobs: ``sqlite_utils`` pulls in pandas
and pyarrow (most of a second), which the window must not pay for before it opens.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QCoreApplication

from studio.core import atomic
from studio.core.errors import StudioError
from studio.core.records import CheckpointRecord, ExportRecord, RunRecord

if TYPE_CHECKING:
    from studio.core.store import RunStore

Series = dict[str, tuple[np.ndarray, np.ndarray]]   # "train/loss" -> (steps, values)


@dataclass
class RunList:
    runs: list[RunRecord]
    stamp: tuple[Any, ...]
    damaged: list[str] = field(default_factory=list)   # why each unreadable run is left out


@dataclass
class RunDetails:
    run: RunRecord
    checkpoints: list[CheckpointRecord]
    exports: list[ExportRecord]


@dataclass
class Selection:
    curves: dict[str, Series] = field(default_factory=dict)   # run id -> its series
    details: RunDetails | None = None


@dataclass
class DeletePlan:
    run: RunRecord
    metric_points: int
    checkpoints: int
    exports: int
    folder: Path | None
    folder_exists: bool
    folder_bytes: int
    folder_refusal: str | None = None   # why the folder stays even with "delete files"


def poll(store_path: Path | None) -> tuple[Any, ...]:
    from studio.core.store import RunStore

    with RunStore(store_path) as store:
        store.mark_orphans_failed()  # a headless run killed from a terminal shows as failed
        return store.change_stamp()


def load_runs(store_path: Path | None) -> RunList:
    from studio.core.store import RunStore

    with RunStore(store_path) as store:
        store.mark_orphans_failed()
        stamp = store.change_stamp()
        return RunList(store.list_runs(), stamp, [e.message for e in store.damaged_runs()])


def _series(store: RunStore, run_id: str) -> Series:
    out: Series = {}
    for key, points in store.metric_series(run_id).items():
        steps = np.fromiter((p.step for p in points), dtype=np.float64, count=len(points))
        values = np.fromiter((p.value for p in points), dtype=np.float64, count=len(points))
        out[key] = (steps, values)
    return out


def load_selection(store_path: Path | None, curve_ids: list[str],
                   detail_id: str | None) -> Selection:
    """Curves of ``curve_ids`` and details of ``detail_id``; runs deleted meanwhile are
    left out."""
    from studio.core.store import RunStore, UnknownRunError

    result = Selection()
    with RunStore(store_path) as store:
        for run_id in curve_ids:
            result.curves[run_id] = _series(store, run_id)
        if detail_id is not None:
            try:
                run = store.get_run(detail_id)
            except UnknownRunError:
                return result
            result.details = RunDetails(run, store.checkpoints(run.id), store.exports(run.id))
    return result


def plan_delete(store_path: Path | None, run_ids: list[str]) -> list[DeletePlan]:
    from studio.core.runfiles import folder_size, output_folder, removal_refusal
    from studio.core.store import RunStore

    plans = []
    with RunStore(store_path) as store:
        for run_id in run_ids:
            run = store.get_run(run_id)
            _refuse_training(run)
            folder = output_folder(run)
            exists = folder is not None and folder.is_dir()
            plans.append(DeletePlan(
                run=run,
                metric_points=sum(len(p) for p in store.metric_series(run_id).values()),
                checkpoints=len(store.checkpoints(run_id)), exports=len(store.exports(run_id)),
                folder=folder, folder_exists=exists,
                folder_bytes=folder_size(folder) if exists and folder is not None else 0,
                folder_refusal=removal_refusal(folder, run.id) if exists and folder else None))
    return plans


def delete_runs(store_path: Path | None, run_ids: list[str], with_files: bool) -> list[str]:
    """Folder first, then the rows: if the folder cannot go, the run stays listed. A folder
    that is not the run's own (the dialog showed it as kept) stays, and the run goes."""
    from studio.core.runfiles import output_folder, removal_refusal, remove_output_folder
    from studio.core.store import RunStore

    deleted = []
    with RunStore(store_path) as store:
        for run_id in run_ids:
            run = store.get_run(run_id)
            _refuse_training(run)
            folder = output_folder(run)
            if with_files and folder is not None and folder.exists() \
                    and removal_refusal(folder, run.id) is None:
                remove_output_folder(folder, run.id)
            store.delete_run(run_id)
            deleted.append(run_id)
    return deleted


def rename_run(store_path: Path | None, run_id: str, name: str) -> str:
    from studio.core.store import RunStore

    with RunStore(store_path) as store:
        store.rename_run(run_id, name)
    return run_id


def export_run_file(run: RunRecord, target: Path) -> Path:
    from studio.core.runfiles import run_file_text

    text = run_file_text(run, file_name=target.name)
    try:
        atomic.write_text(target, text)
    except OSError as exc:
        raise StudioError(translate("RunsPage", "Could not write {path}: {error}").format(
            path=target, error=exc)) from exc
    return target


# Called by this name (not a wrapper taking only the text) so that lupdate sees the context.
translate = QCoreApplication.translate


def _refuse_training(run: RunRecord) -> None:
    from studio.core.runfiles import is_training

    if is_training(run):
        raise StudioError(translate("RunsPage", "The run “{name}” ({id}) is still training; "
                                    "stop it before deleting it.").format(name=run.name,
                                                                          id=run.id))


# --- evaluations ---------------------------------------------------------------------------

def load_evaluations(store_path: Path | None, run_ids: list[str]) -> list[Any]:
    """The evaluations of ``run_ids``, and every other one on the same data files (by
    content: the base model's, other runs'), newest first."""
    from studio.core.store import RunStore

    with RunStore(store_path) as store:
        own = [e for run_id in run_ids for e in store.evaluations(run_id)]
        hashes = list(dict.fromkeys(e.data_sha256 for e in own))
        found = {e.id: e for e in own}
        for sha in hashes:
            found.update({e.id: e for e in store.evaluations(data_sha256=sha)})
    return sorted(found.values(), key=lambda e: (-e.created_at, -e.id))


def load_predictions(path: str) -> list[Any]:
    from studio.core.evaluate import predictions

    return predictions.read(path)


def write_csv(target: Path, text: str) -> Path:
    from studio.core.evaluate.predictions import write_text

    write_text(target, text)
    return target
