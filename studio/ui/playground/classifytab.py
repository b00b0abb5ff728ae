"""The Classify tab: a text and every label's probability.
The page connects its buttons and reads its widgets."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from .charts import ProbabilityChart
from .prompt import PromptEdit


class ClassifyTab(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.classify_input = PromptEdit()
        self.classify_input.setObjectName("classifyInput")
        self.classify_input.setPlaceholderText(self.tr("Text to classify"))
        self.classify_input.setMaximumHeight(90)
        layout.addWidget(self.classify_input)
        row = QHBoxLayout()
        self.classify_button = QPushButton(self.tr("Classify"))
        row.addWidget(self.classify_button)
        self.classify_result = QLabel()
        self.classify_result.setObjectName("classifyResult")
        # a long label name must not widen the window: it wraps, or is cut (the tip has all)
        self.classify_result.setWordWrap(True)
        self.classify_result.setSizePolicy(QSizePolicy.Policy.Ignored,
                                           QSizePolicy.Policy.Preferred)
        row.addWidget(self.classify_result, 1)
        layout.addLayout(row)
        self.chart = ProbabilityChart()
        layout.addWidget(self.chart, 1)
