"""Problems found in a data file, shown as a list: what is wrong, where, and what to do.

The core names rows inside its messages ("at lines 3, 7 and 2 more of data.csv"); the row
numbers are read back out so a double click can select the row in the preview.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from studio.ui.common.messages import message_text

_ROWS = re.compile(r"\b(?:rows?|lines?|records?) ((?:\d+)(?:, \d+)*)")
ROWS_ROLE = Qt.ItemDataRole.UserRole
PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 1


# Called by this name (not a wrapper taking only the text) so that lupdate sees the context.
translate = QCoreApplication.translate


def rows_of(problem: dict[str, Any]) -> list[int]:
    """Row or line numbers named in a problem (its message, or a ``row`` key)."""
    if isinstance(problem.get("row"), int):
        return [problem["row"]]
    match = _ROWS.search(problem.get("message") or "")
    return [int(n) for n in match.group(1).split(", ")] if match else []


def explain(problem: dict[str, Any]) -> str:
    """A plain sentence on what the problem means and what to do about it."""
    field, message = problem.get("field") or "", problem.get("message") or ""
    if field == "dataset.path":
        return translate("DataProblems", "The file could not be read. Check that it is a data "
                         "file of the chosen type, and its encoding and delimiter.")
    if field == "dataset.validation_path":
        return translate("DataProblems", "The validation file must hold the same kind of data, "
                         "with the same columns and labels, as the training file.")
    if field == "dataset.format":
        return translate("DataProblems", "The format could not be told from the column names. "
                         "Pick the format and map the columns on the left.")
    if field == "task":
        return translate("DataProblems", "This kind of data does not fit the task the model "
                         "would train; choose another format or another model.")
    if "distinct labels" in message:
        return translate("DataProblems", "A classifier learns to tell classes apart, so it needs "
                         "examples of at least two different labels.")
    if field == "dataset.labels":
        return translate("DataProblems", "These rows use a label that is not in the label list. "
                         "Add it to Labels, or fix the rows.")
    if field == "dataset.label_column":
        return translate("DataProblems", "Every row needs exactly one label: a word or a number, "
                         "not empty and not a list.")
    if field == "dataset.messages_column":
        return translate("DataProblems", "A chat row needs a list of messages, each with a role "
                         "and some content, and at least one assistant reply to learn from.")
    if field in ("dataset.tokens_column", "dataset.tags_column"):
        return translate("DataProblems", "A token-classification row needs a list of words and "
                         "exactly one tag for each word.")
    if "not found" in message:
        return translate("DataProblems", "The column chosen for this role does not exist in the "
                         "file; pick another one or leave it on automatic.")
    if "empty value" in message:
        return translate("DataProblems", "These rows have no text in that column. Fill it in or "
                         "remove the rows: an empty example teaches the model nothing.")
    if "where text was expected" in message:
        return translate("DataProblems", "This column should hold plain text, but these rows "
                         "hold a list or an object.")
    if field.endswith("_column"):
        return translate("DataProblems", "No column could be found for this role. Choose it on "
                         "the left.")
    return ""


class ProblemList(QListWidget):
    """One item per problem; ``sig_row_requested(int)`` on double click of a located one."""

    sig_row_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("problemList")
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setSpacing(3)
        self.itemDoubleClicked.connect(self._on_double_clicked)

    def set_problems(self, problems: list[dict[str, Any]]) -> None:
        self.clear()
        if not problems:
            item = QListWidgetItem(self.tr("No problems found."))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item.setForeground(QBrush(QColor(46, 125, 50)))
            self.addItem(item)
            return
        for problem in problems:
            lines = [message_text(problem.get("message"))]
            details = []
            if problem.get("expected"):
                details.append(self.tr("expected %1").replace(
                    "%1", message_text(problem["expected"])))
            if problem.get("found"):
                details.append(self.tr("found %1").replace("%1", message_text(problem["found"])))
            if details:
                lines[0] += " (" + "; ".join(details) + ")"
            explanation = explain(problem)
            if explanation:
                lines.append("→ " + explanation)
            item = QListWidgetItem("\n".join(lines))
            item.setData(ROWS_ROLE, rows_of(problem))
            item.setData(PROBLEM_ROLE, problem)
            tip = problem.get("field") or ""
            if rows_of(problem):
                tip += "\n" + self.tr("Double-click to show the row in the preview.")
            item.setToolTip(tip)
            self.addItem(item)

    def problem_count(self) -> int:
        return sum(1 for i in range(self.count()) if self.item(i).data(PROBLEM_ROLE))

    def _on_double_clicked(self, item: QListWidgetItem) -> None:
        rows = item.data(ROWS_ROLE) or []
        if rows:
            self.sig_row_requested.emit(int(rows[0]))
