"""The status column drawn as a coloured pill, so a failed or running run stands out."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from .model import RUN_ROLE, STATUS_COLORS


class StatusBadgeDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        run = index.data(RUN_ROLE)
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        color = STATUS_COLORS.get(run.status if run is not None else "", QColor("#8a8f98"))
        base = QStyleOptionViewItem(option)
        self.initStyleOption(base, index)
        base.text = ""
        style = option.widget.style() if option.widget is not None else None
        if style is not None:  # selection background and focus, without the text
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, base, painter, option.widget)
        metrics = option.fontMetrics
        width = metrics.horizontalAdvance(text) + 16
        height = min(metrics.height() + 4, option.rect.height() - 4)
        rect = QRectF(option.rect.left() + 6, option.rect.center().y() - height / 2 + 1,
                      width, height)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setPen(QColor("white"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt override
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width() + 28, max(hint.height(), option.fontMetrics.height() + 8))
