"""The Playground's pool jobs. Each runs on a pool thread and touches no widget. The model
itself lives in a child process (``workers.inference.RemoteSession``): the window never
imports mindnlp, MindSpore or torch, and a fault there ends that process, not the window.
The jobs that talk to it block their pool thread while the child works.

Jobs that report while they run (loading, compare) take plain callbacks; the page hands
them a Qt signal's ``emit`` so the report crosses to the GUI thread queued.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.core.messages import msg
from studio.core.records import RunRecord

USABLE = ("completed", "early_stopped", "stopped")


@dataclass
class RunChoice:
    run: RunRecord
    steps: list[int]
    has_result: bool


@dataclass
class Checked:
    ref: str
    source: Any              # inference.AdapterSource
    problems: list[str]


def load_runs(store_path: Path | None) -> list[RunChoice]:
    """Finished runs with a result or checkpoints on disk, newest first."""
    from studio.core.store import RunStore

    found = []
    with RunStore(store_path) as store:
        for run in store.list_runs(status=USABLE):
            output = Path(run.output_dir).expanduser() if run.output_dir else None
            if output is None or not output.is_dir():
                continue
            has_result = any((output / n).is_file() for n in
                             ("adapter_config.json", "bitfit_config.json"))
            steps = [c.step for c in store.checkpoints(run.id) if Path(c.path).exists()]
            if has_result or steps:
                found.append(RunChoice(run, steps, has_result))
    return found


def check_adapter(ref: str, base: str, task: str | None, store_path: Path | None) -> Checked:
    """Resolve a run / checkpoint / folder and check it against the base (files only)."""
    from studio.core.inference import check_compatible, resolve_adapter
    from studio.core.store import RunStore

    with RunStore(store_path) as store:
        source = resolve_adapter(ref, store)
    problems: list[str] = []
    if source.kind == "full":
        problems.append(msg("inference.full_model_choose_folder", name=source.name,
                            path=source.path))
    elif base:
        problems = check_compatible(source, base, task=task or source.task)
    return Checked(ref, source, problems)


def load(session: Any, base: str, task: str | None, labels: Sequence[str] | None,
         adapters: Sequence[tuple[str, Any]], device: str,
         progress: Callable[[str], None], allow_pickle: bool = False) -> Any:
    """Load the base in an inference child (a new one unless ``session`` already holds it)
    and the adapters not yet on it, pickle weights only with ``allow_pickle``. Returns the
    session (a RemoteSession)."""
    from workers.inference import RemoteSession

    made = None
    if session is None or not session.loaded:
        if session is not None:
            session.kill()
        session = made = RemoteSession(base, task=task, device=device, label_names=labels)
    session.allow_pickle = allow_pickle
    try:
        if made is not None:
            made.load(progress)
        for name, source in adapters:
            if name not in session.adapters:
                session.add_adapter(name, source, progress=progress)
    except BaseException:
        if made is not None:   # the page never sees it: its process must not linger
            made.kill()
        raise
    return session


def chat(session: Any, messages: list[dict[str, Any]], settings: Any, adapter: str | None,
         system: str | None, stop: threading.Event, mode: str = "chat",
         tools: list[dict[str, Any]] | None = None) -> Iterator[Any]:
    """Yields ('piece', text) while generating, then ('done', finish_reason, tokens/s,
    prompt): the prompt the model saw ({"text", "ids", "style"}, None if it is not known).
    ``tools``: function schemas a chat's template renders (as in training)."""
    if mode == "text":
        stream = session.stream_text(messages[-1]["content"], settings, adapter=adapter,
                                     system_prompt=system, stop=stop)
    else:
        stream = session.stream_chat(messages, settings, adapter=adapter, system_prompt=system,
                                     stop=stop, tools=tools)
    for piece in stream:
        yield ("piece", piece)
    yield ("done", stream.finish_reason, stream.tokens_per_second, stream.prompt)


def compare(session: Any, prompt: str, names: Sequence[str | None], settings: Any,
            system: str | None, stop: threading.Event,
            report: Callable[[tuple[Any, ...]], None],
            tools: list[dict[str, Any]] | None = None) -> dict[Any, Any]:
    return session.compare(prompt, list(names), settings, system_prompt=system, stop=stop,
                           tools=tools,
                           on_start=lambda name: report(("start", name)),
                           on_piece=lambda name, piece: report(("piece", name, piece)))


def classify(session: Any, text: str, adapter: str | None) -> list[tuple[str, float]]:
    return session.classify(text, adapter=adapter)


def save_conversation(store_path: Path | None, messages: list[dict[str, Any]],
                      run_id: str | None, base: str, adapters: list[Any],
                      settings: dict[str, Any], conversation_id: int | None) -> int:
    from studio.core.store import RunStore

    with RunStore(store_path) as store:
        return store.save_conversation(messages, run_id=run_id, base_model=base,
                                       adapters=adapters, settings=settings,
                                       conversation_id=conversation_id)


def list_conversations(store_path: Path | None) -> list[Any]:
    from studio.core.store import RunStore

    with RunStore(store_path) as store:
        return store.conversations()


def get_conversation(store_path: Path | None, conversation_id: int) -> Any:
    from studio.core.store import RunStore

    with RunStore(store_path) as store:
        return store.get_conversation(conversation_id)
