"""``peft-studio serve``: an OpenAI-compatible HTTP API for a base model and its adapters.

Loads the model once, then answers ``/v1/models``, ``/v1/chat/completions``,
``/v1/completions`` and (classifiers) ``/v1/classifications`` until interrupted. On a
terminal it prints readable lines; otherwise (the window's child) one JSON event per line on
stdout: ``loading`` {stage}, ``ready`` {url, models, api_key}, ``request`` {method, path,
model, status, stream, seconds, finish_reason, prompt_tokens, completion_tokens}, ``error``
{message}, ``stopped``.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import threading
from typing import Any, NoReturn

from studio.core.config import DEVICES
from studio.core.errors import StudioError
from studio.core.events import encode
from studio.core.messages import msg
from studio.core.serving.worker import DEFAULT_MAX_QUEUE

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
KEY_ENV = "PEFT_STUDIO_API_KEY"


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "serve", help="serve a base model and adapters over an OpenAI-compatible HTTP API",
        description="Serve a base model and fine-tuned adapters over an OpenAI-compatible API "
                    "(/v1/models, /v1/chat/completions, /v1/completions, and "
                    "/v1/classifications for classifiers). Each adapter is a model name; the "
                    "base model is served under its folder's name (or 'base'). An adapter is "
                    "a run (id, name or output folder), RUN@STEP, or a folder with PEFT files.")
    parser.add_argument("--adapter", action="append", default=[], metavar="RUN",
                        help="an adapter to serve; repeat it to serve several")
    parser.add_argument("--base", metavar="MODEL",
                        help="base model folder or hub id (default: the one the adapter names)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1; any other needs "
                             "--api-key)")
    parser.add_argument("--port", type=int, default=8000,
                        help="port to listen on (default 8000; 0 picks a free one)")
    parser.add_argument("--api-key", metavar="KEY",
                        help=f"require 'Authorization: Bearer KEY' (or set {KEY_ENV})")
    parser.add_argument("--max-queue", type=int, default=DEFAULT_MAX_QUEUE, metavar="N",
                        help="requests that may wait behind the running one; beyond that the "
                             "server answers 503 with Retry-After (default "
                             f"{DEFAULT_MAX_QUEUE})")
    parser.add_argument("--device", choices=DEVICES, default="auto")
    parser.set_defaults(handler=run)


class Output:
    """JSON lines for a program reading stdout, readable lines on a terminal."""

    def __init__(self, json_lines: bool):
        self.json = json_lines
        self._lock = threading.Lock()

    def __call__(self, event: str, text: str, **fields: Any) -> None:
        line = encode(event, **fields) if self.json else text
        stream = sys.stdout if self.json or event == "request" else sys.stderr
        with self._lock:
            try:
                stream.write(line + "\n")
                stream.flush()
            except (BrokenPipeError, ValueError):
                pass   # the reader went away; keep serving

    def request(self, entry: dict[str, Any]) -> None:
        tokens = (f" {entry['prompt_tokens']}+{entry['completion_tokens']} tokens "
                  f"{entry['finish_reason']}" if "finish_reason" in entry else "")
        self("request", f"{entry['method']} {entry['path']} {entry['model']} "
                        f"{entry['status']}{tokens} {entry['seconds']:.2f}s", **entry)


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/v1"


def _bind(host: str, port: int) -> socket.socket:
    """The listening address, taken before the model loads so a busy port fails at once.
    Connections are accepted only once the server is ready (uvicorn calls listen)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        raise StudioError(msg("cli.cannot_listen", host=host, port=port,
                              error=exc.strerror or exc)) from None
    sock.set_inheritable(True)
    return sock


def run(args: argparse.Namespace) -> int:
    out = Output(json_lines=not sys.stdout.isatty())
    api_key = args.api_key or os.environ.get(KEY_ENV) or None

    def fail(message: str, code: int) -> int:
        out("error", f"peft-studio serve: {message}", message=message)
        return code

    if args.host not in LOCAL_HOSTS and not api_key:
        return fail(msg("cli.public_needs_key", host=args.host, variable=KEY_ENV), 2)
    if args.max_queue < 0:
        return fail(msg("cli.max_queue_negative", value=args.max_queue), 2)
    from studio.cli.chat import prepare

    try:
        base, sources, names, task = prepare(args)
        sock = _bind(args.host, args.port)
    except StudioError as exc:
        return fail(exc.message, 2)
    try:
        app, models = _load(args, base, sources, names, task, api_key, out)
    except StudioError as exc:
        sock.close()
        return fail(exc.message, 1)
    _serve(app, sock, args.host, out, models, keyed=api_key is not None)


def _load(args: argparse.Namespace, base: str, sources: list[Any], names: list[str],
          task: str | None, api_key: str | None, out: Output) -> tuple[Any, Any]:
    from studio.core.inference import InferenceSession
    from studio.core.serving.app import create_app
    from studio.core.serving.jobs import ServedModels
    from studio.core.serving.worker import ModelWorker

    def say(stage: str) -> None:
        out("loading", f"[{stage}]", stage=stage)

    worker = ModelWorker(args.max_queue)
    labels = next((s.label_names for s in sources if s.label_names), None)
    session = InferenceSession(base, task=task, device=args.device, label_names=labels)

    def load() -> None:   # on the model's thread, which then runs every request
        session.load(say)
        for name, source in zip(names, sources):
            session.add_adapter(name, source, progress=say)

    worker.call(load)
    models = ServedModels(session, names)
    return create_app(models, worker, api_key=api_key, log=out.request), models


def _serve(app: Any, sock: socket.socket, host: str, out: Output, models: Any,
           keyed: bool) -> NoReturn:
    import uvicorn

    url = _url(host, sock.getsockname()[1])

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:
                out("ready", f"Serving {', '.join(models.ids)} at {url} (Ctrl+C stops)",
                    url=url, models=models.ids, task=models.task, api_key=keyed)

        def handle_exit(self, sig: int, frame: Any) -> None:
            super().handle_exit(sig, frame)
            # uvicorn re-raises the signal after shutting down; a stop request is our normal
            # end, reported as the 'stopped' event and exit code 0.
            self._captured_signals.clear()

    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                            timeout_graceful_shutdown=3)
    server = Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    out("stopped", "stopped")
    # Freeing the model's MindSpore objects at interpreter exit is seconds of garbage
    # collection (5 s for a tiny model); nothing is left to write, so end now.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
