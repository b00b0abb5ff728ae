"""One long-lived Python thread for the MindSpore work done inside the window's process (the
Playground: loading, generating, classifying).

Pool jobs run on QThreadPool threads, and PySide gives each job a fresh Python thread state
that is deleted when the job returns. MindSpore keeps the thread state it first saw on a
thread and takes the GIL with it when some of its objects are freed; once a job had ended,
the next tensor operation on that pooled thread (loading a second model, merging an adapter)
waited forever for the dead state's GIL, or crashed. A plain ``threading.Thread`` keeps one
thread state for its whole life (studio.core.threads), so every compute job goes through
this one.

``@on_compute_thread`` makes a function (or generator function) run there while its caller,
a pool job, waits: signals, errors and aborts work as before.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from studio.core.threads import LongLivedThread

F = TypeVar("F", bound=Callable[..., Any])


compute_thread = LongLivedThread("studio-compute")


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
