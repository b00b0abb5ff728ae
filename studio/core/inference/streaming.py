"""Streaming generation: ``model.generate`` runs on a helper thread and hands each new token
to a queue; the thread iterating a ``TextStream`` decodes them into text pieces as they come.

Decoding re-reads all generated ids and yields what is new, holding back a trailing U+FFFD (a
multi-byte character whose bytes have not all arrived), so the pieces always add up to the
decoded answer.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from ..errors import StudioError
from ..messages import msg
from ..threads import LongLivedThread

_END = object()


# Every generate of the process runs here (see ..threads for why not a thread each).
_generation_thread = LongLivedThread("studio-generate")


def _out_of_memory(exc: BaseException) -> bool:
    return isinstance(exc, MemoryError) or "out of memory" in str(exc).lower()


def make_streamer(q: queue.Queue) -> Any:
    from transformers.generation.streamers import BaseStreamer

    class QueueStreamer(BaseStreamer):
        """generate() first puts the prompt (decoder-only) or the decoder start token
        (encoder-decoder); every later put is one new token per sequence."""

        def __init__(self) -> None:
            self.first = True

        def put(self, value: Any) -> None:
            if self.first:
                self.first = False
                return
            q.put([int(v) for v in value.reshape(-1).tolist()])

        def end(self) -> None:
            pass

    return QueueStreamer()


def make_stopping(events: list[threading.Event]) -> Any:
    """A StoppingCriteria that ends generation after the current token once any event is set."""
    import torch
    from transformers import StoppingCriteria, StoppingCriteriaList

    class EventStop(StoppingCriteria):
        def halted(self) -> bool:
            return any(e.is_set() for e in events)

        def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
            return torch.full((input_ids.shape[0],), self.halted(), dtype=torch.bool)

    return StoppingCriteriaList([EventStop()])


class TextStream(Iterator[str]):
    """An iterator of decoded text pieces, filled as tokens are generated.

    Nothing runs until the first ``next()``. While it runs it holds the session's lock (one
    generation at a time). ``stop`` (a threading.Event) ends it after the current token;
    ``close()`` (or abandoning the iterator) does the same. After the end: ``text`` is the
    whole answer, ``token_ids`` the generated ids, ``finish_reason`` one of 'eos', 'length',
    'stopped', and ``elapsed`` the seconds spent.
    """

    def __init__(self, run: Callable[[Any, Any], Any], decode: Callable[[list[int]], str],
                 stop: threading.Event | None, lock: Any, max_new_tokens: int,
                 prompt: Any = None, adapter: str | None = None):
        self._run = run
        self._decode = decode
        self._halt = threading.Event()
        self._events = [self._halt] + ([stop] if stop is not None else [])
        self._lock = lock
        self._max_new_tokens = max_new_tokens
        self._pieces: Iterator[str] | None = None
        self.prompt = prompt            # inference.prompts.Prompt: what the model saw
        self.adapter = adapter          # the adapter that answers (None = the base model)
        self.text = ""
        self.token_ids: list[int] = []
        self.finish_reason: str | None = None
        self.elapsed = 0.0

    def __next__(self) -> str:
        if self._pieces is None:
            self._pieces = self._generate()
        return next(self._pieces)

    def read(self) -> str:
        """Run to the end and return the whole text."""
        for _ in self:
            pass
        return self.text

    def close(self) -> None:
        self._halt.set()
        if self._pieces is not None:
            self._pieces.close()   # type: ignore[attr-defined]

    @property
    def tokens_per_second(self) -> float:
        return len(self.token_ids) / self.elapsed if self.elapsed > 0 else 0.0

    def _generate(self) -> Iterator[str]:
        started = time.perf_counter()
        q: queue.Queue = queue.Queue()

        def work() -> None:
            try:
                self._run(make_streamer(q), make_stopping(self._events))
            except BaseException as exc:  # noqa: BLE001 - handed to the iterating thread
                q.put(exc)
            finally:
                q.put(_END)

        with contextlib.ExitStack() as stack:
            stack.enter_context(self._lock)
            if any(e.is_set() for e in self._events):
                self.finish_reason = "stopped"
                return
            finished = _generation_thread.submit(work)
            stack.callback(finished.wait)
            stack.callback(self._halt.set)   # runs first: an abandoned stream stops generating
            emitted = ""
            while True:
                item = q.get()
                if item is _END:
                    break
                if isinstance(item, BaseException):
                    if _out_of_memory(item):
                        raise StudioError(msg("inference.out_memory_while_generating")) from item
                    raise item
                self.token_ids.extend(item)
                ready = self._decode(self.token_ids).rstrip("\ufffd")
                if len(ready) > len(emitted) and ready.startswith(emitted):
                    piece, emitted = ready[len(emitted):], ready
                    self.text = emitted
                    yield piece
            final = self._decode(self.token_ids)
            if len(final) > len(emitted) and final.startswith(emitted):
                self.text = final
                yield final[len(emitted):]
            self.elapsed = time.perf_counter() - started
            stopped = any(e.is_set() for e in self._events)
            full = len(self.token_ids) >= self._max_new_tokens
            self.finish_reason = ("stopped" if stopped and not full
                                  else "length" if full else "eos")
