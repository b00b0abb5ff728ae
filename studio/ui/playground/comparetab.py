"""The Compare tab: one prompt and the answers side by side.
The page connects its buttons and reads its widgets."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from .compare import CompareColumns
from .prompt import PromptEdit


class CompareTab(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.compare_input = PromptEdit()
        self.compare_input.setObjectName("compareInput")
        self.compare_input.setPlaceholderText(self.tr("One prompt, answered by the base model "
                                                      "and every loaded adapter"))
        self.compare_input.setMaximumHeight(70)
        layout.addWidget(self.compare_input)
        row = QHBoxLayout()
        self.compare_button = QPushButton(self.tr("Compare"))
        self.compare_stop = QPushButton(self.tr("Stop"))
        row.addWidget(self.compare_button)
        row.addWidget(self.compare_stop)
        row.addStretch(1)
        layout.addLayout(row)
        self.compare_columns = CompareColumns()
        layout.addWidget(self.compare_columns, 1)
