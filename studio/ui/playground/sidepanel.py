"""The Playground's side panel: the base model and device, the adapters, Load and Serve,
what is loaded, sampling and the tools. It renders the page's state; the page connects its
buttons."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from studio.core.playground import AdapterEntry
from studio.ui.common import icons
from studio.ui.common.pickleconsent import PickleConsent

from .sampling import SamplingBox
from .toolseditor import ToolsEditor


def human(n: float, unit: str = "") -> str:
    for suffix in ("", "K", "M", "G", "T"):
        if abs(n) < 1000:
            return f"{n:.3g}{suffix}{unit}"
        n /= 1000
    return f"{n:.3g}P{unit}"


class SidePanel(QScrollArea):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        side = QWidget()
        layout = QVBoxLayout(side)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.addWidget(self._model_box())
        layout.addWidget(self._adapter_box())
        layout.addLayout(self._load_row())

        loaded = QGroupBox(self.tr("Loaded"))
        info_layout = QVBoxLayout(loaded)
        self.info_label = QLabel(self.tr("—"))
        self.info_label.setObjectName("loadedInfo")
        self.info_label.setWordWrap(True)
        # A long model path must not widen the panel (and the window): it wraps, or is cut.
        self.info_label.setSizePolicy(QSizePolicy.Policy.Ignored,
                                      QSizePolicy.Policy.Preferred)
        self.info_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        info_layout.addWidget(self.info_label)
        layout.addWidget(loaded)

        self.sampling = SamplingBox()
        layout.addWidget(self.sampling)
        self.tools_editor = ToolsEditor()
        layout.addWidget(self.tools_editor)
        layout.addStretch(1)

        self.setWidgetResizable(True)
        self.setWidget(side)
        # Wide enough for the panel and a vertical scroll bar: it scrolls down, never sideways.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(max(300, side.minimumSizeHint().width()
                                 + self.verticalScrollBar().sizeHint().width()
                                 + 2 * self.frameWidth()))

    def _model_box(self) -> QGroupBox:
        model = QGroupBox(self.tr("Base model"))
        model_layout = QVBoxLayout(model)
        row = QHBoxLayout()
        self.base_combo = QComboBox()
        self.base_combo.setObjectName("baseModel")
        self.base_combo.setEditable(True)
        self.base_combo.lineEdit().setPlaceholderText(self.tr("Model folder or hub id"))
        self.base_combo.setMinimumContentsLength(12)
        # Sized by that length, not by the longest path in the list (it would widen the panel).
        self.base_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.browse_button = QPushButton(self.tr("Browse…"))
        row.addWidget(self.base_combo, 1)
        row.addWidget(self.browse_button)
        model_layout.addLayout(row)
        device_row = QHBoxLayout()
        device_row.addWidget(QLabel(self.tr("Device")))
        self.device_combo = QComboBox()
        self.device_combo.setObjectName("playgroundDevice")
        for key, label in (("auto", self.tr("Automatic")), ("ascend", "Ascend"),
                           ("gpu", "GPU"), ("cpu", "CPU")):
            self.device_combo.addItem(label, key)
        self.device_combo.setToolTip(self.tr("Where the model runs; a change takes effect at "
                                             "the next Load."))
        device_row.addWidget(self.device_combo, 1)
        model_layout.addLayout(device_row)
        self.pickle_consent = PickleConsent()
        model_layout.addWidget(self.pickle_consent)
        return model

    def _adapter_box(self) -> QGroupBox:
        group = QGroupBox(self.tr("Adapters"))
        box = QVBoxLayout(group)
        self.adapter_list = QListWidget()
        self.adapter_list.setObjectName("adapterList")
        self.adapter_list.setMaximumHeight(110)
        box.addWidget(self.adapter_list)
        buttons = QHBoxLayout()
        self.add_run_button = QPushButton(self.tr("Add from run…"))
        self.add_folder_button = QPushButton(self.tr("Add folder…"))
        self.remove_button = QPushButton(self.tr("Remove"))
        for button in (self.add_run_button, self.add_folder_button, self.remove_button):
            buttons.addWidget(button)
        box.addLayout(buttons)
        return group

    def _load_row(self) -> QHBoxLayout:
        load_row = QHBoxLayout()
        self.load_button = QPushButton(self.tr("Load"))
        self.load_button.setObjectName("loadButton")
        self.progress_label = QLabel(self.tr("Nothing loaded yet."))
        self.progress_label.setObjectName("hint")
        self.progress_label.setWordWrap(True)
        self.serve_button = QPushButton(icons.icon("serve"), self.tr("Serve…"))
        self.serve_button.setObjectName("serveButton")
        self.serve_button.setToolTip(self.tr("Serve this base model and these adapters over an "
                                             "OpenAI-compatible API on this computer"))
        load_row.addWidget(self.load_button)
        load_row.addWidget(self.progress_label, 1)
        load_row.addWidget(self.serve_button)
        return load_row

    # ---- rendering the page's state ---------------------------------------------------------
    def set_devices(self, info: dict[str, Any]) -> None:
        """What ``peft-studio devices --json`` reported ({"error": ...} when it failed): the
        devices MindSpore cannot use here are greyed out."""
        model = self.device_combo.model()
        for row in range(self.device_combo.count()):
            key = self.device_combo.itemData(row)
            usable = key == "auto" or "error" in info or bool(info.get(key))
            model.item(row).setEnabled(usable)
            model.item(row).setToolTip("" if usable else
                                       self.tr("not available on this machine"))
        if not model.item(self.device_combo.currentIndex()).isEnabled():
            self.device_combo.setCurrentIndex(0)

    def show_adapters(self, adapters: list[AdapterEntry], loaded: set[str]) -> None:
        self.adapter_list.clear()
        for entry in adapters:
            source = entry.source
            state = self.tr("loaded") if entry.name in loaded else self.tr("not loaded")
            item = QListWidgetItem(f"{entry.name} · {source.method or source.kind} · {state}")
            item.setToolTip(source.path)
            self.adapter_list.addItem(item)

    def show_info(self, info: dict[str, Any] | None) -> None:
        """What the loaded session reports (None: nothing is loaded)."""
        if info is None:
            self.info_label.setText(self.tr("—"))
            return
        lines = [self.tr("<b>Base:</b> %1").replace("%1", Path(info["base"]).name or info["base"]),
                 self.tr("<b>Task:</b> %1 · <b>device:</b> %2 · %3").replace(
                     "%1", str(info["task"])).replace("%2", str(info["device"]))
                 .replace("%3", str(info["dtype"] or "")),
                 self.tr("<b>Parameters:</b> %1 (+%2 in adapters)").replace(
                     "%1", human(info["parameters"])).replace(
                     "%2", human(info["adapter_parameters"])),
                 self.tr("<b>Memory:</b> about %1").replace(
                     "%1", human(info["memory_bytes"], "B"))]
        for adapter in info["adapters"]:
            params = adapter["parameters"]
            lines.append(f"• {adapter['name']} — {adapter['method_name']}"
                         + (f" ({human(params)})" if params else ""))
        if not info["adapters"]:
            lines.append(self.tr("No adapters: answers come from the base model."))
        self.info_label.setText("<br>".join(lines))
        self.info_label.setToolTip(info["base"])
