"""The three kinds of export as tabs: the adapter as it is, a merged standalone model (dtype,
shard size), and a weighted combination of LoRA adapters (a table of sources and weights)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studio.ui.train.widgets import make_form

from .request import COMBINATIONS, DEFAULT_SHARD_SIZE, DTYPES, MODES, ExportRequest

ADAPTER, MERGED, COMBINE = range(3)
REF_ROLE = Qt.ItemDataRole.UserRole


def _hint(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


class CombineTable(QTableWidget):
    """Adapters to combine, one a row: the source (run, checkpoint or folder) and its
    weight."""

    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 2, parent)
        self.setObjectName("combineTable")
        self.setHorizontalHeaderLabels([self.tr("Adapter"), self.tr("Weight")])
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.setMinimumHeight(110)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.setColumnWidth(1, 110)
        header.setHighlightSections(False)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override: room for about four rows
        return QSize(super().sizeHint().width(), 150)

    def add(self, ref: str, label: str, weight: float | None = None) -> bool:
        """Add a source (False when it is listed already). Without a weight, the sources
        share 1 equally while the weights are still an equal split."""
        if not ref or ref in self.refs():
            return False
        row = self.rowCount()
        if weight is None:
            weight = round(1.0 / (row + 1), 3)
            if all(abs(w - round(1.0 / row, 3)) < 1e-9 for _, w in self.pairs()):
                for other in range(row):
                    self.weight_spin(other).setValue(weight)
        self.insertRow(row)
        item = QTableWidgetItem(label)
        item.setData(REF_ROLE, ref)
        item.setToolTip(ref)
        self.setItem(row, 0, item)
        spin = QDoubleSpinBox(self)
        spin.setRange(-100.0, 100.0)
        spin.setDecimals(3)
        spin.setSingleStep(0.1)
        spin.setValue(weight)
        spin.setKeyboardTracking(False)
        spin.setFrame(False)
        spin.valueChanged.connect(lambda _v: self.sig_changed.emit())
        self.setCellWidget(row, 1, spin)
        self.sig_changed.emit()
        return True

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.selectedIndexes()}, reverse=True)
        for row in rows:
            self.removeRow(row)
        if rows:
            self.sig_changed.emit()

    def refs(self) -> list[str]:
        return [self.item(r, 0).data(REF_ROLE) for r in range(self.rowCount())]

    def weight_spin(self, row: int) -> QDoubleSpinBox:
        widget = self.cellWidget(row, 1)
        assert isinstance(widget, QDoubleSpinBox)
        return widget

    def pairs(self) -> list[tuple[str, float]]:
        return [(self.item(r, 0).data(REF_ROLE), self.weight_spin(r).value())
                for r in range(self.rowCount())]


class ModeTabs(QTabWidget):
    sig_changed = Signal()
    sig_add_current = Signal()     # the combine tab's "Add the chosen source"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("exportModes")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.addTab(self._adapter_tab(), self.tr("Adapter only"))
        self.addTab(self._merged_tab(), self.tr("Merged model"))
        self.addTab(self._combine_tab(), self.tr("Combine LoRA adapters"))
        self.currentChanged.connect(self._on_current_changed)
        self._on_current_changed(0)

    # --- tabs -----------------------------------------------------------------------------

    def _adapter_tab(self) -> QWidget:
        tab = QWidget(self)
        self.adapter_hint = _hint(self.tr(
            "The standard PEFT files (adapter_config.json, adapter_model.safetensors), the "
            "tokenizer and a model card. They load on top of the base model with PEFT, on "
            "PyTorch or with mindnlp."), tab)
        self.adapter_base_name = self._base_name_edit(tab)
        form = make_form()
        form.addRow(self.tr("Base model name"), self.adapter_base_name)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.adapter_hint)
        layout.addLayout(form)
        layout.addStretch(1)
        return tab

    def _merged_tab(self) -> QWidget:
        tab = QWidget(self)
        hint = _hint(self.tr(
            "The fine-tuning folded into the base weights: a standalone Hugging Face model "
            "folder (config.json, safetensors shards, tokenizer, generation config) that loads "
            "without PEFT."), tab)
        self.dtype_combo = QComboBox(tab)
        self.dtype_combo.setObjectName("dtypeCombo")
        labels = {"float32": self.tr("float32 (exact)"),
                  "float16": self.tr("float16 (half the size)"),
                  "bfloat16": self.tr("bfloat16 (half the size, float32's range)")}
        for dtype in DTYPES:
            self.dtype_combo.addItem(labels[dtype], dtype)
        self.shard_edit = QLineEdit(DEFAULT_SHARD_SIZE, tab)
        self.shard_edit.setObjectName("shardSize")
        self.shard_edit.setPlaceholderText(DEFAULT_SHARD_SIZE)
        self.shard_edit.setToolTip(self.tr("Largest safetensors file, e.g. 2GB, 500MB or 1GiB; "
                                           "bigger models are split into several shards"))
        form = make_form()
        form.addRow(self.tr("Data type"), self.dtype_combo)
        form.addRow(self.tr("Max shard size"), self.shard_edit)
        layout = QVBoxLayout(tab)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addStretch(1)
        self.dtype_combo.currentIndexChanged.connect(lambda _i: self.sig_changed.emit())
        self.shard_edit.textChanged.connect(lambda _t: self.sig_changed.emit())
        return tab

    def _combine_tab(self) -> QWidget:
        tab = QWidget(self)
        hint = _hint(self.tr(
            "A weighted mix of LoRA adapters trained on the same base model, saved as one new "
            "adapter (PEFT's add_weighted_adapter)."), tab)
        self.combine_table = CombineTable(tab)
        self.add_button = QPushButton(self.tr("Add the chosen source"), tab)
        self.add_button.setObjectName("combineAdd")
        self.remove_button = QPushButton(self.tr("Remove"), tab)
        self.remove_button.setObjectName("combineRemove")
        self.combination_combo = QComboBox(tab)
        self.combination_combo.setObjectName("combinationCombo")
        tips = {"linear": self.tr("Weighted sum of the A and B matrices; equal ranks, positive "
                                  "weights"),
                "cat": self.tr("Ranks stacked: exactly the weighted sum of the updates"),
                "svd": self.tr("Weighted sum of the updates, truncated to a rank by SVD")}
        for combination in COMBINATIONS:
            self.combination_combo.addItem(combination, combination)
            self.combination_combo.setItemData(self.combination_combo.count() - 1,
                                               tips[combination], Qt.ItemDataRole.ToolTipRole)
        self.svd_rank = QSpinBox(tab)
        self.svd_rank.setObjectName("svdRank")
        self.svd_rank.setRange(0, 4096)
        self.svd_rank.setSpecialValueText(self.tr("largest source rank"))
        self.combine_base_name = self._base_name_edit(tab)
        self.combine_problem = QLabel(tab)
        self.combine_problem.setObjectName("combineProblem")
        self.combine_problem.setWordWrap(True)
        self.combine_problem.setTextFormat(Qt.TextFormat.PlainText)
        self.combine_problem.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        form = make_form()
        form.addRow(self.tr("Combination"), self.combination_combo)
        form.addRow(self.tr("SVD rank"), self.svd_rank)
        form.addRow(self.tr("Base model name"), self.combine_base_name)
        layout = QVBoxLayout(tab)
        layout.addWidget(hint)
        layout.addWidget(self.combine_table, 1)
        layout.addLayout(buttons)
        layout.addLayout(form)
        layout.addWidget(self.combine_problem)
        self.add_button.clicked.connect(self.sig_add_current)
        self.remove_button.clicked.connect(self.combine_table.remove_selected)
        self.combine_table.sig_changed.connect(self.sig_changed)
        self.combination_combo.currentIndexChanged.connect(self._on_combination)
        self.svd_rank.valueChanged.connect(lambda _v: self.sig_changed.emit())
        self._on_combination()
        return tab

    def _on_current_changed(self, _index: int) -> None:
        self.updateGeometry()
        self.sig_changed.emit()

    # A tab widget is as tall as its tallest page; size it to the page shown instead, so the
    # short adapter and merged tabs leave no empty box.
    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self._current_only(super().sizeHint(), QWidget.sizeHint)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self._current_only(super().minimumSizeHint(), QWidget.minimumSizeHint)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override (QTabWidget's: all pages)
        return False

    def _current_only(self, hint: QSize, of: Any) -> QSize:
        current = self.currentWidget()
        if current is None:
            return hint
        tallest = max(of(self.widget(i)).height() for i in range(self.count()))
        return QSize(hint.width(), hint.height() - tallest + of(current).height())

    def _base_name_edit(self, parent: QWidget) -> QLineEdit:
        edit = QLineEdit(parent)
        edit.setClearButtonEnabled(True)
        edit.setPlaceholderText(self.tr("optional, e.g. the hub id: Qwen/Qwen2-0.5B"))
        edit.setToolTip(self.tr("Recorded as base_model_name_or_path in adapter_config.json "
                                "and the model card, in place of a local folder"))
        edit.textChanged.connect(lambda _t: self.sig_changed.emit())
        return edit

    def _on_combination(self, *_: Any) -> None:
        self.svd_rank.setEnabled(self.combination_combo.currentData() == "svd")
        self.sig_changed.emit()

    # --- contract -------------------------------------------------------------------------

    def mode(self) -> str:
        return MODES[self.currentIndex()]

    def set_mode(self, mode: str) -> None:
        index = MODES.index(mode)
        if self.isTabEnabled(index):
            self.setCurrentIndex(index)

    def set_available(self, adapter: bool, merged: bool) -> None:
        """Disable the kinds the chosen source cannot give; off a disabled tab, go to the
        export it can give (Qt alone would move to the next tab, the combination)."""
        previous = self.currentIndex()
        self.setTabEnabled(ADAPTER, adapter)
        self.setTabEnabled(MERGED, merged)
        if not self.isTabEnabled(previous):
            self.setCurrentIndex(ADAPTER if adapter else MERGED)

    def set_combine_problem(self, text: str | None) -> None:
        self.combine_problem.setText(text or "")
        self.combine_problem.setVisible(bool(text))

    def fill(self, request: ExportRequest) -> None:
        """Write this tab's settings into ``request``."""
        request.mode = self.mode()
        request.dtype = self.dtype_combo.currentData()
        request.shard_size = self.shard_edit.text().strip() or DEFAULT_SHARD_SIZE
        if request.mode == "combine":
            request.sources = self.combine_table.pairs()
            request.combination = self.combination_combo.currentData()
            request.svd_rank = self.svd_rank.value() or None
            request.base_model_name = self.combine_base_name.text().strip()
        elif request.mode == "adapter":
            request.base_model_name = self.adapter_base_name.text().strip()
