"""Help > About: the versions of the studio and of the stack it runs on, and the device.

The window process never imports MindSpore, mindnlp or torch: package versions come from
``importlib.metadata`` (the bundle carries the ``.dist-info`` folders) and the device line
from the window's device probe child (``peft-studio devices --json``)."""

from __future__ import annotations

import importlib.metadata as metadata
import platform
from typing import Any

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio import __version__

# (row label, distribution name)
STACK = (("MindSpore", "mindspore"), ("mindnlp", "mindnlp"), ("transformers", "transformers"),
         ("peft", "peft"))


def package_version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


class AboutDialog(QDialog):
    def __init__(self, devices: dict[str, Any] | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About PEFT Studio"))
        title = QLabel(self.tr("<h3>PEFT Studio %1</h3><p>Parameter-efficient fine-tuning of "
                               "Hugging Face models on MindSpore, with a window or headless "
                               "(<code>peft-studio train</code>).</p>").replace("%1", __version__))
        title.setWordWrap(True)
        title.setTextFormat(Qt.TextFormat.RichText)
        self.table = QTreeWidget()
        self.table.setObjectName("aboutVersions")
        self.table.setHeaderLabels([self.tr("Component"), self.tr("Version")])
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        for name, value in self.rows(devices):
            QTreeWidgetItem(self.table, [name, value])
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # read-only: no focus frame
        self.table.setColumnWidth(0, self.table.sizeHintForColumn(0) + 24)
        # As tall as its rows: a short list with no scroll bar and no empty space under it
        rows_height = sum(self.table.sizeHintForRow(i) if self.table.sizeHintForRow(i) > 0
                          else self.fontMetrics().height() + 4
                          for i in range(self.table.topLevelItemCount()))
        self.table.setFixedHeight(rows_height + self.table.header().sizeHint().height()
                                  + 2 * self.table.frameWidth() + 4)
        self.table.setMinimumWidth(460)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        copy = QPushButton(self.tr("Copy"))
        copy.setToolTip(self.tr("Copy the versions, e.g. for a bug report"))
        copy.clicked.connect(self.copy)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.table)
        layout.addWidget(buttons)

    def rows(self, devices: dict[str, Any] | None) -> list[tuple[str, str]]:
        missing = self.tr("not installed")
        rows = [("PEFT Studio", __version__)]
        rows += [(label, package_version(dist) or missing) for label, dist in STACK]
        rows += [("Qt", self.tr("%1 (PySide6 %2)").replace("%1", qVersion())
                  .replace("%2", PySide6.__version__)),
                 ("Python", platform.python_version()),
                 (self.tr("Device"), self.device_text(devices))]
        return rows

    def device_text(self, info: dict[str, Any] | None) -> str:
        """The device probe's answer in words."""
        if info is None:
            return self.tr("being probed…")
        if "error" in info:
            return self.tr("unknown (%1)").replace("%1", str(info["error"]))
        names = [label for key, label in (("ascend", "Ascend"), ("gpu", "GPU"), ("cpu", "CPU"))
                 if info.get(key)]
        return ", ".join(names) or self.tr("none")

    def text(self) -> str:
        """The table as plain lines."""
        return "\n".join(f"{self.table.topLevelItem(i).text(0)}: "
                         f"{self.table.topLevelItem(i).text(1)}"
                         for i in range(self.table.topLevelItemCount()))

    def copy(self) -> None:
        QApplication.clipboard().setText(self.text())
