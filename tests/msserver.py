"""A local stand-in for ModelScope on 127.0.0.1, serving folders from disk the way the
endpoints the official client (``modelscope_hub``) calls answer:

- ``GET /api/v1/models/OWNER/NAME/repo/files?Revision=R&Recursive=True``: the file list
  (``{"Code": 200, "Data": {"Files": [{"Path", "Name", "Size", "Sha256", "Type": "blob" |
  "tree", ...}]}, "Success": true}``);
- ``GET /api/v1/models/OWNER/NAME/repo?Revision=R&FilePath=F``: a file, with ``Range``;
- anything else (a missing model, ``/api/v1/repos/internalAccelerationInfo``): 404 with
  ModelScope's error body; a model in ``private``: 401.

The client is pointed here with ``MODELSCOPE_ENDPOINT``. No test touches the internet."""

from __future__ import annotations

import hashlib
import json
import re
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from hubserver import FakeHub

_FILES = re.compile(r"^/api/v1/models/(?P<repo>[^/]+/[^/]+)/repo/files$")
_FILE = re.compile(r"^/api/v1/models/(?P<repo>[^/]+/[^/]+)/repo$")


class FakeModelScope(FakeHub):
    private: frozenset[str] = frozenset()     # repos that answer 401 (a login is needed)

    def _error(self, handler: BaseHTTPRequestHandler, code: str, message: str,
               status: int = 404) -> None:
        body = json.dumps({"Code": 10010205001, "Message": message, "RequestId": code,
                           "Success": False}).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _json(self, handler: BaseHTTPRequestHandler, data: object) -> None:
        body = json.dumps(data).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    @staticmethod
    def _entry(folder: Path, path: Path) -> dict[str, object]:
        name = path.relative_to(folder).as_posix()
        if path.is_dir():
            return {"Name": path.name, "Path": name, "Type": "tree", "Size": 0}
        return {"Name": path.name, "Path": name, "Type": "blob", "Size": path.stat().st_size,
                "Sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                "IsLFS": path.suffix == ".safetensors", "Revision": "0123abcd"}

    def _serve(self, handler: BaseHTTPRequestHandler, body: bool) -> None:
        url = urlsplit(handler.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        self.requests.append({"method": handler.command, "path": url.path, "query": query,
                              "range": handler.headers.get("Range")})
        listing, one = _FILES.match(url.path), _FILE.match(url.path)
        match = listing or one
        folder = self.repos.get(match.group("repo")) if match else None
        if match and match.group("repo") in self.private:
            self._error(handler, "denied", "Authentication required", status=401)
            return
        if folder is None:
            self._error(handler, "not-found", "Model not found")
            return
        if listing:
            self._json(handler, {"Code": 200, "Message": "success", "Success": True, "Data": {
                "Files": [self._entry(folder, p) for p in sorted(folder.rglob("*"))]}})
            return
        file = folder / query.get("FilePath", "")
        if not query.get("FilePath") or not file.is_file():
            self._error(handler, "no-file", "File not found")
            return
        self._send_file(handler, file.read_bytes(), query["FilePath"], body, {})
