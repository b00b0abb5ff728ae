"""The preview table: the first rows of the data file as a read-only Qt table model.

The vertical header shows each row's line (text files) or row number in the file, so a
problem that names "line 12" can be found in the table; rows named by a problem are tinted.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

Index = QModelIndex | QPersistentModelIndex
MAX_CELL = 300
_PROBLEM = QBrush(QColor(248, 215, 218))


def _messages(value: Any) -> str | None:
    """Chat turns as 'user: … ▸ assistant: …', or None when ``value`` is not a chat."""
    if not isinstance(value, list) or not value or not all(isinstance(m, dict) for m in value):
        return None
    turns = []
    for m in value:
        role, content = m.get("role", m.get("from")), m.get("content", m.get("value"))
        if role is None or content is None:
            return None
        turns.append(f"{role}: {content}")
    return " ▸ ".join(turns)


def cell_text(value: Any, limit: int = MAX_CELL) -> str:
    if value is None:
        return ""
    chat = _messages(value)
    if chat is not None:
        text = chat
    elif isinstance(value, str):
        text = value
    elif isinstance(value, (list, dict)):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    text = text.replace("\n", " ⏎ ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class SampleTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._columns: list[str] = []
        self._roles: dict[str, str] = {}       # column -> role, for the header
        self._rows: list[tuple[int, dict[str, Any]]] = []
        self._bad: set[int] = set()

    def set_samples(self, columns: list[str], samples: list[dict[str, Any]],
                    roles: dict[str, str] | None = None, bad_rows: set[int] | None = None) -> None:
        self.beginResetModel()
        self._columns = list(columns)
        self._roles = {col: role for role, col in (roles or {}).items()}
        self._rows = [(int(s["row"]), dict(s.get("values") or {})) for s in samples]
        self._bad = set(bad_rows or ())
        self.endResetModel()

    def clear(self) -> None:
        self.set_samples([], [])

    def columns(self) -> list[str]:
        return list(self._columns)

    def row_number(self, row: int) -> int:
        return self._rows[row][0]

    def find_row(self, number: int) -> int | None:
        return next((i for i, (n, _) in enumerate(self._rows) if n == number), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        number, values = self._rows[index.row()]
        value = values.get(self._columns[index.column()])
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            chat = _messages(value)
            if chat is not None:
                return chat.replace(" ▸ ", "\n")[:3000]
            if isinstance(value, (list, dict)):
                return cell_text(json.dumps(value, ensure_ascii=False, indent=1), 3000) \
                    .replace(" ⏎ ", "\n")
            return cell_text(value, 3000).replace(" ⏎ ", "\n") or None
        if role == Qt.ItemDataRole.BackgroundRole and number in self._bad:
            return _PROBLEM
        if role == Qt.ItemDataRole.UserRole:
            return value
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Vertical:
                return str(self._rows[section][0]) if 0 <= section < len(self._rows) else None
            if 0 <= section < len(self._columns):
                column = self._columns[section]
                role_name = self._roles.get(column)
                return f"{column} [{role_name}]" if role_name else column
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self._columns):
                role_name = self._roles.get(self._columns[section])
                if role_name:
                    return self.tr("Read as the %1 column").replace("%1", role_name)
        return None
