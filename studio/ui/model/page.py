"""The Model page: choose a base model (folder, drag and drop, recent list or hub id), see
what it is, pick the modules a method adapts, and see the parameter and memory estimate.

Reading config.json and the checkpoint headers happens in a pool worker; the estimate is
arithmetic over the module list and runs on the GUI thread. Nothing here imports the compute
stack (``studio.core.modeltree`` reads the tree without torch).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from studio.core import methods, modeltree
from studio.core.config import MethodConfig, TrainingConfig
from studio.core.errors import StudioError
from studio.core.estimate import estimate
from studio.core.modelinfo import ModelInfo
from studio.ui.common import dialogs
from studio.ui.common.messages import error_text
from studio.ui.common.pickleconsent import PickleConsent
from workers import pool

from .panels import EstimatePanel, InfoPanel
from .targets import MODES, TargetPicker, Targets, mode_of

_ERROR_STYLE = "color: palette(text); background: #f8d7da; border-radius: 3px; padding: 4px;"
_NOTE_STYLE = "color: palette(text); background: #e7f1fb; border-radius: 3px; padding: 4px;"


def _describe_job(serial: int, model: str) -> tuple[int, Any, BaseException | None]:
    """Runs on a pool thread; errors travel back with the serial so stale ones are dropped."""
    try:
        return serial, modeltree.describe(model), None
    except Exception as exc:  # noqa: BLE001 - shown by the page
        return serial, None, exc


class ModelPage(QWidget):
    sig_model_changed = Signal(str)        # path or hub id, after inspection
    sig_targets_changed = Signal(object)   # None | list[str] | regex str
    sig_allow_pickle_changed = Signal(bool)  # the run's allow_pickle_weights
    MAX_RECENT = 10

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("modelPage")
        self.setAcceptDrops(True)
        self._description: modeltree.ModelDescription | None = None
        self._path = ""
        self._loading_path = ""
        self._loading = False
        self._serial = 0
        self._pending: tuple[str, Targets] | None = None
        self._method = MethodConfig()
        self._training = TrainingConfig()
        self._recent: list[str] = []
        self._download_worker: Any = None
        self._download_worker_factory: Any = None   # tests: a worker with another command
        self._build()

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
        self.download_button = QPushButton(self.tr("Download…"))
        self.download_button.setObjectName("downloadModel")
        self.download_button.setToolTip(self.tr("Download this hub model into the local cache "
                                                "now, its size shown first"))
        self.download_button.clicked.connect(self.download)
        self.download_button.hide()
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Base model:")))
        top.addWidget(self.path_box, 1)
        top.addWidget(self.browse_button)
        top.addWidget(self.load_button)
        top.addWidget(self.download_button)

        # Not kept between sessions: consent to pickles is given for the model at hand.
        self.pickle_consent = PickleConsent(self)
        self.pickle_consent.sig_changed.connect(self.sig_allow_pickle_changed)

        self.message = QLabel()
        self.message.setObjectName("modelMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        self.picker = TargetPicker()
        self.picker.sig_targets_changed.connect(self._on_targets_changed)
        self.picker.sig_error.connect(lambda text: self._show_message(text, error=True))
        # The parts tests and the window reach directly.
        self.tree, self.tree_model = self.picker.tree, self.picker.tree_model
        self.regex_edit, self.default_button = self.picker.regex_edit, self.picker.default_button
        self.targets_label, self.tree_note = self.picker.summary, self.picker.tree_note

        self.info_panel = InfoPanel()
        self.estimate_panel = EstimatePanel()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.info_panel)
        right_layout.addWidget(self.estimate_panel)
        right_layout.addStretch(1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.picker)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pickle_consent)
        layout.addWidget(self.message)
        layout.addWidget(self.splitter, 1)

    # ---- contract --------------------------------------------------------------------------
    def model_path(self) -> str:
        return self._path

    def allow_pickle(self) -> bool:
        return self.pickle_consent.allowed()

    def set_allow_pickle(self, allowed: bool) -> None:
        self.pickle_consent.set_allowed(allowed)

    def model_info(self) -> ModelInfo | None:
        return self._description.info if self._description else None

    def description(self) -> modeltree.ModelDescription | None:
        return self._description

    def target_modules(self) -> Targets:
        return self.picker.targets()

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
        self._loading = True
        self.load_button.setEnabled(False)
        self._show_message(self.tr("Reading %1 …").replace("%1", path))
        pool.start(_describe_job, self._serial, path, returned=self._on_described)

    def set_estimate_inputs(self, method: MethodConfig, training: TrainingConfig) -> None:
        """The method and training settings the estimate is for (from the Train page)."""
        self._method = copy.deepcopy(method)
        self._training = copy.deepcopy(training)
        self.picker.set_method(self._method.name)
        self._update_estimate()

    def use_default_targets(self) -> None:
        self.picker.use_default()

    def set_target_regex(self, text: str) -> None:
        self.picker.set_regex(text)

    def set_target_modules(self, value: Targets) -> None:
        """Show ``value`` (a run file's ``method.target_modules``: None, names or a regex) as
        the choice: the matching modules checked, or the regex in its box. No
        ``sig_targets_changed`` now, since the caller has the value already; while a model is
        being read, the value waits and replaces the page's own choice for it."""
        mode = mode_of(value)
        value = None if mode == "default" else copy.copy(value)
        if self._loading:
            self._pending = (mode, value)
            return
        self.picker.set_state(mode, value)
        self._update_estimate()

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("model/path", self._path)
        settings.setValue("model/recent", json.dumps(self._recent))
        settings.setValue("model/targets", json.dumps({"mode": self.picker.mode(),
                                                       "value": self.picker.targets()}))
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
        if mode not in MODES or not _valid_targets(value):
            mode, value = "default", None
        path = str(settings.value("model/path", "") or "")
        if path:
            self._pending = (mode, value)
            self.set_model(path)
        else:
            self.picker.set_state(mode, value)

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
        self._loading = False
        self.load_button.setEnabled(True)
        if exc is not None:
            self._show_failure(exc)
        else:
            self._show_description(description)

    def _show_failure(self, exc: BaseException) -> None:
        self._description = None
        self._path = ""
        self.info_panel.clear()
        self.picker.set_description(None)
        pending, self._pending = self._pending, None
        if pending is not None:   # kept for the next model (which may not fit it)
            self.picker.set_state(*pending)
        self.estimate_panel.clear()
        if isinstance(exc, StudioError):
            self._show_message(error_text(exc), error=True)
        else:
            self._show_message(self.tr("Reading the model failed: %1").replace("%1", str(exc)),
                               error=True)
            dialogs.show_exception(self, exc, self.tr("Cannot read the model"), modal=False)

    def _show_description(self, d: modeltree.ModelDescription) -> None:
        self._description = d
        self._path = self._loading_path
        self.info_panel.show_description(d)
        note = ""
        from studio.core.download import cached
        from studio.core.hub import from_environment

        downloaded = d.info.remote and cached(self._path) is not None
        modelscope = from_environment().source == "modelscope"
        if d.info.remote and not downloaded:
            note = self.tr("This is a hub id: the model is downloaded before training or "
                           "loading starts, or now with Download….")
        elif downloaded:
            note = (self.tr("This hub model is in the local ModelScope cache.") if modelscope
                    else self.tr("This hub model is in the local Hugging Face cache."))
        if d.info.remote and d.info.model_type is not None:
            note += " " + (
                self.tr("The details shown come from the local ModelScope cache.") if modelscope
                else self.tr("The details shown come from the local Hugging Face cache."))
        self.download_button.setVisible(d.info.remote and not downloaded)
        self._show_message(note)
        restore, self._pending = self._pending, None
        self.picker.set_description(d, restore)  # may emit sig_targets_changed
        self._remember(self._path)
        self._update_estimate()
        self.sig_model_changed.emit(self._path)

    def download(self) -> Any:
        """The download dialog for the hub id shown (a child process does the work)."""
        from workers.download import DownloadWorker

        from .download import DownloadDialog

        if self._download_worker is None:
            self._download_worker = (self._download_worker_factory or DownloadWorker)(self)
        dialog = DownloadDialog(self._path, self._download_worker, self.allow_pickle(), self)
        dialog.sig_downloaded.connect(self.set_model)   # read again, from the cache now
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _on_targets_changed(self, targets: Targets) -> None:
        self._update_estimate()
        self.sig_targets_changed.emit(targets)

    # ---- estimate --------------------------------------------------------------------------
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
        if self.picker.uses_targets():  # the page's choice wins over the form's copy
            params["target_modules"] = self.picker.targets()
        try:
            est = estimate(d.info, d.entries if d.tree_available else None,
                           MethodConfig(self._method.name, params), self._training)
            name = QCoreApplication.translate("methods",
                                              methods.get(self._method.name).display_name)
        except StudioError as exc:
            self.estimate_panel.clear(error_text(exc))
            return
        t = self._training
        setup = self.tr("%1 · batch %2 · length %3 · %4").replace("%1", name) \
            .replace("%2", str(t.batch_size)).replace("%3", str(t.max_length)) \
            .replace("%4", t.dtype)
        self.estimate_panel.show_estimate(est, setup)

    # ---- recent models, messages, drag and drop --------------------------------------------
    def recent_models(self) -> list[str]:
        return list(self._recent)

    def _remember(self, path: str) -> None:
        self._recent = ([path] + [p for p in self._recent if p != path])[: self.MAX_RECENT]
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
        self.message.setStyleSheet(_ERROR_STYLE if error else _NOTE_STYLE)
        self.message.setVisible(bool(text))

    def message_text(self) -> str:
        return "" if self.message.isHidden() else self.message.text()

    @staticmethod
    def _dropped_folder(event: QDragEnterEvent | QDropEvent) -> str | None:
        mime = event.mimeData()
        for url in mime.urls() if mime.hasUrls() else []:
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
