"""The serve API's pieces that need no model: stop strings cut streamed text exactly, and the
model's worker runs jobs in arrival order and refuses more than its queue holds."""

from __future__ import annotations

import itertools
import threading

import pytest

from studio.core.serving.stops import StopMatcher
from studio.core.serving.worker import ModelWorker, QueueFullError


def _feed(stops: list[str], pieces: list[str]) -> tuple[list[str], bool]:
    matcher = StopMatcher(stops)
    out = [matcher.feed(p) for p in pieces]
    out.append(matcher.flush())
    return out, matcher.hit


def test_stop_strings_cut_text_split_across_pieces():
    out, hit = _feed(["END"], ["hello E", "N", "D and more"])
    assert "".join(out) == "hello " and hit
    assert out[0] == "hello "   # the "E" waited until it was clear it starts the stop string


def test_text_that_only_looks_like_a_stop_string_is_released():
    out, hit = _feed(["END", "\n\n"], ["a E", "NX b\n", "c"])
    assert "".join(out) == "a ENX b\nc" and not hit
    assert out == ["a ", "ENX b", "\nc", ""]


def test_without_stop_strings_pieces_pass_unchanged():
    assert _feed([], ["a", "b"]) == (["a", "b", ""], False)
    assert _feed(["x"], ["x"])[0] == ["", ""]


def test_jobs_run_in_order_on_one_thread_and_the_queue_is_bounded():
    worker = ModelWorker(max_queue=2)
    gate = threading.Event()
    order: list[int] = []
    threads: set[int] = set()

    def job(n: int):
        def run() -> None:
            if n == 0:
                gate.wait(timeout=30)
            order.append(n)
            threads.add(threading.get_ident())
        return run

    done = [worker.submit(job(n)) for n in range(3)]   # one running, two waiting
    with pytest.raises(QueueFullError, match="2 requests are already waiting") as full:
        worker.submit(job(99))
    assert full.value.retry_after == 1   # nothing has finished yet to estimate from
    assert worker.in_flight == 3
    gate.set()
    for event in done:
        assert event.wait(timeout=30)
    assert order == [0, 1, 2] and len(threads) == 1
    assert worker.submit(job(3)).wait(timeout=30) and order[-1] == 3
    assert worker.in_flight == 0 and 99 not in order


def test_a_zero_queue_takes_only_the_running_job():
    worker = ModelWorker(max_queue=0)
    gate = threading.Event()
    first = worker.submit(lambda: gate.wait(timeout=30))
    with pytest.raises(QueueFullError):
        worker.submit(lambda: None)
    gate.set()
    assert first.wait(timeout=30)
    assert worker.submit(lambda: None).wait(timeout=30)


def test_load_counts_the_running_and_the_waiting_jobs():
    worker = ModelWorker(max_queue=3)
    assert worker.load() == {"running": 0, "waiting": 0, "max_queue": 3}
    started, gate = threading.Event(), threading.Event()

    def hold() -> None:
        started.set()
        gate.wait(timeout=30)

    first = worker.submit(hold)
    assert started.wait(timeout=30)
    worker.submit(lambda: None)
    last = worker.submit(lambda: None)
    assert worker.load() == {"running": 1, "waiting": 2, "max_queue": 3}
    gate.set()
    assert first.wait(timeout=30) and last.wait(timeout=30)
    assert worker.load() == {"running": 0, "waiting": 0, "max_queue": 3}


def _clock(*readings: float):
    """A clock that reads ``readings`` in turn (a job reads it when it starts and ends)."""
    ticks = itertools.chain(readings, itertools.repeat(readings[-1]))
    return lambda: next(ticks)


def test_retry_after_is_the_jobs_ahead_at_their_mean_duration_within_bounds():
    worker = ModelWorker(max_queue=0, clock=_clock(0.0, 2.5, 10.0))
    assert worker.retry_after() == 1   # nothing measured yet
    assert worker.submit(lambda: None).wait(timeout=30)   # took 2.5 s by that clock
    gate = threading.Event()
    held = worker.submit(lambda: gate.wait(timeout=30) and None)
    with pytest.raises(QueueFullError) as full:
        worker.submit(lambda: None)
    assert full.value.retry_after == 3   # one job ahead at 2.5 s, rounded up
    gate.set()
    assert held.wait(timeout=30)
    assert worker.retry_after() == 1   # nothing ahead: the lower bound


def test_retry_after_never_asks_for_more_than_a_minute():
    worker = ModelWorker(max_queue=0, clock=_clock(0.0, 500.0))
    assert worker.submit(lambda: None).wait(timeout=30)
    gate = threading.Event()
    held = worker.submit(lambda: gate.wait(timeout=30) and None)
    with pytest.raises(QueueFullError) as full:
        worker.submit(lambda: None)
    assert full.value.retry_after == 60
    gate.set()
    assert held.wait(timeout=30)


def test_a_negative_queue_is_refused():
    with pytest.raises(ValueError):
        ModelWorker(max_queue=-1)


def test_max_tokens_must_leave_room_in_the_models_context():
    from studio.core.serving.protocol import ApiError, ChatRequest, CompletionRequest

    chat = ChatRequest(model="m", messages=[{"role": "user", "content": "hi"}],
                       max_tokens=256)
    with pytest.raises(ApiError) as refused:
        chat.settings(context=256)
    assert refused.value.status == 400 and refused.value.param == "max_tokens"
    assert "256 tokens" in refused.value.message
    assert chat.settings(context=None).max_new_tokens == 256   # no fixed limit: as asked
    assert chat.settings(context=257).max_new_tokens == 256
    newer = CompletionRequest(model="m", prompt="a", max_completion_tokens=999)
    with pytest.raises(ApiError) as refused:
        newer.settings(context=512)
    assert refused.value.param == "max_completion_tokens"
    # not asked: the default answer length, but never more than half the context
    unasked = CompletionRequest(model="m", prompt="a")
    assert unasked.settings(context=256).max_new_tokens == 128
    assert unasked.settings(context=None).max_new_tokens == 256
