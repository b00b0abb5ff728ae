"""What to export: a finished run (its final result or one of its checkpoints) or any adapter
folder, and what it turned out to be (method, base model, task, kind). The run list and the
inspection are read in pool workers; a newer choice makes an older answer stale."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from studio.core import methods
from studio.core.errors import StudioError
from studio.ui.common import dialogs
from studio.ui.common.messages import error_text
from studio.ui.runs.model import status_label
from studio.ui.train.widgets import make_form
from workers import pool
from workers.pool import guarded

from . import jobs

FOLDER = "folder"    # item data kind of a browsed folder in the run combo


def task_text(task: str | None) -> str:
    names = {"causal_lm": QCoreApplication.translate("ExportSource", "Causal language modelling"),
             "seq2seq": QCoreApplication.translate("ExportSource", "Sequence to sequence"),
             "seq_cls": QCoreApplication.translate("ExportSource", "Sequence classification"),
             "token_cls": QCoreApplication.translate("ExportSource", "Token classification")}
    return names.get(task or "", task or "")


def method_text(method_id: str) -> str:
    try:
        name = methods.get(method_id).display_name
    except Exception:  # noqa: BLE001 - an unknown id is shown as it is
        return method_id
    return QCoreApplication.translate("methods", name)


class ElidedLabel(QLabel):
    """One line that shortens a long path in the middle; the whole text is the tooltip."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text if text else "")
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(40, self.width())
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle,
                                                   width))


class SourcePicker(QGroupBox):
    sig_source_changed = Signal(str)     # the ref ('' for none)
    sig_inspected = Signal(object)       # jobs.Inspection, or None when it cannot be exported
    sig_runs_loaded = Signal()
    sig_missing = Signal(str)            # a run asked for by select_run has nothing to export

    def __init__(self, parent: QWidget | None = None, store_path: Path | None = None):
        super().__init__(self.tr("Source"), parent)
        self.setObjectName("exportSource")
        self.store_path = store_path
        self._runs: dict[str, jobs.SourceRun] = {}
        self._folders: list[str] = []
        self._inspection: jobs.Inspection | None = None
        self._generation = 0
        self._loading = self._load_again = False
        self._pending: tuple[str, int | None] | None = None
        self._ref = ""

        self.run_combo = QComboBox(self)
        self.run_combo.setObjectName("exportRunCombo")
        self.run_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.run_combo.setMinimumContentsLength(20)
        self.step_combo = QComboBox(self)
        self.step_combo.setObjectName("exportStepCombo")
        self.step_combo.setMinimumContentsLength(12)
        self.step_combo.setToolTip(self.tr("The run's final result, or one of its checkpoints"))
        self.browse_button = QPushButton(self.tr("Browse folder…"), self)
        self.browse_button.setToolTip(self.tr("Export an adapter folder that is not a run of "
                                              "the studio"))
        self.values = {key: ElidedLabel(self) for key in
                       ("method", "base", "task", "kind", "folder")}
        for key, label in self.values.items():
            label.setObjectName(f"source_{key}")
        self.error_label = QLabel(self)
        self.error_label.setObjectName("sourceError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()

        picker = QHBoxLayout()
        picker.setSpacing(6)
        picker.addWidget(self.run_combo, 1)
        picker.addWidget(self.step_combo)
        picker.addWidget(self.browse_button)
        form = make_form()
        form.addRow(self.tr("Method"), self.values["method"])
        form.addRow(self.tr("Base model"), self.values["base"])
        form.addRow(self.tr("Task"), self.values["task"])
        form.addRow(self.tr("Kind"), self.values["kind"])
        form.addRow(self.tr("Folder"), self.values["folder"])
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addLayout(picker)
        layout.addLayout(form)
        layout.addWidget(self.error_label)

        self.run_combo.currentIndexChanged.connect(self._on_run_picked)
        self.step_combo.currentIndexChanged.connect(self._on_choice_changed)
        self.browse_button.clicked.connect(self.browse_folder)
        self._show_empty()

    # --- contract -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the exportable runs again (in a pool worker); the choice is kept."""
        if self._loading:
            self._load_again = True
            return
        self._loading = True
        pool.start(jobs.load_sources, self.store_path,
                   returned=guarded(self, self._on_runs_loaded),
                   errored=guarded(self, self._on_load_error),
                   finished=guarded(self, self._on_load_finished))

    def select_run(self, run_id: str, step: int | None = None) -> None:
        """Choose a run (its final result, or the checkpoint at ``step``); the run list is
        read first when the run is not in it yet."""
        if run_id not in self._runs:
            self._pending = (run_id, step)
            self.refresh()
            return
        self._pending = None
        self.run_combo.setCurrentIndex(self.run_combo.findData(run_id))
        if step is not None:
            index = self.step_combo.findData(step)
            if index >= 0:
                self.step_combo.setCurrentIndex(index)

    def set_folder(self, path: str) -> None:
        path = str(Path(path).expanduser())
        if path not in self._folders:
            self._folders.insert(0, path)
            self.run_combo.blockSignals(True)
            self.run_combo.insertItem(0, self.tr("Folder: {name}").format(name=Path(path).name),
                                      (FOLDER, path))
            self.run_combo.setItemData(0, path, Qt.ItemDataRole.ToolTipRole)
            self.run_combo.blockSignals(False)
        index = next(i for i in range(self.run_combo.count())
                     if self.run_combo.itemData(i) == (FOLDER, path))
        if index == self.run_combo.currentIndex():
            self._on_run_picked()
        else:
            self.run_combo.setCurrentIndex(index)

    def browse_folder(self) -> None:
        start = self._folders[0] if self._folders else str(Path.home())
        path = QFileDialog.getExistingDirectory(self, self.tr("Choose an adapter folder"),
                                                start)
        if path:
            self.set_folder(path)

    def current_ref(self) -> str:
        return self._ref

    def current_label(self) -> str:
        """The choice as people read it: 'run name', 'run name @ step 20', a folder name."""
        data = self.run_combo.currentData()
        if isinstance(data, tuple):
            return Path(data[1]).name
        entry = self._runs.get(data) if data else None
        if entry is None:
            return ""
        step = self.step_combo.currentData()
        return f"{entry.run.name} @ step {step}" if step is not None else entry.run.name

    def inspection(self) -> jobs.Inspection | None:
        """The current source's inspection, None until it arrives (or when it failed)."""
        inspection = self._inspection
        return inspection if inspection is not None and inspection.ref == self._ref else None

    def run_count(self) -> int:
        return len(self._runs)

    # --- the run list ---------------------------------------------------------------------

    def _on_runs_loaded(self, entries: list[jobs.SourceRun]) -> None:
        current = self.run_combo.currentData()
        step = self.step_combo.currentData()
        self._runs = {e.run.id: e for e in entries}
        self.run_combo.blockSignals(True)
        self.run_combo.clear()
        for folder in self._folders:
            self.run_combo.addItem(self.tr("Folder: {name}").format(name=Path(folder).name),
                                   (FOLDER, folder))
            self.run_combo.setItemData(self.run_combo.count() - 1, folder,
                                       Qt.ItemDataRole.ToolTipRole)
        for entry in entries:
            run = entry.run
            text = f"{run.name} · {method_text(run.method or '')}"
            if run.status != "completed":
                text += f" · {status_label(run.status)}"
            self.run_combo.addItem(text, run.id)
            self.run_combo.setItemData(self.run_combo.count() - 1,
                                       f"{run.id}\n{run.output_dir}",
                                       Qt.ItemDataRole.ToolTipRole)
        if self.run_combo.count() == 0:
            self.run_combo.addItem(self.tr("No finished runs yet: browse for a folder"), None)
        index = self.run_combo.findData(current) if current is not None else -1
        self.run_combo.setCurrentIndex(max(index, 0))
        self.run_combo.blockSignals(False)
        pending, self._pending = self._pending, None
        self._fill_steps(keep=step if index >= 0 else None)
        if pending is not None:
            if pending[0] in self._runs:
                self.select_run(*pending)
            else:
                self.sig_missing.emit(pending[0])
        self.sig_runs_loaded.emit()

    def _on_load_error(self, exc: BaseException) -> None:
        dialogs.show_exception(self, exc, self.tr("Could not read the run history"),
                               modal=False)

    def _on_load_finished(self) -> None:
        self._loading = False
        if self._load_again:
            self._load_again = False
            self.refresh()

    # --- choosing -------------------------------------------------------------------------

    def _on_run_picked(self, *_: Any) -> None:
        self._fill_steps(keep=None)

    def _fill_steps(self, keep: Any) -> None:
        data = self.run_combo.currentData()
        self.step_combo.blockSignals(True)
        self.step_combo.clear()
        entry = self._runs.get(data) if isinstance(data, str) else None
        if entry is not None:
            if entry.has_result:
                self.step_combo.addItem(self.tr("Final result"), None)
            for step in reversed(entry.steps):
                self.step_combo.addItem(self.tr("Checkpoint at step {step}").format(step=step),
                                        step)
            index = self.step_combo.findData(keep) if keep is not None else 0
            self.step_combo.setCurrentIndex(max(index, 0))
        self.step_combo.setEnabled(entry is not None and self.step_combo.count() > 1)
        self.step_combo.blockSignals(False)
        self._on_choice_changed()

    def _on_choice_changed(self, *_: Any) -> None:
        data = self.run_combo.currentData()
        if isinstance(data, tuple):
            ref = data[1]
        elif isinstance(data, str) and data in self._runs:
            step = self.step_combo.currentData()
            ref = f"{data}@{step}" if step is not None else data
        else:
            ref = ""
        if ref == self._ref:
            return
        self._ref = ref
        self._generation += 1
        self.sig_source_changed.emit(ref)
        if not ref:
            self._show_empty()
            self.sig_inspected.emit(None)
            return
        self._show_loading()
        generation = self._generation
        pool.start(jobs.inspect, self.store_path, ref,
                   returned=guarded(self, lambda result: self._on_inspected(generation, result)),
                   errored=guarded(self, lambda exc: self._on_inspect_error(generation, exc)))

    def _on_inspected(self, generation: int, result: jobs.Inspection) -> None:
        if generation != self._generation:
            return
        self._inspection = result
        src = result.source
        kinds = {"peft": self.tr("PEFT adapter ({type})").format(type=src.peft_type or "?"),
                 "bitfit": self.tr("BitFit bias patch"),
                 "full": self.tr("Whole model (full fine-tuning)")}
        method = method_text(src.method)
        if result.lora_ranks:
            method += "  ·  " + self.tr("rank {ranks}").format(
                ranks=", ".join(map(str, result.lora_ranks)))
        self.values["method"].set_full_text(method)
        self.values["base"].set_full_text(src.base_model)
        self.values["task"].set_full_text(task_text(src.task))
        kind = kinds.get(src.kind, src.kind)
        if src.step is not None:
            kind += "  ·  " + self.tr("checkpoint at step {step}").format(step=src.step)
        self.values["kind"].set_full_text(kind)
        self.values["folder"].set_full_text(str(src.folder))
        self.error_label.hide()
        self.sig_inspected.emit(result)

    def _on_inspect_error(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._inspection = None
        for label in self.values.values():
            label.set_full_text("—")
        self.error_label.setText(error_text(exc) if isinstance(exc, StudioError)
                                 else f"{type(exc).__name__}: {exc}")
        self.error_label.show()
        self.sig_inspected.emit(None)

    def _show_empty(self) -> None:
        self._inspection = None
        for label in self.values.values():
            label.set_full_text("—")
        self.error_label.hide()

    def _show_loading(self) -> None:
        for label in self.values.values():
            label.set_full_text("…")
        self.error_label.hide()
