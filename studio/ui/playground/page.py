"""The Playground page: a base model with adapters loaded in the background, then chat,
compare side by side, seq2seq generation or classification with them.

The model runs in an inference child process (``workers.inference.RemoteSession``); every
session call but ``info()`` runs in a pool worker (``jobs``) that waits for it. The window
never imports mindnlp. Generation streams through the worker's ``yielded`` signal; compare
and load progress come from callbacks on the worker thread, forwarded through this page's
private signals. If the child dies (a crash, the system killing it), the page says so, keeps
the conversation and offers Reload, which loads the same base and adapters in a new one.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studio.ui.common import icons
from studio.ui.common.dialogs import show_error, show_exception
from studio.ui.common.messages import error_text, message_text
from studio.ui.common.pickleconsent import PickleConsent
from workers import pool
from workers.inference import InferenceCrashedError

from . import jobs
from .chattab import ChatTab
from .classifytab import ClassifyTab
from .comparetab import CompareTab
from .sampling import SamplingBox
from .seq2seqtab import Seq2seqTab
from .state import AdapterEntry

MODES = ("chat", "compare", "seq2seq", "classify")
FITS = {"causal_lm": ("chat", "compare"), "seq2seq": ("seq2seq", "compare"),
        "seq_cls": ("classify", "compare")}




def _human(n: float, unit: str = "") -> str:
    for suffix in ("", "K", "M", "G", "T"):
        if abs(n) < 1000:
            return f"{n:.3g}{suffix}{unit}"
        n /= 1000
    return f"{n:.3g}P{unit}"


class PlaygroundPage(QWidget):
    sig_message = Signal(str)              # a note for the status bar
    sig_adapter_checked = Signal(bool)     # an adapter was added (True) or refused
    sig_loaded = Signal()                  # base and adapters are loaded
    sig_load_failed = Signal()
    sig_answer_finished = Signal(str)      # chat / seq2seq answer done: its finish reason
    sig_compare_finished = Signal()
    sig_classified = Signal()
    sig_conversation_saved = Signal(int)
    sig_conversation_opened = Signal(int)
    sig_runs_loaded = Signal()
    sig_crashed = Signal(str)             # the inference process ended: how
    sig_serve_requested = Signal(list, list, str)   # adapter references, names, base model
    _sig_progress = Signal(object)         # a core Message or text, from worker threads
    _sig_compare = Signal(object)

    def __init__(self, parent: QWidget | None = None, store_path: Path | None = None):
        super().__init__(parent)
        self.setObjectName("playgroundPage")
        self.store_path = store_path
        self.session: Any = None
        self.adapters: list[AdapterEntry] = []
        self.messages: list[dict[str, Any]] = []
        self.conversation_id: int | None = None
        self.runs: list[jobs.RunChoice] = []
        self.pieces: list[str] = []                # of the latest answer, as they came
        self.last_finish: str | None = None
        self.last_error_box: QMessageBox | None = None
        self._answer = ""
        self._answer_adapter: str | None = None
        self._stop = threading.Event()
        self._busy = False
        self._loading = False
        self._shown = False
        self._workers: list[pool.FunctionWorker] = []
        self._build()
        self._sig_progress.connect(self._on_progress)
        self._sig_compare.connect(self._on_compare_item)
        self._update_modes()

    # ---- building ------------------------------------------------------------------------
    def _build(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self._build_side())
        splitter.addWidget(self._build_main())
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def _build_side(self) -> QWidget:
        side = QWidget()
        layout = QVBoxLayout(side)
        layout.setContentsMargins(0, 0, 6, 0)

        model = QGroupBox(self.tr("Base model"))
        model_layout = QVBoxLayout(model)
        row = QHBoxLayout()
        self.base_combo = QComboBox()
        self.base_combo.setObjectName("baseModel")
        self.base_combo.setEditable(True)
        self.base_combo.lineEdit().setPlaceholderText(self.tr("Model folder or hub id"))
        self.base_combo.setMinimumContentsLength(12)
        # Sized by that length, not by the longest path in the list (it would widen the panel).
        self.base_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self.browse_base)
        row.addWidget(self.base_combo, 1)
        row.addWidget(browse)
        model_layout.addLayout(row)
        device_row = QHBoxLayout()
        device_row.addWidget(QLabel(self.tr("Device")))
        self.device_combo = QComboBox()
        self.device_combo.setObjectName("playgroundDevice")
        for key, label in (("auto", self.tr("Automatic")), ("ascend", "Ascend"),
                           ("gpu", "GPU"), ("cpu", "CPU")):
            self.device_combo.addItem(label, key)
        self.device_combo.setToolTip(self.tr("Where the model runs; a change takes effect at "
                                             "the next Load."))
        device_row.addWidget(self.device_combo, 1)
        model_layout.addLayout(device_row)
        self.pickle_consent = PickleConsent()
        model_layout.addWidget(self.pickle_consent)
        layout.addWidget(model)

        group = QGroupBox(self.tr("Adapters"))
        box = QVBoxLayout(group)
        self.adapter_list = QListWidget()
        self.adapter_list.setObjectName("adapterList")
        self.adapter_list.setMaximumHeight(110)
        box.addWidget(self.adapter_list)
        buttons = QHBoxLayout()
        self.add_run_button = QPushButton(self.tr("Add from run…"))
        self.add_run_button.clicked.connect(self.add_from_run_dialog)
        self.add_folder_button = QPushButton(self.tr("Add folder…"))
        self.add_folder_button.clicked.connect(self.add_folder_dialog)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.clicked.connect(self.remove_selected_adapter)
        for button in (self.add_run_button, self.add_folder_button, self.remove_button):
            buttons.addWidget(button)
        box.addLayout(buttons)
        layout.addWidget(group)

        load_row = QHBoxLayout()
        self.load_button = QPushButton(self.tr("Load"))
        self.load_button.setObjectName("loadButton")
        self.load_button.clicked.connect(self.load)
        self.progress_label = QLabel(self.tr("Nothing loaded yet."))
        self.progress_label.setObjectName("hint")
        self.progress_label.setWordWrap(True)
        self.serve_button = QPushButton(icons.icon("serve"), self.tr("Serve…"))
        self.serve_button.setObjectName("serveButton")
        self.serve_button.setToolTip(self.tr("Serve this base model and these adapters over an "
                                             "OpenAI-compatible API on this computer"))
        self.serve_button.clicked.connect(self.request_serve)
        load_row.addWidget(self.load_button)
        load_row.addWidget(self.progress_label, 1)
        load_row.addWidget(self.serve_button)
        layout.addLayout(load_row)

        loaded = QGroupBox(self.tr("Loaded"))
        info_layout = QVBoxLayout(loaded)
        self.info_label = QLabel(self.tr("—"))
        self.info_label.setObjectName("loadedInfo")
        self.info_label.setWordWrap(True)
        # A long model path must not widen the panel (and the window): it wraps, or is cut.
        self.info_label.setSizePolicy(QSizePolicy.Policy.Ignored,
                                      QSizePolicy.Policy.Preferred)
        self.info_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        info_layout.addWidget(self.info_label)
        layout.addWidget(loaded)

        self.sampling = SamplingBox()
        layout.addWidget(self.sampling)
        layout.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(side)
        # Wide enough for the panel and a vertical scroll bar: it scrolls down, never sideways.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(max(300, side.minimumSizeHint().width()
                                   + scroll.verticalScrollBar().sizeHint().width()
                                   + 2 * scroll.frameWidth()))
        return scroll

    def _build_main(self) -> QWidget:
        main = QWidget()
        layout = QVBoxLayout(main)
        layout.setContentsMargins(6, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Answer with:")))
        self.adapter_choice = QComboBox()
        self.adapter_choice.setObjectName("adapterChoice")
        self.adapter_choice.setMinimumContentsLength(16)
        top.addWidget(self.adapter_choice)
        self.mode_note = QLabel()
        self.mode_note.setObjectName("hint")
        self.mode_note.setWordWrap(True)
        top.addWidget(self.mode_note, 1)
        layout.addLayout(top)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("playgroundModes")
        self.tabs.addTab(self._build_chat(), self.tr("Chat"))
        self.tabs.addTab(self._build_compare(), self.tr("Compare"))
        self.tabs.addTab(self._build_seq2seq(), self.tr("Seq2seq"))
        self.tabs.addTab(self._build_classify(), self.tr("Classify"))
        layout.addWidget(self.tabs, 1)
        return main

    def _build_chat(self) -> QWidget:
        tab = ChatTab()
        self.open_button = tab.open_button
        self.save_button = tab.save_button
        self.copy_button = tab.copy_button
        self.clear_button = tab.clear_button
        self.chat_view = tab.chat_view
        self.chat_input = tab.chat_input
        self.send_button = tab.send_button
        self.stop_button = tab.stop_button
        self.regenerate_button = tab.regenerate_button
        self.chat_stats = tab.chat_stats
        self.open_button.clicked.connect(self.open_saved_dialog)
        self.save_button.clicked.connect(self.save_conversation)
        self.copy_button.clicked.connect(self.copy_conversation)
        self.clear_button.clicked.connect(self.clear_conversation)
        self.chat_input.sig_submit.connect(self.send)
        self.send_button.clicked.connect(self.send)
        self.stop_button.clicked.connect(self.stop)
        self.regenerate_button.clicked.connect(self.regenerate)
        return tab

    def _build_compare(self) -> QWidget:
        tab = CompareTab()
        self.compare_input = tab.compare_input
        self.compare_button = tab.compare_button
        self.compare_stop = tab.compare_stop
        self.compare_columns = tab.compare_columns
        self.compare_input.sig_submit.connect(self.run_compare)
        self.compare_button.clicked.connect(self.run_compare)
        self.compare_stop.clicked.connect(self.stop)
        return tab

    def _build_seq2seq(self) -> QWidget:
        tab = Seq2seqTab()
        self.text_input = tab.text_input
        self.generate_button = tab.generate_button
        self.generate_stop = tab.generate_stop
        self.text_output = tab.text_output
        self.text_input.sig_submit.connect(self.generate)
        self.generate_button.clicked.connect(self.generate)
        self.generate_stop.clicked.connect(self.stop)
        return tab

    def _build_classify(self) -> QWidget:
        tab = ClassifyTab()
        self.classify_input = tab.classify_input
        self.classify_button = tab.classify_button
        self.classify_result = tab.classify_result
        self.chart = tab.chart
        self.classify_input.sig_submit.connect(self.classify)
        self.classify_button.clicked.connect(self.classify)
        return tab

    # ---- helpers ---------------------------------------------------------------------------
    def _start(self, fn: Any, *args: Any, **kwargs: Any) -> pool.FunctionWorker:
        worker = pool.start(fn, *args, **kwargs)
        self._workers.append(worker)
        worker.signals.finished.connect(lambda w=worker: self._forget(w))
        return worker

    def _forget(self, worker: pool.FunctionWorker) -> None:
        if worker in self._workers:
            self._workers.remove(worker)

    def _error(self, exc: BaseException, title: str) -> None:
        self.last_error_box = show_exception(self, exc, title, modal=False)

    def base(self) -> str:
        return self.base_combo.currentText().strip()

    def request_serve(self) -> None:
        """The Serve panel for the chosen base and adapters (the server loads them itself)."""
        if not self.base() and not self.adapters:
            self.sig_message.emit(self.tr("Choose a base model or an adapter to serve."))
            return
        self.sig_serve_requested.emit([a.ref for a in self.adapters],
                                      [a.name for a in self.adapters], self.base())

    def set_base(self, path: str | Path) -> None:
        self.base_combo.setCurrentText(str(path))

    def device(self) -> str:
        return str(self.device_combo.currentData())

    def set_devices(self, info: dict[str, Any]) -> None:
        """What ``peft-studio devices --json`` reported ({"error": ...} when it failed): the
        devices MindSpore cannot use here are greyed out."""
        model = self.device_combo.model()
        for row in range(self.device_combo.count()):
            key = self.device_combo.itemData(row)
            usable = key == "auto" or "error" in info or bool(info.get(key))
            model.item(row).setEnabled(usable)
            model.item(row).setToolTip("" if usable else
                                       self.tr("not available on this machine"))
        if not model.item(self.device_combo.currentIndex()).isEnabled():
            self.device_combo.setCurrentIndex(0)

    def is_busy(self) -> bool:
        return self._busy or self._loading

    def current_adapter(self) -> str | None:
        data = self.adapter_choice.currentData()
        return data if isinstance(data, str) else None

    def set_adapter(self, name: str | None) -> None:
        index = self.adapter_choice.findData(name) if name else 0
        self.adapter_choice.setCurrentIndex(max(index, 0))

    # ---- base and adapters -----------------------------------------------------------------
    def browse_base(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a base model folder"),
                                                  self.base() or str(Path.home()))
        if folder:
            self.set_base(folder)

    def refresh_runs(self) -> None:
        self._start(jobs.load_runs, self.store_path, returned=self._on_runs,
                    errored=lambda exc: self._error(exc, self.tr("Could not read the runs")))

    def _on_runs(self, runs: list[jobs.RunChoice]) -> None:
        self.runs = runs
        chosen = self.base()
        known = {self.base_combo.itemText(i) for i in range(self.base_combo.count())}
        for choice in runs:
            if choice.run.model and choice.run.model not in known:
                known.add(choice.run.model)
                self.base_combo.addItem(choice.run.model)
        if chosen and self.base() != chosen:   # an empty combo selects the first item added
            self.base_combo.setCurrentText(chosen)
        if not self.base() and runs and runs[0].run.model:
            self.set_base(runs[0].run.model)
        self.sig_runs_loaded.emit()

    def open_run(self, run_id: str, base: str = "") -> bool:
        """Choose a run's base model and its adapter (from the Runs page); Load loads them.
        Adapters listed for another base are dropped, and so is a session loaded on it.
        False when the page is busy and nothing changed."""
        if self._refuse_when_busy():
            return False
        if not base:   # the base comes from the adapter
            for choice in self.runs:
                if choice.run.id == run_id and choice.run.model:
                    base = choice.run.model
        if base and base != self.base():
            self._start_over(base)
        self.progress_label.setText(self.tr("Press Load to load the base model with the "
                                            "run's adapter."))
        self.add_adapter(run_id)
        return True

    def open_model(self, folder: str) -> bool:
        """Choose a whole model (a full fine-tune's output) as the base, without adapters;
        Load loads it. False when the page is busy and nothing changed."""
        if self._refuse_when_busy():
            return False
        self._start_over(folder)
        self.progress_label.setText(self.tr("Press Load to load the fine-tuned model."))
        return True

    def _refuse_when_busy(self) -> bool:
        if self.is_busy():
            self.sig_message.emit(self.tr("The Playground is busy; try again when it is done."))
        return self.is_busy()

    def _start_over(self, base: str) -> None:
        """A new base: the adapters listed and any session loaded go."""
        self.adapters = []
        if self.session is not None:
            self._drop_session()
            self._update_info()
            self._update_modes()
        self.set_base(base)
        self._update_adapter_list()

    def add_from_run_dialog(self) -> None:
        if not self.runs:
            self.refresh_runs()
            show_error(self, self.tr("No runs to add"), self.tr(
                "There is no finished run with an adapter yet (or the list is still being "
                "read). Train one on the Train page, or add an adapter folder."), modal=False)
            return
        items, refs = [], []
        for choice in self.runs:
            label = f"{choice.run.name} ({choice.run.id[:8]})"
            if choice.has_result:
                items.append(self.tr("%1 — final result").replace("%1", label))
                refs.append(choice.run.id)
            for step in reversed(choice.steps):
                items.append(self.tr("%1 — checkpoint at step %2").replace("%1", label)
                             .replace("%2", str(step)))
                refs.append(f"{choice.run.id}@{step}")
        item, ok = QInputDialog.getItem(self, self.tr("Add adapter from a run"),
                                        self.tr("Run or checkpoint:"), items, 0, False)
        if ok and item in items:
            self.add_adapter(refs[items.index(item)])

    def add_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose an adapter folder"),
                                                  str(Path.home()))
        if folder:
            self.add_adapter(folder)

    def add_adapter(self, ref: str) -> None:
        """Resolve a run, checkpoint or folder and check it against the base before it joins
        the list (nothing is loaded until Load)."""
        task = self.session.task if self.session is not None else None
        self._start(self._check_job, ref, self.base(), task, self.store_path,
                    returned=self._on_checked,
                    errored=lambda exc: self._refused(exc))

    @staticmethod
    def _check_job(ref: str, base: str, task: str | None, store_path: Path | None
                   ) -> tuple[str, jobs.Checked]:
        if not base:
            from studio.core.inference import resolve_adapter
            from studio.core.inference.compatibility import local_folder
            from studio.core.store import RunStore

            with RunStore(store_path) as store:
                named = resolve_adapter(ref, store).base_model
            base = named if named and local_folder(named) is not None else ""
        return base, jobs.check_adapter(ref, base, task, store_path)

    def _refused(self, exc: BaseException) -> None:
        self._error(exc, self.tr("Cannot use this adapter"))
        self.sig_adapter_checked.emit(False)

    def _on_checked(self, result: tuple[str, jobs.Checked]) -> None:
        base, checked = result
        source = checked.source
        if checked.problems:
            self.last_error_box = show_error(
                self, self.tr("This adapter does not fit"),
                self.tr("%1 cannot be used with %2:").replace("%1", source.name or checked.ref)
                .replace("%2", base or self.tr("the base model")) + "\n\n• "
                + "\n• ".join(message_text(p) for p in checked.problems), modal=False)
            self.sig_adapter_checked.emit(False)
            return
        if not self.base() and base:
            self.set_base(base)
        if any(a.source.path == source.path and a.source.step == source.step
               for a in self.adapters):
            self.sig_message.emit(self.tr("%1 is in the list already.").replace(
                "%1", source.name or checked.ref))
            self.sig_adapter_checked.emit(True)
            return
        name, n = source.name or "adapter", 1
        if source.step is not None:
            name = f"{name}@{source.step}"
        taken = {a.name for a in self.adapters} | {"base"}
        unique = name
        while unique in taken:
            n += 1
            unique = f"{name}-{n}"
        self.adapters.append(AdapterEntry(unique, checked.ref, source, source.run_id))
        self._update_adapter_list()
        self.adapter_list.setCurrentRow(len(self.adapters) - 1)
        self.sig_adapter_checked.emit(True)

    def remove_selected_adapter(self) -> None:
        row = self.adapter_list.currentRow()
        if row < 0 or self.is_busy():
            return
        entry = self.adapters.pop(row)
        if self.session is not None and entry.name in self.session.adapters:
            # adapters stay on the loaded base; a fresh load starts without it
            self._drop_session()
            self.progress_label.setText(self.tr("Press Load to load the base again without "
                                                "the removed adapter."))
            self._update_modes()
        self._update_adapter_list()

    def _update_adapter_list(self) -> None:
        self.adapter_list.clear()
        loaded = set(self.session.adapters) if self.session is not None else set()
        for entry in self.adapters:
            source = entry.source
            state = self.tr("loaded") if entry.name in loaded else self.tr("not loaded")
            item = QListWidgetItem(f"{entry.name} · {source.method or source.kind} · {state}")
            item.setToolTip(source.path)
            self.adapter_list.addItem(item)

    # ---- loading ---------------------------------------------------------------------------
    def load(self) -> None:
        base = self.base()
        if self.is_busy():
            return
        if not base:
            self.last_error_box = show_error(self, self.tr("No base model"), self.tr(
                "Choose a base model folder (or a hub id) first."), modal=False)
            return
        task = next((a.source.task for a in self.adapters if a.source.task), None)
        labels = next((a.source.label_names for a in self.adapters
                       if a.source.label_names), None)
        session = self.session
        if session is not None and (session.base_path != base
                                    or session.requested_device != self.device()
                                    or (task is not None and session.task != task)):
            session = None
        if session is None:
            self._drop_session()
        self._loading = True
        self._update_modes()
        self.progress_label.setText(self.tr("Starting the inference process…"))
        self._start(jobs.load, session, base, task, labels,
                    [(a.name, a.source) for a in self.adapters], self.device(),
                    self._sig_progress.emit, self.pickle_consent.allowed(),
                    returned=self._on_loaded,
                    errored=self._on_load_failed)

    def _on_progress(self, stage: str) -> None:
        if self._loading:
            self.progress_label.setText(message_text(stage))

    def _drop_session(self) -> None:
        """The loaded model goes: its process is ended at once (it holds nothing to save)."""
        session, self.session = self.session, None
        if session is not None:
            session.kill()

    def _failed(self, exc: BaseException, title: str) -> None:
        """A job's error: the inference process's end is the page's state, not a dialog."""
        if isinstance(exc, InferenceCrashedError):
            self._crashed(error_text(exc))
        else:
            self._error(exc, title)

    def _crashed(self, how: str) -> None:
        self._drop_session()
        self.load_button.setText(self.tr("Reload"))
        self.progress_label.setText(self.tr(
            "The model's process ended unexpectedly ({how}). The conversation is kept; press "
            "Reload to load the same base model and adapters again.").format(how=how))
        self._update_adapter_list()
        self._update_info()
        self._update_modes()
        self.sig_crashed.emit(how)

    def _on_loaded(self, session: Any) -> None:
        self._loading = False
        self.load_button.setText(self.tr("Load"))
        self.session = session
        self.progress_label.setText(self.tr("Ready."))
        self._update_adapter_list()
        self._update_info()
        self._update_modes()
        fits = FITS.get(session.task or "", ())
        if fits:   # the task's own mode first (a disabled tab hands the focus to its neighbour)
            self.tabs.setCurrentIndex(MODES.index(fits[0]))
        self.sig_loaded.emit()

    def _on_load_failed(self, exc: BaseException) -> None:
        self._loading = False
        self.progress_label.setText(self.tr("Loading failed."))
        self._update_adapter_list()
        self._update_modes()
        self._error(exc, self.tr("Could not load the model"))
        self.sig_load_failed.emit()

    def _update_info(self) -> None:
        if self.session is None:
            self.info_label.setText(self.tr("—"))
            return
        info = self.session.info()
        lines = [self.tr("<b>Base:</b> %1").replace("%1", Path(info["base"]).name or info["base"]),
                 self.tr("<b>Task:</b> %1 · <b>device:</b> %2 · %3").replace(
                     "%1", str(info["task"])).replace("%2", str(info["device"]))
                 .replace("%3", str(info["dtype"] or "")),
                 self.tr("<b>Parameters:</b> %1 (+%2 in adapters)").replace(
                     "%1", _human(info["parameters"])).replace(
                     "%2", _human(info["adapter_parameters"])),
                 self.tr("<b>Memory:</b> about %1").replace(
                     "%1", _human(info["memory_bytes"], "B"))]
        for adapter in info["adapters"]:
            params = adapter["parameters"]
            lines.append(f"• {adapter['name']} — {adapter['method_name']}"
                         + (f" ({_human(params)})" if params else ""))
        if not info["adapters"]:
            lines.append(self.tr("No adapters: answers come from the base model."))
        self.info_label.setText("<br>".join(lines))
        self.info_label.setToolTip(info["base"])
        current = self.current_adapter()
        self.adapter_choice.clear()
        self.adapter_choice.addItem(self.tr("Base model"), None)
        for adapter in info["adapters"]:
            self.adapter_choice.addItem(adapter["name"], adapter["name"])
        self.set_adapter(current if current in self.session.adapters else
                         (self.session.adapters[-1] if self.session.adapters else None))

    def _update_modes(self) -> None:
        """Enable the tabs that fit the loaded task; the others say why they are off."""
        task = self.session.task if self.session is not None else None
        fits = FITS.get(task or "", ())
        reasons = {"chat": self.tr("Chat needs a causal language model (GPT/Llama/Qwen type)."),
                   "compare": self.tr("Compare needs a loaded model."),
                   "seq2seq": self.tr("Seq2seq needs an encoder-decoder model (T5/mT5 type)."),
                   "classify": self.tr("Classify needs a sequence-classification model or "
                                       "adapter.")}
        for index, mode in enumerate(MODES):
            usable = task is None or mode in fits
            self.tabs.setTabEnabled(index, usable)
            self.tabs.setTabToolTip(index, "" if usable else reasons[mode])
        if task is not None and fits and MODES[self.tabs.currentIndex()] not in fits:
            self.tabs.setCurrentIndex(MODES.index(fits[0]))
        if self.session is None:
            self.mode_note.setText(self.tr("Load a base model to start.") if not self._loading
                                   else "")
        elif not fits:
            self.mode_note.setText(self.tr("The playground cannot use a model loaded for %1.")
                                   .replace("%1", str(task)))
        else:
            self.mode_note.setText("")
        ready = self.session is not None and not self.is_busy()
        for button in (self.send_button, self.regenerate_button, self.compare_button,
                       self.generate_button, self.classify_button):
            button.setEnabled(ready)
        for button in (self.stop_button, self.compare_stop, self.generate_stop):
            button.setEnabled(self._busy)
        self.load_button.setEnabled(not self.is_busy())
        for button in (self.add_run_button, self.add_folder_button, self.remove_button,
                       self.clear_button, self.open_button):
            button.setEnabled(not self.is_busy())
        self.adapter_choice.setEnabled(not self.is_busy())

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_modes()

    def _ready(self) -> bool:
        if self.session is None:
            self.last_error_box = show_error(self, self.tr("Nothing loaded"), self.tr(
                "Load a base model first."), modal=False)
            return False
        return not self.is_busy()

    def _settings(self) -> Any:
        try:
            return self.sampling.settings()
        except Exception as exc:  # noqa: BLE001 - StudioError: a plain message
            self._error(exc, self.tr("Check the sampling settings"))
            return None

    # ---- chat ------------------------------------------------------------------------------
    def send(self, text: str | None = None) -> None:
        text = text if isinstance(text, str) else self.chat_input.toPlainText()
        text = text.strip()
        if not text or not self._ready():
            return
        settings = self._settings()
        if settings is None:
            return
        self.chat_input.clear()
        self.messages.append({"role": "user", "content": text})
        self.chat_view.add_message("user", text)
        self._generate(settings)

    def _generate(self, settings: Any, mode: str = "chat") -> None:
        adapter = self.current_adapter()
        self._answer, self._answer_adapter, self.pieces = "", adapter, []
        self.last_finish = None
        self._stop = threading.Event()
        self._set_busy(True)
        if mode == "chat":
            self.chat_view.begin_answer(adapter)
            messages = [{"role": m["role"], "content": m["content"]} for m in self.messages]
        else:
            self.text_output.clear()
            messages = [{"role": "user", "content": self.text_input.toPlainText()}]
        self._start(jobs.chat, self.session, messages, settings, adapter, self.sampling.system(),
                    self._stop, "chat" if mode == "chat" else "text",
                    yielded=lambda item, m=mode: self._on_piece(item, m),
                    errored=lambda exc: self._failed(exc, self.tr("Generation failed")),
                    finished=lambda m=mode: self._on_answer_done(m))

    def _on_piece(self, item: tuple[Any, ...], mode: str) -> None:
        if item[0] == "piece":
            self.pieces.append(item[1])
            self._answer += item[1]
            if mode == "chat":
                self.chat_view.append_piece(item[1])
            else:
                self.text_output.moveCursor(self.text_output.textCursor().MoveOperation.End)
                self.text_output.insertPlainText(item[1])
        elif item[0] == "done":
            _, reason, speed = item
            self.last_finish = reason
            names = {"eos": self.tr("finished"), "length": self.tr("reached max new tokens"),
                     "stopped": self.tr("stopped")}
            stats = self.tr("%1 · %2 tokens/s").replace(
                "%1", names.get(reason, str(reason))).replace("%2", f"{speed:.1f}")
            self.chat_stats.setText(stats)
            self.chat_stats.setToolTip(stats)

    def _on_answer_done(self, mode: str) -> None:
        if mode == "chat":
            self.chat_view.end_answer()
            self.messages.append({"role": "assistant", "content": self._answer,
                                  "adapter": self._answer_adapter})
        self._set_busy(False)
        self.sig_answer_finished.emit(self.last_finish or "error")

    def stop(self) -> None:
        self._stop.set()

    def regenerate(self) -> None:
        if not self.messages or not self._ready():
            return
        if self.messages[-1]["role"] == "assistant":
            self.messages.pop()
        if not self.messages or self.messages[-1]["role"] != "user":
            return
        settings = self._settings()
        if settings is None:
            return
        self.chat_view.show_messages(self.messages)
        self._generate(settings)

    def clear_conversation(self) -> None:
        if self.is_busy():
            return
        self.messages, self.conversation_id = [], None
        self.chat_view.show_messages([])
        self.chat_stats.clear()
        self.chat_stats.setToolTip("")

    def transcript(self) -> str:
        parts = []
        for message in self.messages:
            who = self.chat_view.role_name(message["role"], message.get("adapter"))
            parts.append(f"{who}:\n{message['content']}")
        return "\n\n".join(parts)

    def copy_conversation(self) -> None:
        QApplication.clipboard().setText(self.transcript())
        self.sig_message.emit(self.tr("Conversation copied."))

    def save_conversation(self) -> None:
        if not self.messages:
            return
        run_id = next((a.run_id for a in self.adapters
                       if a.name == self.current_adapter() and a.run_id), None) or next(
            (a.run_id for a in self.adapters if a.run_id), None)
        adapters = [{"name": a.name, "ref": a.ref} for a in self.adapters]
        self._start(jobs.save_conversation, self.store_path, list(self.messages), run_id,
                    self.base(), adapters, self.sampling.values(), self.conversation_id,
                    returned=self._on_saved,
                    errored=lambda exc: self._error(exc, self.tr("Could not save")))

    def _on_saved(self, conversation_id: int) -> None:
        self.conversation_id = conversation_id
        self.sig_message.emit(self.tr("Conversation saved."))
        self.sig_conversation_saved.emit(conversation_id)

    def open_saved_dialog(self) -> None:
        self._start(jobs.list_conversations, self.store_path, returned=self._choose_conversation,
                    errored=lambda exc: self._error(exc, self.tr("Could not read conversations")))

    def _choose_conversation(self, records: list[Any]) -> None:
        if not records:
            self.sig_message.emit(self.tr("No saved conversations yet."))
            return
        items = [f"{r.title} — {Path(r.base_model or '').name}" for r in records]
        item, ok = QInputDialog.getItem(self, self.tr("Open a saved conversation"),
                                        self.tr("Conversation:"), items, 0, False)
        if ok and item in items:
            self.open_conversation(records[items.index(item)].id)

    def open_conversation(self, conversation_id: int) -> None:
        self._start(jobs.get_conversation, self.store_path, conversation_id,
                    returned=self._on_conversation,
                    errored=lambda exc: self._error(exc, self.tr("Could not open")))

    def _on_conversation(self, record: Any) -> None:
        if self.is_busy():
            return
        self.messages = [dict(m) for m in record.messages]
        self.conversation_id = record.id
        self.chat_view.show_messages(self.messages)
        self.sampling.set_values(record.settings or {})
        if self.session is None and record.base_model and not self.base():
            self.set_base(record.base_model)
        self.tabs.setCurrentIndex(MODES.index("chat"))
        self.sig_conversation_opened.emit(record.id)

    # ---- compare ---------------------------------------------------------------------------
    def run_compare(self) -> None:
        prompt = self.compare_input.toPlainText().strip()
        if not prompt or not self._ready():
            return
        settings = self._settings()
        if settings is None:
            return
        names: list[str | None] = [None, *self.session.adapters]
        self.compare_columns.set_models(names)
        self._stop = threading.Event()
        self._set_busy(True)
        self._start(jobs.compare, self.session, prompt, names, settings, self.sampling.system(),
                    self._stop, self._sig_compare.emit, returned=self._on_compared,
                    errored=lambda exc: self._failed(exc, self.tr("Compare failed")),
                    finished=self._on_compare_done)

    def _on_compare_item(self, item: tuple[Any, ...]) -> None:
        if item[0] == "start":
            self.compare_columns.start(item[1])
        else:
            self.compare_columns.append(item[1], item[2])

    def _on_compared(self, answers: dict[Any, Any]) -> None:
        for name, answer in answers.items():
            if isinstance(answer, list):   # a classifier: [(label, probability), ...]
                self.compare_columns.set_text(name, "\n".join(f"{label}: {p:.1%}"
                                                              for label, p in answer))

    def _on_compare_done(self) -> None:
        self.compare_columns.finish(self._stop.is_set())
        self._set_busy(False)
        self.sig_compare_finished.emit()

    # ---- seq2seq and classification -----------------------------------------------------
    def generate(self) -> None:
        if not self.text_input.toPlainText().strip() or not self._ready():
            return
        settings = self._settings()
        if settings is not None:
            self._generate(settings, mode="text")

    def classify(self) -> None:
        text = self.classify_input.toPlainText().strip()
        if not text or not self._ready():
            return
        self._set_busy(True)
        self._start(jobs.classify, self.session, text, self.current_adapter(),
                    returned=self._on_classified,
                    errored=lambda exc: self._failed(exc, self.tr("Classification failed")),
                    finished=self._on_classify_done)

    def _on_classify_done(self) -> None:
        self._set_busy(False)
        self.sig_classified.emit()

    def _on_classified(self, ranked: list[tuple[str, float]]) -> None:
        self.chart.set_probabilities(ranked)
        if ranked:
            label, p = ranked[0]
            self.classify_result.setText(self.tr("Predicted: <b>%1</b> (%2)").replace(
                "%1", label).replace("%2", f"{p:.1%}"))
            self.classify_result.setToolTip(label)

    # ---- lifecycle -------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._shown:
            self._shown = True
            self.refresh_runs()

    def shutdown(self) -> None:
        """Stop a generation in progress and end the model's process (the window is closing)."""
        self._stop.set()
        self._drop_session()
        for worker in list(self._workers):
            worker.quit()
