"""The run file the forms describe, and the command that runs it without the window."""

from __future__ import annotations

import re
import shlex

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.config import RunConfig


def file_stem(config: RunConfig) -> str:
    """A file-name-safe stem for a run file: the run name, else method and model."""
    base = config.name or f"{config.method.name}-{config.model.rstrip('/').split('/')[-1]}"
    stem = re.sub(r"[^\w.-]+", "-", base, flags=re.UNICODE).strip("-.")
    return stem or "run"


def train_command(path: str) -> str:
    return f"peft-studio train {shlex.quote(path)}"


class RunFilePanel(QWidget):
    sig_save_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.yaml_view = QPlainTextEdit(self)
        self.yaml_view.setObjectName("runFilePreview")
        self.yaml_view.setReadOnly(True)
        self.yaml_view.setFont(mono)
        self.yaml_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.command = QLineEdit(self)
        self.command.setObjectName("trainCommand")
        self.command.setReadOnly(True)
        self.command.setFont(mono)
        self.copy_yaml = QPushButton(self.tr("Copy run file"), self)
        self.copy_command = QPushButton(self.tr("Copy command"), self)
        self.save = QPushButton(self.tr("Save run file…"), self)
        self.hint = QLabel(self)
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.save)
        buttons.addWidget(self.copy_yaml)
        buttons.addStretch(1)
        command_row = QHBoxLayout()
        command_row.addWidget(self.command, 1)
        command_row.addWidget(self.copy_command)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 8, 8, 8)
        column.addLayout(buttons)
        column.addWidget(self.yaml_view, 1)
        column.addWidget(self.hint)
        column.addLayout(command_row)

        self.copy_yaml.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.yaml_view.toPlainText()))
        self.copy_command.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.command.text()))
        self.save.clicked.connect(self.sig_save_requested)
        self._saved_path: str | None = None
        self._saved_text = ""

    def mark_saved(self, path: str, config: RunConfig) -> None:
        self._saved_path, self._saved_text = path, config.dump_yaml()
        self.set_config(config)

    def set_config(self, config: RunConfig) -> None:
        text = config.dump_yaml()
        if text != self.yaml_view.toPlainText():
            bar = self.yaml_view.verticalScrollBar()
            position = bar.value()
            self.yaml_view.setPlainText(text)
            bar.setValue(position)
        path = self._saved_path or f"{file_stem(config)}.yaml"
        self.command.setText(train_command(path))
        if self._saved_path and text == self._saved_text:
            self.hint.setText(self.tr("Saved as %1. The same run without the window:")
                              .replace("%1", self._saved_path))
        elif self._saved_path:
            self.hint.setText(self.tr("The forms changed since %1 was saved; save again, then "
                                      "run it without the window:").replace("%1", self._saved_path))
        else:
            self.hint.setText(self.tr("Save the run file, then run the same training without "
                                      "the window:"))
