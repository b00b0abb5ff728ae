"""What an export produced: where, how big, which files, and whether the reloaded export gave
the studio's logits (green) or not (red), with the numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from studio.ui.common import dialogs
from studio.ui.common.messages import event_text
from studio.ui.train.widgets import make_form

SHOWN_FILES = 8


def size_text(size: int | None) -> str:
    """1024-based, as the Runs page lists exports: 131,600 bytes read 128.5 KB."""
    if size is None:
        return "?"
    value = float(size)
    for unit in ("B", "KB", "MB"):
        if value < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def _number(value: Any) -> str:
    return f"{float(value):.3g}" if isinstance(value, (int, float)) else "?"


class ResultPanel(QGroupBox):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(self.tr("Result"), parent)
        self.setObjectName("exportResult")
        self._path: Path | None = None
        self.headline = QLabel(self)
        self.headline.setObjectName("resultHeadline")
        self.headline.setWordWrap(True)
        self.path_label = self._value()
        self.size_label = self._value()
        self.files_label = self._value()
        self.verification_label = self._value()
        self.verification_label.setObjectName("verificationLabel")
        self.open_button = QPushButton(self.tr("Open folder"), self)
        self.open_button.setObjectName("openExportFolder")
        form = make_form()
        form.addRow(self.tr("Folder"), self.path_label)
        form.addRow(self.tr("Size"), self.size_label)
        form.addRow(self.tr("Files"), self.files_label)
        form.addRow(self.tr("Verification"), self.verification_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.open_button.clicked.connect(self.open_folder)

    def _value(self) -> QLabel:
        label = QLabel(self)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def clear(self) -> None:
        self._path = None
        self.hide()

    def path(self) -> Path | None:
        return self._path

    def show_result(self, result: dict[str, Any]) -> None:
        """``result``: the export_finished event (ExportResult fields + ok)."""
        self._path = Path(str(result.get("path") or ""))
        kinds = {"adapter": self.tr("Adapter exported"),
                 "merged": self.tr("Merged model exported"),
                 "combined": self.tr("Combined adapter exported")}
        headline = kinds.get(str(result.get("kind")), self.tr("Exported"))
        if result.get("dtype"):
            headline += f" ({result['dtype']})"
        self.headline.setText(headline)
        self.path_label.setText(str(self._path))
        self.size_label.setText(size_text(result.get("size_bytes")))
        files = [str(f) for f in result.get("files") or []]
        shown = ", ".join(files[:SHOWN_FILES])
        if len(files) > SHOWN_FILES:
            shown += " " + self.tr("and {count} more").format(count=len(files) - SHOWN_FILES)
        self.files_label.setText(shown)
        self.files_label.setToolTip("\n".join(files))
        self._show_verification(result.get("verification"))
        self.open_button.setEnabled(True)
        self.show()

    def _show_verification(self, verification: dict[str, Any] | None) -> None:
        label = self.verification_label
        if not verification:
            state = "skipped"
            text = self.tr("Not verified (verification was switched off)")
        elif verification.get("max_abs_diff") is None:
            state = "failed"
            text = self.tr("Failed: the export did not reload: {error}").format(
                error=event_text(verification, "error") or "?")
        else:
            passed = bool(verification.get("passed"))
            state = "passed" if passed else "failed"
            template = (self.tr("Passed: max |logit difference| {diff} ≤ tolerance {tol}")
                        if passed else
                        self.tr("FAILED: max |logit difference| {diff} > tolerance {tol}"))
            text = template.format(diff=_number(verification.get("max_abs_diff")),
                                   tol=_number(verification.get("tolerance")))
            details = self.tr("{dtype}, {samples} samples, {seconds} s").format(
                dtype=verification.get("dtype", "?"), samples=verification.get("samples", "?"),
                seconds=f"{float(verification.get('seconds') or 0):.1f}")
            text += f"\n{details}"
            if verification.get("error"):
                text += "\n" + event_text(verification, "error")
        label.setText(text)
        label.setProperty("state", state)
        label.style().unpolish(label)
        label.style().polish(label)

    def verification_state(self) -> str:
        return str(self.verification_label.property("state") or "")

    def open_folder(self) -> None:
        folder = self._path
        if folder is None or not folder.is_dir():
            dialogs.show_error(self, self.tr("No export folder"), self.tr(
                "The folder {folder} does not exist (any more).").format(folder=folder),
                modal=False)
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            dialogs.show_error(self, self.tr("Could not open the folder"), self.tr(
                "No file manager opened {folder}.").format(folder=folder), modal=False)
