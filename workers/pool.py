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
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

_live: set[FunctionWorker] = set()   # keep Python wrappers alive until they finish
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


def guarded(owner: QObject, slot: Callable[..., None]) -> Callable[..., None]:
    """A callback that does nothing once ``owner``'s C++ object is gone: a job may outlive
    the widget that started it, and a lambda is not disconnected when its widget dies."""
    def call(*args: Any) -> None:
        if shiboken6.isValid(owner):
            slot(*args)

    return call


def _owner_of(slots: tuple[Callable | None, ...]) -> QObject | None:
    for slot in slots:
        owner = getattr(slot, "__self__", None)
        if isinstance(owner, QObject):
            return owner
    return None


def start(fn: Callable[..., Any], *args: Any, pool: QThreadPool | None = None,
          started: Callable | None = None, returned: Callable | None = None,
          errored: Callable | None = None, yielded: Callable | None = None,
          finished: Callable | None = None, owner: QObject | None = None,
          **kwargs: Any) -> FunctionWorker:
    """``owner`` (default: the QObject of the first bound-method slot) guards every slot:
    callbacks arriving after it was deleted are dropped instead of raising."""
    worker = FunctionWorker(fn, *args, **kwargs)
    slots = (started, returned, errored, yielded, finished)
    owner = owner if owner is not None else _owner_of(slots)
    for name, slot in zip(("started", "returned", "errored", "yielded", "finished"), slots):
        if slot is not None:
            getattr(worker.signals, name).connect(guarded(owner, slot) if owner else slot)
    with _live_lock:
        _live.add(worker)
    (pool or QThreadPool.globalInstance()).start(worker)
    return worker
