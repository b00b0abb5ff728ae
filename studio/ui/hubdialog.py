"""Settings ▸ Download source: where hub ids are downloaded from (studio.core.hub). The
official Hugging Face hub unless the user picks a mirror or ModelScope here."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from studio.core import hub
from studio.core.errors import StudioError
from studio.core.hub import HubChoice


def describe(chosen: HubChoice, offline: bool) -> str:
    """The status bar's words for a choice."""
    if chosen.source == "mirror":
        text = QCoreApplication.translate("HubDialog", "Downloads: mirror %1").replace(
            "%1", chosen.url)
    elif chosen.source == "modelscope":
        text = QCoreApplication.translate("HubDialog", "Downloads: ModelScope")
    else:
        text = QCoreApplication.translate("HubDialog", "Downloads: Hugging Face")
    if offline:
        text += QCoreApplication.translate("HubDialog", " (offline)")
    return text


class HubDialog(QDialog):
    def __init__(self, current: HubChoice, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("hubDialog")
        self.setWindowTitle(self.tr("Download source"))
        intro = QLabel(self.tr("Where models named by a hub id (org/name) are downloaded from. "
                               "Local folders are never looked up online."), self)
        intro.setWordWrap(True)
        self.official = QRadioButton(self.tr("Hugging Face (huggingface.co, the default)"), self)
        self.mirror = QRadioButton(self.tr("A Hugging Face mirror:"), self)
        self.modelscope = QRadioButton(self.tr("ModelScope (modelscope.cn, into the ModelScope "
                                               "cache)"), self)
        self.group = QButtonGroup(self)
        for button in (self.official, self.mirror, self.modelscope):
            self.group.addButton(button)
        self.url_edit = QLineEdit(self)
        self.url_edit.setObjectName("mirrorUrl")
        self.url_edit.setPlaceholderText("https://mirror.example.org")
        self.problem = QLabel(self)
        self.problem.setObjectName("hint")
        self.problem.setWordWrap(True)
        note = QLabel(self)
        note.setObjectName("hint")
        note.setWordWrap(True)
        note.setText(self.tr("Offline mode is on (HF_HUB_OFFLINE): nothing is downloaded; the "
                             "local cache alone is used.") if hub.offline() else
                     self.tr("Runs record the source they used. A run file's hub: section "
                             "overrides this choice."))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.official, self.mirror, self.url_edit, self.modelscope,
                       self.problem, note, self.buttons):
            layout.addWidget(widget)
        {"mirror": self.mirror, "modelscope": self.modelscope}.get(
            current.source, self.official).setChecked(True)
        self.url_edit.setText(current.endpoint or "")
        self.group.buttonToggled.connect(lambda *_: self._update())
        self.url_edit.textChanged.connect(lambda _t: self._update())
        self._update()

    def choice(self) -> HubChoice | None:
        """What is chosen; None while the mirror's address is not a valid URL."""
        if self.mirror.isChecked():
            try:
                return hub.choice("mirror", self.url_edit.text().strip())
            except StudioError:
                return None
        return HubChoice("modelscope" if self.modelscope.isChecked() else "huggingface")

    def _update(self) -> None:
        self.url_edit.setEnabled(self.mirror.isChecked())
        valid = self.choice() is not None
        self.problem.setText("" if valid else self.tr("Enter the mirror's address, starting "
                                                      "with https:// or http://"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(valid)
