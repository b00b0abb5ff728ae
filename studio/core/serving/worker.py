"""One model, one thread: jobs run in the order they arrive, and only so many may wait."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ..messages import msg
from ..threads import LongLivedThread


class QueueFullError(Exception):
    """Every place in the queue is taken; the caller should try again later."""


class ModelWorker:
    """Runs jobs one at a time on a long-lived thread (MindSpore needs one: see
    ``studio.core.threads``). At most ``queue_size`` jobs wait behind the running one;
    ``submit`` raises QueueFullError beyond that instead of letting requests pile up."""

    def __init__(self, queue_size: int = 16):
        if queue_size < 0:
            raise ValueError("queue_size cannot be negative")
        self.queue_size = queue_size
        self._thread = LongLivedThread("studio-serve")
        self._lock = threading.Lock()
        self._in_flight = 0

    @property
    def in_flight(self) -> int:
        """Jobs submitted and not yet finished (the running one included)."""
        return self._in_flight

    def submit(self, job: Callable[[], None]) -> threading.Event:
        """Queue ``job``; the event is set when it has finished. Raises QueueFullError."""
        with self._lock:
            if self._in_flight > self.queue_size:
                raise QueueFullError(msg("serving.busy", waiting=self._in_flight - 1))
            self._in_flight += 1

        def run() -> None:
            try:
                job()
            finally:
                with self._lock:
                    self._in_flight -= 1

        return self._thread.submit(run)

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``fn`` on the model's thread, outside the queue's limit (loading at start-up)."""
        return self._thread.call(fn, *args, **kwargs)
