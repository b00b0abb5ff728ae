"""The download dialog: a hub model's size first, then files, bytes, speed and time left, with
Cancel (what was fetched stays in the hub's cache; downloading again resumes)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from studio.ui.common.messages import message_text
from studio.ui.model.units import size as human_bytes


class DownloadDialog(QDialog):
    sig_downloaded = Signal(str)   # the hub id, once it is in the cache

    def __init__(self, model: str, worker: Any, allow_pickle: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("downloadDialog")
        self.setWindowTitle(self.tr("Download %1").replace("%1", model))
        self.setMinimumWidth(460)
        self.model = model
        self.worker = worker
        self.headline = QLabel(self.tr("Asking the hub for the file list of %1…")
                               .replace("%1", model), self)
        self.headline.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.details = QLabel(self)
        self.details.setObjectName("hint")
        self.details.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.rejected.connect(self._on_cancel)
        layout = QVBoxLayout(self)
        for widget in (self.headline, self.bar, self.details, self.buttons):
            layout.addWidget(widget)
        self._total = 0
        self._done = False
        worker.sig_plan.connect(self._on_plan)
        worker.sig_progress.connect(self._on_progress)
        worker.sig_finished.connect(self._on_finished)
        worker.start(model, allow_pickle)

    def _on_plan(self, plan: dict[str, Any]) -> None:
        self._total = int(plan.get("total_bytes") or 0)
        self.headline.setText(self.tr("%1: %2 files, %3, from %4")
                              .replace("%1", self.model)
                              .replace("%2", str(len(plan.get("files") or ())))
                              .replace("%3", human_bytes(self._total))
                              .replace("%4", str(plan.get("endpoint"))))
        self.bar.setRange(0, 1000)
        self.bar.setValue(0)

    def _on_progress(self, p: dict[str, Any]) -> None:
        total = int(p.get("bytes_total") or self._total or 0)
        done = int(p.get("bytes_done") or 0)
        if total:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * done / total))
        text = (self.tr("%1 of %2 files · %3 of %4 · %5/s")
                .replace("%1", str(p.get("files_done", 0)))
                .replace("%2", str(p.get("files_total", 0)))
                .replace("%3", human_bytes(done)).replace("%4", human_bytes(total))
                .replace("%5", human_bytes(float(p.get("speed") or 0))))
        if p.get("eta") is not None:
            text += self.tr(" · about %1 s left").replace("%1", f"{float(p['eta']):.0f}")
        self.details.setText(text)

    def _on_finished(self, outcome: dict[str, Any]) -> None:
        self._done = True
        self.buttons.clear()
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        status = outcome.get("status")
        if status == "downloaded":
            self.bar.setRange(0, 1000)
            self.bar.setValue(1000)
            done = (self.tr("Downloaded into the ModelScope cache: %1")
                    if outcome.get("source") == "modelscope"
                    else self.tr("Downloaded into the Hugging Face cache: %1"))
            self.details.setText(done.replace("%1", str(outcome.get("path"))))
            self.sig_downloaded.emit(self.model)
        elif status == "cancelled":
            self.details.setText(self.tr("Stopped. What was downloaded is kept; download "
                                         "again to resume."))
        else:
            self.bar.setRange(0, 1)
            self.bar.setValue(0)
            self.details.setText(message_text(outcome.get("error")))

    def _on_cancel(self) -> None:
        if not self._done:
            self.worker.cancel()

    def reject(self) -> None:
        if not self._done:    # Escape or the window's close button: stop the child first
            self.worker.cancel()
            return
        super().reject()
