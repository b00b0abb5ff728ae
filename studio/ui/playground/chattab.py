"""The Chat tab: the conversation, its input and the buttons around them.
The page connects its buttons and reads its widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

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
        self.stop_button = QPushButton(self.tr("Stop"))
        self.regenerate_button = QPushButton(self.tr("Regenerate"))
        for button in (self.send_button, self.stop_button, self.regenerate_button):
            row.addWidget(button)
        self.chat_stats = QLabel()
        self.chat_stats.setObjectName("hint")
        self.chat_stats.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # Takes what the row leaves over and never asks for more (the full text is the tip).
        self.chat_stats.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row.addWidget(self.chat_stats, 1)
        layout.addLayout(row)
