"""The details of the current run: config (YAML), final and best metrics, checkpoints,
exports, and the error of a failed run."""

from __future__ import annotations

import math
import time
from typing import Any

import yaml
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studio.core.records import RunRecord
from studio.ui.common.messages import message_text

from .jobs import RunDetails, Series
from .model import format_value, short_model, status_label

Index = QModelIndex | QPersistentModelIndex

HIGHER_IS_BETTER = ("accuracy", "f1", "precision", "recall")
LOWER_IS_BETTER = ("loss", "perplexity")


def _when(stamp: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(stamp)) if stamp else ""


def _size(size: int | None) -> str:
    if size is None:
        return ""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return ""


class RowsModel(QAbstractTableModel):
    """A small read-only table of strings (the details tabs)."""

    def __init__(self, headers: list[str], parent: Any = None, numeric: tuple[int, ...] = ()):
        super().__init__(parent)
        self._headers = headers
        self._numeric = set(numeric)   # columns aligned right
        self._rows: list[tuple[str, ...]] = []

    def set_rows(self, rows: list[tuple[str, ...]]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rows(self) -> list[tuple[str, ...]]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self._headers)):
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self._numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def metric_rows(final: dict[str, Any] | None, series: Series | None) -> list[tuple[str, ...]]:
    """(metric, final, best, best step) for every recorded series and final metric."""
    rows: list[tuple[str, ...]] = []
    final = final or {}
    seen = set()
    for key, (steps, values) in sorted((series or {}).items()):
        split, _, name = key.partition("/")
        finite = [(s, v) for s, v in zip(steps.tolist(), values.tolist()) if math.isfinite(v)]
        last = final.get(name) if split == "eval" and name in final else (
            finite[-1][1] if finite else None)
        best = ""
        at = ""
        if finite and any(word in name for word in HIGHER_IS_BETTER + LOWER_IS_BETTER):
            pick = max if any(word in name for word in HIGHER_IS_BETTER) else min
            step, value = pick(finite, key=lambda p: p[1])
            best, at = format_value(value), str(int(step))
        shown = last if isinstance(last, (int, float)) else None
        rows.append((key, format_value(shown) if shown is not None else "", best, at))
        if split == "eval":
            seen.add(name)
    for name, value in final.items():
        if name not in seen:
            text = format_value(value) if isinstance(value, float) else str(value)
            rows.append((f"eval/{name}", text, "", ""))
    return rows


def _table(model: QAbstractTableModel, stretch: int) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)  # the long column
    return view


def _text_box() -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setReadOnly(True)
    box.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.Monospace)   # where the system names no fixed font
    box.setFont(font)
    return box


class RunDetailsView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setObjectName("runSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs = QTabWidget()
        self.config_text = _text_box()
        self.metrics_model = RowsModel([self.tr("Metric"), self.tr("Final"), self.tr("Best"),
                                        self.tr("Best at step")], self, numeric=(1, 2, 3))
        self.checkpoints_model = RowsModel([self.tr("Step"), self.tr("Path"), self.tr("Time")],
                                           self, numeric=(0,))
        self.exports_model = RowsModel([self.tr("Kind"), self.tr("Path"), self.tr("Type"),
                                        self.tr("Size"), self.tr("Verified"),
                                        self.tr("Created")], self, numeric=(3,))
        self.error_text = _text_box()
        self.metrics_view = _table(self.metrics_model, stretch=0)
        self.checkpoints_view = _table(self.checkpoints_model, stretch=1)
        self.exports_view = _table(self.exports_model, stretch=1)
        self.tabs.addTab(self.config_text, self.tr("Config"))
        self.tabs.addTab(self.metrics_view, self.tr("Metrics"))
        self.tabs.addTab(self.checkpoints_view, self.tr("Checkpoints"))
        self.tabs.addTab(self.exports_view, self.tr("Exports"))
        self.error_index = self.tabs.addTab(self.error_text, self.tr("Error"))
        self.setMinimumWidth(320)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        self._details: RunDetails | None = None
        self.show_details(None)

    def details(self) -> RunDetails | None:
        return self._details

    def show_details(self, details: RunDetails | None, series: Series | None = None) -> None:
        previous = self._details.run.id if self._details is not None else None
        self._details = details
        self.tabs.setEnabled(details is not None)
        if details is None:
            self.summary.setText(self.tr("Select a run to see its config, metrics and "
                                         "checkpoints."))
            for model in (self.metrics_model, self.checkpoints_model, self.exports_model):
                model.set_rows([])
            self.config_text.clear()
            self.error_text.clear()
            self.tabs.setTabVisible(self.error_index, False)
            return
        run = details.run
        self.summary.setText(self._summary(details))
        self.config_text.setPlainText(
            yaml.safe_dump(run.config, sort_keys=False, allow_unicode=True))
        self.set_series(series)
        self.checkpoints_model.set_rows([(str(c.step), c.path, _when(c.created_at))
                                         for c in details.checkpoints])
        yes, no = self.tr("yes"), self.tr("no")
        self.exports_model.set_rows([
            (e.kind, e.path, e.dtype or "", _size(e.size_bytes),
             "" if e.verified is None else (yes if e.verified else no), _when(e.created_at))
            for e in details.exports])
        failed = run.status == "failed" or bool(run.error)
        self.error_text.setPlainText(self._error(run))
        self.tabs.setTabVisible(self.error_index, failed)
        if failed and run.id != previous:
            self.tabs.setCurrentIndex(self.error_index)   # why it failed is what one looks for

    def _error(self, run: RunRecord) -> str:
        """Why the run failed, in the user's language (a run stored before errors had codes:
        its English as it is), then the untranslated traceback or stderr tail behind it."""
        text = message_text(run.error).strip() or self.tr("The run failed without a message.")
        if run.error_detail:
            text += "\n\n" + self.tr("Technical details (for a bug report):") + "\n" + \
                run.error_detail.rstrip()
        return text

    def set_series(self, series: Series | None) -> None:
        final = self._details.run.final_metrics if self._details else None
        self.metrics_model.set_rows(metric_rows(final, series))

    def _summary(self, details: RunDetails) -> str:
        run = details.run
        parts = [f"<b>{_escape(run.name)}</b>", _escape(run.id), status_label(run.status)]
        if run.model:
            parts.append(_escape(short_model(run.model)))
        if run.trainable_params is not None and run.total_params:
            parts.append(self.tr("{trainable:,} of {total:,} parameters trained ({pct:.2f}%)")
                         .format(trainable=run.trainable_params, total=run.total_params,
                                 pct=100 * run.trainable_params / run.total_params))
        spread = self._distributed_text(run.config)
        if spread:
            parts.append(_escape(spread))
        text = " · ".join(parts)
        if run.output_dir:
            text += "<br>" + self.tr("Output: {folder}").format(folder=_escape(run.output_dir))
        return text

    def _distributed_text(self, config: dict[str, Any]) -> str | None:
        """"4 workers on 2 hosts (...)" for a data parallel run, None for one process."""
        section = config.get("distributed") or {}
        workers = int(section.get("workers") or 1)
        if workers <= 1:
            return None
        hosts = section.get("hosts") or []
        if len(hosts) > 1:
            return self.tr("{workers} workers on {hosts} hosts ({names}, port {port})").format(
                workers=workers, hosts=len(hosts), names=", ".join(hosts),
                port=section.get("master_port"))
        return self.tr("{workers} workers on one host").format(workers=workers)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
