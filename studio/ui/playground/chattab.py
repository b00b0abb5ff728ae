"""The Chat view: the conversation, its input and the buttons around them (``ChatTab``), and
what the page does with them (``ChatActions``: send, answer a tool call, stream the answer,
regenerate, clear, copy, save and open). The conversation is ``studio.core.playground``'s
Conversation; the view draws it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from studio.core.playground import Conversation
from studio.ui.common.dialogs import show_error

from . import jobs
from .conversation import ConversationView
from .prompt import PromptEdit


class ChatTab(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        # Two short rows rather than one long one: seven buttons and the stats side by side
        # made the page (and so the window) wider than 1280 px once an answer was timed.
        top = QHBoxLayout()
        self.open_button = QPushButton(self.tr("Open saved…"))
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setToolTip(self.tr("Keep this conversation with the run"))
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.setToolTip(self.tr("Copy the conversation as text"))
        self.clear_button = QPushButton(self.tr("Clear"))
        for button in (self.open_button, self.save_button, self.copy_button,
                       self.clear_button):
            top.addWidget(button)
        top.addStretch(1)
        layout.addLayout(top)
        self.chat_view = ConversationView()
        self.chat_view.set_placeholder(self.tr("Load a model, type a message and press "
                                               "Ctrl+Return."))
        layout.addWidget(self.chat_view, 1)
        self.call_note = QLabel()
        self.call_note.setObjectName("hint")
        self.call_note.setWordWrap(True)
        self.call_note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.call_note.setVisible(False)
        layout.addWidget(self.call_note)
        self.chat_input = PromptEdit()
        self.chat_input.setObjectName("chatInput")
        self.chat_input.setPlaceholderText(self.tr("Message (Ctrl+Return sends)"))
        self.chat_input.setMaximumHeight(90)
        layout.addWidget(self.chat_input)
        row = QHBoxLayout()
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setObjectName("sendButton")
        self.send_button.setToolTip(QKeySequence("Ctrl+Return").toString(
            QKeySequence.SequenceFormat.NativeText))
        self.tool_result_button = QPushButton(self.tr("Send as tool result"))
        self.tool_result_button.setObjectName("toolResultButton")
        self.tool_result_button.setToolTip(self.tr(
            "Send the text as what the called tool returned (a tool message); the model "
            "answers it"))
        self.stop_button = QPushButton(self.tr("Stop"))
        self.regenerate_button = QPushButton(self.tr("Regenerate"))
        for button in (self.send_button, self.tool_result_button, self.stop_button,
                       self.regenerate_button):
            row.addWidget(button)
        self.chat_stats = QLabel()
        self.chat_stats.setObjectName("hint")
        self.chat_stats.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # Takes what the row leaves over and never asks for more (the full text is the tip).
        self.chat_stats.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row.addWidget(self.chat_stats, 1)
        layout.addLayout(row)


class ChatActions:
    """The chat's part of PlaygroundPage (a mixin: it uses the page's session, busy state,
    jobs, side panel and signals)."""

    conversation: Conversation
    pieces: list[str]
    last_finish: str | None
    last_prompt: dict[str, Any] | None

    def _connect_chat(self, tab: ChatTab) -> None:
        self.chat_tab = tab
        self.open_button, self.save_button = tab.open_button, tab.save_button
        self.copy_button, self.clear_button = tab.copy_button, tab.clear_button
        self.chat_view, self.chat_input = tab.chat_view, tab.chat_input
        self.send_button, self.stop_button = tab.send_button, tab.stop_button
        self.tool_result_button, self.call_note = tab.tool_result_button, tab.call_note
        self.regenerate_button, self.chat_stats = tab.regenerate_button, tab.chat_stats
        tab.open_button.clicked.connect(self.open_saved_dialog)
        tab.save_button.clicked.connect(self.save_conversation)
        tab.copy_button.clicked.connect(self.copy_conversation)
        tab.clear_button.clicked.connect(self.clear_conversation)
        tab.chat_input.sig_submit.connect(self.send)
        tab.send_button.clicked.connect(self.send)
        tab.tool_result_button.clicked.connect(self.send_tool_result)
        tab.stop_button.clicked.connect(self.stop)
        tab.regenerate_button.clicked.connect(self.regenerate)

    # ---- sending ----------------------------------------------------------------------------
    def send(self, text: str | None = None) -> None:
        text = text if isinstance(text, str) else self.chat_input.toPlainText()
        text = text.strip()
        if not text or not self._ready():
            return
        settings = self._chat_settings()
        if settings is None:
            return
        self.chat_input.clear()
        self.conversation.add_user(text)
        self.chat_view.add_turn(self.conversation.turns[-1])
        self._generate(settings)

    def send_tool_result(self, text: str | None = None) -> None:
        """The input as what the pending tool call returned; the model answers it."""
        text = text if isinstance(text, str) else self.chat_input.toPlainText()
        text = text.strip()
        if not text or not self._ready() or self.conversation.pending_call() is None:
            return
        settings = self._chat_settings()
        if settings is None:
            return
        self.chat_input.clear()
        self.chat_view.add_turn(self.conversation.add_tool_result(text))
        self._generate(settings)

    def _chat_settings(self) -> Any:
        """Sampling settings, or None (said why) when they or the tools are not valid."""
        if self.tools_editor.error():
            self.last_error_box = show_error(self, self.tr("Check the tools"),
                                             self.tools_editor.error(), modal=False)
            return None
        return self._settings()

    def _generate(self, settings: Any, mode: str = "chat") -> None:
        adapter = self.current_adapter()
        self._answer, self._answer_adapter, self.pieces = "", adapter, []
        self.last_finish, self.last_prompt = None, None
        self._stop = threading.Event()
        self._set_busy(True)
        tools = None
        if mode == "chat":
            self.chat_view.begin_answer(adapter)
            messages = self.conversation.prompt_messages()
            tools = self.conversation.tools or None
        else:
            self.text_output.clear()
            messages = [{"role": "user", "content": self.text_input.toPlainText()}]
        self._start(jobs.chat, self.session, messages, settings, adapter, self.sampling.system(),
                    self._stop, "chat" if mode == "chat" else "text", tools,
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
            reason, speed = item[1], item[2]
            self.last_finish = reason
            self.last_prompt = item[3] if len(item) > 3 else None
            names = {"eos": self.tr("finished"), "length": self.tr("reached max new tokens"),
                     "stopped": self.tr("stopped")}
            stats = self.tr("%1 · %2 tokens/s").replace(
                "%1", names.get(reason, str(reason))).replace("%2", f"{speed:.1f}")
            self.chat_stats.setText(stats)
            self.chat_stats.setToolTip(stats)

    def _on_answer_done(self, mode: str) -> None:
        if mode == "chat":
            self.chat_view.end_answer()
            turn = self.conversation.add_answer(self._answer, self._answer_adapter)
            if turn.tool_calls:   # drawn again: the call as a call, not as raw text
                self.chat_view.show_turns(self.conversation.turns)
            self._update_call_note()
        self._set_busy(False)
        self.sig_answer_finished.emit(self.last_finish or "error")

    def _update_call_note(self) -> None:
        """The pending tool call, if any, above the input (and Send as tool result with it)."""
        call = self.conversation.pending_call()
        self.call_note.setVisible(call is not None)
        if call is not None:
            self.call_note.setText(self.tr(
                "The model called %1. Type what the tool returned and press "
                "Send as tool result.").replace("%1", call.signature()))
        self._update_modes()

    def stop(self) -> None:
        self._stop.set()

    def regenerate(self) -> None:
        if not self.conversation.turns or not self._ready():
            return
        if not self.conversation.drop_answer():
            return
        settings = self._chat_settings()
        if settings is None:
            return
        self.chat_view.show_turns(self.conversation.turns)
        self._update_call_note()
        self._generate(settings)

    def clear_conversation(self) -> None:
        if self.is_busy():
            return
        self.conversation.clear()
        self.chat_view.show_turns([])
        self._update_call_note()
        self.chat_stats.clear()
        self.chat_stats.setToolTip("")

    def transcript(self) -> str:
        return "\n\n".join(f"{self.chat_view.turn_name(turn)}:\n{self.chat_view.turn_text(turn)}"
                           for turn in self.conversation.turns)

    def copy_conversation(self) -> None:
        QApplication.clipboard().setText(self.transcript())
        self.sig_message.emit(self.tr("Conversation copied."))

    # ---- saved conversations ------------------------------------------------------------------
    def save_conversation(self) -> None:
        if not self.conversation.turns:
            return
        self._start(jobs.save_conversation, self.store_path, self.conversation.to_dicts(),
                    self.lineup.run_for(self.current_adapter()), self.base(),
                    [{"name": a.name, "ref": a.ref} for a in self.lineup],
                    self.conversation.saved_settings(self.sampling.values()),
                    self.conversation.id, returned=self._on_saved,
                    errored=lambda exc: self._error(exc, self.tr("Could not save")))

    def _on_saved(self, conversation_id: int) -> None:
        self.conversation.id = conversation_id
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
        try:
            conversation = Conversation.from_saved(record.messages, record.settings, record.id)
        except ValueError as exc:
            self.last_error_box = show_error(self, self.tr("Could not open"), self.tr(
                "The saved conversation “%1” cannot be read: %2").replace(
                "%1", record.title).replace("%2", str(exc)), modal=False)
            return
        self.conversation = conversation
        self.chat_view.show_turns(conversation.turns)
        self._update_call_note()
        self.sampling.set_values(record.settings or {})
        self.tools_editor.set_tools(conversation.tools)
        if self.session is None and record.base_model and not self.base():
            self.set_base(record.base_model)
        self.tabs.setCurrentIndex(self.MODES.index("chat"))
        self.sig_conversation_opened.emit(record.id)
