"""The Seq2seq tab: an input text and the generated output.
The page connects its buttons and reads its widgets."""

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
