"""The Classify view: a text and every label's probability (``ClassifyTab``), and what the
page does with it (``ClassifyActions``)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from . import jobs
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


class ClassifyActions:
    """The Classify view's part of PlaygroundPage (a mixin)."""

    def _connect_classify(self, tab: ClassifyTab) -> None:
        self.classify_input, self.classify_button = tab.classify_input, tab.classify_button
        self.classify_result, self.chart = tab.classify_result, tab.chart
        tab.classify_input.sig_submit.connect(self.classify)
        tab.classify_button.clicked.connect(self.classify)

    def classify(self) -> None:
        text = self.classify_input.toPlainText().strip()
        if not text or not self._ready():
            return
        self._set_busy(True)
        self._start(jobs.classify, self.session, text, self.current_adapter(),
                    returned=self._on_classified,
                    errored=lambda exc: self._failed(exc, self.tr("Classification failed")),
                    finished=self._on_classify_done)

    def _on_classify_done(self) -> None:
        self._set_busy(False)
        self.sig_classified.emit()

    def _on_classified(self, ranked: list[tuple[str, float]]) -> None:
        self.chart.set_probabilities(ranked)
        if ranked:
            label, p = ranked[0]
            self.classify_result.setText(self.tr("Predicted: <b>%1</b> (%2)").replace(
                "%1", label).replace("%2", f"{p:.1%}"))
            self.classify_result.setToolTip(label)
