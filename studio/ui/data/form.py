"""The left side of the Data page: format, column mapping and reading options as a form that
reads and writes a DatasetConfig."""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.core.config import DATA_FORMATS, FILE_TYPES, DatasetConfig
from studio.core.data.columns import OPTIONAL, REQUIRED, ROLE_FIELDS

DELIMITERS = (("", "auto"), (",", ","), ("\t", "tab"), (";", ";"), ("|", "|"), ("@", "@"))
ENCODINGS = ("utf-8", "latin-1", "cp1252", "gbk", "utf-16")


class DatasetForm(QWidget):
    """``sig_changed(bool)``: the user changed something; True when the file must be read
    again (format, columns, delimiter, ...), False for options that only matter at training
    time (split, seed, ...)."""

    sig_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._cfg = DatasetConfig()
        self._detected: dict[str, Any] = {}
        self._updating = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._build_format())
        layout.addWidget(self._build_columns())
        layout.addWidget(self._build_options())
        layout.addStretch(1)
        self.set_config(self._cfg)

    # ---- building --------------------------------------------------------------------------
    def _build_format(self) -> QGroupBox:
        box = QGroupBox(self.tr("Format"))
        form = QFormLayout(box)
        names = {"auto": self.tr("Detect automatically"), "classification":
                 self.tr("classification (text, label)"), "instruction":
                 self.tr("instruction (instruction, input, output)"), "chat":
                 self.tr("chat (messages)"), "text": self.tr("plain text"), "seq2seq":
                 self.tr("seq2seq (source, target)"), "token_cls":
                 self.tr("token classification (tokens, tags)")}
        self.format_combo = QComboBox()
        self.format_combo.setObjectName("dataFormat")
        for fmt in DATA_FORMATS:
            self.format_combo.addItem(names.get(fmt, fmt), fmt)
        self.format_combo.currentIndexChanged.connect(self._on_format_changed)
        self.detected_label = QLabel("—")
        self.detected_label.setObjectName("detectedFormat")
        self.name_combo = QComboBox()
        self.name_combo.setObjectName("datasetName")
        self.name_combo.setToolTip(self.tr("The folder holds a dataset_info.json: the dataset "
                                           "to read from it"))
        self.name_combo.currentIndexChanged.connect(lambda _i: self._changed(True))
        self.file_type_combo = QComboBox()
        self.file_type_combo.setObjectName("fileType")
        for kind in FILE_TYPES:
            self.file_type_combo.addItem(self.tr("from the file name") if kind == "auto"
                                         else kind, kind)
        self.file_type_combo.currentIndexChanged.connect(lambda: self._changed(True))
        form.addRow(self.tr("Dataset:"), self.name_combo)
        form.setRowVisible(self.name_combo, False)
        self._format_form = form
        form.addRow(self.tr("Format:"), self.format_combo)
        form.addRow(self.tr("Detected:"), self.detected_label)
        form.addRow(self.tr("File type:"), self.file_type_combo)
        return box

    def _build_columns(self) -> QGroupBox:
        box = QGroupBox(self.tr("Columns"))
        self.columns_form = QFormLayout(box)
        titles = {"text": self.tr("Text"), "label": self.tr("Label"),
                  "instruction": self.tr("Instruction"), "input": self.tr("Input"),
                  "output": self.tr("Output"), "messages": self.tr("Messages"),
                  "source": self.tr("Source"), "target": self.tr("Target"),
                  "tokens": self.tr("Tokens"), "tags": self.tr("Tags"),
                  "system": self.tr("System"), "history": self.tr("History"),
                  "tools": self.tr("Tools")}
        self.column_combos: dict[str, QComboBox] = {}
        for role in ROLE_FIELDS:
            combo = QComboBox()
            combo.setObjectName(f"column_{role}")
            combo.addItem(self.tr("(automatic)"), None)
            combo.currentIndexChanged.connect(lambda _i: self._changed(True))
            self.column_combos[role] = combo
            self.columns_form.addRow(titles[role] + ":", combo)
        self.columns_hint = QLabel()
        self.columns_hint.setWordWrap(True)
        self.columns_form.addRow(self.columns_hint)
        return box

    def _build_options(self) -> QGroupBox:
        box = QGroupBox(self.tr("Options"))
        form = QFormLayout(box)
        self.split_spin = QDoubleSpinBox()
        self.split_spin.setObjectName("validationSplit")
        self.split_spin.setRange(0.0, 0.9)
        self.split_spin.setSingleStep(0.05)
        self.split_spin.setDecimals(2)
        self.split_spin.setToolTip(self.tr("Fraction of the rows held out for evaluation when "
                                           "there is no validation file; 0 = no evaluation."))
        self.split_spin.valueChanged.connect(lambda: self._changed(False))
        self.validation_edit = QLineEdit()
        self.validation_edit.setPlaceholderText(self.tr("none: split the data file"))
        self.validation_edit.editingFinished.connect(self._on_validation_edited)
        browse = QPushButton(self.tr("…"))
        browse.setToolTip(self.tr("Choose a validation file"))
        browse.setMaximumWidth(32)
        browse.clicked.connect(self._browse_validation)
        validation = QHBoxLayout()
        validation.addWidget(self.validation_edit, 1)
        validation.addWidget(browse)
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 2**31 - 1)
        self.seed_spin.setToolTip(self.tr("Seed of the train/validation split and shuffling."))
        self.seed_spin.valueChanged.connect(lambda: self._changed(False))
        self.max_spin = QSpinBox()
        self.max_spin.setObjectName("maxSamples")
        self.max_spin.setRange(0, 1_000_000_000)
        self.max_spin.setSpecialValueText(self.tr("all"))
        self.max_spin.setToolTip(self.tr("Use at most this many rows for training."))
        self.max_spin.valueChanged.connect(lambda: self._changed(False))
        self.delimiter_combo = QComboBox()
        self.delimiter_combo.setObjectName("delimiter")
        self.delimiter_combo.setEditable(True)
        for value, text in DELIMITERS:
            self.delimiter_combo.addItem(self.tr("automatic") if value == "" else text, value)
        self.delimiter_combo.setToolTip(self.tr("CSV/TSV column separator; type any single "
                                                "character."))
        self.delimiter_combo.activated.connect(lambda: self._changed(True))
        self.delimiter_combo.lineEdit().editingFinished.connect(self._on_delimiter_edited)
        self.labels_edit = QLineEdit()
        self.labels_edit.setObjectName("labels")
        self.labels_edit.setPlaceholderText(self.tr("from the data, sorted"))
        self.labels_edit.setToolTip(self.tr("Label names in id order, separated by commas."))
        self.labels_edit.editingFinished.connect(self._on_text_option)
        self.encoding_combo = QComboBox()
        self.encoding_combo.setEditable(True)
        self.encoding_combo.addItems(ENCODINGS)
        self.encoding_combo.activated.connect(lambda: self._changed(True))
        self.encoding_combo.lineEdit().editingFinished.connect(self._on_text_option)
        self.system_edit = QLineEdit()
        self.system_edit.setPlaceholderText(self.tr("none"))
        self.system_edit.setToolTip(self.tr("Chat and instruction data: a system message put "
                                            "before every example."))
        self.system_edit.editingFinished.connect(lambda: self._changed(False))
        self.pack_check = QCheckBox(self.tr("Pack plain text into full-length blocks"))
        self.pack_check.toggled.connect(lambda: self._changed(False))
        form.addRow(self.tr("Validation split:"), self.split_spin)
        form.addRow(self.tr("Validation file:"), validation)
        form.addRow(self.tr("Seed:"), self.seed_spin)
        form.addRow(self.tr("Max samples:"), self.max_spin)
        form.addRow(self.tr("Delimiter:"), self.delimiter_combo)
        form.addRow(self.tr("Labels:"), self.labels_edit)
        form.addRow(self.tr("Encoding:"), self.encoding_combo)
        form.addRow(self.tr("System prompt:"), self.system_edit)
        form.addRow(self.pack_check)
        return box

    # ---- config in and out -----------------------------------------------------------------
    def config(self, path: str) -> DatasetConfig:
        cfg = copy.deepcopy(self._cfg)
        cfg.path = path
        cfg.format = self.format_combo.currentData() or "auto"
        cfg.file_type = self.file_type_combo.currentData() or "auto"
        cfg.name = self.name_combo.currentData() or None
        for role, combo in self.column_combos.items():
            setattr(cfg, ROLE_FIELDS[role], combo.currentData() or None)
        cfg.validation_split = round(self.split_spin.value(), 4)
        cfg.validation_path = self.validation_edit.text().strip() or None
        cfg.seed = self.seed_spin.value()
        cfg.max_samples = self.max_spin.value() or None
        cfg.delimiter = self._delimiter()
        labels = [x.strip() for x in self.labels_edit.text().split(",") if x.strip()]
        cfg.labels = labels or None
        cfg.encoding = self.encoding_combo.currentText().strip() or "utf-8"
        cfg.system_prompt = self.system_edit.text() or None
        cfg.pack = self.pack_check.isChecked()
        return cfg

    def set_config(self, cfg: DatasetConfig) -> None:
        self._updating = True
        try:
            self._cfg = copy.deepcopy(cfg)
            _select(self.format_combo, cfg.format or "auto")
            _select(self.file_type_combo, cfg.file_type or "auto")
            self._set_names([cfg.name] if cfg.name else [], cfg.name)
            for role, combo in self.column_combos.items():
                value = getattr(cfg, ROLE_FIELDS[role])
                if value and combo.findData(value) < 0:
                    combo.addItem(value, value)
                _select(combo, value)
            self.split_spin.setValue(cfg.validation_split)
            self.validation_edit.setText(cfg.validation_path or "")
            self.seed_spin.setValue(cfg.seed)
            self.max_spin.setValue(cfg.max_samples or 0)
            index = self.delimiter_combo.findData(cfg.delimiter or "")
            if index >= 0:
                self.delimiter_combo.setCurrentIndex(index)
            else:
                self.delimiter_combo.setEditText(cfg.delimiter or "")
            self.labels_edit.setText(", ".join(cfg.labels or []))
            self.encoding_combo.setEditText(cfg.encoding or "utf-8")
            self.system_edit.setText(cfg.system_prompt or "")
            self.pack_check.setChecked(cfg.pack)
        finally:
            self._updating = False
        self._update_roles()

    def _set_names(self, names: list[str], chosen: str | None) -> None:
        self.name_combo.clear()
        for name in names:
            self.name_combo.addItem(name, name)
        _select(self.name_combo, chosen)
        self._format_form.setRowVisible(self.name_combo, bool(names))

    def set_dataset_names(self, names: list[str], chosen: str | None) -> None:
        """The datasets a dataset_info.json folder offers (none: the row is hidden)."""
        self._updating = True
        try:
            self._set_names(names, chosen)
        finally:
            self._updating = False

    def show_detection(self, result: dict[str, Any] | None) -> None:
        """Fill the column choices from an inspection result and show the detected format."""
        self._detected = result or {}
        columns = list(self._detected.get("file_columns") or [])
        mapping = self._detected.get("columns") or {}
        self._updating = True
        try:
            for role, combo in self.column_combos.items():
                chosen = combo.currentData()
                combo.clear()
                auto = mapping.get(role)
                combo.addItem(self.tr("(automatic: %1)").replace("%1", auto) if auto and not chosen
                              else self.tr("(automatic)"), None)
                for column in columns:
                    combo.addItem(column, column)
                if chosen and combo.findData(chosen) < 0:
                    combo.addItem(chosen, chosen)
                _select(combo, chosen)
        finally:
            self._updating = False
        fmt = self._detected.get("format")
        self.detected_label.setText(fmt or (self.tr("not recognised") if result else "—"))
        self._update_roles()

    def _update_roles(self) -> None:
        """Show only the columns the current (or detected) format uses."""
        fmt = self.format_combo.currentData()
        if fmt in (None, "auto"):
            fmt = self._detected.get("format")
        roles = set(REQUIRED.get(fmt, ()) + OPTIONAL.get(fmt, ())) if fmt else set(ROLE_FIELDS)
        for role, combo in self.column_combos.items():
            self.columns_form.setRowVisible(combo, role in roles)
        self.columns_hint.setText("" if fmt else self.tr(
            "The format is not known yet: map the columns, or pick a format above."))
        self.columns_hint.setVisible(not fmt)

    # ---- reacting --------------------------------------------------------------------------
    def _changed(self, reread: bool) -> None:
        if not self._updating:
            self.sig_changed.emit(reread)

    def _on_format_changed(self) -> None:
        if self._updating:
            return
        fmt = self.format_combo.currentData()
        if fmt and fmt != "auto":  # columns of other formats no longer apply
            keep = set(REQUIRED.get(fmt, ()) + OPTIONAL.get(fmt, ()))
            self._updating = True
            for role, combo in self.column_combos.items():
                if role not in keep:
                    combo.setCurrentIndex(0)
            self._updating = False
        self._update_roles()
        self._changed(True)

    def _delimiter(self) -> str | None:
        text = self.delimiter_combo.currentText()
        index = self.delimiter_combo.findText(text)
        if index >= 0:
            return self.delimiter_combo.itemData(index) or None
        if text.lower() in ("tab", "\\t"):
            return "\t"
        return text or None

    def _on_delimiter_edited(self) -> None:
        self._changed(True)

    def _on_text_option(self) -> None:
        self._changed(True)

    def _on_validation_edited(self) -> None:
        self._changed(True)

    def _browse_validation(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a validation file"), "",
                                              self.tr("Data files (*.csv *.tsv *.json *.jsonl "
                                                      "*.parquet *.txt);;All files (*)"))
        if path:
            self.validation_edit.setText(path)
            self._changed(True)


def _select(combo: QComboBox, value: Any) -> None:
    index = 0 if value is None else combo.findData(value)
    combo.setCurrentIndex(index if index >= 0 else 0)
    if index < 0 and value is not None and combo.isEditable():
        combo.setEditText(str(value))

