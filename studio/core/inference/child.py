"""The inference child process: one InferenceSession driven by JSON-line commands on stdin,
answering with JSON-line events on stdout (``python -m studio.core.inference.child``).

The window's Playground talks to it through ``workers.inference.RemoteSession``, so a fault
in MindSpore ends this process, not the window. Every model call runs on this process's main
thread, which lives as long as the process (what MindSpore needs: see ``..threads``); a
reader thread takes commands off stdin so a ``stop`` reaches a running answer.

Commands ``{"id", "op", ...}``: load (base, task, labels, device, dtype), add_adapter (name,
source), remove_adapter (name), use (name), info, generate (kind: chat | text | completion,
messages / text, settings, adapter, system, and for a chat tools: function schemas), compare
(prompt, adapters, settings, system), classify (text, adapter), stats, stop (target: the id
of a running generate or compare).
``adapter`` is a name, null for the base, or absent for the active one.

Events ``{"id", "event", ...}``: progress (stage), piece (text; name in a compare), start
(name, compare), result (value), error (message, kind: known | incompatible | bug, problems,
traceback). A ``ready`` event (pid) comes first.
"""

from __future__ import annotations

import dataclasses
import json
import os
import queue
import sys
import threading
import traceback
from typing import Any

from ..errors import StudioError
from ..messages import Message, msg

_STOP_OPS = ("generate", "compare")


def _consent(command: dict[str, Any]) -> None:
    """Pickle weights load only when the window's command carries the user's consent."""
    from studio.core import weightsafety

    weightsafety.allow_pickle(bool(command.get("allow_pickle")))


class _Out:
    def __init__(self) -> None:
        self._lock = threading.Lock()

    def __call__(self, rid: Any, event: str, **fields: Any) -> None:
        # Codes travel under "messages" (as in studio.core.events), so the window translates.
        coded: dict[str, Any] = {k: v.to_dict() for k, v in fields.items()
                                 if isinstance(v, Message)}
        problems = fields.get("problems")
        if problems and all(isinstance(p, Message) for p in problems):
            coded["problems"] = [p.to_dict() for p in problems]
        if coded:
            fields["messages"] = coded
        line = json.dumps({"id": rid, "event": event, **fields}, ensure_ascii=False)
        with self._lock:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()


def source_from(data: dict[str, Any]) -> Any:
    from .sources import AdapterSource

    fields = {f.name for f in dataclasses.fields(AdapterSource)}
    values = {k: v for k, v in data.items() if k in fields}
    if values.get("label_names") is not None:
        values["label_names"] = tuple(values["label_names"])
    return AdapterSource(**values)


def _rss_bytes() -> int | None:
    try:
        with open(f"/proc/{os.getpid()}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


class Server:
    def __init__(self) -> None:
        self.out = _Out()
        self.session: Any = None
        self.commands: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.stops: dict[Any, threading.Event] = {}
        self._lock = threading.Lock()

    # ---- the stdin thread ---------------------------------------------------------------
    def read_commands(self) -> None:
        for line in sys.stdin:
            try:
                command = json.loads(line)
            except json.JSONDecodeError:
                continue
            if command.get("op") == "stop":
                with self._lock:
                    event = self.stops.get(command.get("target"))
                if event is not None:
                    event.set()
                continue
            if command.get("op") in _STOP_OPS:
                with self._lock:   # registered now, so a stop that arrives early still counts
                    self.stops[command.get("id")] = threading.Event()
            self.commands.put(command)
        self.commands.put(None)   # stdin closed: the window has gone

    # ---- the main thread ------------------------------------------------------------------
    def serve(self) -> None:
        threading.Thread(target=self.read_commands, daemon=True, name="commands").start()
        self.out(None, "ready", pid=os.getpid())
        while (command := self.commands.get()) is not None:
            rid = command.get("id")
            handler = getattr(self, f"op_{command.get('op')}", None)
            if handler is None:
                self.out(rid, "error", kind="bug",
                         message=msg("inference.unknown_command", op=repr(command.get("op"))))
                continue
            try:
                self.out(rid, "result", value=handler(rid, command))
            except StudioError as exc:
                problems = getattr(exc, "problems", None)
                self.out(rid, "error", message=exc.message,
                         kind="incompatible" if problems is not None else "known",
                         problems=list(problems) if problems else None,
                         name=command.get("name"))
            except Exception as exc:  # noqa: BLE001 - reported; the session stays usable
                self._bug(rid, exc)
            finally:
                with self._lock:
                    self.stops.pop(rid, None)

    def _bug(self, rid: Any, exc: BaseException) -> None:
        self.out(rid, "error", kind="bug", traceback=traceback.format_exc(),
                 message=msg("error.internal", error=f"{type(exc).__name__}: {exc}"))

    def _session(self) -> Any:
        if self.session is None:
            raise StudioError(msg("inference.no_model_loaded"))
        return self.session

    def _adapter(self, command: dict[str, Any]) -> Any:
        from . import ACTIVE

        return command.get("adapter", ACTIVE)

    def _stop(self, rid: Any) -> threading.Event:
        with self._lock:
            return self.stops.setdefault(rid, threading.Event())

    # ---- operations --------------------------------------------------------------------------
    def op_load(self, rid: Any, command: dict[str, Any]) -> dict[str, Any]:
        from . import InferenceSession

        _consent(command)
        session = InferenceSession(command["base"], task=command.get("task"),
                                   device=command.get("device") or "auto",
                                   label_names=command.get("labels"),
                                   dtype=command.get("dtype") or "float32")
        session.load(lambda stage: self.out(rid, "progress", stage=stage))
        self.session = session
        return session.info()

    def op_add_adapter(self, rid: Any, command: dict[str, Any]) -> dict[str, Any]:
        session = self._session()
        _consent(command)
        session.add_adapter(command["name"], source_from(command["source"]),
                            progress=lambda stage: self.out(rid, "progress", stage=stage))
        return session.info()

    def op_remove_adapter(self, rid: Any, command: dict[str, Any]) -> dict[str, Any]:
        self._session().remove_adapter(command["name"])
        return self._session().info()

    def op_use(self, rid: Any, command: dict[str, Any]) -> dict[str, Any]:
        self._session().use(command.get("name"))
        return self._session().info()

    def op_info(self, rid: Any, command: dict[str, Any]) -> dict[str, Any]:
        return self._session().info()

    def op_stats(self, rid: Any, command: dict[str, Any]) -> dict[str, Any]:
        info = self.session.info() if self.session is not None else None
        return {"pid": os.getpid(), "rss_bytes": _rss_bytes(), "info": info}

    def op_generate(self, rid: Any, command: dict[str, Any]) -> dict[str, Any]:
        from . import GenerationSettings

        session = self._session()
        settings = GenerationSettings.from_dict(command.get("settings"))
        adapter, stop, kind = self._adapter(command), self._stop(rid), command.get("kind")
        system = command.get("system")
        if kind == "text":
            stream = session.stream_text(command["text"], settings, adapter=adapter,
                                         system_prompt=system, stop=stop)
        elif kind == "completion":
            stream = session.stream_completion(command["text"], settings, adapter=adapter,
                                               stop=stop)
        else:
            stream = session.stream_chat(command["messages"], settings, adapter=adapter,
                                         system_prompt=system, stop=stop,
                                         tools=command.get("tools"))
        for piece in stream:
            self.out(rid, "piece", text=piece)
        prompt = stream.prompt
        return {"text": stream.text, "finish_reason": stream.finish_reason,
                "tokens": len(stream.token_ids), "elapsed": stream.elapsed,
                "adapter": stream.adapter,
                "prompt": dataclasses.asdict(prompt) if prompt is not None else None}

    def op_compare(self, rid: Any, command: dict[str, Any]) -> list[list[Any]]:
        from . import GenerationSettings

        answers = self._session().compare(
            command["prompt"], command["adapters"],
            GenerationSettings.from_dict(command.get("settings")),
            system_prompt=command.get("system"), stop=self._stop(rid),
            tools=command.get("tools"),
            on_start=lambda name: self.out(rid, "start", name=name),
            on_piece=lambda name, piece: self.out(rid, "piece", name=name, text=piece))
        return [[name, answer] for name, answer in answers.items()]

    def op_classify(self, rid: Any, command: dict[str, Any]) -> list[list[Any]]:
        ranked = self._session().classify(command["text"], adapter=self._adapter(command))
        return [[label, prob] for label, prob in ranked]


def main() -> int:
    os.environ.setdefault("GLOG_v", "3")
    os.environ.setdefault("DIFFUSERS_VERBOSITY", "error")
    Server().serve()
    # Freeing MindSpore's objects at interpreter exit takes seconds; nothing is left to say.
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
