"""A long-lived thread runs every job, results and errors come back to the caller, and a
generator job streams its items and stops when the caller stops."""

from __future__ import annotations

import threading

import pytest

from studio.core.threads import LongLivedThread


def test_calls_run_on_one_thread_and_return_or_raise():
    compute = LongLivedThread("test-compute")
    idents = {compute.call(threading.get_ident) for _ in range(3)}
    callers = set()
    workers = [threading.Thread(target=lambda: callers.add(compute.call(threading.get_ident)))
               for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(idents) == 1 and idents == callers and threading.get_ident() not in idents
    assert compute.call(lambda a, b=0: a + b, 2, b=3) == 5
    with pytest.raises(KeyError, match="missing"):
        compute.call(lambda: {}["missing"])
    assert compute.call(lambda: compute.call(lambda: "nested")) == "nested"   # no deadlock


def test_generators_stream_and_stop_when_abandoned():
    compute = LongLivedThread("test-compute")
    produced: list[int] = []
    closed = threading.Event()

    def numbers(n):
        try:
            for i in range(n):
                produced.append(i)
                yield i, threading.get_ident()
        finally:
            closed.set()

    items = list(compute.iterate(numbers, 4))
    assert [i for i, _ in items] == [0, 1, 2, 3] and {t for _, t in items} == {compute.ident}
    assert closed.wait(5)

    closed.clear()
    produced.clear()
    stream = compute.iterate(numbers, 10_000)
    assert next(stream)[0] == 0
    stream.close()
    assert closed.wait(5) and len(produced) <= 3   # at most one item ahead of the consumer

    def failing():
        yield 1
        raise ValueError("broken")

    with pytest.raises(ValueError, match="broken"):
        list(compute.iterate(failing))
