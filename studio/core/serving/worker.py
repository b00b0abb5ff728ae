"""One model, one thread: jobs run in the order they arrive, and only so many may wait."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import Any

from ..messages import msg
from ..threads import LongLivedThread

DEFAULT_MAX_QUEUE = 16
RETRY_AFTER_S = (1, 60)   # the bounds of the Retry-After a full queue answers with
_SMOOTHING = 0.3          # weight of the latest job in the running mean of job durations


class QueueFullError(Exception):
    """Every place in the queue is taken; the caller should try again in ``retry_after``
    seconds (an estimate: the jobs ahead of it at their recent mean duration)."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class ModelWorker:
    """Runs jobs one at a time on a long-lived thread (MindSpore needs one: see
    ``studio.core.threads``). At most ``max_queue`` jobs wait behind the running one;
    ``submit`` raises QueueFullError beyond that instead of letting requests pile up."""

    def __init__(self, max_queue: int = DEFAULT_MAX_QUEUE,
                 clock: Callable[[], float] = time.monotonic):
        if max_queue < 0:
            raise ValueError("max_queue cannot be negative")
        self.max_queue = max_queue
        self._thread = LongLivedThread("studio-serve")
        self._lock = threading.Lock()
        self._in_flight = 0
        self._running = False
        self._mean_s: float | None = None
        self._clock = clock

    @property
    def in_flight(self) -> int:
        """Jobs submitted and not yet finished (the running one included)."""
        return self._in_flight

    def load(self) -> dict[str, int]:
        """How busy the model is: ``running`` (0 or 1), ``waiting`` and ``max_queue``."""
        with self._lock:
            running = int(self._running)
            return {"running": running, "waiting": self._in_flight - running,
                    "max_queue": self.max_queue}

    def retry_after(self) -> int:
        """Seconds until a place should be free: every job ahead at the recent mean."""
        with self._lock:
            ahead, mean = self._in_flight, self._mean_s
        low, high = RETRY_AFTER_S
        return low if mean is None else max(low, min(high, math.ceil(ahead * mean)))

    def submit(self, job: Callable[[], None]) -> threading.Event:
        """Queue ``job``; the event is set when it has finished. Raises QueueFullError."""
        with self._lock:
            full = self._in_flight > self.max_queue
            if not full:
                self._in_flight += 1
            waiting = self._in_flight - 1
        if full:
            raise QueueFullError(msg("serving.busy", waiting=waiting), self.retry_after())

        def run() -> None:
            with self._lock:
                self._running = True
            started = self._clock()
            try:
                job()
            finally:
                took = self._clock() - started
                with self._lock:
                    self._running = False
                    self._in_flight -= 1
                    self._mean_s = took if self._mean_s is None else (
                        _SMOOTHING * took + (1 - _SMOOTHING) * self._mean_s)

        return self._thread.submit(run)

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``fn`` on the model's thread, outside the queue's limit (loading at start-up)."""
        return self._thread.call(fn, *args, **kwargs)
