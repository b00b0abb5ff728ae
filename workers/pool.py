"""Short background jobs on Qt's global thread pool (scan a dataset, inspect a model, read
the store, stream generated tokens), in the manner of superqt's ``FunctionWorker``.

``start(fn, *args, **kwargs)`` runs ``fn`` on a pool thread and returns a worker whose
``signals`` are ``started``, ``returned(object)``, ``errored(object)`` (the exception, with
``__traceback__``), ``yielded(object)`` (for generator functions) and ``finished``. Connect
them before the job can emit by passing ``returned=...`` etc. to ``start``. Worker code never
touches widgets: it returns data and the slots, on the GUI thread, show it.
"""

from __future__ import annotations

import inspect
import threading
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

_live: set["FunctionWorker"] = set()   # keep Python wrappers alive until they finish
_live_lock = threading.Lock()


class WorkerSignals(QObject):
    started = Signal()
    returned = Signal(object)
    errored = Signal(object)
    yielded = Signal(object)
    finished = Signal()


class FunctionWorker(QRunnable):
    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any):
        super().__init__()
        self.setAutoDelete(False)
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.signals = WorkerSignals()
        self._abort = threading.Event()

    def quit(self) -> None:
        """Ask a generator job to stop after its current item."""
        self._abort.set()

    @property
    def abort_requested(self) -> bool:
        return self._abort.is_set()

    def run(self) -> None:  # runs on a pool thread
        self.signals.started.emit()
        try:
            result = self.fn(*self.args, **self.kwargs)
            if inspect.isgenerator(result):
                for item in result:
                    if self._abort.is_set():
                        result.close()
                        break
                    self.signals.yielded.emit(item)
                self.signals.returned.emit(None)
            else:
                self.signals.returned.emit(result)
        except Exception as exc:  # noqa: BLE001 - every error goes to the errored signal
            self.signals.errored.emit(exc)
        finally:
            self.signals.finished.emit()
            with _live_lock:
                _live.discard(self)


def start(fn: Callable[..., Any], *args: Any, pool: QThreadPool | None = None,
          started: Callable | None = None, returned: Callable | None = None,
          errored: Callable | None = None, yielded: Callable | None = None,
          finished: Callable | None = None, **kwargs: Any) -> FunctionWorker:
    worker = FunctionWorker(fn, *args, **kwargs)
    for name, slot in (("started", started), ("returned", returned), ("errored", errored),
                       ("yielded", yielded), ("finished", finished)):
        if slot is not None:
            getattr(worker.signals, name).connect(slot)
    with _live_lock:
        _live.add(worker)
    (pool or QThreadPool.globalInstance()).start(worker)
    return worker
