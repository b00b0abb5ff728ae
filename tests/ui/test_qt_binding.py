"""The pinned Qt binding must not leak references to None/True (PySide6 6.12.0 did: every
void method call dropped one reference to None and the process aborted with none_dealloc)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel


class _Emitter(QObject):
    sig = Signal(bool)


def test_void_calls_and_emits_keep_refcounts(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    emitter = _Emitter()
    got: list[bool] = []
    emitter.sig.connect(got.append)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(500):
        label.setText("x")
        emitter.sig.emit(True)
    got.clear()
    assert abs(sys.getrefcount(None) - none_before) < 50
    assert abs(sys.getrefcount(True) - true_before) < 50
