"""The Export page: what to export (a run, a checkpoint or a folder) on the left with the kind
of export (adapter, merged model, LoRA combination); where it goes, the equivalent command,
progress and the verified result on the right.

The page owns its ``ExportWorker`` (the export runs in a child process, like training) and
tells the window when an export ended (``sig_export_finished``), so the Runs page can show
the new export. Every check that reads files or the store runs in a pool worker a moment after
an edit; Export stays disabled while something stands in the way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QGroupBox, QLabel, QScrollArea, QSplitter, QVBoxLayout, QWidget

from studio import paths
from studio.ui.common import dialogs
from studio.ui.common.messages import message_text, outcome_error_text
from workers import pool
from workers.pool import guarded

from . import jobs
from .modes import ModeTabs
from .output import CommandBox, OutputBox, RefusalBanner, RunControls
from .request import ExportRequest
from .result import ResultPanel
from .source import SourcePicker

CHECK_DELAY_MS = 250


def _safe_name(text: str) -> str:
    return re.sub(r"[^\w.-]+", "-", text, flags=re.UNICODE).strip("-.") or "export"


class ExportPage(QWidget):
    sig_export_finished = Signal(dict)   # the worker's sig_finished payload
    sig_message = Signal(str)            # a short note for the status bar
    sig_checked = Signal()               # the current settings' problems are shown

    def __init__(self, parent: QWidget | None = None, store_path: Path | None = None,
                 worker_factory: Callable[[QObject], Any] | None = None):
        super().__init__(parent)
        self.setObjectName("exportPage")
        self.store_path = store_path
        self._worker_factory = worker_factory
        self.worker: Any = None
        self._running = False
        self._problems: list[tuple[str, str]] | None = None   # None: not checked yet
        self._check_generation = 0
        self._auto_out = True
        self._target = ""    # the folder of the export under way
        self.last_error_box: Any = None
        self._build()
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self._check)
        self._connect()
        self._on_inspected(None)
        self._update_buttons()

    # ---- layout --------------------------------------------------------------------------
    def _build(self) -> None:
        self.source = SourcePicker(self, self.store_path)
        self.modes = ModeTabs(self)
        self.refusal = RefusalBanner(self)
        self.refusal_label = self.refusal.label
        what = QGroupBox(self.tr("Export as"), self)
        what_layout = QVBoxLayout(what)
        what_layout.addWidget(self.modes)
        what_layout.addWidget(self.refusal)

        left_column = QWidget(self)
        left_column.setObjectName("settingsColumn")
        left = QVBoxLayout(left_column)
        left.setContentsMargins(10, 10, 10, 10)
        left.setSpacing(10)
        left.addWidget(self.source)
        left.addWidget(what)
        left.addStretch(1)
        self.settings_scroll = QScrollArea(self)
        self.settings_scroll.setObjectName("settingsScroll")
        self.settings_scroll.setWidgetResizable(True)
        self.settings_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.settings_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.settings_scroll.setWidget(left_column)
        self.settings_scroll.setMinimumWidth(420)

        self.output = OutputBox(self)
        self.out_edit, self.out_browse = self.output.out_edit, self.output.browse_button
        self.overwrite_check, self.verify_check = (self.output.overwrite_check,
                                                   self.output.verify_check)
        self.folder_hint = self.output.hint
        self.controls = RunControls(self)
        self.export_button, self.cancel_button = (self.controls.export_button,
                                                  self.controls.cancel_button)
        self.progress, self.stage_label = self.controls.progress, self.controls.stage_label
        self.problems_label = QLabel(self)
        self.problems_label.setObjectName("exportProblems")
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextFormat(Qt.TextFormat.PlainText)
        self.problems_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result = ResultPanel(self)
        self.result.hide()
        self.command = CommandBox(self)
        right_column = QWidget(self)
        right = QVBoxLayout(right_column)
        right.setContentsMargins(10, 10, 10, 10)
        right.setSpacing(10)
        for widget in (self.output, self.controls, self.problems_label, self.result,
                       self.command):
            right.addWidget(widget)
        right.addStretch(1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("exportSplitter")
        self.splitter.addWidget(self.settings_scroll)
        self.splitter.addWidget(right_column)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([540, 570])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    def _connect(self) -> None:
        self.source.sig_source_changed.connect(self._on_source_changed)
        self.source.sig_inspected.connect(self._on_inspected)
        self.source.sig_missing.connect(lambda run_id: self.sig_message.emit(self.tr(
            "Run {run} has no result or checkpoint to export yet.").format(run=run_id)))
        self.modes.sig_changed.connect(self._on_settings_changed)
        self.modes.currentChanged.connect(lambda _i: self._update_refusal())
        self.modes.currentChanged.connect(lambda _i: self._clear_outcome())
        self.modes.sig_add_current.connect(self.add_current_to_combination)
        self.output.sig_chosen.connect(self._on_out_chosen)
        self.output.sig_changed.connect(self._on_settings_changed)
        self.export_button.clicked.connect(self.request_export)
        self.cancel_button.clicked.connect(self.cancel)

    # ---- contract ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the exportable runs again (pool worker)."""
        self.source.refresh()

    def select_run(self, run_id: str, step: int | None = None) -> None:
        self.source.select_run(run_id, step)

    def set_source_folder(self, path: str | Path) -> None:
        self.source.set_folder(str(path))

    def set_mode(self, mode: str) -> None:
        self.modes.set_mode(mode)

    def set_output_dir(self, path: str | Path) -> None:
        self._auto_out = False
        self.output.set_path(str(path))

    def output_dir(self) -> str:
        return self.output.path()

    def command_line(self) -> str:
        return self.command.text()

    def problems(self) -> list[str] | None:
        """What stands in the way of Export (None: not checked yet)."""
        return None if self._problems is None else [m for _, m in self._problems]

    def build_request(self) -> ExportRequest:
        request = ExportRequest(source=self.source.current_ref(), out=self.output_dir(),
                                overwrite=self.overwrite_check.isChecked(),
                                verify=self.verify_check.isChecked(),
                                allow_pickle_weights=self.output.pickle_consent.allowed())
        self.modes.fill(request)
        return request

    def add_current_to_combination(self) -> None:
        ref = self.source.current_ref()
        if not ref:
            return
        self.modes.combine_table.add(ref, self.source.current_label())

    def request_export(self) -> bool:
        """Start the export, or say (in a dialog) what stands in the way."""
        if self._running:
            return False
        request = self.build_request()
        refusal = self._refusal_now(request)
        if refusal is not None:
            self.last_error_box = dialogs.show_error(self, self.tr("Cannot export yet"),
                                                     refusal, modal=False)
            return False
        try:
            self._ensure_worker().start(request.args(), out_dir=request.out)
        except Exception as exc:  # noqa: BLE001 - the window stays usable
            self.last_error_box = dialogs.show_exception(
                self, exc, self.tr("Could not start the export"), modal=False)
            return False
        self._target = request.out
        self.result.clear()
        self.controls.start()
        self._set_running(True)
        self.sig_message.emit(self.tr("Exporting to {folder}…").format(folder=request.out))
        return True

    def cancel(self) -> None:
        if self._running and self.worker is not None:
            self.worker.cancel()
            self.stage_label.setText(self.tr("Cancelling…"))
            self.cancel_button.setEnabled(False)

    def is_exporting(self) -> bool:
        return bool(self._running and self.worker is not None and self.worker.is_running())

    def shutdown(self) -> None:
        """The window is closing: an export still going is cancelled (its partial folder
        removed)."""
        if self.worker is not None and self.worker.is_running():
            self.worker.shutdown()

    # ---- the worker ----------------------------------------------------------------------
    def _ensure_worker(self) -> Any:
        if self.worker is None:
            if self._worker_factory is not None:
                self.worker = self._worker_factory(self)
            else:
                from workers.export import ExportWorker

                self.worker = ExportWorker(self)
            self.worker.sig_progress.connect(self.on_progress)
            self.worker.sig_finished.connect(self.on_finished)
        return self.worker

    def on_progress(self, event: dict[str, Any]) -> None:
        self.controls.show_progress(event)

    def on_finished(self, payload: dict[str, Any]) -> None:
        self._set_running(False)
        status = payload.get("status")
        result = payload.get("result") or {}
        if status in ("exported", "verification_failed"):
            self.result.show_result(result)
            folder = result.get("path")
            if status == "exported":
                text = self.tr("Exported to {folder}.").format(folder=folder)
                self.controls.end(100, self.tr("Done"), text)
            else:
                text = self.tr("Exported to {folder}, but the verification failed; the files "
                               "are kept.").format(folder=folder)
                self.controls.end(100, self.tr("Verification failed"), text)
        elif status == "cancelled" and payload.get("last_stage") == "verifying":
            # the folder was complete (renamed into place) before the verification began
            text = self.tr("Verification cancelled: the files in {folder} are complete but not "
                           "verified, and not recorded with the run.").format(folder=self._target)
            self.controls.end(0, self.tr("Cancelled"), text)
        elif status == "cancelled":
            text = self.tr("Export cancelled; nothing was written.")
            self.controls.end(0, self.tr("Cancelled"), text)
        else:
            text = self.tr("The export failed.")
            self.controls.end(0, self.tr("Failed"), text)
            details = "\n\n".join(str(p) for p in (payload.get("traceback"),
                                                   payload.get("stderr_tail")) if p)
            self.last_error_box = dialogs.show_error(
                self, self.tr("Export failed"),
                outcome_error_text(payload) or self.tr("The export process ended unexpectedly."),
                details or None, modal=False)
        self.sig_message.emit(text)
        self.sig_export_finished.emit(payload)
        self._on_settings_changed()   # the folder holds files now

    def _clear_outcome(self) -> None:
        """A new choice: the last export's progress and result no longer describe it."""
        if self._running:
            return
        self.result.clear()
        self.controls.clear()

    def _set_running(self, running: bool) -> None:
        self._running = running
        for widget in (self.source, self.modes, self.out_edit, self.out_browse,
                       self.overwrite_check, self.verify_check):
            widget.setEnabled(not running)
        self._update_buttons()

    # ---- checks --------------------------------------------------------------------------
    def _refusal_now(self, request: ExportRequest) -> str | None:
        """Checked at the moment Export is pressed, even before the background check
        answered: the folder, and the problems already known."""
        if not request.out:
            return self.tr("Choose the folder to export into.")
        state = jobs.folder_state(request.out)
        if state == "file":
            return self.tr("{folder} is a file; choose a folder.").format(folder=request.out)
        if state == "files":
            return self.tr("{folder} already holds files that PEFT Studio did not export. "
                           "Choose an empty folder: Overwrite replaces only an earlier "
                           "export.").format(folder=request.out)
        if state == "export" and not request.overwrite:
            return self.tr("{folder} holds an earlier export. Choose an empty folder, or tick "
                           "Overwrite to replace it.").format(folder=request.out)
        if self._problems:
            return "\n".join(m for _, m in self._problems)
        if not request.refs():
            return self.tr("Choose a run or a folder to export.")
        return None

    def _on_settings_changed(self) -> None:
        self._suggest_output()
        self.command.set_text(self.build_request().command_line())
        self.output.update_hint()
        self._problems = None
        self._check_generation += 1
        self._update_buttons()
        self._check_timer.start()

    def _check(self) -> None:
        generation = self._check_generation
        pool.start(jobs.check, self.store_path, self.build_request(),
                   returned=guarded(self, lambda problems: self._on_checked(generation,
                                                                            problems)),
                   errored=guarded(self, lambda exc: self._on_checked(
                       generation, [("source", f"{type(exc).__name__}: {exc}")])))

    def _on_checked(self, generation: int, problems: list[tuple[str, str]]) -> None:
        if generation != self._check_generation:
            return
        self._problems = problems
        shown = [m for area, m in problems if area != "combine"]   # the tab shows those
        self.problems_label.setText("\n".join(f"• {m}" for m in shown))
        self.problems_label.setVisible(bool(shown) and not self._running)
        combine = [m for area, m in problems if area == "combine"]
        self.modes.set_combine_problem("\n".join(combine) if combine else None)
        self._update_buttons()
        self.sig_checked.emit()

    def _update_buttons(self) -> None:
        ready = self._problems == [] and not self._running
        self.export_button.setEnabled(ready)
        self.cancel_button.setEnabled(self._running)
        if self._problems is None and not self._running:
            self.problems_label.hide()

    # ---- source and output ---------------------------------------------------------------
    def _on_source_changed(self, _ref: str) -> None:
        self._clear_outcome()
        self._on_settings_changed()

    def _on_inspected(self, inspection: jobs.Inspection | None) -> None:
        merge = inspection.merge_refusal if inspection else None
        adapter = inspection.adapter_refusal if inspection else None
        self.modes.set_available(adapter=adapter is None, merged=merge is None)
        self.modes.setTabToolTip(1, message_text(merge))
        self.modes.setTabToolTip(0, message_text(adapter))
        self._update_refusal()
        self._on_settings_changed()

    def _update_refusal(self) -> None:
        inspection = self.source.inspection()
        self.refusal.show_refusals(inspection.merge_refusal if inspection else None,
                                   inspection.adapter_refusal if inspection else None,
                                   self.modes.mode())

    def _on_out_chosen(self, text: str) -> None:
        self._auto_out = not text.strip()
        if self._auto_out:
            self._suggest_output()

    def _suggest_output(self) -> None:
        """A fresh folder under the studio's exports folder, named after the source and
        kind, until the user picks one."""
        if not self._auto_out:
            return
        mode = self.modes.mode()
        if mode == "combine":
            labels = [self.modes.combine_table.item(r, 0).text()
                      for r in range(self.modes.combine_table.rowCount())]
            stem = "+".join(_safe_name(label) for label in labels[:2]) or "lora"
            name = f"{stem}-combined"
        else:
            label = self.source.current_label()
            if not label:
                self.output.set_path("")
                return
            suffix = "adapter" if mode == "adapter" else \
                f"merged-{self.modes.dtype_combo.currentData()}"
            name = f"{_safe_name(label.replace(' @ step ', '-step'))}-{suffix}"
        folder = paths.data_dir() / "exports" / name
        candidate, n = folder, 1
        while jobs.folder_state(str(candidate)) in ("files", "export"):
            n += 1
            candidate = folder.with_name(f"{folder.name}-{n}")
        self.output.set_path(str(candidate))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.refresh()
