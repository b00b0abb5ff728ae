"""Evaluate: which held-out file, and how (the base model alongside, how many rows, batch
size, answer length). Non-modal (``open()``), so the window stays usable."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)


@dataclass(frozen=True)
class EvalRequest:
    data: str
    with_base: bool
    max_samples: int | None
    batch_size: int
    max_new_tokens: int
    step: int | None = None     # a checkpoint; None = the run's final result


class EvaluateDialog(QDialog):
    def __init__(self, run_name: str, parent: QWidget | None = None, last_file: str = "",
                 steps: list[int] | None = None):
        super().__init__(parent)
        self.setObjectName("evaluateDialog")
        self.setWindowTitle(self.tr("Evaluate {name}").format(name=run_name))
        self.file_edit = QLineEdit(last_file)
        self.file_edit.setPlaceholderText(self.tr("a held-out file the run has not seen"))
        self.file_edit.setMinimumWidth(360)
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.file_edit, 1)
        row.addWidget(browse)
        self.base_check = QCheckBox(self.tr("Also evaluate the base model, for comparison"))
        self.samples_spin = QSpinBox()
        self.samples_spin.setRange(0, 10_000_000)
        self.samples_spin.setSpecialValueText(self.tr("all rows"))
        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(1, 512)
        self.batch_spin.setValue(8)
        self.tokens_spin = QSpinBox()
        self.tokens_spin.setRange(1, 4096)
        self.tokens_spin.setValue(64)
        self.tokens_spin.setToolTip(self.tr("Longest generated answer (generation tasks); "
                                            "decoding is greedy"))
        self.result_combo = QComboBox()
        self.result_combo.addItem(self.tr("Final result"), None)
        for step in steps or []:
            self.result_combo.addItem(self.tr("Checkpoint at step {step}").format(step=step), step)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Evaluate"))
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Data file:"), row)
        form.addRow(self.tr("Evaluate:"), self.result_combo)
        form.addRow("", self.base_check)
        form.addRow(self.tr("Rows:"), self.samples_spin)
        form.addRow(self.tr("Batch size:"), self.batch_spin)
        form.addRow(self.tr("Max new tokens:"), self.tokens_spin)
        form.addRow(self.problem)
        form.addRow(self.buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Held-out data file"),
                                              self.file_edit.text(),
                                              self.tr("Data (*.jsonl *.json *.csv *.tsv *.txt "
                                                      "*.parquet);;All files (*)"))
        if path:
            self.file_edit.setText(path)

    def _accept(self) -> None:
        path = Path(self.file_edit.text().strip()).expanduser()
        if not self.file_edit.text().strip():
            self.problem.setText(self.tr("Choose the data file to evaluate on."))
        elif not path.exists():
            self.problem.setText(self.tr("There is no file {path}.").format(path=path))
        else:
            self.accept()

    def request(self) -> EvalRequest:
        return EvalRequest(str(Path(self.file_edit.text().strip()).expanduser()),
                           self.base_check.isChecked(), self.samples_spin.value() or None,
                           self.batch_spin.value(), self.tokens_spin.value(),
                           self.result_combo.currentData())
