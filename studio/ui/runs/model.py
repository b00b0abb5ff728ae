"""The run history as a Qt table: one row per ``RunRecord``, raw values under ``SORT_ROLE`` so
the proxy sorts numbers as numbers, and a filter proxy for status, model, method and search."""

from __future__ import annotations

import dataclasses
import time
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from studio.core.names import shown_name
from studio.core.records import STATUSES, RunRecord
from studio.ui.common.messages import message_text

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
RUN_ROLE = Qt.ItemDataRole.UserRole + 2      # the RunRecord of the row

Index = QModelIndex | QPersistentModelIndex

STATUS_COLORS = {
    "pending": QColor("#8a8f98"),
    "running": QColor("#2f7fd1"),
    "completed": QColor("#2e9e5b"),
    "stopped": QColor("#d18b1f"),
    "early_stopped": QColor("#7a5fc7"),
    "failed": QColor("#d64545"),
}


def status_label(status: str) -> str:
    labels = {
        "pending": QCoreApplication.translate("RunStatus", "pending"),
        "running": QCoreApplication.translate("RunStatus", "running"),
        "completed": QCoreApplication.translate("RunStatus", "completed"),
        "stopped": QCoreApplication.translate("RunStatus", "stopped"),
        "early_stopped": QCoreApplication.translate("RunStatus", "early stopped"),
        "failed": QCoreApplication.translate("RunStatus", "failed"),
    }
    return labels.get(status, status)


def short_model(model: str | None) -> str:
    """A folder's last part or a hub id's name: ``/m/Qwen2-0.5B`` and ``Qwen/Qwen2-0.5B`` both
    read ``Qwen2-0.5B``."""
    if not model:
        return ""
    return Path(model.rstrip("/\\")).name or model


def headline_metric(metrics: dict[str, Any] | None) -> tuple[str, float] | None:
    """The one final metric the table shows: accuracy where there is one, else eval loss."""
    if not metrics:
        return None
    for key in ("accuracy", "eval_loss", "perplexity"):
        value = metrics.get(key)
        if isinstance(value, (int, float)):
            return key, float(value)
    for key, value in metrics.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return key, float(value)
    return None


def duration_s(run: RunRecord, now: float | None = None) -> float | None:
    if run.started_at is None:
        return None
    end = run.finished_at if run.finished_at is not None else (
        (now or time.time()) if run.status == "running" else run.updated_at)
    return max(0.0, end - run.started_at)


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m {seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


def format_value(value: float) -> str:
    return f"{value:.4g}"


class Column(IntEnum):
    NAME = 0
    STATUS = 1
    MODEL = 2
    METHOD = 3
    TASK = 4
    STEPS = 5
    METRIC = 6
    CREATED = 7
    DURATION = 8


_NUMERIC = {Column.STEPS, Column.METRIC, Column.DURATION}


class RunsTableModel(QAbstractTableModel):
    """Rows keep their order of arrival; the proxy sorts. ``set_runs`` updates rows in place,
    so selections (persistent indexes) survive a refresh."""

    sig_rename_requested = Signal(str, str)   # run id, new name (the page writes the store)

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._runs: list[RunRecord] = []

    # --- contents -------------------------------------------------------------------------

    def set_runs(self, runs: list[RunRecord]) -> None:
        wanted = {r.id: r for r in runs}
        for row in range(len(self._runs) - 1, -1, -1):
            if self._runs[row].id not in wanted:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._runs[row]
                self.endRemoveRows()
        for row, old in enumerate(self._runs):
            new = wanted.pop(old.id)
            if new != old:
                self._runs[row] = new
                self.dataChanged.emit(self.index(row, 0),
                                      self.index(row, self.columnCount() - 1))
        if wanted:
            added = [r for r in runs if r.id in wanted]
            first = len(self._runs)
            self.beginInsertRows(QModelIndex(), first, first + len(added) - 1)
            self._runs.extend(added)
            self.endInsertRows()

    def runs(self) -> list[RunRecord]:
        return list(self._runs)

    def run_at(self, row: int) -> RunRecord:
        return self._runs[row]

    def row_of(self, run_id: str) -> int | None:
        for row, run in enumerate(self._runs):
            if run.id == run_id:
                return row
        return None

    # --- QAbstractTableModel --------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._runs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Name"), self.tr("Status"), self.tr("Model"), self.tr("Method"),
                    self.tr("Task"), self.tr("Steps"), self.tr("Final metric"),
                    self.tr("Created"), self.tr("Duration"))[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and Column(section) in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == Column.NAME:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._runs):
            return None
        run, column = self._runs[index.row()], Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(run, column)
        if role == Qt.ItemDataRole.EditRole:
            return run.name if column == Column.NAME else self._display(run, column)
        if role == SORT_ROLE:
            return self._sort_key(run, column)
        if role == RUN_ROLE:
            return run
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(run, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == Column.STATUS:
            return STATUS_COLORS.get(run.status)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802 - Qt override
        if (role != Qt.ItemDataRole.EditRole or not index.isValid()
                or index.column() != Column.NAME):
            return False
        name = str(value).strip()
        run = self._runs[index.row()]
        if not name or name == run.name:
            return False
        # shown at once; the page writes the store and reloads (which undoes it on failure)
        self._runs[index.row()] = dataclasses.replace(run, name=name)
        self.dataChanged.emit(index, index)
        self.sig_rename_requested.emit(run.id, name)
        return True

    # --- cells ----------------------------------------------------------------------------

    def _display(self, run: RunRecord, column: Column) -> str:
        if column == Column.NAME:
            return shown_name(run.name)  # control characters from an older store, escaped
        if column == Column.STATUS:
            return status_label(run.status)
        if column == Column.MODEL:
            return short_model(run.model)
        if column == Column.METHOD:
            return run.method or ""
        if column == Column.TASK:
            return run.task or ""
        if column == Column.STEPS:
            if run.last_step is None and run.total_steps is None:
                return ""
            total = run.total_steps if run.total_steps is not None else "?"
            return f"{run.last_step or 0} / {total}"
        if column == Column.METRIC:
            headline = headline_metric(run.final_metrics)
            return f"{headline[0]} {format_value(headline[1])}" if headline else ""
        if column == Column.CREATED:
            return time.strftime("%Y-%m-%d %H:%M", time.localtime(run.created_at))
        return format_duration(duration_s(run))

    def _sort_key(self, run: RunRecord, column: Column) -> Any:
        if column == Column.NAME:
            return run.name.lower()
        if column == Column.STATUS:
            return STATUSES.index(run.status) if run.status in STATUSES else len(STATUSES)
        if column == Column.STEPS:
            return run.last_step
        if column == Column.METRIC:
            headline = headline_metric(run.final_metrics)
            return headline[1] if headline else None
        if column == Column.CREATED:
            return run.created_at
        if column == Column.DURATION:
            return duration_s(run)
        return self._display(run, column).lower()

    def _tooltip(self, run: RunRecord, column: Column) -> str | None:
        if column == Column.NAME:
            return self.tr("Run {id}\nOutput: {folder}").format(
                id=run.id, folder=run.output_dir or self.tr("(none)"))
        if column == Column.MODEL:
            return run.model or None
        if column == Column.STATUS and run.error:
            return (message_text(run.error).strip().splitlines() or [None])[0]
        if column == Column.METRIC and run.final_metrics:
            return "\n".join(f"{k}: {format_value(v) if isinstance(v, float) else v}"
                             for k, v in run.final_metrics.items())
        return None


class RunsFilterProxy(QSortFilterProxyModel):
    """Sorts on ``SORT_ROLE`` (missing values last) and filters on exact status, model and
    method plus a case-insensitive search over id, name, model, dataset and method."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)
        self._status: str | None = None
        self._model: str | None = None
        self._method: str | None = None
        self._search = ""

    def set_filters(self, *, status: str | None = None, model: str | None = None,
                    method: str | None = None, search: str = "") -> None:
        self.beginFilterChange()
        self._status, self._model, self._method = status, model, method
        self._search = search.strip().lower()
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802 - Qt override
        source = self.sourceModel()
        if not isinstance(source, RunsTableModel):
            return True
        run = source.run_at(source_row)
        if self._status is not None and run.status != self._status:
            return False
        if self._model is not None and run.model != self._model:
            return False
        if self._method is not None and run.method != self._method:
            return False
        if self._search:
            haystack = (run.id, run.name, run.model, run.dataset, run.method)
            return any(self._search in (text or "").lower() for text in haystack)
        return True

    def lessThan(self, left: Index, right: Index) -> bool:  # noqa: N802 - Qt override
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if a is None or b is None:
            # missing values sort after present ones, whichever the direction
            ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
            return (a is not None) if ascending else (a is None and b is not None)
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)
