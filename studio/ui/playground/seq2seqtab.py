"""The Seq2seq view: an input text and the generated output (``Seq2seqTab``), and what the
page does with it (``Seq2seqActions``; the answer streams through the chat's generation)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from .prompt import PromptEdit


class Seq2seqTab(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.text_input = PromptEdit()
        self.text_input.setObjectName("seq2seqInput")
        self.text_input.setPlaceholderText(self.tr("Input text (for example: translate English "
                                                   "to German: …)"))
        layout.addWidget(self.text_input, 1)
        row = QHBoxLayout()
        self.generate_button = QPushButton(self.tr("Generate"))
        self.generate_stop = QPushButton(self.tr("Stop"))
        row.addWidget(self.generate_button)
        row.addWidget(self.generate_stop)
        row.addStretch(1)
        layout.addLayout(row)
        self.text_output = QTextBrowser()
        self.text_output.setObjectName("seq2seqOutput")
        layout.addWidget(self.text_output, 1)


class Seq2seqActions:
    """The Seq2seq view's part of PlaygroundPage (a mixin)."""

    def _connect_seq2seq(self, tab: Seq2seqTab) -> None:
        self.text_input, self.generate_button = tab.text_input, tab.generate_button
        self.generate_stop, self.text_output = tab.generate_stop, tab.text_output
        tab.text_input.sig_submit.connect(self.generate)
        tab.generate_button.clicked.connect(self.generate)
        tab.generate_stop.clicked.connect(self.stop)

    def generate(self) -> None:
        if not self.text_input.toPlainText().strip() or not self._ready():
            return
        settings = self._settings()
        if settings is not None:
            self._generate(settings, mode="text")
