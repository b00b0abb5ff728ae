"""The prompt input the Playground's tabs share: Ctrl+Return sends."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QKeyCombination, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit

_SEND_KEYS = (QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_Return),
              QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_Enter))


class PromptEdit(QPlainTextEdit):
    """Ctrl+Return sends (taken before the window's Ctrl+Return shortcut sees it)."""

    sig_submit = Signal()

    def event(self, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.keyCombination() in _SEND_KEYS):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.keyCombination() in _SEND_KEYS:
            self.sig_submit.emit()
            return
        super().keyPressEvent(event)
