"""ModelScope as a download source, through its official client ``modelscope-hub``
(``modelscope_hub``; the ``modelscope`` package's own download functions are shims over it,
and importing that package imports torch, which must not happen before mindnlp).

The client reads ``MODELSCOPE_ENDPOINT`` (another site, a private deployment, the tests'
stand-in on 127.0.0.1); without it, it looks for the repository on modelscope.cn, then on
modelscope.ai. Files go into ModelScope's standard cache (``MODELSCOPE_CACHE``, default
``~/.cache/modelscope``) as ``models/OWNER--NAME/snapshots/REVISION/``; the client keeps a
file being downloaded as ``FILE.incomplete`` there and resumes it with a range request.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import StudioError
from .messages import msg

REVISION = "master"      # ModelScope's default branch
CACHE_ENV = "MODELSCOPE_CACHE"


def _client() -> Any:
    try:
        import modelscope_hub
    except ImportError:
        raise StudioError(msg("hub.modelscope_missing")) from None
    return modelscope_hub


def _api(endpoint: str | None = None) -> Any:
    client = _client()
    # A fresh configuration: the environment (endpoint, cache, token) is read now, not at the
    # client's first use in this process.
    return client.HubApi(config=client.HubConfig(), endpoint=endpoint)


def default_endpoint() -> str:
    """Where the client goes: ``MODELSCOPE_ENDPOINT`` or its default site."""
    return str(_client().HubConfig().endpoint)


def cache_root() -> Path:
    """ModelScope's cache (read now, as the client does; no import of the client)."""
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "modelscope").expanduser()


def _snapshot_folders(repo_id: str) -> list[Path]:
    """Where the client keeps a model, in the order it looks: the folders of clients before
    1.38 (``OWNER/NAME`` with dots as ``___``, also under ``hub/``), then the snapshots."""
    root = cache_root()
    owner, _, name = repo_id.partition("/")
    legacy = [root / "models" / owner / name.replace(".", "___"),
              root / "hub" / "models" / owner / name.replace(".", "___")]
    snapshots = root / "models" / repo_id.replace("/", "--") / "snapshots"
    found = [snapshots / REVISION, snapshots / "main"]
    if snapshots.is_dir():
        found += sorted((p for p in snapshots.iterdir() if p not in found),
                        key=lambda p: p.stat().st_mtime, reverse=True)
    return legacy + found


def cached_snapshot(repo_id: str) -> Path | None:
    """The folder of ``repo_id`` in ModelScope's cache that has config.json."""
    for folder in _snapshot_folders(repo_id):
        if (folder / "config.json").is_file():
            return folder
    return None


def explain(exc: BaseException, repo_id: str, endpoint: str) -> StudioError:
    """One message for the client's errors, naming the model and where it was looked for."""
    client = _client()
    if isinstance(exc, client.NotExistError):
        return StudioError(msg("download.no_such_model", model=repo_id, endpoint=endpoint))
    if isinstance(exc, (client.AuthenticationError, client.PermissionDeniedError)):
        return StudioError(msg("download.modelscope_denied", model=repo_id, endpoint=endpoint))
    if isinstance(exc, client.NetworkError):
        return StudioError(msg("download.modelscope_unreachable", model=repo_id,
                               endpoint=endpoint, error=exc))
    return StudioError(msg("download.failed", model=repo_id, endpoint=endpoint,
                           error=f"{type(exc).__name__}: {exc}"))


def listing(repo_id: str, revision: str | None) -> tuple[str, str, list[dict[str, Any]]]:
    """(endpoint, revision, files) from the hub's file list: ``path``, ``size``, ``sha256``
    of every file (folders left out). Nothing is downloaded."""
    endpoint = default_endpoint()
    try:
        # MODELSCOPE_ENDPOINT when set; otherwise the site that has the model (.cn, then .ai)
        endpoint = _api().resolve_endpoint_for_read(repo_id)
        files = _api(endpoint).list_repo_files(repo_id, "model", revision=revision or REVISION)
    except Exception as exc:  # noqa: BLE001 - the client's errors become one message
        raise explain(exc, repo_id, endpoint) from None
    return endpoint, revision or REVISION, [
        {"path": f.path, "size": int(f.size or 0), "sha256": f.sha256}
        for f in files if not f.is_dir and f.path]


class Downloader:
    """Downloads one plan's files with the client; ``partial`` is the bytes of the file being
    downloaded (a resumed file counts from what was already there)."""

    def __init__(self, repo_id: str, revision: str, endpoint: str):
        self.repo_id, self.revision, self.endpoint = repo_id, revision, endpoint
        self.partial = 0
        self._api = _api(endpoint)
        base = _client().ProgressCallback
        owner = self

        class Meter(base):  # type: ignore[misc, valid-type]
            """The client makes one per file and calls ``update`` with each chunk (negative
            when it starts a file over)."""

            def update(self, size: int) -> None:
                owner.partial += size

        self._meter = Meter

    def __call__(self, name: str, size: int, sha256: str | None) -> Path:
        self.partial = 0
        try:
            path = self._api.downloader.download_file(
                self.repo_id, "model", name, revision=self.revision, file_size=size,
                expected_sha256=sha256, progress_callbacks=[self._meter])
        except Exception as exc:  # noqa: BLE001 - one message naming the model
            raise explain(exc, self.repo_id, self.endpoint) from None
        finally:
            self.partial = 0
        return Path(path)


def downloader(repo_id: str, revision: str, endpoint: str) -> tuple[
        Callable[[str, int, str | None], Path], Callable[[], int]]:
    """(download one file, bytes of the file in progress) for ``download.fetch``."""
    get = Downloader(repo_id, revision, endpoint)
    return get, lambda: get.partial
