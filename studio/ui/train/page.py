"""The Train page: method, training settings and device on the left; Start/Stop/Resume,
progress, problems, live charts, log and the run-file preview on the right.

The page never starts anything itself: it emits intent signals (``sig_start_requested``,
``sig_stop_requested``, ``sig_resume_requested``) and the main window owns the worker. The
run file is re-validated in a pool worker (it reads config.json and the data file) a moment
after every edit; Start stays disabled while problems are listed."""

from __future__ import annotations

import copy
import dataclasses
import itertools
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studio.core import atomic, methods, validate
from studio.core.config import TASKS, DatasetConfig, MethodConfig, RunConfig, TrainingConfig
from studio.core.errors import Problem, StudioError
from studio.core.messages import msg
from studio.core.modelinfo import ModelInfo, detect_task
from studio.ui.common import icons
from studio.ui.common.dialogs import show_error, show_exception
from studio.ui.common.messages import message_text, outcome_error_text, problem_text
from workers import pool

from .distributed_form import DistributedForm
from .method_form import MethodForm, registry_text
from .monitor import RunMonitor
from .runfile import RunFilePanel, file_stem
from .training_form import TrainingForm
from .widgets import WheelGuard, guard_wheel, make_form, set_combo_data

VALIDATE_DELAY_MS = 250
RESUMABLE = ("stopped", "failed")


def _validate_job(generation: int, config: RunConfig) -> tuple[int, list[Problem]]:
    """Pool thread: the run file's problems, tagged with the edit they belong to."""
    try:
        return generation, validate.validate(config)
    except Exception as exc:  # noqa: BLE001 - a check that crashes is itself a problem
        return generation, [Problem(msg("config.run_file"), msg("validate.crashed", error=exc))]


class TrainPage(QWidget):
    sig_start_requested = Signal(object)          # RunConfig
    sig_stop_requested = Signal()
    sig_resume_requested = Signal(str)            # run id
    sig_method_changed = Signal(object, object)   # MethodConfig, TrainingConfig
    sig_running_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("trainPage")
        self._model_path = ""
        self._model_info: ModelInfo | None = None
        self._targets: list[str] | str | None = None
        self._allow_pickle = False
        self._dataset = DatasetConfig()
        self._params_by_method: dict[str, dict[str, Any]] = {}
        self._running = False
        self._problems: list[Problem] | None = None   # None: not validated yet
        self._generation = 0
        self._validated_generation = -1
        self._start_when_valid = False
        self._resumable: str | None = None
        self._last_emitted: tuple[Any, ...] | None = None
        self._devices: dict[str, Any] | None = None
        self._guard = WheelGuard(self)
        self._build()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(VALIDATE_DELAY_MS)
        self._timer.timeout.connect(self._refresh)
        self._select_method("lora")
        self._connect()
        self._update_buttons()
        self._schedule()

    # ---- layout --------------------------------------------------------------------------
    def _build(self) -> None:
        # Left: what to train.
        self.method_combo = QComboBox(self)
        self.method_combo.setObjectName("methodCombo")
        for spec in methods.all_methods():
            self.method_combo.addItem(registry_text(spec.display_name), spec.id)
        guard_wheel(self.method_combo, self._guard)
        self.method_description = QLabel(self)
        self.method_description.setObjectName("hint")
        self.method_description.setWordWrap(True)
        self.method_form = MethodForm(self)
        method_box = QGroupBox(self.tr("Method"), self)
        box = QVBoxLayout(method_box)
        picker = make_form()
        picker.addRow(self.tr("PEFT method"), self.method_combo)
        box.addLayout(picker)
        box.addWidget(self.method_description)
        box.addWidget(self.method_form)

        self.training_form = TrainingForm(self)
        self.distributed_form = DistributedForm(self)
        training_box = QGroupBox(self.tr("Training"), self)
        QVBoxLayout(training_box).addWidget(self.training_form)

        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("runName")
        self.name_edit.setClearButtonEnabled(True)
        self.name_edit.setPlaceholderText(self.tr("optional"))
        self.task_combo = QComboBox(self)
        self.task_combo.setObjectName("taskCombo")
        self.task_combo.addItem(self.tr("Detect from model and data"), None)
        task_names = {"causal_lm": self.tr("Causal language modelling"),
                      "seq2seq": self.tr("Sequence to sequence"),
                      "seq_cls": self.tr("Sequence classification"),
                      "token_cls": self.tr("Token classification")}
        for task in TASKS:
            self.task_combo.addItem(task_names.get(task, task), task)
        self.device_combo = QComboBox(self)
        self.device_combo.setObjectName("deviceCombo")
        for key, label in (("auto", self.tr("Automatic")), ("ascend", "Ascend"),
                           ("gpu", "GPU"), ("cpu", "CPU")):
            self.device_combo.addItem(label, key)
        for combo in (self.task_combo, self.device_combo):
            guard_wheel(combo, self._guard)
        run_box = QGroupBox(self.tr("Run"), self)
        run_form = make_form()
        run_form.addRow(self.tr("Name"), self.name_edit)
        run_form.addRow(self.tr("Task"), self.task_combo)
        run_form.addRow(self.tr("Device"), self.device_combo)
        run_column = QVBoxLayout(run_box)
        run_column.addLayout(run_form)
        run_column.addWidget(self.distributed_form)
        self.name_edit.setToolTip(self.tr("Shown on the Runs page; empty uses the run id."))
        self.task_combo.setToolTip(self.tr("What the model learns; detected from the model and "
                                           "the data format unless set."))

        settings_column = QWidget(self)
        settings_column.setObjectName("settingsColumn")
        column = QVBoxLayout(settings_column)
        column.setContentsMargins(10, 10, 10, 10)
        column.setSpacing(10)
        for widget in (method_box, training_box, run_box):
            column.addWidget(widget)
        column.addStretch(1)
        self.settings_scroll = QScrollArea(self)
        self.settings_scroll.setObjectName("settingsScroll")
        self.settings_scroll.setWidgetResizable(True)
        self.settings_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.settings_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.settings_scroll.setWidget(settings_column)
        self.settings_scroll.setMinimumWidth(360)
        self._setting_boxes = (method_box, training_box, run_box)

        # Right: running it.
        self.summary = QLabel(self)
        self.summary.setObjectName("runSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.start_button = QPushButton(self.tr("Start"), self)
        self.start_button.setObjectName("startButton")
        self.start_button.setToolTip(self.tr("Start training (Ctrl+Return)"))
        self.stop_button = QPushButton(self.tr("Stop"), self)
        self.stop_button.setObjectName("stopButton")
        self.stop_button.setToolTip(self.tr("Save a checkpoint and stop (Ctrl+.)"))
        self.resume_button = QPushButton(self.tr("Resume"), self)
        self.resume_button.setObjectName("resumeButton")
        self.resume_button.setToolTip(self.tr("Continue the last run from its latest "
                                              "checkpoint"))
        # white on the blue Start button, red like the Stop button's text (base.qss)
        self.start_button.setIcon(icons.icon("start", "#ffffff", disabled="#f1f5fd"))
        self.stop_button.setIcon(icons.icon("stop", "#b91c1c"))
        self.resume_button.setIcon(icons.icon("resume"))
        self.monitor = RunMonitor(self)
        self.monitor.sig_run_started.connect(lambda _run_id: self.set_running(True))
        self.progress, self.live_label = self.monitor.progress, self.monitor.live_label
        self.charts, self.log_view = self.monitor.charts, self.monitor.log_view
        self.problems_label = QLabel(self)
        self.problems_label.setObjectName("problemsHeader")
        self.problems_list = QListWidget(self)
        self.problems_list.setObjectName("problemsList")
        self.problems_list.setWordWrap(True)
        self.problems_list.setAlternatingRowColors(True)

        self.run_file = RunFilePanel(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("trainTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.charts, self.tr("Charts"))
        self.tabs.addTab(self.log_view, self.tr("Log"))
        self.tabs.addTab(self.run_file, self.tr("Run file"))

        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        for button in (self.start_button, self.stop_button, self.resume_button):
            buttons.addWidget(button)
        buttons.addSpacing(8)
        buttons.addWidget(self.progress, 1)
        monitor = QWidget(self)
        right = QVBoxLayout(monitor)
        right.setContentsMargins(10, 10, 10, 6)
        right.setSpacing(6)
        right.addWidget(self.summary)
        right.addLayout(buttons)
        right.addWidget(self.live_label)
        right.addWidget(self.monitor.workers_label)
        right.addWidget(self.problems_label)
        right.addWidget(self.problems_list)
        right.addWidget(self.tabs, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("trainSplitter")
        self.splitter.addWidget(self.settings_scroll)
        self.splitter.addWidget(monitor)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([430, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    def _connect(self) -> None:
        self.method_combo.currentIndexChanged.connect(self._on_method_picked)
        self.method_form.sig_changed.connect(self._schedule)
        self.training_form.sig_changed.connect(self._schedule)
        self.distributed_form.sig_changed.connect(self._schedule)
        self.name_edit.textChanged.connect(self._schedule)
        self.task_combo.currentIndexChanged.connect(self._on_task_changed)
        self.device_combo.currentIndexChanged.connect(self._schedule)
        self.start_button.clicked.connect(self.request_start)
        self.stop_button.clicked.connect(self.request_stop)
        self.resume_button.clicked.connect(self.request_resume)
        self.run_file.sig_save_requested.connect(self.save_run_file_dialog)

    # ---- inputs from the other pages -----------------------------------------------------
    def set_model(self, path: str, info: ModelInfo | None) -> None:
        self._model_path = path or ""
        self._model_info = info
        self.method_form.set_family(info.family if info else None)
        self._update_task_choices()
        self._update_method_fit()
        self._schedule()

    def set_allow_pickle(self, allowed: bool) -> None:
        """The Model page's consent to pickle weights (the run's allow_pickle_weights)."""
        self._allow_pickle = bool(allowed)
        self._schedule()

    def set_target_modules(self, value: list[str] | str | None) -> None:
        """The Model page's choice; it applies to every method that takes target modules."""
        self._targets = value
        for params in self._params_by_method.values():
            if "target_modules" in params:
                params["target_modules"] = value
        self.method_form.set_target_modules(value)

    def set_dataset(self, cfg: DatasetConfig) -> None:
        self._dataset = copy.deepcopy(cfg) if cfg is not None else DatasetConfig()
        self._update_method_fit()
        self._schedule()

    def set_devices(self, info: dict[str, Any]) -> None:
        """What ``peft-studio devices --json`` reported; {"error": ...} when it failed."""
        self._devices = info
        model = self.device_combo.model()
        for row in range(self.device_combo.count()):
            key = self.device_combo.itemData(row)
            item = model.item(row)
            if key == "auto" or "error" in info:
                item.setEnabled(True)
                item.setToolTip(self.tr("Could not ask MindSpore which devices exist: %1")
                                .replace("%1", str(info.get("error"))) if "error" in info else "")
                continue
            available = bool(info.get(key))
            item.setEnabled(available)
            item.setToolTip("" if available else self.tr("not available on this machine"))
        current = self.device_combo.currentData()
        if current != "auto" and "error" not in info and not info.get(current):
            set_combo_data(self.device_combo, "auto")

    # ---- the config ----------------------------------------------------------------------
    def method_id(self) -> str:
        return str(self.method_combo.currentData())

    def build_config(self) -> RunConfig:
        return RunConfig(
            model=self._model_path, dataset=copy.deepcopy(self._dataset),
            method=MethodConfig(self.method_id(), self.method_form.values()),
            training=self.training_form.config(), distributed=self.distributed_form.config(),
            task=self.task_combo.currentData(),
            device=str(self.device_combo.currentData()),
            name=self.name_edit.text().strip() or None, allow_pickle_weights=self._allow_pickle)

    def set_config(self, cfg: RunConfig) -> None:
        """Fill the forms from a run file (the window passes model and dataset on too)."""
        self._model_path = cfg.model or self._model_path
        self._dataset = copy.deepcopy(cfg.dataset)
        try:
            spec = methods.get(cfg.method.name)
        except StudioError:
            spec = methods.get("lora")
        self._select_method(spec.id)
        self.method_form.set_values(dict(cfg.method.params))
        if "target_modules" in cfg.method.params:
            self._targets = cfg.method.params.get("target_modules")
        self.training_form.set_config(cfg.training)
        self.distributed_form.set_config(cfg.distributed)
        set_combo_data(self.task_combo, cfg.task)
        set_combo_data(self.device_combo, cfg.device)
        self.name_edit.setText(cfg.name or "")
        self._schedule()

    def problems(self) -> list[Problem] | None:
        return self._problems

    def is_running(self) -> bool:
        return self._running

    def can_start(self) -> bool:
        return self.start_button.isEnabled()

    # ---- method --------------------------------------------------------------------------
    def _select_method(self, method_id: str, force: bool = False) -> None:
        index = self.method_combo.findData(method_id)
        if index < 0:
            return
        if self.method_combo.currentIndex() != index:
            self.method_combo.setCurrentIndex(index)   # -> _on_method_picked
        elif force or self.method_form.spec() is None:
            self._on_method_picked(index)

    def _on_method_picked(self, _index: int) -> None:
        current = self.method_form.spec()
        if current is not None:
            self._params_by_method[current.id] = self.method_form.all_values()
        spec = methods.get(self.method_id())
        values = dict(self._params_by_method.get(spec.id, {}))
        if self._targets is not None and spec.param("target_modules") \
                and values.get("target_modules") is None:
            values["target_modules"] = self._targets
        self.method_form.set_method(spec, values)
        self.method_form.set_family(self._model_info.family if self._model_info else None)
        text = registry_text(spec.description)
        if spec.notes:
            text += "\n" + registry_text(spec.notes)
        self.method_description.setText(text)
        self._update_tab_order()
        self._schedule()

    def _update_tab_order(self) -> None:
        """Tab follows the page top to bottom, also after the method form was rebuilt."""
        chain = [self.method_combo, *self.method_form.focus_chain(),
                 *self.training_form.focus_chain(), self.name_edit, self.task_combo,
                 self.device_combo, *self.distributed_form.focus_chain(), self.start_button,
                 self.stop_button, self.resume_button, self.tabs]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _task_for_fit(self) -> str | None:
        chosen = self.task_combo.currentData()
        if chosen:
            return str(chosen)
        if self._model_info is None:
            return None
        fmt = self._dataset.format if self._dataset.format != "auto" else None
        return detect_task(self._model_info, fmt)

    def _update_method_fit(self) -> None:
        info = self._model_info
        family = info.family if info else None
        task = self._task_for_fit()
        model = self.method_combo.model()
        for row in range(self.method_combo.count()):
            spec = methods.get(self.method_combo.itemData(row))
            problems = methods.fit_problems(spec, family, task, info.has_bias if info else None)
            item = model.item(row)
            item.setEnabled(not problems)
            item.setToolTip("; ".join(message_text(p.message) for p in problems) if problems
                            else registry_text(spec.description))

    def _update_task_choices(self) -> None:
        tasks = self._model_info.tasks if self._model_info else ()
        model = self.task_combo.model()
        for row in range(1, self.task_combo.count()):
            task = self.task_combo.itemData(row)
            ok = not tasks or task in tasks
            model.item(row).setEnabled(ok)
            model.item(row).setToolTip("" if ok else self.tr("this model cannot do this task"))

    def _on_task_changed(self, _index: int) -> None:
        self._update_method_fit()
        self._schedule()

    # ---- validation and preview ----------------------------------------------------------
    def _schedule(self, *_: Any) -> None:
        self._generation += 1
        self._timer.start()
        self._update_buttons()

    def _refresh(self) -> None:
        config = self.build_config()
        self.run_file.set_config(config)
        self._update_summary(config)
        key = (json.dumps(config.method.params, sort_keys=True, default=str), config.method.name,
               json.dumps(dataclasses.asdict(config.training), sort_keys=True))
        if key != self._last_emitted:
            self._last_emitted = key
            self.sig_method_changed.emit(config.method, config.training)
        # Bound methods (not lambdas): Qt drops the result if the page is gone by then.
        pool.start(_validate_job, self._generation, config, returned=self._on_validated)

    def _on_validated(self, result: tuple[int, list[Problem]]) -> None:
        generation, problems = result
        if generation != self._generation:
            return  # the forms changed since; a newer check is on its way
        self._validated_generation = generation
        self._problems = list(problems)
        self.problems_list.clear()
        for problem in self._problems:
            text = problem_text(problem)
            item = QListWidgetItem(text)
            item.setToolTip(text)
            self.problems_list.addItem(item)
        count = len(self._problems)
        if count == 1:
            header = self.tr("Fix this problem before starting:")
        elif count:
            header = self.tr("Fix these %1 problems before starting:").replace("%1", str(count))
        else:
            header = self.tr("Ready to start.")
        self.problems_label.setText(header)
        self.problems_label.setProperty("state", "bad" if count else "good")
        self.problems_label.style().unpolish(self.problems_label)
        self.problems_label.style().polish(self.problems_label)
        rows = min(count, 5)
        row_height = self.problems_list.sizeHintForRow(0) if count else 0
        self.problems_list.setFixedHeight(rows * max(row_height, 18) + 6)
        self._update_buttons()
        if self._start_when_valid:
            self._start_when_valid = False
            if not count:
                self.request_start()

    def _update_summary(self, config: RunConfig) -> None:
        model = config.model or self.tr("no model chosen (Model page)")
        data = config.dataset.path or self.tr("no dataset chosen (Data page)")
        self.summary.setText(self.tr("Model: %1\nData: %2").replace("%1", model)
                             .replace("%2", data))

    def _validation_current(self) -> bool:
        return self._validated_generation == self._generation

    def _update_buttons(self) -> None:
        clean = self._problems is not None and not self._problems
        can_start = not self._running and clean
        self.start_button.setEnabled(can_start)
        self.start_button.setToolTip(
            self.tr("Start training (Ctrl+Return)") if can_start or self._running
            else self.tr("Fix the problems listed first"))
        self.stop_button.setEnabled(self._running)
        self.resume_button.setEnabled(not self._running and self._resumable is not None)
        for box in self._setting_boxes:
            box.setEnabled(not self._running)
        # While a run trains, the checks of the forms (locked anyway) are beside the point.
        self.problems_label.setVisible(not self._running and self._problems is not None)
        self.problems_list.setVisible(not self._running and bool(self._problems))

    # ---- intents -------------------------------------------------------------------------
    def request_start(self) -> None:
        if self._running or not self.start_button.isEnabled():
            return
        if not self._validation_current():
            self._start_when_valid = True   # started by _on_validated if the check passes
            return
        self.sig_start_requested.emit(self.build_config())

    def request_stop(self) -> None:
        if self._running:
            self.append_log(self.tr("Stopping: the run saves a checkpoint and exits…"))
            self.stop_button.setEnabled(False)
            self.sig_stop_requested.emit()

    def request_resume(self) -> None:
        if not self._running and self._resumable:
            self.sig_resume_requested.emit(self._resumable)

    def set_running(self, running: bool) -> None:
        if running == self._running:
            return
        self._running = running
        if running:
            self._start_when_valid = False
        self._update_buttons()
        self.sig_running_changed.emit(running)

    def set_resumable(self, run_id: str | None) -> None:
        self._resumable = run_id
        self._update_buttons()

    # ---- events from the run -------------------------------------------------------------
    def on_event(self, ev: dict[str, Any]) -> None:
        self.monitor.on_event(ev)

    def on_run_finished(self, result: dict[str, Any]) -> None:
        status = str(result.get("status") or "failed")
        self.set_running(False)
        run_id = result.get("run_id") or self.monitor.run_id
        self.set_resumable(run_id if status in RESUMABLE and run_id else None)
        self.monitor.show_outcome(status, outcome_error_text(result))

    def append_log(self, text: str) -> None:
        self.monitor.append_log(text)

    def run_id(self) -> str | None:
        return self.monitor.run_id

    # ---- run files -----------------------------------------------------------------------
    def save_run_file(self, path: str | Path) -> RunConfig:
        config = self.build_config()
        atomic.write_text(path, config.dump_yaml())
        self.run_file.mark_saved(str(path), config)
        return config

    def save_run_file_dialog(self) -> None:
        config = self.build_config()
        start = str(Path.home() / f"{file_stem(config)}.yaml")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save run file"), start,
                                              self.tr("Run files (*.yaml *.yml)"))
        if not path:
            return
        try:
            self.save_run_file(path)
        except OSError as exc:
            show_error(self, self.tr("Could not save the run file"), str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug: show it, keep the window
            show_exception(self, exc)

    # ---- persistence ---------------------------------------------------------------------
    def save_state(self, store: QSettings) -> None:
        current = self.method_form.spec()
        if current is not None:
            self._params_by_method[current.id] = self.method_form.all_values()
        store.setValue("train/method", self.method_id())
        store.setValue("train/params", json.dumps(self._params_by_method, default=str))
        store.setValue("train/training", json.dumps(dataclasses.asdict(
            self.training_form.config())))
        store.setValue("train/device", self.device_combo.currentData())
        store.setValue("train/task", self.task_combo.currentData() or "")
        store.setValue("train/name", self.name_edit.text())

    def restore_state(self, store: QSettings) -> None:
        try:
            params = json.loads(str(store.value("train/params", "{}")))
            if isinstance(params, dict):
                self._params_by_method.update({k: v for k, v in params.items()
                                               if isinstance(v, dict)})
            raw = json.loads(str(store.value("train/training", "{}")))
            if isinstance(raw, dict) and raw:
                known = {f.name for f in dataclasses.fields(TrainingConfig)}
                self.training_form.set_config(TrainingConfig(
                    **{k: v for k, v in raw.items() if k in known}))
        except (ValueError, TypeError):
            pass  # a damaged state file costs the remembered values, nothing more
        self._select_method(str(store.value("train/method", "lora")), force=True)
        set_combo_data(self.device_combo, store.value("train/device", "auto"))
        set_combo_data(self.task_combo, store.value("train/task", "") or None)
        self.name_edit.setText(str(store.value("train/name", "") or ""))
        self._schedule()

    def save_layout(self, store: QSettings) -> None:
        store.setValue("train/splitter", self.splitter.saveState())
        store.setValue("train/tab", self.tabs.currentIndex())

    def restore_layout(self, store: QSettings) -> None:
        value = store.value("train/splitter")
        if value is not None:
            self.splitter.restoreState(value)
        self.tabs.setCurrentIndex(int(store.value("train/tab", 0) or 0))

