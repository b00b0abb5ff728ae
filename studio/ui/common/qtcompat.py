"""Workarounds for bugs in the Qt binding, applied once at start-up (app and tests).

PySide6 6.12.0 drops references to Python's ``None``, ``True`` and ``False``: ``Signal.emit``
returns ``True`` without taking a reference, and ``None`` crossing a QVariant loses one (a
model's ``data()`` returning ``None`` to a view, ``QComboBox.currentData()`` with no data,
``QStandardItem.setData(None)``). On Python 3.11 those singletons are reference counted, so a
few thousand emits or repaints abort the process: "Fatal Python error: bool_dealloc" or
"none_dealloc". PySide6 6.11.3 does not do this. Python 3.12 made the singletons immortal;
``apply()`` does the same on 3.11 by giving them a reference count that cannot run out.
"""

from __future__ import annotations

import ctypes
import sys

_BIG = 1 << 40      # billions of lost references before anything can happen
_applied = False


def affected() -> bool:
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    import PySide6

    return tuple(PySide6.__version_info__[:2]) == (6, 12)


def apply() -> bool:
    """Make None/True/False immortal where the binding loses references to them. Returns
    whether anything was done."""
    global _applied
    if _applied or not affected():
        return False
    for singleton in (None, True, False):
        # ob_refcnt is the first field of every CPython object
        ctypes.c_ssize_t.from_address(id(singleton)).value += _BIG
    _applied = True
    return True
