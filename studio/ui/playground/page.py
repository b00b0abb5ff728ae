"""The Playground page: a base model with adapters loaded in the background, then chat,
compare side by side, seq2seq generation or classification with them.

The page holds the state (``studio.core.playground``: the adapter lineup and the
conversation, plain data) and the loaded session, and owns the side panel
(``sidepanel``) and one view per mode: ``chattab``, ``comparetab``, ``seq2seqtab``,
``classifytab``, each a widget and the page's actions for it (mixed into the page).

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
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studio.core.playground import AdapterEntry, Conversation, Lineup
from studio.ui.common.dialogs import show_error, show_exception
from studio.ui.common.messages import error_text, message_text
from workers import pool
from workers.inference import InferenceCrashedError

from . import jobs
from .chattab import ChatActions, ChatTab
from .classifytab import ClassifyActions, ClassifyTab
from .comparetab import CompareActions, CompareTab
from .lineupactions import LineupActions
from .seq2seqtab import Seq2seqActions, Seq2seqTab
from .sidepanel import SidePanel

MODES = ("chat", "compare", "seq2seq", "classify")
FITS = {"causal_lm": ("chat", "compare"), "seq2seq": ("seq2seq", "compare"),
        "seq_cls": ("classify", "compare")}


class PlaygroundPage(LineupActions, ChatActions, CompareActions, Seq2seqActions,
                     ClassifyActions, QWidget):
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
    MODES = MODES

    def __init__(self, parent: QWidget | None = None, store_path: Path | None = None):
        super().__init__(parent)
        self.setObjectName("playgroundPage")
        self.store_path = store_path
        self.session: Any = None
        self.lineup = Lineup()
        self.conversation = Conversation()
        self.runs: list[jobs.RunChoice] = []
        self.pieces: list[str] = []                # of the latest answer, as they came
        self.last_finish: str | None = None
        self.last_prompt: dict[str, Any] | None = None   # what the model saw last time
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

    @property
    def adapters(self) -> list[AdapterEntry]:
        """The adapters chosen for the base (the lineup's list)."""
        return self.lineup.adapters

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
        side = self.side = SidePanel()
        self.base_combo, self.device_combo = side.base_combo, side.device_combo
        self.pickle_consent, self.adapter_list = side.pickle_consent, side.adapter_list
        self.add_run_button, self.add_folder_button = side.add_run_button, side.add_folder_button
        self.remove_button, self.load_button = side.remove_button, side.load_button
        self.progress_label, self.serve_button = side.progress_label, side.serve_button
        self.info_label, self.sampling = side.info_label, side.sampling
        self.tools_editor = side.tools_editor
        side.browse_button.clicked.connect(self.browse_base)
        side.add_run_button.clicked.connect(self.add_from_run_dialog)
        side.add_folder_button.clicked.connect(self.add_folder_dialog)
        side.remove_button.clicked.connect(self.remove_selected_adapter)
        side.load_button.clicked.connect(self.load)
        side.serve_button.clicked.connect(self.request_serve)
        side.tools_editor.sig_changed.connect(self._on_tools)
        return side

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
        views = ((ChatTab(), self._connect_chat, self.tr("Chat")),
                 (CompareTab(), self._connect_compare, self.tr("Compare")),
                 (Seq2seqTab(), self._connect_seq2seq, self.tr("Seq2seq")),
                 (ClassifyTab(), self._connect_classify, self.tr("Classify")))
        for tab, connect, title in views:
            connect(tab)
            self.tabs.addTab(tab, title)
        layout.addWidget(self.tabs, 1)
        return main

    def _on_tools(self, tools: list[dict[str, Any]]) -> None:
        """Valid tools from the editor: the conversation's from its next answer on."""
        self.conversation.tools = tools

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
        if not self.base() and not self.lineup:
            self.sig_message.emit(self.tr("Choose a base model or an adapter to serve."))
            return
        self.sig_serve_requested.emit(self.lineup.refs(), self.lineup.names(), self.base())

    def set_base(self, path: str | Path) -> None:
        self.base_combo.setCurrentText(str(path))

    def device(self) -> str:
        return str(self.device_combo.currentData())

    def set_devices(self, info: dict[str, Any]) -> None:
        """What ``peft-studio devices --json`` reported: unusable devices are greyed out."""
        self.side.set_devices(info)

    def is_busy(self) -> bool:
        return self._busy or self._loading

    def current_adapter(self) -> str | None:
        data = self.adapter_choice.currentData()
        return data if isinstance(data, str) else None

    def set_adapter(self, name: str | None) -> None:
        index = self.adapter_choice.findData(name) if name else 0
        self.adapter_choice.setCurrentIndex(max(index, 0))

    # ---- loading ---------------------------------------------------------------------------
    def load(self) -> None:
        base = self.base()
        if self.is_busy():
            return
        if not base:
            self.last_error_box = show_error(self, self.tr("No base model"), self.tr(
                "Choose a base model folder (or a hub id) first."), modal=False)
            return
        task, labels = self.lineup.task(), self.lineup.label_names()
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
                    self.lineup.pairs(), self.device(),
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
            self.side.show_info(None)
            return
        info = self.session.info()
        self.side.show_info(info)
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
        self.tool_result_button.setEnabled(ready and self.conversation.pending_call() is not None)
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
