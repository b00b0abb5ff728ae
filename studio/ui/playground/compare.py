"""Side-by-side answers: one column per model (the base and each adapter), each streaming."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QTextBrowser, QVBoxLayout, QWidget

TITLE_PX = 220       # longer adapter names are shortened in the middle (the tooltip has all)
MIN_COLUMN_PX = 120


class CompareColumns(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.columns: dict[str | None, QTextBrowser] = {}
        self._boxes: list[QGroupBox] = []
        self._status: dict[str | None, QLabel] = {}
        self._started: list[str | None] = []

    def title(self, name: str | None) -> str:
        return name if name is not None else self.tr("Base model")

    def set_models(self, names: list[str | None]) -> None:
        for box in self._boxes:
            box.setParent(None)
            box.deleteLater()
        self._boxes, self.columns, self._status = [], {}, {}
        self._started: list[str | None] = []
        for name in names:
            title = self.title(name)
            box = QGroupBox(self.fontMetrics().elidedText(title, Qt.TextElideMode.ElideMiddle,
                                                          TITLE_PX), self)
            box.setObjectName("compareColumn")
            box.setToolTip(title)
            # A long adapter name or many adapters must not widen the window: the columns
            # share what there is (the title is cut when they get narrow).
            box.setMinimumWidth(MIN_COLUMN_PX)
            layout = QVBoxLayout(box)
            view = QTextBrowser(box)
            status = QLabel(self.tr("waiting…"), box)
            status.setObjectName("hint")
            layout.addWidget(view, 1)
            layout.addWidget(status)
            self._layout.addWidget(box, 1)
            self._boxes.append(box)
            self.columns[name] = view
            self._status[name] = status

    def start(self, name: str | None) -> None:
        if self._started and self._started[-1] in self._status:
            self._status[self._started[-1]].setText(self.tr("done"))
        self._started.append(name)
        if name in self._status:
            self._status[name].setText(self.tr("answering…"))

    def append(self, name: str | None, piece: str) -> None:
        view = self.columns.get(name)
        if view is not None:
            view.moveCursor(view.textCursor().MoveOperation.End)
            view.insertPlainText(piece)

    def set_text(self, name: str | None, text: str) -> None:
        if name in self.columns:
            self.columns[name].setPlainText(text)

    def finish(self, stopped: bool) -> None:
        for name, status in self._status.items():
            if name not in self._started:
                status.setText(self.tr("skipped") if stopped else self.tr("done"))
            elif stopped and name == self._started[-1]:
                status.setText(self.tr("stopped"))
            else:
                status.setText(self.tr("done"))

    def texts(self) -> dict[str | None, str]:
        return {name: view.toPlainText() for name, view in self.columns.items()}
