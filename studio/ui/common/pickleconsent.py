"""The "Allow pickle weights" checkbox, with its warning, wherever a model is chosen (Model,
Playground, Export): one widget, one wording. What it allows is decided in
``studio.core.weightsafety``; this only asks."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget


class PickleConsent(QWidget):
    sig_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.check = QCheckBox(self.tr("Allow pickle weights (.bin, .pt)"), self)
        self.check.setObjectName("allowPickleWeights")
        self.check.setToolTip(self.tr(
            "Model and adapter folders are read as safetensors only. Some older folders hold "
            "their weights only as pickle files (pytorch_model.bin, adapter_model.bin, *.pt), "
            "which can run code when they are loaded."))
        self.warning = QLabel(self.tr(
            "A pickle file can run any code its author put in it. Allow this only for files "
            "from a source you trust; they are read by a loader that accepts tensors only. "
            "Better: convert them to safetensors."), self)
        self.warning.setObjectName("pickleWarning")
        self.warning.setWordWrap(True)
        self.warning.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.check)
        layout.addWidget(self.warning)
        self.check.toggled.connect(self._on_toggled)

    def allowed(self) -> bool:
        return self.check.isChecked()

    def set_allowed(self, allowed: bool) -> None:
        self.check.setChecked(bool(allowed))

    def _on_toggled(self, checked: bool) -> None:
        self.warning.setVisible(checked)
        self.sig_changed.emit(checked)
