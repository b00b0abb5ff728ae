"""@on_compute_thread: functions and generator functions run on the process's compute thread."""

from __future__ import annotations

import threading

from workers.compute import on_compute_thread


def test_decorator_keeps_the_kind_of_function():
    @on_compute_thread
    def where():
        return threading.current_thread().name

    @on_compute_thread
    def names():
        yield threading.current_thread().name

    assert where() == "studio-compute" and list(names()) == ["studio-compute"]
    assert where.__name__ == "where"
