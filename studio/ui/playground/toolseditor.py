"""The Tools editor of the Playground's side panel: the functions the model may call, as a
JSON list of OpenAI-style function definitions. Checked as it is typed
(``studio.core.playground.parse_tools``); a fault is named under it, in the panel."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.errors import StudioError
from studio.core.playground import parse_tools
from studio.ui.common.messages import error_text

EXAMPLE = [{"type": "function", "function": {
    "name": "get_weather", "description": "The current weather in a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                   "required": ["city"]}}}]


class ToolsEditor(QGroupBox):
    # object, not list: a list would go through QVariantMap, which sorts the keys (and the
    # prompt must keep the order the user wrote, as training keeps a file's).
    sig_changed = Signal(object)   # valid tools after an edit (an empty list: none)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(self.tr("Tools"), parent)
        self.setObjectName("toolsEditor")
        self.edit = QPlainTextEdit()
        self.edit.setObjectName("toolsText")
        self.edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.edit.setPlaceholderText(self.tr("JSON list of function definitions the model may "
                                             "call (optional)"))
        self.edit.setToolTip(self.tr(
            "OpenAI-style function definitions: [{\"type\": \"function\", \"function\": "
            "{\"name\": ..., \"description\": ..., \"parameters\": {JSON Schema}}}]. They are "
            "rendered into the prompt by the model's chat template, as in training."))
        self.edit.setMaximumHeight(110)
        self.status = QLabel()
        self.status.setObjectName("toolsStatus")
        self.status.setWordWrap(True)   # on a row of its own: a long fault wraps, whole
        self.example_button = QPushButton(self.tr("Insert example"))
        self.example_button.setToolTip(self.tr("A get_weather function, to start from"))
        self.example_button.clicked.connect(self.insert_example)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.example_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.edit)
        layout.addWidget(self.status)
        layout.addLayout(row)
        self._tools: list[dict[str, Any]] = []
        self._error: str = ""
        self.edit.textChanged.connect(self._on_text)
        self._on_text()

    def tools(self) -> list[dict[str, Any]]:
        """The last valid tools (check ``error()`` first: the text may not be valid now)."""
        return list(self._tools)

    def error(self) -> str:
        """What is wrong with the text, translated; empty when it is valid."""
        return self._error

    def set_tools(self, tools: list[dict[str, Any]]) -> None:
        self.edit.setPlainText(json.dumps(tools, indent=2, ensure_ascii=False) if tools else "")

    def insert_example(self) -> None:
        self.set_tools(EXAMPLE)

    def _on_text(self) -> None:
        try:
            tools = parse_tools(self.edit.toPlainText())
        except StudioError as exc:
            self._error = error_text(exc)
            self.status.setText(self._error)
            self.status.setToolTip(self._error)
            self.status.setProperty("state", "bad")
        else:
            self._error, self._tools = "", tools
            text = (self.tr("Valid: %1").replace(
                "%1", ", ".join(t["function"]["name"] for t in tools)) if tools
                else self.tr("No tools."))
            self.status.setText(text)
            self.status.setToolTip(text)
            self.status.setProperty("state", "good" if tools else "")
            self.sig_changed.emit(self.tools())
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
