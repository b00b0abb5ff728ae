"""A conversation (``studio.core.playground.Turn``s) drawn as message bubbles in a
QTextBrowser; the answer being generated grows in place (pieces are inserted at a cursor kept
inside its bubble, so a long answer does not redraw the whole conversation per token). A
reply that calls tools shows each call; a tool's result has a bubble of its own."""

from __future__ import annotations

from PySide6.QtGui import (
    QColor,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextFrameFormat,
    QTextLength,
    QTextTableCellFormat,
    QTextTableFormat,
)
from PySide6.QtWidgets import QTextBrowser, QWidget

from studio.core.playground import Turn

_BUBBLES = {"user": "#dbeafe", "assistant": "#f1f5f9", "system": "#fef9c3",
            "tool": "#dcfce7"}


class ConversationView(QTextBrowser):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("conversationView")
        self.setOpenLinks(False)
        self._live: QTextCursor | None = None
        self._placeholder = ""

    def role_name(self, role: str, adapter: str | None = None) -> str:
        if role == "user":
            return self.tr("You")
        if role == "system":
            return self.tr("System")
        if role == "tool":
            return self.tr("Tool")
        return adapter if adapter else self.tr("Base model")

    def turn_name(self, turn: Turn) -> str:
        if turn.role == "tool" and turn.name:
            return self.tr("Tool %1").replace("%1", turn.name)
        return self.role_name(turn.role, turn.adapter)

    def turn_text(self, turn: Turn) -> str:
        """The turn's text, with its tool calls one per line after it."""
        calls = [self.tr("→ calls %1").replace("%1", c.signature()) for c in turn.tool_calls]
        return "\n".join(([turn.content] if turn.content else []) + calls)

    def set_placeholder(self, text: str) -> None:
        self._placeholder = text
        if self.document().isEmpty():
            self.setPlaceholderText(text)

    def show_turns(self, turns: list[Turn]) -> None:
        self.clear()
        self._live = None
        for turn in turns:
            self.add_turn(turn)

    def add_turn(self, turn: Turn) -> QTextCursor:
        note = self.tr("tool call") if turn.tool_calls else ""
        return self.add_message(turn.role, self.turn_text(turn), turn.adapter, note,
                                name=self.turn_name(turn))

    def add_message(self, role: str, text: str, adapter: str | None = None,
                    note: str = "", name: str | None = None) -> QTextCursor:
        """A bubble; returns a cursor at the end of its text (for streaming into it)."""
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        table_format = QTextTableFormat()
        table_format.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_None)
        table_format.setCellPadding(8)
        table_format.setCellSpacing(0)
        table_format.setTopMargin(6)
        table_format.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
        table = cursor.insertTable(1, 1, table_format)
        cell_format = QTextTableCellFormat()
        cell_format.setBackground(QColor(_BUBBLES.get(role, "#ffffff")))
        table.cellAt(0, 0).setFormat(cell_format)
        cell = table.cellAt(0, 0).firstCursorPosition()
        head = QTextCharFormat()
        head.setFontWeight(700)
        head.setForeground(QColor("#334155"))
        cell.insertText(name or self.role_name(role, adapter), head)
        if note:
            small = QTextCharFormat()
            small.setForeground(QColor("#64748b"))
            cell.insertText("  " + note, small)
        cell.insertBlock()
        body = QTextCharFormat()
        body.setForeground(self.palette().color(QPalette.ColorRole.Text))
        cell.setCharFormat(body)
        cell.insertText(text, body)
        self._scroll_to_end()
        return cell

    def begin_answer(self, adapter: str | None) -> None:
        self._live = self.add_message("assistant", "", adapter)

    def append_piece(self, piece: str) -> None:
        if self._live is None:
            self.begin_answer(None)
        assert self._live is not None
        self._live.insertText(piece)
        self._scroll_to_end()

    def end_answer(self) -> None:
        self._live = None

    def _scroll_to_end(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())
