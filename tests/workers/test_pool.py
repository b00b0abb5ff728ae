"""Pool jobs: results reach the GUI thread; a job outliving its widget is dropped quietly."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QWidget

from workers import pool


class Page(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.got: list[object] = []

    def on_result(self, value: object) -> None:
        self.got.append(value)


def test_returned_and_yielded_reach_their_slots(qtbot):
    page = Page()
    qtbot.addWidget(page)
    items: list[int] = []
    worker = pool.start(lambda: (i for i in range(3)), yielded=items.append,
                        returned=page.on_result)
    qtbot.waitUntil(lambda: page.got == [None], timeout=5000)
    assert items == [0, 1, 2] and worker.abort_requested is False


def test_errors_go_to_errored(qtbot):
    errors: list[BaseException] = []

    def boom() -> None:
        raise ValueError("bad input")

    pool.start(boom, errored=errors.append)
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=5000)
    assert str(errors[0]) == "bad input"


def test_callbacks_after_the_owner_is_deleted_are_dropped(qtbot):
    gate = threading.Event()
    page = Page()
    calls: list[object] = []
    # A lambda slot guarded through the bound-method slot beside it (the owner is inferred).
    pool.start(lambda: gate.wait(5) or "late", returned=lambda v: calls.append(page.got),
               errored=page.on_result)
    page.deleteLater()
    qtbot.wait(50)
    gate.set()
    assert QThreadPool.globalInstance().waitForDone(5000)
    qtbot.wait(50)   # deliver the queued signals
    assert calls == []
