"""The Model page: choose a base model (folder, drag and drop, recent list or hub id), see
what it is, pick the modules a method adapts, and see the parameter and memory estimate.

Reading config.json and the checkpoint headers happens in a pool worker; the estimate is
arithmetic over the module list and runs on the GUI thread. Nothing here imports the compute
stack (see ``studio.core.modeltree`` for how the tree is read without torch).
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPushButton, QSplitter, QTreeView, QVBoxLayout,
                               QWidget)

from studio.core import methods, modeltree
from studio.core.config import MethodConfig, TrainingConfig
from studio.core.errors import StudioError
from studio.core.estimate import estimate
from studio.core.modelinfo import ModelInfo
from studio.ui.common import dialogs
from workers import pool

from .panels import EstimatePanel, InfoPanel
from .treemodel import ModuleTreeModel

Targets = None | list[str] | str
_ERROR_STYLE = "color: palette(text); background: #f8d7da; border-radius: 3px; padding: 4px;"
_NOTE_STYLE = "color: palette(text); background: #e7f1fb; border-radius: 3px; padding: 4px;"


def _describe_job(serial: int, model: str) -> tuple[int, Any, BaseException | None]:
    """Runs on a pool thread; errors travel back with the serial so stale ones are dropped."""
    try:
        return serial, modeltree.describe(model), None
    except Exception as exc:  # noqa: BLE001 - shown by the page
        return serial, None, exc


class ModelPage(QWidget):
    sig_model_changed = Signal(str)
    sig_targets_changed = Signal(object)
    MAX_RECENT = 10

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("modelPage")
        self.setAcceptDrops(True)
        self._description: modeltree.ModelDescription | None = None
        self._path = ""
        self._loading_path = ""
        self._serial = 0
        self._targets: Targets = None
        self._mode = "default"           # default | manual | regex
        self._pending: tuple[str, Targets] | None = None
        self._method = MethodConfig()
        self._training = TrainingConfig()
        self._recent: list[str] = []
        self._build()
        self._update_targets_label()

    # ---- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.path_box = QComboBox()
        self.path_box.setObjectName("modelPath")
        self.path_box.setEditable(True)
        self.path_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.path_box.lineEdit().setPlaceholderText(
            self.tr("A local model folder, or a Hugging Face hub id such as org/name"))
        self.path_box.lineEdit().setAcceptDrops(False)  # folder drops go to the page
        self.path_box.lineEdit().returnPressed.connect(self._on_load_clicked)
        self.path_box.activated.connect(self._on_recent_activated)
        self.path_box.setToolTip(self.tr("Recent models are in the drop-down list. You can "
                                         "also drop a model folder anywhere on this page."))
        self.browse_button = QPushButton(self.tr("Browse…"))
        self.browse_button.clicked.connect(self._browse)
        self.load_button = QPushButton(self.tr("Load"))
        self.load_button.clicked.connect(self._on_load_clicked)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Base model:")))
        top.addWidget(self.path_box, 1)
        top.addWidget(self.browse_button)
        top.addWidget(self.load_button)

        self.message = QLabel()
        self.message.setObjectName("modelMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        self.regex_edit = QLineEdit()
        self.regex_edit.setObjectName("targetRegex")
        self.regex_edit.setPlaceholderText(self.tr(r"Regular expression, e.g. .*\.(q_proj|v_proj)"))
        self.regex_edit.setToolTip(self.tr("Matched against each module's full name, as peft "
                                           "does; the matching modules are checked as you type."))
        self.regex_edit.setClearButtonEnabled(True)
        self.regex_edit.textEdited.connect(self._on_regex_edited)
        self.default_button = QPushButton(self.tr("Use default"))
        self.default_button.setObjectName("defaultTargets")
        self.default_button.clicked.connect(self.use_default_targets)
        regex_row = QHBoxLayout()
        regex_row.addWidget(QLabel(self.tr("Target modules:")))
        regex_row.addWidget(self.regex_edit, 1)
        regex_row.addWidget(self.default_button)

        self.tree_model = ModuleTreeModel(self)
        self.tree_model.sig_toggled.connect(self._on_tree_toggled)
        self.tree = QTreeView()
        self.tree.setObjectName("moduleTree")
        self.tree.setModel(self.tree_model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.targets_label = QLabel()
        self.targets_label.setObjectName("targetsSummary")
        self.targets_label.setWordWrap(True)
        self.targets_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tree_note = QLabel()
        self.tree_note.setWordWrap(True)
        self.tree_note.hide()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(regex_row)
        left_layout.addWidget(self.tree_note)
        left_layout.addWidget(self.tree, 1)
        left_layout.addWidget(self.targets_label)

        self.info_panel = InfoPanel()
        self.estimate_panel = EstimatePanel()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.info_panel)
        right_layout.addWidget(self.estimate_panel)
        right_layout.addStretch(1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.splitter, 1)
        self._update_default_button()

    # ---- contract --------------------------------------------------------------------------
    def model_path(self) -> str:
        return self._path

    def model_info(self) -> ModelInfo | None:
        return self._description.info if self._description else None

    def description(self) -> modeltree.ModelDescription | None:
        return self._description

    def target_modules(self) -> Targets:
        return copy.copy(self._targets)

    def set_model(self, path: str) -> None:
        """Inspect ``path`` (a folder or hub id) in the background; ``sig_model_changed``
        follows when it is usable."""
        path = path.strip()
        if self.path_box.currentText() != path:
            self.path_box.setEditText(path)
        if not path:
            self._show_message(self.tr("Choose a model folder or type a hub id."), error=True)
            return
        self._serial += 1
        self._loading_path = path
        self.load_button.setEnabled(False)
        self._show_message(self.tr("Reading %1 …").replace("%1", path))
        pool.start(_describe_job, self._serial, path, returned=self._on_described)

    def set_estimate_inputs(self, method: MethodConfig, training: TrainingConfig) -> None:
        self._method = copy.deepcopy(method)
        self._training = copy.deepcopy(training)
        uses = self._uses_targets()
        self.tree_model.set_checkable(uses)
        self.regex_edit.setEnabled(uses)
        self.default_button.setEnabled(uses)
        if self._mode == "default":
            self._refresh_checks()
        self._update_default_button()
        self._update_targets_label()
        self._update_estimate()

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("model/path", self._path)
        settings.setValue("model/recent", json.dumps(self._recent))
        settings.setValue("model/targets", json.dumps({"mode": self._mode,
                                                       "value": self._targets}))
        settings.setValue("model/splitter", self.splitter.saveState())

    def restore_state(self, settings: QSettings) -> None:
        self._recent = _json_list(settings.value("model/recent", "[]"))[: self.MAX_RECENT]
        self._fill_recent()
        splitter = settings.value("model/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        try:
            saved = json.loads(str(settings.value("model/targets", "{}")))
        except ValueError:
            saved = {}
        mode = saved.get("mode") if isinstance(saved, dict) else None
        value = saved.get("value") if isinstance(saved, dict) else None
        if mode not in ("default", "manual", "regex") or not _valid_targets(value):
            mode, value = "default", None
        path = str(settings.value("model/path", "") or "")
        if path:
            self._pending = (mode, value)
            self.set_model(path)
        else:
            self._mode, self._targets = mode, value

    # ---- loading ---------------------------------------------------------------------------
    def _on_load_clicked(self) -> None:
        self.set_model(self.path_box.currentText())

    def _on_recent_activated(self, index: int) -> None:
        text = self.path_box.itemText(index)
        if text:
            self.set_model(text)

    def _browse(self) -> None:
        start = self._path if Path(self._path).is_dir() else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a model folder"), start)
        if folder:
            self.set_model(folder)

    def _on_described(self, result: tuple[int, Any, BaseException | None]) -> None:
        serial, description, exc = result
        if serial != self._serial:
            return  # an older request finished after a newer one started
        self.load_button.setEnabled(True)
        if exc is not None:
            self._show_failure(exc)
            return
        self._show_description(description)

    def _show_failure(self, exc: BaseException) -> None:
        self._description = None
        self._path = ""
        self.info_panel.clear()
        self.tree_model.set_entries([])
        self.estimate_panel.clear()
        self._update_default_button()
        if isinstance(exc, StudioError):
            self._show_message(str(exc), error=True)
        else:
            self._show_message(self.tr("Reading the model failed: %1").replace("%1", str(exc)),
                               error=True)
            dialogs.show_exception(self, exc, self.tr("Cannot read the model"), modal=False)

    def _show_description(self, d: modeltree.ModelDescription) -> None:
        self._description = d
        self._path = self._loading_path
        self.info_panel.show_description(d)
        self.tree_model.set_entries(d.entries)
        for index in self.tree_model.initial_expansion():
            self.tree.expand(index)
        known = {modeltree.NOT_DOWNLOADED: self.tr("The module tree is not known until the "
                                                   "model is downloaded."),
                 modeltree.BIN_NOTE: self.tr("This model is saved as pytorch_model.bin, which "
                                             "cannot be read without loading it; the module "
                                             "names of its family are shown instead, without "
                                             "shapes.")}
        self.tree_note.setText(known.get(d.tree_note or "", d.tree_note or ""))
        self.tree_note.setVisible(bool(d.tree_note))
        note = ""
        if d.info.remote:
            note = self.tr("This is a Hugging Face hub id: the model will be downloaded when "
                           "training starts (needs network).")
            if d.info.model_type is not None:
                note += " " + self.tr("The details shown come from the local Hugging Face "
                                      "cache.")
        self._show_message(note)
        self._apply_targets_after_load()
        self._remember(self._path)
        self._update_default_button()
        self._update_targets_label()
        self._update_estimate()
        self.sig_model_changed.emit(self._path)

    def _apply_targets_after_load(self) -> None:
        before = (self._mode, copy.copy(self._targets))
        if self._pending is not None:
            self._mode, self._targets = self._pending
            self._pending = None
        elif self._mode != "default" and not self._matched(self._targets):
            self._mode, self._targets = "default", None  # the old choice does not fit
        self.regex_edit.setText(self._targets if self._mode == "regex" else "")
        self._refresh_checks()
        if (self._mode, self._targets) != before:
            self.sig_targets_changed.emit(copy.copy(self._targets))

    # ---- targets ---------------------------------------------------------------------------
    def _uses_targets(self) -> bool:
        try:
            return methods.get(self._method.name).param("target_modules") is not None
        except StudioError:
            return False

    def _default_targets(self) -> list[str] | None:
        family = self._description.info.family if self._description else None
        return methods.default_target_modules(self._method.name, family)

    def _linear_names(self) -> list[str]:
        if self._description is None:
            return []
        return [e.name for e in self._description.entries if e.is_linear]

    def _matched(self, targets: Targets) -> list[str]:
        names = self.tree_model.leaf_names()
        effective = targets if targets is not None else self._default_targets()
        return modeltree.match_targets(names, effective, self._linear_names())

    def _refresh_checks(self) -> None:
        self.tree_model.set_checked(self._matched(self._targets) if self._uses_targets()
                                    else [])

    def _set_targets(self, mode: str, targets: Targets) -> None:
        self._mode, self._targets = mode, targets
        self._update_targets_label()
        self._update_estimate()
        self.sig_targets_changed.emit(copy.copy(targets))

    def use_default_targets(self) -> None:
        """The family default of the current method (target_modules left empty)."""
        self.regex_edit.clear()
        self._set_regex_error(None)
        self._mode, self._targets = "default", None
        self._refresh_checks()
        self._set_targets("default", None)

    def set_target_regex(self, text: str) -> None:
        """As if typed in the regex box (for tests and the window's restore)."""
        self.regex_edit.setText(text)
        self._on_regex_edited(text)

    def _on_regex_edited(self, text: str) -> None:
        text = text.strip()
        if not text:
            self.use_default_targets()
            return
        try:
            re.compile(text)
        except re.error as exc:
            self._set_regex_error(self.tr("Not a valid regular expression: %1").replace(
                "%1", str(exc)))
            return
        self._set_regex_error(None)
        self.tree_model.set_checked(modeltree.match_targets(self.tree_model.leaf_names(), text))
        self._set_targets("regex", text)

    def _set_regex_error(self, message: str | None) -> None:
        self.regex_edit.setStyleSheet("" if message is None else "border: 1px solid #c0392b;")
        self.regex_edit.setToolTip(message or self.tr(
            "Matched against each module's full name, as peft does; the matching modules are "
            "checked as you type."))
        if message:
            self._show_message(message, error=True)
            self.message.setProperty("regex", True)
        elif self.message.property("regex"):
            self._show_message("")

    def _on_tree_toggled(self) -> None:
        self.regex_edit.clear()
        self._set_regex_error(None)
        checked = self.tree_model.checked_names()
        if not checked:
            self._set_targets("default", None)
            return
        if self._description is not None and self._description.tree_available:
            targets: list[str] = modeltree.compress_targets(checked, self.tree_model.leaf_names())
        else:
            targets = sorted(checked)
        self._set_targets("manual", targets)

    def _update_default_button(self) -> None:
        family = self._description.info.family if self._description else None
        self.default_button.setText(self.tr("Use default for %1").replace("%1", family)
                                    if family else self.tr("Use default"))
        default = self._default_targets()
        self.default_button.setToolTip(
            self.tr("Let the method pick its usual modules for this family: %1").replace(
                "%1", ", ".join(default)) if default else
            self.tr("peft has no default for this model: choose modules in the tree."))

    def _update_targets_label(self) -> None:
        if not self._uses_targets():
            name = self._method_name()
            self.targets_label.setText(self.tr("%1 does not use target modules.").replace(
                "%1", name))
            return
        matched = self._matched(self._targets) if self._description else []
        if self._targets is None:
            default = self._default_targets()
            value = (self.tr("family default (%1)").replace("%1", ", ".join(default))
                     if default else self.tr("family default"))
        elif isinstance(self._targets, str):
            value = self.tr("regular expression %1").replace("%1", self._targets)
        else:
            value = ", ".join(self._targets)
        text = self.tr("Targets: %1").replace("%1", value)
        if self._description is not None and self._description.entries:
            text += " — " + self.tr("%n module(s) matched", "", len(matched))
        self.targets_label.setText(text)

    # ---- estimate --------------------------------------------------------------------------
    def _method_name(self) -> str:
        try:
            return methods.get(self._method.name).display_name
        except StudioError:
            return self._method.name

    def _update_estimate(self) -> None:
        d = self._description
        if d is None:
            self.estimate_panel.clear()
            return
        if d.info.model_type is None:
            self.estimate_panel.clear(self.tr("The estimate needs the model's config.json: it "
                                              "appears once the model is downloaded."))
            return
        params = dict(self._method.params)
        if self._uses_targets():
            params["target_modules"] = copy.copy(self._targets)
        try:
            est = estimate(d.info, d.entries if d.tree_available else None,
                           MethodConfig(self._method.name, params), self._training)
        except StudioError as exc:
            self.estimate_panel.clear(str(exc))
            return
        t = self._training
        setup = self.tr("%1 · batch %2 · length %3 · %4").replace("%1", self._method_name()) \
            .replace("%2", str(t.batch_size)).replace("%3", str(t.max_length)) \
            .replace("%4", t.dtype)
        self.estimate_panel.show_estimate(est, setup)

    # ---- recent models, messages, drag and drop --------------------------------------------
    def recent_models(self) -> list[str]:
        return list(self._recent)

    def _remember(self, path: str) -> None:
        self._recent = [path] + [p for p in self._recent if p != path]
        self._recent = self._recent[: self.MAX_RECENT]
        self._fill_recent()

    def _fill_recent(self) -> None:
        text = self.path_box.currentText()
        self.path_box.blockSignals(True)
        self.path_box.clear()
        self.path_box.addItems(self._recent)
        self.path_box.setEditText(text)
        self.path_box.blockSignals(False)

    def _show_message(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("error", error)
        self.message.setProperty("regex", False)
        self.message.setStyleSheet(_ERROR_STYLE if error else _NOTE_STYLE)
        self.message.setVisible(bool(text))

    def message_text(self) -> str:
        return "" if self.message.isHidden() else self.message.text()

    @staticmethod
    def _dropped_folder(event: QDragEnterEvent | QDropEvent) -> str | None:
        mime = event.mimeData()
        if not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile():
                path = Path(url.toLocalFile())
                return str(path if path.is_dir() else path.parent)
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt name
        if self._dropped_folder(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt name
        folder = self._dropped_folder(event)
        if folder:
            event.acceptProposedAction()
            self.set_model(folder)


def _json_list(value: Any) -> list[str]:
    try:
        data = json.loads(str(value))
    except ValueError:
        return []
    return [str(x) for x in data if x] if isinstance(data, list) else []


def _valid_targets(value: Any) -> bool:
    return value is None or (isinstance(value, str) and bool(value)) or (
        isinstance(value, list) and all(isinstance(x, str) for x in value))
