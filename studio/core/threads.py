"""Long-lived threads for MindSpore work.

MindSpore keeps the Python thread state of the thread that made some of its objects and
takes the GIL with it when they are freed later. After that thread (or, on a QThreadPool
thread, that job's state) has ended, the next tensor operation anywhere in the process
(loading another model, merging an adapter) hung for good or crashed. A thread that lives as
long as the process never leaves a dead thread state behind: ``LongLivedThread`` is one,
serving jobs from a queue. inference.streaming runs every ``generate`` on one; the serve
command runs its model's jobs on another; the Playground's inference child runs its session
on its main thread.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any


class LongLivedThread:
    """Runs submitted jobs one at a time on a thread started with the first and never ended."""

    def __init__(self, name: str):
        self.name = name
        self._jobs: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def ident(self) -> int | None:
        return self._thread.ident if self._thread is not None else None

    def submit(self, job: Callable[[], None]) -> threading.Event:
        """Run ``job`` on the thread; the returned event is set when it has finished."""
        done = threading.Event()
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name=self.name,
                                                daemon=True)
                self._thread.start()
        self._jobs.put((job, done))
        return done

    def _serve(self) -> None:
        while True:
            job, done = self._jobs.get()
            try:
                job()   # call() and iterate() jobs catch their own exceptions
            finally:
                done.set()

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
