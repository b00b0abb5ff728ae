"""The right-hand side of the Export page: where the export goes (and what is there now),
Export / Cancel with the progress of the stages, the command that does the same from a
terminal, and the banner that says why a kind of export is not offered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication, QTextOption
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from studio import paths
from studio.ui.common.messages import event_text, message_text
from studio.ui.common.pickleconsent import PickleConsent

from . import jobs
from .request import STAGES

# Where each stage sits on the progress bar (percent): loading and writing take longest.
STAGE_SPANS = {"checking": (0, 5), "loading": (5, 35), "merging": (35, 50),
               "writing": (50, 85), "verifying": (85, 100), "done": (100, 100)}
assert set(STAGE_SPANS) == set(STAGES)


def _restyle(widget: QWidget, state: str) -> None:
    widget.setProperty("state", state)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class OutputBox(QGroupBox):
    sig_changed = Signal()        # the folder, Overwrite or Verify changed
    sig_chosen = Signal(str)      # the user typed or browsed a folder ('' when cleared)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(self.tr("Output"), parent)
        self.out_edit = QLineEdit(self)
        self.out_edit.setObjectName("exportFolder")
        self.out_edit.setClearButtonEnabled(True)
        self.out_edit.setPlaceholderText(self.tr("a new or empty folder"))
        self.browse_button = QPushButton(self.tr("Browse…"), self)
        self.overwrite_check = QCheckBox(self.tr("Overwrite: replace an earlier export"), self)
        self.overwrite_check.setObjectName("overwriteCheck")
        self.overwrite_check.setToolTip(self.tr(
            "Only a folder PEFT Studio exported into is replaced, and only once the new export "
            "is complete; a folder of yours is never touched"))
        self.verify_check = QCheckBox(self.tr("Verify after export"), self)
        self.verify_check.setObjectName("verifyCheck")
        self.verify_check.setChecked(True)
        self.verify_check.setToolTip(self.tr(
            "Reload the export in a fresh process and compare its logits with the studio's on "
            "a few samples"))
        self.pickle_consent = PickleConsent(self)
        self.hint = QLabel(self)
        self.hint.setObjectName("folderHint")
        self.hint.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.out_edit, 1)
        row.addWidget(self.browse_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.hint)
        layout.addWidget(self.overwrite_check)
        layout.addWidget(self.verify_check)
        layout.addWidget(self.pickle_consent)
        self.out_edit.textEdited.connect(self.sig_chosen)
        self.out_edit.textChanged.connect(lambda _t: self.sig_changed.emit())
        self.overwrite_check.toggled.connect(lambda _c: self.sig_changed.emit())
        self.verify_check.toggled.connect(lambda _c: self.sig_changed.emit())
        self.pickle_consent.sig_changed.connect(lambda _c: self.sig_changed.emit())
        self.browse_button.clicked.connect(self.browse)

    def path(self) -> str:
        return self.out_edit.text().strip()

    def set_path(self, path: str) -> None:
        if path != self.out_edit.text():
            self.out_edit.setText(path)

    def browse(self) -> None:
        start = self.path() or str(paths.data_dir() / "exports")
        path = QFileDialog.getExistingDirectory(self, self.tr("Export into folder"), start)
        if path:
            self.set_path(str(Path(path)))
            self.sig_chosen.emit(path)

    def update_hint(self) -> None:
        """What is at the folder now: new, empty, or holding files (refused unless
        Overwrite)."""
        out = self.path()
        state = jobs.folder_state(out) if out else ""
        overwrite = self.overwrite_check.isChecked()
        texts = {"": ("", ""),
                 "new": (self.tr("A new folder is made."), ""),
                 "empty": (self.tr("The folder is empty."), ""),
                 "file": (self.tr("This is a file; choose a folder."), "bad"),
                 "export": ((self.tr("The earlier export in this folder is replaced once the "
                                     "new one is complete.") if overwrite else
                             self.tr("The folder holds an earlier export: choose another, or "
                                     "tick Overwrite.")),
                            "warn" if overwrite else "bad"),
                 "files": (self.tr("The folder already holds files that PEFT Studio did not "
                                   "export: choose another folder. Overwrite replaces only an "
                                   "earlier export."), "bad")}
        text, state_name = texts[state]
        self.hint.setText(text)
        _restyle(self.hint, state_name)


class RunControls(QWidget):
    """Export and Cancel, the progress bar over the stages, and the current stage's words."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.export_button = QPushButton(self.tr("Export"), self)
        self.export_button.setObjectName("exportButton")
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("cancelExportButton")
        self.cancel_button.setToolTip(self.tr("Stop the export; nothing is left behind"))
        for button in (self.export_button, self.cancel_button):
            button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("exportProgress")
        self.progress.setRange(0, 100)
        self.progress.hide()   # until an export starts
        self.stage_label = QLabel(self)
        self.stage_label.setObjectName("exportStage")
        self.stage_label.setWordWrap(True)
        self.stage_label.setTextFormat(Qt.TextFormat.PlainText)
        row = QHBoxLayout()
        row.setSpacing(6)
        row.addWidget(self.export_button)
        row.addWidget(self.cancel_button)
        row.addSpacing(8)
        row.addWidget(self.progress, 1)
        row.addStretch(0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(row)
        layout.addWidget(self.stage_label)

    def start(self) -> None:
        self.progress.show()
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("Starting…"))
        self.stage_label.setText(self.tr("Starting the export process…"))

    def show_progress(self, event: dict[str, Any]) -> None:
        """An ``export_progress`` event: the bar moves within its stage's span (shard i of n
        while writing), never back."""
        stage = str(event.get("stage") or "")
        current, total = int(event.get("current") or 0), int(event.get("total") or 0)
        value = self.progress.value()
        low, high = STAGE_SPANS.get(stage, (value, value))
        fraction = min(1.0, current / total) if total > 0 else 0.0
        self.progress.setValue(max(value, round(low + (high - low) * fraction)))
        names = {"checking": self.tr("Checking"), "loading": self.tr("Loading"),
                 "merging": self.tr("Merging"), "writing": self.tr("Writing"),
                 "verifying": self.tr("Verifying"), "done": self.tr("Done")}
        text = names.get(stage, stage)
        if total > 1:
            text = self.tr("{stage} {current} of {total}").format(stage=text, current=current,
                                                                  total=total)
        self.progress.setFormat(text)
        self.progress.show()
        message = event_text(event)
        self.stage_label.setText(message[:1].upper() + message[1:])

    def end(self, value: int, label: str, text: str) -> None:
        self.progress.setValue(value)
        self.progress.setFormat(label)
        self.stage_label.setText(text)

    def clear(self) -> None:
        self.progress.hide()
        self.stage_label.clear()


class CommandBox(QGroupBox):
    """The equivalent ``peft-studio export`` command, wrapped, with a Copy button."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(self.tr("Without the window"), parent)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.edit = QPlainTextEdit(self)
        self.edit.setObjectName("exportCommand")
        self.edit.setReadOnly(True)
        self.edit.setFont(mono)
        self.edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.edit.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.edit.setFixedHeight(self.edit.fontMetrics().lineSpacing() * 3 + 14)
        self.copy_button = QPushButton(self.tr("Copy"), self)
        self.copy_button.setObjectName("copyExportCommand")
        hint = QLabel(self.tr("The same export from a terminal:"), self)
        hint.setObjectName("hint")
        row = QHBoxLayout()
        row.addWidget(hint, 1)
        row.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.edit)
        self.copy_button.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.text()))

    def text(self) -> str:
        return self.edit.toPlainText()

    def set_text(self, text: str) -> None:
        if text != self.edit.toPlainText():
            self.edit.setPlainText(text)


class RefusalBanner(QFrame):
    """Why the chosen source cannot be exported one way (that tab is disabled, and the page
    is on the way it can be exported)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("refusalBanner")
        self.label = QLabel(self)
        self.label.setObjectName("refusalText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.label)
        self.hide()

    def show_refusals(self, merge: str | None, adapter: str | None, mode: str) -> None:
        """The chosen source's refusals; none while combining (the table's check speaks
        for each adapter there)."""
        if mode == "combine":
            merge = adapter = None
        if merge:
            self.label.setText(self.tr("No merged model for this source. {why}")
                               .format(why=message_text(merge)))
        elif adapter:
            self.label.setText(self.tr("No adapter export for this source: {why}.")
                               .format(why=message_text(adapter)))
        self.setVisible(bool(merge or adapter))
