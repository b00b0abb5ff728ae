"""The main window: navigation, the six pages, menus, status bar, and the only place that
wires one page to another and to the training worker (see docs/gui-contract.md).

Start-up: the Model, Data and Train pages are built with the window; the Runs, Export and
Playground pages when first shown or asked for (``PageStack``), and wired then in
``_on_page_built``. The device probe starts and pyqtgraph is preloaded on a pool thread
after the window's first paint."""

from __future__ import annotations

import copy
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QProcess, QProcessEnvironment, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QWidget,
)

from studio import paths
from studio.core import atomic, hub
from studio.core import config as config_mod
from studio.core.config import RunConfig
from studio.core.errors import ConfigError, StudioError
from studio.core.hub import HubChoice
from studio.launch import studio_command
from studio.ui import settings as settings_mod
from studio.ui.common import icons
from studio.ui.common.dialogs import show_error, show_exception
from studio.ui.common.lazyplot import preload as preload_charts
from studio.ui.common.messages import error_text, outcome_error_text, problem_text
from studio.ui.common.process import alive, end_process
from studio.ui.data.page import DataPage
from studio.ui.hubdialog import HubDialog
from studio.ui.hubdialog import describe as describe_hub
from studio.ui.model.page import ModelPage
from studio.ui.pagestack import PageStack
from studio.ui.train.page import TrainPage
from studio.ui.train.runfile import file_stem
from workers import pool

if TYPE_CHECKING:
    from studio.ui.about import AboutDialog
    from studio.ui.export.page import ExportPage
    from studio.ui.playground.page import PlaygroundPage
    from studio.ui.runs.page import RunsPage
    from studio.ui.serve.panel import ServePanel

PAGES = ("model", "data", "train", "runs", "export", "playground")
RUNS, EXPORT, PLAYGROUND = PAGES.index("runs"), PAGES.index("export"), PAGES.index("playground")
STATUS_MS = 8000


def devices_command() -> list[str]:
    return studio_command("devices", "--json")


class MainWindow(QMainWindow):
    def __init__(self, parent: QWidget | None = None, *, probe_devices: bool = True,
                 worker_factory: Callable[[QMainWindow], Any] | None = None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("PEFT Studio")
        self._worker_factory = worker_factory
        self.worker: Any = None
        self._close_after_stop = False
        self._devices_process: QProcess | None = None
        self.devices_info: dict[str, Any] | None = None   # the device probe's last answer
        self.last_error_box: QMessageBox | None = None
        self._shut_down = False
        self._serve_panel: ServePanel | None = None
        self._probe_after_paint = probe_devices
        self._painted = False
        self._after_paint = QTimer(self)   # right after the first paint (a zero timer)
        self._after_paint.setSingleShot(True)
        self._after_paint.setInterval(0)
        self._after_paint.timeout.connect(self._after_first_paint)

        self.model_page = ModelPage()
        self.data_page = DataPage()
        self.train_page = TrainPage()
        self._build_central()
        self._build_actions()
        self._build_menus()
        self._build_status_bar()
        self._wire_pages()
        self._restore()

    # ---- pages built when first shown ----------------------------------------------------
    @property
    def runs_page(self) -> RunsPage:
        return self.stack.page(RUNS)

    @property
    def export_page(self) -> ExportPage:
        return self.stack.page(EXPORT)

    @property
    def playground_page(self) -> PlaygroundPage:
        return self.stack.page(PLAYGROUND)

    @property
    def pages(self) -> list[QWidget]:
        """Every page, each built now if it was not yet."""
        return [self.stack.page(i) for i in range(len(PAGES))]

    def page_built(self, name: str) -> bool:
        return self.stack.is_built(PAGES.index(name))

    @staticmethod
    def _new_runs_page() -> QWidget:
        from studio.ui.runs.page import RunsPage

        return RunsPage()

    @staticmethod
    def _new_export_page() -> QWidget:
        from studio.ui.export.page import ExportPage

        return ExportPage()

    @staticmethod
    def _new_playground_page() -> QWidget:
        from studio.ui.playground.page import PlaygroundPage

        return PlaygroundPage()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self._after_paint.start()

    def _after_first_paint(self) -> None:
        """The device probe, and pyqtgraph imported on a pool thread so that the charts built
        when a page is first shown (or training starts) do not wait for it."""
        if self._shut_down:
            return
        pool.start(preload_charts)
        if self._probe_after_paint:
            self.probe_devices()

    # ---- building ------------------------------------------------------------------------
    def _build_central(self) -> None:
        self.nav = QListWidget(self)
        self.nav.setObjectName("navList")
        self.nav.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.nav.setFixedWidth(168)
        self.nav.setIconSize(QSize(20, 20))
        self.stack = PageStack(self)
        self.stack.setObjectName("pageStack")
        self.stack.sig_page_built.connect(self._on_page_built)
        titles = (self.tr("Model"), self.tr("Data"), self.tr("Train"), self.tr("Runs"),
                  self.tr("Export"), self.tr("Playground"))
        pages = (self.model_page, self.data_page, self.train_page, self._new_runs_page,
                 self._new_export_page, self._new_playground_page)
        for key, title, page in zip(PAGES, titles, pages):
            item = QListWidgetItem(icons.icon(key, selected=icons.SELECTED),
                                   title, self.nav)
            item.setData(Qt.ItemDataRole.UserRole, key)
            if isinstance(page, QWidget):
                self.stack.add_page(page)
            else:
                self.stack.add_lazy_page(page)
        self.nav.currentRowChanged.connect(self.stack.show_index)
        central = QWidget(self)
        central.setObjectName("centralWidget")
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav.setCurrentRow(0)

    def _action(self, text: str, slot: Callable[..., Any],
                shortcuts: tuple[QKeySequence | str, ...] = ()) -> QAction:
        action = QAction(text, self)
        if shortcuts:
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.open_action = self._action(self.tr("&Open run file…"), self.open_run_file_dialog,
                                        (QKeySequence.StandardKey.Open,))
        self.save_action = self._action(self.tr("&Save run file…"),
                                        self.train_page.save_run_file_dialog,
                                        (QKeySequence.StandardKey.Save,))
        self.quit_action = self._action(self.tr("&Quit"), self.close, ("Ctrl+Q",))
        self.start_action = self._action(self.tr("&Start training"), self._start_shortcut,
                                         ("Ctrl+Return", "Ctrl+Enter"))
        self.stop_action = self._action(self.tr("S&top training"), self.train_page.request_stop,
                                        ("Ctrl+.",))
        self.resume_action = self._action(self.tr("&Resume last run"),
                                          self.train_page.request_resume, ("Ctrl+Shift+R",))
        self.page_actions = []
        titles = (self.tr("&Model"), self.tr("&Data"), self.tr("&Train"), self.tr("&Runs"),
                  self.tr("&Export"), self.tr("&Playground"))
        for index, title in enumerate(titles):
            action = self._action(title, lambda _=False, i=index: self.show_page(i),
                                  (f"Ctrl+{index + 1}",))
            self.page_actions.append(action)
        self.about_action = self._action(self.tr("&About PEFT Studio"), self.show_about)
        self.about_qt_action = self._action(self.tr("About &Qt"),
                                            lambda: QMessageBox.aboutQt(self))
        self.hub_action = self._action(self.tr("&Download source…"), self.choose_hub)
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        current = settings_mod.language()
        for code, name in (("en", "English"), ("zh_CN", "简体中文")):
            action = QAction(name, self.language_group)   # each language in its own script
            action.setCheckable(True)
            action.setChecked(code == current)
            action.setData(code)
            action.triggered.connect(lambda _=False, c=code: self.set_language(c))
            self.language_actions[code] = action
        for action, name in ((self.open_action, "folder"), (self.start_action, "start"),
                             (self.stop_action, "stop"), (self.resume_action, "resume")):
            action.setIcon(icons.icon(name))
        self.stop_action.setEnabled(False)
        self.resume_action.setEnabled(False)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addActions([self.open_action, self.save_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        run_menu = bar.addMenu(self.tr("&Run"))
        run_menu.addActions([self.start_action, self.stop_action, self.resume_action])
        view_menu = bar.addMenu(self.tr("&View"))
        view_menu.addActions(self.page_actions)
        settings_menu = bar.addMenu(self.tr("&Settings"))
        language_menu = settings_menu.addMenu(self.tr("&Language"))
        language_menu.addActions(list(self.language_actions.values()))
        settings_menu.addAction(self.hub_action)
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addActions([self.about_action, self.about_qt_action])

    def _build_status_bar(self) -> None:
        self.devices_label = QLabel(self.tr("Checking devices…"), self)
        self.devices_label.setObjectName("devicesLabel")
        self.statusBar().addPermanentWidget(self.devices_label)
        self.hub_label = QLabel(self)
        self.hub_label.setObjectName("hubLabel")
        self.statusBar().addPermanentWidget(self.hub_label)
        self.apply_hub(settings_mod.hub_choice())

    def _wire_pages(self) -> None:
        """The pages built with the window; the others in ``_on_page_built``."""
        model, data, train = self.model_page, self.data_page, self.train_page
        model.sig_model_changed.connect(self._on_model_changed)
        model.sig_targets_changed.connect(train.set_target_modules)
        model.sig_allow_pickle_changed.connect(train.set_allow_pickle)
        data.sig_dataset_changed.connect(train.set_dataset)
        train.sig_method_changed.connect(model.set_estimate_inputs)
        train.sig_method_changed.connect(
            lambda _method, training: data.set_max_length(training.max_length))
        train.sig_start_requested.connect(self.start_run)
        train.sig_stop_requested.connect(self.stop_run)
        train.sig_resume_requested.connect(self.resume_run)
        train.sig_running_changed.connect(self._on_running_changed)

    def _on_page_built(self, index: int, page: Any) -> None:
        """A page built on first show (or first use): its saved state and its wiring."""
        if index == RUNS:
            page.restore_state(settings_mod.state())
            page.sig_resume_requested.connect(self.resume_run)
            page.sig_message.connect(self._show_message)
            page.sig_export_requested.connect(self.show_export)
            page.sig_playground_requested.connect(self.show_playground)
            page.sig_playground_model_requested.connect(self.show_playground_model)
            page.sig_serve_requested.connect(self.show_serve)
        elif index == EXPORT:
            page.sig_export_finished.connect(lambda _result: self._refresh_runs())
            page.sig_message.connect(self._show_message)
        elif index == PLAYGROUND:
            if self.devices_info is not None:
                page.set_devices(self.devices_info)
            page.sig_message.connect(self._show_message)
            page.sig_serve_requested.connect(self.show_serve)

    def _show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_MS)

    def _refresh_runs(self) -> None:
        """A page not built yet loads the runs when first shown."""
        runs = self.stack.built(RUNS)
        if runs is not None:
            runs.refresh()

    # ---- page wiring ---------------------------------------------------------------------
    def _on_model_changed(self, path: str) -> None:
        info = self.model_page.model_info()
        self.train_page.set_model(path, info)
        # The tokenizer lives in the model folder; a hub id that is not cached has none yet.
        local = bool(path) and Path(path).expanduser().is_dir()
        self.data_page.set_tokenizer_source(path if local else None)

    def show_page(self, index: int) -> None:
        self.nav.setCurrentRow(index)

    def serve_panel(self) -> ServePanel:
        if self._serve_panel is None:
            from studio.ui.serve.panel import ServePanel

            self._serve_panel = ServePanel(self)
            self._serve_panel.sig_message.connect(
                lambda text: self.statusBar().showMessage(text, STATUS_MS))
        return self._serve_panel

    def show_serve(self, adapters: list[str], names: list[str], base: str) -> None:
        """The Serve panel for these adapters (or a whole model as the base): port and key
        are chosen there, then Start."""
        from studio.ui.serve.panel import ServeRequest

        panel = self.serve_panel()
        if panel.set_request(ServeRequest(list(adapters), list(names), base or None)):
            panel.start_button.setFocus()
        else:
            self.statusBar().showMessage(self.tr("A server is already running: stop it "
                                                 "first to serve other runs."), STATUS_MS)
        panel.show()
        panel.raise_()
        panel.activateWindow()

    def show_export(self, run_id: str) -> None:
        """The Export page with this run chosen (from the Runs page's Export…)."""
        self.export_page.select_run(run_id)
        self.show_page(PAGES.index("export"))

    def show_playground(self, run_id: str, base: str = "") -> None:
        """The Playground with this run's base model and adapter chosen (from the Runs
        page's Open in Playground)."""
        if self.playground_page.open_run(run_id, base):
            self.show_page(PAGES.index("playground"))

    def show_playground_model(self, folder: str) -> None:
        """The Playground with a fully fine-tuned model chosen as its base."""
        if self.playground_page.open_model(folder):
            self.show_page(PAGES.index("playground"))

    def current_page(self) -> str:
        return PAGES[self.stack.currentIndex()]

    # ---- training ------------------------------------------------------------------------
    def _ensure_worker(self) -> Any:
        if self.worker is None:
            if self._worker_factory is not None:
                self.worker = self._worker_factory(self)
            else:
                from workers.training import TrainingWorker  # not needed to open the window

                self.worker = TrainingWorker(self)
            self.worker.sig_event.connect(self.train_page.on_event)
            self.worker.sig_log.connect(self.train_page.append_log)
            self.worker.sig_started.connect(self._on_run_started)
            self.worker.sig_finished.connect(self._on_run_finished)
        return self.worker

    def is_training(self) -> bool:
        return self.worker is not None and bool(self.worker.is_running())

    def _start_shortcut(self) -> None:
        """From any page: show the Train page and start, or show what stands in the way."""
        self.show_page(PAGES.index("train"))
        if not self.train_page.can_start():
            self.statusBar().showMessage(self.tr("Fix the problems listed on the Train page "
                                                 "first."), STATUS_MS)
        self.train_page.request_start()

    def write_run_file(self, config: RunConfig) -> Path:
        """The run file the child trains from: ``<data>/runfiles/<time>-<name>.yaml``, with an
        explicit output folder ``<runs>/<time>-<name>`` so both are easy to find later."""
        config = copy.deepcopy(config)
        for obj, attr in ((config, "model"), (config.dataset, "path"),
                          (config.dataset, "validation_path")):
            value = getattr(obj, attr)
            if value and Path(value).expanduser().exists():
                setattr(obj, attr, str(Path(value).expanduser().resolve()))
        stem = f"{time.strftime('%Y%m%d-%H%M%S')}-{file_stem(config)}"
        folder = paths.data_dir() / "runfiles"
        folder.mkdir(parents=True, exist_ok=True)
        candidate, n = stem, 1
        while (folder / f"{candidate}.yaml").exists() or (paths.runs_dir() / candidate).exists():
            n += 1
            candidate = f"{stem}-{n}"
        if not config.output_dir:
            config.output_dir = str(paths.runs_dir() / candidate)
        run_file = folder / f"{candidate}.yaml"
        atomic.write_text(run_file, config.dump_yaml())
        return run_file

    def start_run(self, config: RunConfig) -> None:
        if self.is_training():
            self.statusBar().showMessage(self.tr("A run is already going."), STATUS_MS)
            return
        try:
            run_file = self.write_run_file(config)
            self._ensure_worker().start_run(run_file)
        except OSError as exc:
            show_error(self, self.tr("Could not start the run"), str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - the window stays usable
            show_exception(self, exc, self.tr("Could not start the run"))
            return
        self.train_page.append_log(self.tr("Run file: %1").replace("%1", str(run_file)))
        self.train_page.set_running(True)
        self.show_page(PAGES.index("train"))
        self.statusBar().showMessage(self.tr("Starting the training process…"), STATUS_MS)

    def stop_run(self) -> None:
        if self.is_training():
            self.worker.stop()
            self.statusBar().showMessage(self.tr("Stopping: saving a checkpoint…"), STATUS_MS)

    def resume_run(self, run_id: str) -> None:
        if self.is_training():
            self.statusBar().showMessage(self.tr("A run is already going; stop it first."),
                                         STATUS_MS)
            return
        try:
            self._ensure_worker().resume_run(run_id)
        except Exception as exc:  # noqa: BLE001
            show_exception(self, exc, self.tr("Could not resume the run"))
            return
        self.train_page.append_log(self.tr("Resuming run %1…").replace("%1", run_id))
        self.train_page.set_running(True)
        self.show_page(PAGES.index("train"))
        self.statusBar().showMessage(self.tr("Resuming run %1…").replace("%1", run_id),
                                     STATUS_MS)

    def _on_run_started(self, run_id: str) -> None:
        self.statusBar().showMessage(self.tr("Training run %1").replace("%1", run_id), STATUS_MS)
        self._refresh_runs()

    def _on_running_changed(self, running: bool) -> None:
        self.stop_action.setEnabled(running)
        self.resume_action.setEnabled(self.train_page.resume_button.isEnabled())
        self.start_action.setEnabled(not running)

    def _on_run_finished(self, result: dict[str, Any]) -> None:
        self.train_page.on_run_finished(result)
        self.resume_action.setEnabled(self.train_page.resume_button.isEnabled())
        self._refresh_runs()
        status = str(result.get("status"))
        run_id = str(result.get("run_id") or "")
        messages = {
            "completed": self.tr("Run %1 finished."),
            "early_stopped": self.tr("Run %1 stopped early: the metric stopped improving."),
            "stopped": self.tr("Run %1 stopped; Resume continues it."),
            "failed": self.tr("Run %1 failed."),
        }
        text = messages.get(status, self.tr("Run %1 ended (%2).")).replace("%1", run_id) \
            .replace("%2", status)
        self.statusBar().showMessage(text, 0 if status == "failed" else STATUS_MS)
        if status == "failed" and not self._close_after_stop:
            details = "\n\n".join(str(part) for part in (result.get("traceback"),
                                                           result.get("stderr_tail")) if part)
            message = outcome_error_text(result) or self.tr("The training process ended "
                                                            "unexpectedly.")
            message += "\n\n" + self.tr("Resume continues from the latest checkpoint.")
            self.last_error_box = show_error(self, self.tr("Training failed"), message,
                                             details or None, modal=False)
        if self._close_after_stop:
            QTimer.singleShot(0, self.close)

    # ---- run files -----------------------------------------------------------------------
    def open_run_file_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open run file"), str(Path.home()),
                                              self.tr("Run files (*.yaml *.yml *.json)"))
        if path:
            self.open_run_file(path)

    def open_run_file(self, path: str | Path) -> RunConfig | None:
        try:
            cfg = config_mod.load(path)
        except ConfigError as exc:
            show_error(self, self.tr("Could not open the run file"),
                       self.tr("%1 has problems:").replace("%1", str(path)),
                       "\n".join(problem_text(p) for p in exc.problems))
            return None
        except StudioError as exc:
            show_error(self, self.tr("Could not open the run file"), error_text(exc))
            return None
        if cfg.model:
            self.model_page.set_model(cfg.model)
        self.model_page.set_allow_pickle(cfg.allow_pickle_weights)
        if "target_modules" in cfg.method.params:
            # Shown on the Model page (once its model is read); the Train page takes them
            # from the run file below, and again from the page if they differ from its own.
            self.model_page.set_target_modules(cfg.method.params["target_modules"])
        self.data_page.set_dataset_config(cfg.dataset)
        self.train_page.set_config(cfg)
        self.show_page(PAGES.index("train"))
        self.statusBar().showMessage(self.tr("Loaded %1").replace("%1", str(path)), STATUS_MS)
        return cfg

    # ---- devices -------------------------------------------------------------------------
    def probe_devices(self, command: list[str] | None = None) -> QProcess:
        """Ask a child process what MindSpore can use; the window never imports it."""
        command = command or devices_command()
        end_process(self._devices_process)   # an earlier probe's answer is not wanted now
        process = QProcess(self)
        env = QProcessEnvironment.systemEnvironment()
        root = str(Path(__file__).resolve().parents[2])
        env.insert("PYTHONPATH", os.pathsep.join(p for p in (root, env.value("PYTHONPATH")) if p))
        process.setProcessEnvironment(env)
        process.finished.connect(lambda code, _status: self._on_devices(process, code))
        process.errorOccurred.connect(lambda _error: self._on_devices(process, -1))
        self._devices_process = process
        process.start(command[0], command[1:])
        return process

    def _on_devices(self, process: QProcess, code: int) -> None:
        if process is not self._devices_process or not alive(process) or self._shut_down:
            # reported already (errorOccurred and finished may both come), or the window is
            # going and the process with it
            return
        self._devices_process = None
        output = bytes(process.readAllStandardOutput().data()).decode("utf-8", "replace")
        info: dict[str, Any] | None = None
        for line in reversed(output.splitlines()):
            try:
                parsed = json.loads(line)
            except ValueError:
                continue
            if isinstance(parsed, dict):
                info = parsed
                break
        if code != 0 or info is None:
            error = bytes(process.readAllStandardError().data()).decode("utf-8", "replace")
            reason = error.strip().splitlines()[-1] if error.strip() else process.errorString()
            self.devices_info = {"error": reason}
            self.train_page.set_devices(self.devices_info)
            playground = self.stack.built(PLAYGROUND)
            if playground is not None:
                playground.set_devices(self.devices_info)
            self.devices_label.setText(self.tr("Devices: unknown"))
            self.devices_label.setToolTip(reason)
        else:
            self.devices_info = info
            self.train_page.set_devices(info)
            playground = self.stack.built(PLAYGROUND)
            if playground is not None:
                playground.set_devices(info)
            names = [label for key, label in (("ascend", "Ascend"), ("gpu", "GPU"),
                                              ("cpu", "CPU")) if info.get(key)]
            self.devices_label.setText(self.tr("MindSpore %1 · %2")
                                       .replace("%1", str(info.get("mindspore", "?")))
                                       .replace("%2", ", ".join(names)))
        process.deleteLater()

    # ---- settings and state --------------------------------------------------------------
    # ---- downloads -----------------------------------------------------------------------
    def apply_hub(self, chosen: HubChoice) -> None:
        """Downloads of this process and its children (training, export) go to ``chosen``."""
        hub.apply(chosen)
        self.hub_label.setText(describe_hub(chosen, hub.offline()))
        self.hub_label.setToolTip(chosen.url)

    def choose_hub(self) -> HubDialog:
        dialog = HubDialog(settings_mod.hub_choice(), self)

        def accepted() -> None:
            chosen = dialog.choice()
            if chosen is not None:
                settings_mod.set_hub_choice(chosen)
                self.apply_hub(chosen)

        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog

    def set_language(self, code: str) -> None:
        previous = settings_mod.language()
        settings_mod.set_language(code)
        self.language_actions[code].setChecked(True)
        if code != previous:
            box = QMessageBox(QMessageBox.Icon.Information, self.tr("Language"),
                              self.tr("The new language takes effect the next time PEFT Studio "
                                      "starts."), QMessageBox.StandardButton.Ok, self)
            box.setObjectName("languageNotice")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.show()
            self.statusBar().showMessage(self.tr("Restart PEFT Studio to switch the language."),
                                         STATUS_MS)

    def show_about(self) -> AboutDialog:
        from studio.ui.about import AboutDialog

        dialog = AboutDialog(self.devices_info, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _restore(self) -> None:
        store, look = settings_mod.settings(), settings_mod.state()
        for page in (self.model_page, self.data_page, self.train_page):
            page.restore_state(store)
        self.train_page.restore_layout(look)
        geometry = look.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        window_state = look.value("window/state")
        if isinstance(window_state, QByteArray):
            self.restoreState(window_state)
        page = look.value("window/page", 0)
        self.show_page(int(page) if str(page).isdigit() and int(page) < len(PAGES) else 0)

    def save_state(self) -> None:
        store, look = settings_mod.settings(), settings_mod.state()
        for page in (self.model_page, self.data_page, self.train_page):
            page.save_state(store)
        runs = self.stack.built(RUNS)
        if runs is not None:   # otherwise its saved state stays as it was
            runs.save_state(look)
        self.train_page.save_layout(look)
        look.setValue("window/geometry", self.saveGeometry())
        look.setValue("window/state", self.saveState())
        look.setValue("window/page", self.stack.currentIndex())
        store.sync()
        look.sync()

    # ---- closing -------------------------------------------------------------------------
    def _ask_before_closing(self, name: str, title: str, text: str, detail: str,
                            choices: list[tuple[str, QMessageBox.ButtonRole, str]]) -> str:
        """A close-time question: ``choices`` are (label, role, answer) before a default
        Cancel; returns the answer clicked, or 'cancel'."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text,
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName(name)
        box.setInformativeText(detail)
        answers = {box.addButton(label, role): answer for label, role, answer in choices}
        box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
        box.exec()
        return answers.get(box.clickedButton(), "cancel")

    def ask_close_choice(self) -> str:
        """'stop', 'detach' or 'cancel' for closing while a run trains."""
        return self._ask_before_closing(
            "closeDuringTraining", self.tr("A run is training"),
            self.tr("Training is still running. What should happen to it?"),
            self.tr("Stopping saves a checkpoint first, so the run can be resumed later. A run "
                    "left going keeps training and recording to the Runs page without the "
                    "window."),
            [(self.tr("Stop the run"), QMessageBox.ButtonRole.DestructiveRole, "stop"),
             (self.tr("Keep it running"), QMessageBox.ButtonRole.AcceptRole, "detach")])

    def ask_close_during_export(self) -> bool:
        """True: cancel the running export and close; False: keep the window open."""
        return self._ask_before_closing(
            "closeDuringExport", self.tr("An export is running"),
            self.tr("Closing the window cancels the export."),
            self.tr("Its unfinished folder is removed; nothing else is touched. You can export "
                    "again later from the Runs or Export page."),
            [(self.tr("Cancel the export and close"), QMessageBox.ButtonRole.DestructiveRole,
              "close")]) == "close"

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        export = self.stack.built(EXPORT)
        if export is not None and export.is_exporting() and not self.ask_close_during_export():
            event.ignore()
            return
        if self.is_training():
            choice = self.ask_close_choice()
            if choice == "cancel":
                event.ignore()
                return
            if choice == "stop":
                self._close_after_stop = True
                self.stop_run()
                self.statusBar().showMessage(self.tr("Stopping the run; the window closes when "
                                                     "its checkpoint is saved…"))
                event.ignore()
                return
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Leave nothing behind: a run still training goes on by itself (detached), the
        device probe is ended, settings are saved. Also run when the application quits
        without closing the window (the crash dialog's Quit)."""
        if self._shut_down:
            return
        self._shut_down = True
        if self.is_training():
            self.worker.detach()
        process, self._devices_process = self._devices_process, None
        end_process(process)
        self.data_page.shutdown()
        export, runs, playground = (self.stack.built(i) for i in (EXPORT, RUNS, PLAYGROUND))
        if export is not None:
            export.shutdown()
        if runs is not None:
            runs.evaluations.shutdown()   # a cancelled evaluation records nothing
        if playground is not None:
            playground.shutdown()
        if self._serve_panel is not None:
            self._serve_panel.shutdown()
        self.save_state()
