"""Small editors shared by the method and training forms."""

from __future__ import annotations

import math
import re
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

INT_MAX = 2**31 - 1
_REGEX_CHARS = set("*+?[](){}|^$\\")


class SciSpinBox(QDoubleSpinBox):
    """A number box that shows 1e-04 as 0.0001 or 1e-05, accepts scientific notation, and
    (with ``log_steps``) steps through 1, 2, 5, 10, 20, ... as learning rates are tuned."""

    def __init__(self, minimum: float, maximum: float, log_steps: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.log_steps = log_steps
        self.setDecimals(12)  # keep the value exact; text is formatted below
        self.setRange(minimum, maximum)
        self.setKeyboardTracking(False)
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt override
        text = f"{value:.6g}"
        return text.replace("e-0", "e-").replace("e+0", "e+")

    def valueFromText(self, text: str) -> float:  # noqa: N802
        try:
            return float(text.strip())
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int) -> object:
        stripped = text.strip()
        if not stripped or stripped in ("-", "+", ".") or stripped.endswith(("e", "e-", "e+")):
            return QValidator.State.Intermediate, text, pos
        try:
            value = float(stripped)
        except ValueError:
            return QValidator.State.Invalid, text, pos
        if not math.isfinite(value):
            return QValidator.State.Invalid, text, pos
        if not self.minimum() <= value <= self.maximum():
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Acceptable, text, pos

    def stepBy(self, steps: int) -> None:  # noqa: N802
        if not self.log_steps:
            super().stepBy(steps)
            return
        value = self.value()
        for _ in range(abs(steps)):
            value = _nice_step(value, up=steps > 0)
        self.setValue(min(max(value, self.minimum()), self.maximum()))


def _nice_step(value: float, up: bool) -> float:
    """The next value of the 1-2-5 sequence above or below ``value``."""
    if value <= 0:
        return 1e-6 if up else 0.0
    exponent = math.floor(math.log10(value))
    candidates = [m * 10.0 ** e for e in (exponent - 1, exponent, exponent + 1)
                  for m in (1, 2, 5)]
    if up:
        return min(c for c in candidates if c > value * (1 + 1e-9))
    lower = [c for c in candidates if c < value * (1 - 1e-9)]
    return max(lower) if lower else value / 10


def int_spin(minimum: float | None, maximum: float | None, none_text: str | None = None,
             parent: QWidget | None = None) -> QSpinBox:
    """A whole-number box; with ``none_text`` the value below ``minimum`` means "not set"."""
    spin = QSpinBox(parent)
    low = int(minimum) if minimum is not None else -INT_MAX
    high = int(maximum) if maximum is not None else INT_MAX
    if none_text is not None:
        low -= 1
        spin.setSpecialValueText(none_text)
    spin.setRange(low, high)
    spin.setProperty("noneValue", low if none_text is not None else None)
    spin.setKeyboardTracking(False)
    spin.setAccelerated(True)
    return spin


def spin_value(spin: QSpinBox) -> int | None:
    none = spin.property("noneValue")
    return None if none is not None and spin.value() == none else spin.value()


def set_spin_value(spin: QSpinBox, value: int | None) -> None:
    none = spin.property("noneValue")
    spin.setValue(none if value is None and none is not None else int(value or 0))


def set_combo_data(combo: QComboBox, value: Any) -> bool:
    index = combo.findData(value) if value is not None else next(
        (i for i in range(combo.count()) if combo.itemData(i) is None), -1)
    if index < 0 and isinstance(value, str):  # choices match case-insensitively
        index = next((i for i in range(combo.count())
                      if str(combo.itemData(i)).lower() == value.lower()), -1)
    if index >= 0:
        combo.setCurrentIndex(index)
    return index >= 0


def format_modules(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def parse_modules(text: str) -> list[str] | str | None:
    """'q_proj, v_proj' -> a list; text with regex syntax -> one regular expression."""
    text = text.strip()
    if not text:
        return None
    if _REGEX_CHARS & set(text):
        return text
    parts = [p for p in re.split(r"[,\s]+", text) if p]
    return parts or None


def parse_list(text: str) -> list[str] | None:
    parts = [p for p in re.split(r"[,\s]+", text.strip()) if p]
    return parts or None


class WheelGuard(QObject):
    """Scrolling a long form must not change the number box under the pointer."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Wheel and isinstance(obj, (QAbstractSpinBox, QComboBox)) \
                and not obj.hasFocus():
            event.ignore()
            return True
        return False


def guard_wheel(widget: QWidget, guard: WheelGuard) -> None:
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    widget.installEventFilter(guard)


def make_form() -> QFormLayout:
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    form.setHorizontalSpacing(10)
    form.setVerticalSpacing(6)
    return form


class Collapsible(QWidget):
    """A header button that shows or hides a body (the "Advanced" part of a form)."""

    sig_toggled = Signal(bool)

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.button = QToolButton(self)
        self.button.setObjectName("collapsibleHeader")
        self.button.setText(title)
        self.button.setCheckable(True)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.setArrowType(Qt.ArrowType.RightArrow)
        self.button.setAutoRaise(True)
        self.body = QWidget(self)
        self.body.setVisible(False)
        self.body.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.button)
        layout.addWidget(self.body)
        self.button.toggled.connect(self._on_toggled)

    def set_expanded(self, expanded: bool) -> None:
        self.button.setChecked(expanded)

    def is_expanded(self) -> bool:
        return self.button.isChecked()

    def _on_toggled(self, expanded: bool) -> None:
        self.button.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)
        self.sig_toggled.emit(expanded)
