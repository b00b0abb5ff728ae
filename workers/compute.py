"""One long-lived Python thread for the MindSpore work done inside the window's process (the
Playground: loading, generating, classifying).

Pool jobs run on QThreadPool threads, and PySide gives each job a fresh Python thread state
that is deleted when the job returns. MindSpore keeps the thread state it first saw on a
thread and takes the GIL with it when some of its objects are freed; once a job had ended,
the next tensor operation on that pooled thread (loading a second model, merging an adapter)
waited forever for the dead state's GIL, or crashed. A plain ``threading.Thread`` keeps one
thread state for its whole life, so every compute job goes through this one.

``@on_compute_thread`` makes a function (or generator function) run there while its caller,
a pool job, waits: signals, errors and aborts work as before.
"""

from __future__ import annotations

import functools
import inspect
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class ComputeThread:
    def __init__(self, name: str = "studio-compute"):
        self.name = name
        self._jobs: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def ident(self) -> int | None:
        return self._thread.ident if self._thread is not None else None

    def submit(self, job: Callable[[], None]) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name=self.name,
                                                daemon=True)
                self._thread.start()
        self._jobs.put(job)

    def _serve(self) -> None:
        while True:
            self._jobs.get()()   # each job catches its own exceptions

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``fn(*args, **kwargs)`` on the thread; its result, or its exception raised here."""
        if threading.get_ident() == self.ident:
            return fn(*args, **kwargs)
        box: queue.Queue = queue.Queue(maxsize=1)

        def job() -> None:
            try:
                box.put((True, fn(*args, **kwargs)))
            except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
                box.put((False, exc))

        self.submit(job)
        ok, value = box.get()
        if not ok:
            raise value
        return value

    def iterate(self, fn: Callable[..., Iterator[Any]], *args: Any,
                **kwargs: Any) -> Iterator[Any]:
        """Iterate the generator ``fn(*args, **kwargs)`` on the thread, yielding its items
        here. Closing this iterator closes that generator after its current item."""
        # One item in flight, as a generator would: the producer runs at most one item ahead
        # and notices an abandoned consumer while it waits.
        items: queue.Queue = queue.Queue(maxsize=1)
        abandoned = threading.Event()
        end = object()

        def hand_over(entry: tuple[bool, Any]) -> bool:
            while not abandoned.is_set():
                try:
                    items.put(entry, timeout=0.05)
                    return True
                except queue.Full:
                    continue
            return False

        def job() -> None:
            try:
                generator = fn(*args, **kwargs)
                try:
                    for item in generator:
                        if not hand_over((True, item)):
                            break
                finally:
                    generator.close()
                hand_over((True, end))
            except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
                hand_over((False, exc))

        self.submit(job)
        try:
            while True:
                ok, item = items.get()
                if not ok:
                    raise item
                if item is end:
                    return
                yield item
        finally:
            abandoned.set()


compute_thread = ComputeThread()


def on_compute_thread(fn: F) -> F:
    """Run ``fn`` on the process's compute thread (see the module docstring)."""
    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def iterate(*args: Any, **kwargs: Any) -> Iterator[Any]:
            return compute_thread.iterate(fn, *args, **kwargs)
        return iterate  # type: ignore[return-value]

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        return compute_thread.call(fn, *args, **kwargs)
    return call  # type: ignore[return-value]
