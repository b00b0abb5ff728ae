"""The bar above the run table: search text, status / model / method filters, a count and
the refresh button; and the tool bar of run actions."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolBar,
    QToolButton,
    QWidget,
)

from studio.core.records import STATUSES, RunRecord
from studio.ui.common import icons

from .model import short_model, status_label


def action_bar(actions: list[QAction], parent: QWidget | None = None) -> QToolBar:
    bar = QToolBar(parent)
    bar.setObjectName("runsActions")
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    bar.setMovable(False)
    bar.setFloatable(False)
    for action in actions:
        bar.addAction(action)
    return bar


class FilterBar(QWidget):
    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setObjectName("runsSearch")
        self.search.setPlaceholderText(self.tr("Search name, id, model, dataset…"))
        self.search.setClearButtonEnabled(True)
        self.status_combo = self._combo("statusFilter", self.tr("All statuses"))
        for status in STATUSES:
            self.status_combo.addItem(status_label(status), status)
        self.model_combo = self._combo("modelFilter", self.tr("All models"))
        self.method_combo = self._combo("methodFilter", self.tr("All methods"))
        self.count_label = QLabel()
        self.count_label.setObjectName("runsCount")
        self.refresh_button = QToolButton()
        self.refresh_button.setObjectName("runsRefresh")
        self.refresh_button.setText(self.tr("Refresh"))
        self.refresh_button.setToolTip(self.tr("Read the run history again"))
        self.refresh_button.setIcon(icons.icon("refresh"))
        self.refresh_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search, 2)
        for label, combo in ((self.tr("Status"), self.status_combo),
                             (self.tr("Model"), self.model_combo),
                             (self.tr("Method"), self.method_combo)):
            buddy = QLabel(label)
            buddy.setBuddy(combo)
            layout.addWidget(buddy)
            layout.addWidget(combo, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(self.refresh_button)
        self.search.textChanged.connect(self.sig_changed)

    def _combo(self, name: str, everything: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.addItem(everything, None)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(10)
        combo.currentIndexChanged.connect(self.sig_changed)
        return combo

    def values(self) -> dict[str, Any]:
        return {"status": self.status_combo.currentData(), "model": self.model_combo.currentData(),
                "method": self.method_combo.currentData(), "search": self.search.text()}

    def set_choices(self, runs: list[RunRecord]) -> None:
        """Models and methods as recorded; the current choice stays even if no run has it."""
        models = sorted({r.model for r in runs if r.model}, key=lambda m: short_model(m).lower())
        methods = sorted({r.method for r in runs if r.method})
        for combo, values, label in ((self.model_combo, models, short_model),
                                     (self.method_combo, methods, str)):
            current = combo.currentData()
            wanted = values + ([current] if current is not None and current not in values
                               else [])
            have = [combo.itemData(i) for i in range(1, combo.count())]
            if have == wanted:
                continue
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for value in wanted:
                combo.addItem(label(value), value)
                combo.setItemData(combo.count() - 1, value, Qt.ItemDataRole.ToolTipRole)
            combo.setCurrentIndex(max(combo.findData(current), 0) if current is not None else 0)
            combo.blockSignals(False)

    def set_count(self, shown: int, total: int) -> None:
        self.count_label.setText(self.tr("{total} runs").format(total=total) if shown == total
                                 else self.tr("{shown} of {total} runs").format(
                                     shown=shown, total=total))

    def clear(self) -> None:
        for widget in (self.status_combo, self.model_combo, self.method_combo):
            widget.blockSignals(True)
            widget.setCurrentIndex(0)
            widget.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.sig_changed.emit()
