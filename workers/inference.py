"""The Playground's model in a child process (``studio.core.inference.child``).

``RemoteSession`` offers the part of ``InferenceSession`` the Playground uses (load,
add/remove/use adapters, info, stream_chat / stream_text, compare, classify) plus stats, and
forwards each call as a JSON-line command; the child answers with events. Calls block the
calling thread (the Playground's pool jobs), so they keep their shape; nothing here imports
Qt or the stack. If the child dies, every waiting call raises ``InferenceCrashedError`` (a
StudioError) saying how it ended, and ``alive`` turns False: load again to get a new one.
"""

from __future__ import annotations

import itertools
import json
import queue
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from studio.core.errors import StudioError
from studio.core.events import message_of
from studio.core.messages import Message, msg
from studio.launch import module_command
from workers.child import ChildProcess, child_env, describe_exit

Progress = Callable[[str], None]
ACTIVE: Any = object()   # the adapter chosen with use() (inference.ACTIVE is accepted too)
STOP_POLL_S = 0.002  # how often a running request looks at its stop event


class InferenceCrashedError(StudioError):
    """The inference process ended while the window was waiting for it."""


class InferenceBugError(RuntimeError):
    """A fault inside the inference process (a bug, not the user's doing): ``args[0]`` is the
    child's coded message, ``traceback_text`` its traceback there (for the dialog's details)."""

    def __init__(self, message: str, traceback_text: str | None = None):
        super().__init__(message)
        self.traceback_text = traceback_text


class RemoteIncompatible(StudioError):  # noqa: N818 - twin of IncompatibleAdapter
    """An adapter that does not fit the loaded base (inference.IncompatibleAdapter's twin)."""

    def __init__(self, message: str, problems: list[str]):
        super().__init__(message)
        self.problems = problems


def _problems(event: dict[str, Any]) -> list[str]:
    """The child's reasons, as the Messages it made them from when it sent their codes."""
    texts = [str(p) for p in event.get("problems") or []]
    coded = [Message.from_dict(p) for p in (event.get("messages") or {}).get("problems") or []]
    return coded if len(coded) == len(texts) and all(coded) else texts  # type: ignore[return-value]


def _raise(event: dict[str, Any]) -> None:
    # The child's Message (its code and parameters) when it sent one, so the window translates.
    message = message_of(event) or "the inference process failed"
    if event.get("kind") == "incompatible":
        raise RemoteIncompatible(message, _problems(event))
    if event.get("kind") == "crashed":
        raise InferenceCrashedError(message)
    if event.get("kind") == "bug":
        raise InferenceBugError(message, event.get("traceback"))
    raise StudioError(message)


class _Child(ChildProcess):
    kind = "inference"
    takes_input = True

    def __init__(self, args: list[str], env: dict[str, str]):
        self.pending: dict[int, queue.Queue[dict[str, Any]]] = {}
        self.lock = threading.Lock()
        self.write_lock = threading.Lock()
        self.ended: Message | None = None
        super().__init__(args, env)

    def on_event(self, event: dict[str, Any], line: str) -> None:
        with self.lock:
            box = self.pending.get(event.get("id"))  # type: ignore[arg-type]
        if box is not None:
            box.put(event)

    def on_log(self, text: str) -> None:
        pass   # a library printing to stdout; stderr is kept for the crash message

    def on_exit(self, returncode: int) -> None:
        how = describe_exit(returncode, "inference")
        tail = self.stderr_tail().strip().splitlines()[-3:]
        with self.lock:
            self.ended = (msg("text.colon", first=how, rest=" | ".join(tail))
                          if tail and returncode > 0 else how)
            boxes = list(self.pending.values())
        for box in boxes:   # the Message's code too, so the window says it in its language
            box.put({"event": "error", "kind": "crashed", "message": str(self.ended),
                     "messages": {"message": self.ended.to_dict()}})

    def send(self, command: dict[str, Any]) -> queue.Queue[dict[str, Any]]:
        box: queue.Queue[dict[str, Any]] = queue.Queue()
        with self.lock:
            if self.ended is not None:
                raise InferenceCrashedError(self.ended)
            self.pending[command["id"]] = box
        self.write(command)
        return box

    def write(self, command: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        line = json.dumps(command) + "\n"
        try:
            with self.write_lock:   # a stop may be sent from its watcher thread
                self.proc.stdin.write(line)
                self.proc.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            pass   # it has died: on_exit tells every waiting call

    def forget(self, rid: int) -> None:
        with self.lock:
            self.pending.pop(rid, None)


class RemoteStream(Iterator[str]):
    """A TextStream's twin: text pieces as the child generates them; ``text``,
    ``finish_reason``, ``tokens_per_second`` and ``prompt`` once it has ended. Nothing is sent
    until the first ``next()``; ``stop`` (or ``close()``) ends it after the current token."""

    def __init__(self, session: RemoteSession, command: dict[str, Any],
                 stop: threading.Event | None):
        self._session, self._command, self._stop = session, command, stop
        self._halt = threading.Event()
        self._pieces: Iterator[str] | None = None
        self.text = ""
        self.finish_reason: str | None = None
        self.tokens = 0
        self.elapsed = 0.0
        self.prompt: dict[str, Any] | None = None
        self.adapter: str | None = None

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.elapsed if self.elapsed > 0 else 0.0

    def __next__(self) -> str:
        if self._pieces is None:
            self._pieces = self._run()
        return next(self._pieces)

    def read(self) -> str:
        for _ in self:
            pass
        return self.text

    def close(self) -> None:
        self._halt.set()
        if self._pieces is not None:
            self._pieces.close()   # type: ignore[attr-defined]

    def _run(self) -> Iterator[str]:
        value = yield from self._session.events(self._command, self._stop, self._halt)
        self.text, self.finish_reason = value["text"], value["finish_reason"]
        self.tokens, self.elapsed = value["tokens"], value["elapsed"]
        self.prompt, self.adapter = value.get("prompt"), value.get("adapter")


class RemoteSession:
    """An InferenceSession in a child process (see the module docstring)."""

    def __init__(self, base_path: str, task: str | None = None, device: str = "auto",
                 label_names: Sequence[str] | None = None, dtype: str = "float32", *,
                 command_prefix: Sequence[str] | None = None,
                 env: Mapping[str, str] | None = None):
        self.base_path = str(base_path)
        self.task = task
        self.requested_device = device
        self.label_names = list(label_names) if label_names else None
        self.dtype = dtype
        self.allow_pickle = False   # pickle weights only with the user's consent (Safety)
        self._prefix = list(command_prefix) if command_prefix else None   # None: studio.launch
        self._env = dict(env or {})
        self._child: _Child | None = None
        self._ids = itertools.count(1)
        self._info: dict[str, Any] = {}
        self.sources: dict[str, Any] = {}   # name -> AdapterSource, to restore after a crash

    # ---- the process ------------------------------------------------------------------------
    @property
    def alive(self) -> bool:
        return self._child is not None and self._child.alive() and self._child.ended is None

    @property
    def pid(self) -> int | None:
        return self._child.proc.pid if self._child is not None else None

    def close(self) -> None:
        """End the child (it exits when its stdin closes; killed if it does not)."""
        child, self._child = self._child, None
        if child is None:
            return
        try:
            if child.proc.stdin is not None:
                child.proc.stdin.close()
            child.proc.wait(timeout=5)
        except Exception:  # noqa: BLE001 - whatever state it is in, it must go
            child.kill()

    def kill(self) -> None:
        if self._child is not None:
            self._child.kill()

    def _start(self) -> _Child:
        module = "studio.core.inference.child"
        args = [*self._prefix, module] if self._prefix else module_command(module)
        child = _Child(args, child_env(self._env))
        child.start_reading()
        self._child = child
        return child

    # ---- requests -----------------------------------------------------------------------------
    def events(self, command: dict[str, Any], stop: threading.Event | None = None,
               halt: threading.Event | None = None,
               on_event: Callable[[dict[str, Any]], None] | None = None) -> Any:
        """A generator: yields pieces of text, returns the result's value."""
        child = self._child
        if child is None or child.ended is not None:
            raise InferenceCrashedError(child.ended if child is not None else
                                        msg("inference.not_running"))
        rid = next(self._ids)
        box = child.send({"id": rid, **command})
        done = threading.Event()
        sent = threading.Event()

        def send_stop() -> None:
            if not sent.is_set():
                sent.set()
                child.write({"op": "stop", "target": rid})

        watched = [e for e in (stop, halt) if e is not None]
        if watched:
            # A stop must reach the child within a token or two: a generation of hundreds of
            # tokens a second would otherwise run on (or to its end) before the child hears.
            def watch() -> None:
                while not done.wait(STOP_POLL_S):
                    if any(e.is_set() for e in watched):
                        send_stop()
                        return

            threading.Thread(target=watch, daemon=True, name=f"inference-stop-{rid}").start()
        try:
            while True:
                event = box.get()
                kind = event.get("event")
                if kind == "result":
                    return event.get("value")
                if kind == "error":
                    _raise(event)
                if on_event is not None:
                    on_event(event)
                elif kind == "piece":
                    yield event.get("text") or ""
        finally:
            done.set()
            if halt is not None and halt.is_set():   # abandoned: the child need not go on
                send_stop()
            child.forget(rid)

    def call(self, op: str, progress: Progress | None = None, **fields: Any) -> Any:
        def on_event(event: dict[str, Any]) -> None:
            if event.get("event") == "progress" and progress is not None:
                progress(str(event.get("stage") or ""))

        events = self.events({"op": op, **fields}, on_event=on_event)
        try:
            while True:
                next(events)
        except StopIteration as done:
            return done.value

    def _update(self, info: dict[str, Any]) -> None:
        self._info = info
        self.task = info.get("task") or self.task
        self.label_names = info.get("label_names") or self.label_names

    # ---- the InferenceSession surface the Playground uses ---------------------------------
    @property
    def loaded(self) -> bool:
        return self.alive and bool(self._info.get("loaded"))

    @property
    def adapters(self) -> list[str]:
        return [a["name"] for a in self._info.get("adapters", [])] if self.alive else []

    @property
    def active(self) -> str | None:
        return self._info.get("active")

    def info(self) -> dict[str, Any]:
        return dict(self._info)

    def load(self, progress: Progress | None = None) -> None:
        """Start the child and load the base in it (a dead child is replaced)."""
        if self.loaded:
            return
        if self._child is not None:
            self.close()
        self._start()
        self._update(self.call("load", progress, base=self.base_path, task=self.task,
                               labels=self.label_names, device=self.requested_device,
                               dtype=self.dtype, allow_pickle=self.allow_pickle))

    def add_adapter(self, name: str, source: Any, progress: Progress | None = None) -> None:
        import dataclasses

        self._update(self.call("add_adapter", progress, name=name,
                               source=dataclasses.asdict(source),
                               allow_pickle=self.allow_pickle))
        self.sources[name] = source

    def remove_adapter(self, name: str) -> None:
        self._update(self.call("remove_adapter", name=name))
        self.sources.pop(name, None)

    def use(self, name: str | None) -> None:
        self._update(self.call("use", name=name))

    def stats(self) -> dict[str, Any]:
        return dict(self.call("stats"))

    def _target(self, adapter: Any) -> dict[str, Any]:
        # inference's package reads files only: importing it brings no stack in
        from studio.core.inference import ACTIVE as SESSION_ACTIVE

        return {} if adapter is ACTIVE or adapter is SESSION_ACTIVE else {"adapter": adapter}

    def stream_chat(self, messages: Sequence[dict[str, Any]], settings: Any = None,
                    adapter: Any = ACTIVE, system_prompt: str | None = None,
                    stop: threading.Event | None = None,
                    tools: Sequence[dict[str, Any]] | None = None) -> RemoteStream:
        return RemoteStream(self, {"op": "generate", "kind": "chat", "messages": list(messages),
                                   "settings": _settings(settings), "system": system_prompt,
                                   **({"tools": list(tools)} if tools else {}),
                                   **self._target(adapter)}, stop)

    def stream_text(self, source: str, settings: Any = None, adapter: Any = ACTIVE,
                    system_prompt: str | None = None,
                    stop: threading.Event | None = None) -> RemoteStream:
        return RemoteStream(self, {"op": "generate", "kind": "text", "text": source,
                                   "settings": _settings(settings), "system": system_prompt,
                                   **self._target(adapter)}, stop)

    def classify(self, text: str, adapter: Any = ACTIVE) -> list[tuple[str, float]]:
        return [(str(label), float(p)) for label, p in
                self.call("classify", text=text, **self._target(adapter))]

    def compare(self, prompt_or_messages: Any, adapters: Sequence[str | None],
                settings: Any = None, system_prompt: str | None = None,
                stop: threading.Event | None = None,
                on_piece: Callable[[str | None, str], None] | None = None,
                on_start: Callable[[str | None], None] | None = None,
                tools: list[dict[str, Any]] | None = None) -> dict[Any, Any]:
        def on_event(event: dict[str, Any]) -> None:
            if event.get("event") == "start" and on_start is not None:
                on_start(event.get("name"))
            elif event.get("event") == "piece" and on_piece is not None:
                on_piece(event.get("name"), str(event.get("text") or ""))

        prompt = prompt_or_messages if isinstance(prompt_or_messages, str) \
            else list(prompt_or_messages)
        events = self.events({"op": "compare", "prompt": prompt, "adapters": list(adapters),
                              "settings": _settings(settings), "system": system_prompt,
                              "tools": tools}, stop, on_event=on_event)
        try:
            while True:
                next(events)
        except StopIteration as done:
            answers = done.value
        if self.task == "seq_cls":
            return {name: [(str(lbl), float(p)) for lbl, p in ranked] for name, ranked in answers}
        return dict(answers)


def _settings(settings: Any) -> dict[str, Any] | None:
    return settings.to_dict() if settings is not None else None
