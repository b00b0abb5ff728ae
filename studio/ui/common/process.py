"""Short-lived child processes owned by widgets (the device probe, the token counter).

A ``QProcess`` still running when its owner is destroyed is killed by its own destructor,
which then emits ``finished``: a slot reading that half-deleted process raises "Internal C++
object already deleted". So owners end their children on close with :func:`end_process`
(signals blocked first, nothing reaches a slot), and slots check :func:`alive` first.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, QProcess


def alive(obj: QObject | None) -> bool:
    """The Python wrapper still has its C++ object (not deleted, not being deleted)."""
    return obj is not None and shiboken6.isValid(obj)


def end_process(process: QProcess | None, wait_ms: int = 1000) -> None:
    """Kill a child whose result nobody wants any more and schedule its deletion. Safe to call
    twice, on ``None`` and on an already deleted process."""
    if not alive(process):
        return
    assert process is not None
    process.blockSignals(True)
    if process.state() != QProcess.ProcessState.NotRunning:
        process.kill()
        process.waitForFinished(wait_ms)
    process.deleteLater()
