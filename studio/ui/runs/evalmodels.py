"""Item models of the Evaluations tab: the comparison of evaluations on one data file (one
row per target, a column per metric, sortable by any) and the predictions (wrong ones
first, filterable by text and to the wrong ones), plus CSV text of any table."""

from __future__ import annotations

import csv
import io
import math
import time
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from studio.core.evaluate.runner import Prediction
from studio.core.records import EvaluationRecord

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
RECORD_ROLE = Qt.ItemDataRole.UserRole + 2
# Metrics first in this order, then any others alphabetically
PREFERRED = ("accuracy", "label_accuracy", "macro_f1", "weighted_f1", "exact_match",
             "rouge_l", "bleu", "chrf", "perplexity", "loss")
WRONG = QColor("#fdecea")
NO_PARENT = QModelIndex()   # the default parent of a flat table's rows


def metric_keys(records: list[EvaluationRecord]) -> list[str]:
    """The numeric top-level metrics of ``records``, preferred ones first."""
    keys = {k for r in records for k, v in r.metrics.items()
            if isinstance(v, (int, float)) and not isinstance(v, bool) and k != "tokens"}
    return [k for k in PREFERRED if k in keys] + sorted(keys - set(PREFERRED))


def _number(value: Any) -> str:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return ""
    if isinstance(value, float) and not math.isfinite(value):
        return "∞" if value > 0 else ""
    return f"{value:.4f}" if isinstance(value, float) else str(value)


class ComparisonModel(QAbstractTableModel):
    FIXED = 4   # target, data file, rows, when

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._records: list[EvaluationRecord] = []
        self._keys: list[str] = []

    def set_records(self, records: list[EvaluationRecord]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self._keys = metric_keys(self._records)
        self.endResetModel()

    def records(self) -> list[EvaluationRecord]:
        return list(self._records)

    def metric_columns(self) -> list[str]:
        return list(self._keys)

    def rowCount(self, parent: Index = NO_PARENT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = NO_PARENT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else self.FIXED + len(self._keys)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        fixed = (self.tr("Target"), self.tr("Data file"), self.tr("Rows"), self.tr("When"))
        if section < self.FIXED:
            return fixed[section]
        return self._keys[section - self.FIXED] if section - self.FIXED < len(self._keys) \
            else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record, column = self._records[index.row()], index.column()
        if role == RECORD_ROLE:
            return record
        value: Any
        if column == 0:
            value = record.target
        elif column == 1:
            value = record.data_path.replace("\\", "/").rsplit("/", 1)[-1]
        elif column == 2:
            value = record.rows
        elif column == 3:
            value = record.created_at
        else:
            value = record.metrics.get(self._keys[column - self.FIXED])
        if role == SORT_ROLE:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return float(value)
            return -math.inf if value is None else str(value)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 3:
                return time.strftime("%Y-%m-%d %H:%M", time.localtime(value))
            return _number(value) if column >= 2 else value
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            return record.data_path
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class PredictionsModel(QAbstractTableModel):
    HEADERS = ("#", "Input", "Reference", "Prediction", "Score", "Correct")

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._rows: list[Prediction] = []

    def set_predictions(self, predictions: list[Prediction]) -> None:
        """Worst first: wrong ones, then by score (the lowest probability of the reference,
        ROUGE-L, label hit; for plain text, where nothing is right or wrong, the highest
        perplexity)."""
        def badness(p: Prediction) -> tuple[bool, float, int]:
            score = p.score if p.score is not None else math.inf
            return p.correct is not False, -score if p.correct is None else score, p.number

        self.beginResetModel()
        self._rows = sorted(predictions, key=badness)
        self.endResetModel()

    def predictions(self) -> list[Prediction]:
        return list(self._rows)

    def rowCount(self, parent: Index = NO_PARENT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = NO_PARENT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        names = ("#", self.tr("Input"), self.tr("Reference"), self.tr("Prediction"),
                 self.tr("Score"), self.tr("Correct"))
        return names[section] if 0 <= section < len(names) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        values = (row.number, row.input, row.reference, row.prediction, row.score, row.correct)
        value = values[column]
        if role == SORT_ROLE:
            if column == 5:
                return -1.0 if value is None else float(value)
            return (value if value is not None else -math.inf) if column in (0, 4) \
                else str(value)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 5:
                return "" if value is None else (self.tr("yes") if value else self.tr("no"))
            if column == 4:
                return _number(value)
            return " ".join(str(value).split()) if column in (1, 2, 3) else value
        if role == Qt.ItemDataRole.ToolTipRole and column in (1, 2, 3):
            return str(value)
        if role == Qt.ItemDataRole.BackgroundRole and row.correct is False:
            return WRONG
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 4):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class PredictionsProxy(QSortFilterProxyModel):
    """Text filter over input, reference and prediction; optionally the wrong ones only."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._text = ""
        self._wrong_only = False
        self.setSortRole(SORT_ROLE)

    def set_filter(self, text: str, wrong_only: bool) -> None:
        self.beginFilterChange()
        self._text, self._wrong_only = text.casefold().strip(), wrong_only
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802 - Qt override
        model = self.sourceModel()
        if not isinstance(model, PredictionsModel):
            return True
        row = model.predictions()[source_row]
        if self._wrong_only and row.correct is not False:
            return False
        return not self._text or any(self._text in str(v).casefold()
                                     for v in (row.input, row.reference, row.prediction))


def table_csv(model: QAbstractTableModel) -> str:
    """The table as CSV: its header, then each row as shown (full texts, not elided)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = range(model.columnCount())
    writer.writerow([model.headerData(c, Qt.Orientation.Horizontal) for c in columns])
    for r in range(model.rowCount()):
        cells = (model.index(r, c) for c in columns)
        writer.writerow([i.data(Qt.ItemDataRole.ToolTipRole) or i.data() or "" for i in cells])
    return out.getvalue()
