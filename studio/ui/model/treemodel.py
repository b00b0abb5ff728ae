"""The module tree as a Qt item model: one row per module, checkable leaves, tri-state parents.

Nodes are built from the dotted names of ``modeltree.ModuleEntry``; each container keeps how
many of its leaves are checked, so a parent's state is read in O(1) and a toggle updates only
the path to the root.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from studio.core.modeltree import ModuleEntry

Index = QModelIndex | QPersistentModelIndex
_MUTED = QBrush(QColor(128, 128, 128))


class _Node:
    __slots__ = (
        "by_name",
        "checked",
        "children",
        "entry",
        "full",
        "n_checked",
        "n_leaves",
        "name",
        "parent",
        "row",
    )

    def __init__(self, name: str, full: str, parent: _Node | None):
        self.name, self.full, self.parent = name, full, parent
        self.children: list[_Node] = []
        self.by_name: dict[str, _Node] = {}
        self.entry: ModuleEntry | None = None
        self.checked = False
        self.n_leaves = self.n_checked = 0
        self.row = 0

    @property
    def is_leaf(self) -> bool:
        return not self.children


class ModuleTreeModel(QAbstractItemModel):
    """Columns: module, kind, weight shape, parameters. ``sig_toggled`` fires when a check
    box changes through ``setData`` (the view), not on ``set_checked``."""

    sig_toggled = Signal()
    COLUMNS = 4

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._root = _Node("", "", None)
        self._leaves: dict[str, _Node] = {}
        self._checkable = True

    # ---- content ---------------------------------------------------------------------------
    def set_entries(self, entries: Iterable[ModuleEntry]) -> None:
        self.beginResetModel()
        self._root = _Node("", "", None)
        self._leaves = {}
        for entry in entries:
            node = self._root
            parts = entry.name.split(".")
            for i, part in enumerate(parts):
                child = node.by_name.get(part)
                if child is None:
                    child = _Node(part, ".".join(parts[: i + 1]), node)
                    child.row = len(node.children)
                    node.children.append(child)
                    node.by_name[part] = child
                node = child
            node.entry = entry
        self._collect(self._root)
        self.endResetModel()

    def _collect(self, node: _Node) -> None:
        for child in node.children:
            if child.is_leaf:
                self._leaves[child.full] = child
            else:
                self._collect(child)
        self._recount(node)

    def _recount(self, node: _Node) -> None:
        if node.is_leaf:
            return
        node.n_leaves = sum(1 if c.is_leaf else c.n_leaves for c in node.children)
        node.n_checked = sum((1 if c.checked else 0) if c.is_leaf else c.n_checked
                             for c in node.children)

    def leaf_names(self) -> list[str]:
        return list(self._leaves)

    def entry(self, name: str) -> ModuleEntry | None:
        node = self._leaves.get(name)
        return node.entry if node else None

    def checked_names(self) -> list[str]:
        return [name for name, node in self._leaves.items() if node.checked]

    def set_checkable(self, checkable: bool) -> None:
        if checkable != self._checkable:
            self._checkable = checkable
            self._emit_all()

    def is_checkable(self) -> bool:
        return self._checkable

    def set_checked(self, names: Iterable[str]) -> None:
        """Check exactly ``names`` (others unchecked), without ``sig_toggled``."""
        wanted = set(names)
        for name, node in self._leaves.items():
            node.checked = name in wanted
        self._recount_all(self._root)
        self._emit_all()

    def _recount_all(self, node: _Node) -> None:
        for child in node.children:
            if not child.is_leaf:
                self._recount_all(child)
        self._recount(node)

    # ---- change notification ---------------------------------------------------------------
    def _emit_range(self, node: _Node) -> None:
        if node.children:
            first = self.createIndex(0, 0, node.children[0])
            last = self.createIndex(len(node.children) - 1, 0, node.children[-1])
            self.dataChanged.emit(first, last, [Qt.ItemDataRole.CheckStateRole])

    def _emit_subtree(self, node: _Node) -> None:
        self._emit_range(node)
        for child in node.children:
            if not child.is_leaf:
                self._emit_subtree(child)

    def _emit_all(self) -> None:
        self._emit_subtree(self._root)

    def _set_subtree(self, node: _Node, checked: bool) -> None:
        if node.is_leaf:
            node.checked = checked
            return
        for child in node.children:
            self._set_subtree(child, checked)
        self._recount(node)

    # ---- QAbstractItemModel ----------------------------------------------------------------
    def _node(self, index: Index) -> _Node:
        return index.internalPointer() if index.isValid() else self._root

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        node = self._node(parent)
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        if 0 <= row < len(node.children) and 0 <= column < self.COLUMNS:
            return self.createIndex(row, column, node.children[row])
        return QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        node = index.internalPointer().parent
        if node is None or node is self._root:
            return QModelIndex()
        return self.createIndex(node.row, 0, node)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return self.COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Module"), self.tr("Kind"), self.tr("Shape (in → out)"),
                    self.tr("Parameters"))[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0 and self._checkable:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
            if not self._node(index).is_leaf:
                flags |= Qt.ItemFlag.ItemIsAutoTristate
        return flags

    def _state(self, node: _Node) -> Qt.CheckState:
        if node.is_leaf:
            return Qt.CheckState.Checked if node.checked else Qt.CheckState.Unchecked
        if node.n_checked == 0:
            return Qt.CheckState.Unchecked
        if node.n_checked == node.n_leaves:
            return Qt.CheckState.Checked
        return Qt.CheckState.PartiallyChecked

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node, column = self._node(index), index.column()
        entry = node.entry if node.is_leaf else None
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return node.name
            if entry is None:
                if column == 3 and not node.is_leaf:
                    return (self.tr("1 module") if node.n_leaves == 1 else
                            self.tr("%1 modules").replace("%1", str(node.n_leaves)))
                return None
            if column == 1:
                return self._kind_text(entry)
            if column == 2:
                if entry.in_features and entry.out_features and entry.is_linear:
                    return f"{entry.in_features} → {entry.out_features}"
                return " × ".join(str(d) for d in entry.shape) if entry.shape else ""
            if column == 3:
                return f"{entry.params:,}" if entry.shape else ""
            return None
        if role == Qt.ItemDataRole.CheckStateRole and column == 0 and self._checkable:
            return self._state(node)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(node)
        if role == Qt.ItemDataRole.ForegroundRole and entry is not None and column > 0:
            return None if entry.is_linear else _MUTED
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return node.full
        return None

    def _kind_text(self, entry: ModuleEntry) -> str:
        kinds = {"linear": self.tr("linear"), "conv1d": self.tr("linear (Conv1D)"),
                 "embedding": self.tr("embedding"), "norm": self.tr("norm"),
                 "conv": self.tr("convolution"), "other": self.tr("other"),
                 "unknown": self.tr("name only")}
        text = kinds.get(entry.kind_guess, entry.kind_guess)
        return self.tr("%1, tied").replace("%1", text) if entry.tied else text

    def _tooltip(self, node: _Node) -> str:
        entry = node.entry if node.is_leaf else None
        if entry is None:
            return node.full
        if entry.in_features and entry.out_features:
            return self.tr("%1\nin %2 → out %3").replace("%1", node.full).replace(
                "%2", str(entry.in_features)).replace("%3", str(entry.out_features))
        return node.full

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802 - Qt override
        if (role != Qt.ItemDataRole.CheckStateRole or not index.isValid()
                or index.column() != 0 or not self._checkable):
            return False
        state = Qt.CheckState(value) if not isinstance(value, Qt.CheckState) else value
        checked = state != Qt.CheckState.Unchecked
        node = self._node(index)
        self._set_subtree(node, checked)
        ancestor = node.parent
        while ancestor is not None:
            self._recount(ancestor)
            ancestor = ancestor.parent
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self._emit_subtree(node)
        ancestor = node.parent
        while ancestor is not None and ancestor is not self._root:
            idx = self.createIndex(ancestor.row, 0, ancestor)
            self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.CheckStateRole])
            ancestor = ancestor.parent
        self.sig_toggled.emit()
        return True

    def initial_expansion(self, small: int = 60) -> list[QModelIndex]:
        """Containers to expand on load: all of them for a small model; otherwise everything
        except the repeated blocks after the first (layers 1, 2, ... stay folded)."""
        out: list[QModelIndex] = []

        def walk(node: _Node) -> None:
            numbered = [c for c in node.children if c.name.isdigit()]
            for child in node.children:
                if child.is_leaf:
                    continue
                if (self._root.n_leaves > small and len(numbered) > 1
                        and child in numbered and child is not numbered[0]):
                    continue
                out.append(self.createIndex(child.row, 0, child))
                walk(child)

        walk(self._root)
        return out
