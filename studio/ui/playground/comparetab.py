"""The Compare view: one prompt and the answers of the base model and every adapter side by
side (``CompareTab``), and what the page does with it (``CompareActions``)."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from . import jobs
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


class CompareActions:
    """The Compare view's part of PlaygroundPage (a mixin: it uses the page's session, busy
    state, jobs and signals)."""

    def _connect_compare(self, tab: CompareTab) -> None:
        self.compare_input, self.compare_button = tab.compare_input, tab.compare_button
        self.compare_stop, self.compare_columns = tab.compare_stop, tab.compare_columns
        tab.compare_input.sig_submit.connect(self.run_compare)
        tab.compare_button.clicked.connect(self.run_compare)
        tab.compare_stop.clicked.connect(self.stop)

    def run_compare(self) -> None:
        prompt = self.compare_input.toPlainText().strip()
        if not prompt or not self._ready():
            return
        settings = self._chat_settings()   # refused while the tools have a fault
        if settings is None:
            return
        names: list[str | None] = [None, *self.session.adapters]
        self.compare_columns.set_models(names)
        self._stop = threading.Event()
        self._set_busy(True)
        self._start(jobs.compare, self.session, prompt, names, settings, self.sampling.system(),
                    self._stop, self._sig_compare.emit, self.conversation.tools or None,
                    returned=self._on_compared,
                    errored=lambda exc: self._failed(exc, self.tr("Compare failed")),
                    finished=self._on_compare_done)

    def _on_compare_item(self, item: tuple[Any, ...]) -> None:
        if item[0] == "start":
            self.compare_columns.start(item[1])
        else:
            self.compare_columns.append(item[1], item[2])

    def _on_compared(self, answers: dict[Any, Any]) -> None:
        for name, answer in answers.items():
            if isinstance(answer, list):   # a classifier: [(label, probability), ...]
                self.compare_columns.set_text(name, "\n".join(f"{label}: {p:.1%}"
                                                              for label, p in answer))

    def _on_compare_done(self) -> None:
        self.compare_columns.finish(self._stop.is_set())
        self._set_busy(False)
        self.sig_compare_finished.emit()
