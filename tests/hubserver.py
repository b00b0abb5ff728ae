"""A local stand-in for the Hugging Face hub on 127.0.0.1: the endpoints huggingface_hub's
``model_info`` and ``hf_hub_download`` use (``/api/models/ORG/NAME[/revision/REV]``, HEAD
and GET of ``/ORG/NAME/resolve/REV/FILE`` with ranges), serving folders from disk. It can
stall a file after some bytes, to interrupt a download. No test touches the internet."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self

SHA = "0123456789abcdef0123456789abcdef01234567"
_API = re.compile(r"^/api/models/(?P<repo>[^/]+/[^/]+)(?:/revision/(?P<rev>[^/?]+))?$")
_RESOLVE = re.compile(r"^/(?P<repo>[^/]+/[^/]+)/resolve/(?P<rev>[^/]+)/(?P<file>.+)$")

# HF_HUB_DOWNLOAD_TIMEOUT for a test that stalls a file: huggingface_hub resumes a read that
# stalls for its default 10 s, which on a busy machine finished the file before the test looked
STALLED_READ_TIMEOUT = "120"


def partial_sizes(blobs: Path) -> list[int]:
    """The sizes of the partial downloads in a cache's blobs folder (a file can be renamed
    between the listing and the reading)."""
    sizes = []
    for part in blobs.glob("*.incomplete"):
        with contextlib.suppress(FileNotFoundError):
            sizes.append(part.stat().st_size)
    return sizes


class FakeHub:
    def __init__(self, repos: dict[str, Path]):
        self.repos = repos
        self.requests: list[dict[str, Any]] = []
        self.stall: dict[str, int] = {}          # file name -> bytes sent before stalling
        self.rate: dict[str, int] = {}           # file name -> bytes per second (screenshots)
        self.release = threading.Event()
        hub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:   # quiet test output
                pass

            def do_HEAD(self) -> None:
                hub._serve(self, body=False)

            def do_GET(self) -> None:
                hub._serve(self, body=True)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    # ---- serving ---------------------------------------------------------------------
    def _error(self, handler: BaseHTTPRequestHandler, code: str, message: str) -> None:
        body = json.dumps({"error": message}).encode()
        handler.send_response(404)
        handler.send_header("X-Error-Code", code)
        handler.send_header("X-Error-Message", message)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _serve(self, handler: BaseHTTPRequestHandler, body: bool) -> None:
        path = handler.path.split("?")[0]
        self.requests.append({"method": handler.command, "path": path,
                              "range": handler.headers.get("Range")})
        api, resolve = _API.match(path), _RESOLVE.match(path)
        match = api or resolve
        folder = self.repos.get(match.group("repo")) if match else None
        if folder is None:
            self._error(handler, "RepoNotFound", "Repository not found")
            return
        if api:
            files = sorted(p for p in folder.rglob("*") if p.is_file())
            data = json.dumps({"id": match.group("repo"), "modelId": match.group("repo"),
                               "sha": SHA, "private": False,
                               "siblings": [{"rfilename": p.relative_to(folder).as_posix(),
                                             "size": p.stat().st_size} for p in files]}).encode()
            handler.send_response(200)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            if body:
                handler.wfile.write(data)
            return
        file = folder / resolve.group("file")
        if not file.is_file():
            self._error(handler, "EntryNotFound", "Entry not found")
            return
        self._send_file(handler, file.read_bytes(), resolve.group("file"), body,
                        {"X-Repo-Commit": SHA})

    def _send_file(self, handler: BaseHTTPRequestHandler, content: bytes, name: str, body: bool,
                   headers: dict[str, str]) -> None:
        """A file's bytes from the ``Range`` asked for (``bytes=N-``); a file in ``stall``
        stops after that many bytes until ``release`` (the client is stopped meanwhile)."""
        start = 0
        wanted = handler.headers.get("Range")
        if wanted and (found := re.match(r"bytes=(\d+)-$", wanted)):
            start = int(found.group(1))
        part = content[start:]
        handler.send_response(206 if start else 200)
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.send_header("ETag", '"' + hashlib.sha256(content).hexdigest() + '"')
        handler.send_header("Content-Length", str(len(part)))
        if start:
            handler.send_header("Content-Range", f"bytes {start}-{len(content) - 1}/{len(content)}")
        handler.end_headers()
        if not body:
            return
        stall = self.stall.get(name)
        if stall is not None and not start:
            handler.wfile.write(part[:stall])
            handler.wfile.flush()
            self.release.wait(60)    # until the test has stopped the client
            handler.close_connection = True
            return
        rate = self.rate.get(name)
        if rate:
            piece = max(1, rate // 10)
            for at in range(0, len(part), piece):
                if self.release.wait(0.1):   # shutting down
                    return
                handler.wfile.write(part[at:at + piece])
            return
        handler.wfile.write(part)
