"""Downloading a hub model before it is used: its size first (from the hub's file list), then
only the files the studio needs (config, tokenizer, safetensors; pickles only when allowed),
with progress (files, bytes, speed, ETA), into the hub's standard cache so other tools find
it: the Hugging Face cache, or ModelScope's when ModelScope is the source
(``studio.core.modelscope``, its official client). An interrupted download resumes where it
stopped (both clients keep the partial file as ``*.incomplete``); stopping is ending the
process (``peft-studio download`` runs as a child of the window). The source and endpoint
are the ones ``studio.core.hub`` chose. No torch, no mindnlp.
"""

from __future__ import annotations

import fnmatch
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import hub, weightsafety
from .errors import StudioError
from .messages import msg

NEEDED = ("*.json", "*.safetensors", "tokenizer.model", "spiece.model", "*.tiktoken",
          "*.txt", "*.jinja", "sentencepiece.bpe.model")   # no *.py: remote code never runs
PICKLES = ("*.bin", "*.pt", "*.pth")
# Not needed to train or answer, even when they match the patterns above.
_SKIPPED = ("*.onnx*", "*.msgpack", "*.h5", "*.gguf", "onnx/*", "*.md", ".gitattributes")


@dataclass
class RemoteFile:
    name: str
    size: int
    sha256: str | None = None      # ModelScope's list has it: the client checks each file


@dataclass
class Plan:
    """What a download will fetch: known before anything is downloaded."""

    repo_id: str
    revision: str                  # the commit, so every file comes from the same one
    endpoint: str
    files: list[RemoteFile] = field(default_factory=list)
    source: str = "huggingface"    # or "modelscope": which client and cache

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        return {"repo_id": self.repo_id, "revision": self.revision, "endpoint": self.endpoint,
                "files": [f.name for f in self.files], "total_bytes": self.total_bytes,
                "source": self.source}


@dataclass
class Progress:
    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int
    speed: float                   # bytes per second over the last few seconds
    eta: float | None              # seconds
    current: str | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def wanted(name: str, allow_pickle: bool) -> bool:
    if any(fnmatch.fnmatch(name, p) for p in _SKIPPED):
        return False
    patterns = NEEDED + (PICKLES if allow_pickle else ())
    return any(fnmatch.fnmatch(Path(name).name, p) for p in patterns)


def _errors() -> tuple[type[BaseException], ...]:
    from huggingface_hub.errors import (
        GatedRepoError,
        LocalEntryNotFoundError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    return GatedRepoError, RepositoryNotFoundError, RevisionNotFoundError, LocalEntryNotFoundError


def _explain(exc: BaseException, repo_id: str, endpoint: str) -> StudioError:
    gated, missing, revision, local = _errors()
    if isinstance(exc, gated):
        return StudioError(msg("download.gated", model=repo_id, endpoint=endpoint))
    if isinstance(exc, missing):
        return StudioError(msg("download.no_such_model", model=repo_id, endpoint=endpoint))
    if isinstance(exc, revision):
        return StudioError(msg("download.no_such_revision", model=repo_id, endpoint=endpoint))
    if isinstance(exc, local):
        return StudioError(msg("download.unreachable", model=repo_id, endpoint=endpoint))
    return StudioError(msg("download.failed", model=repo_id, endpoint=endpoint,
                           error=f"{type(exc).__name__}: {exc}"))


def plan(repo_id: str, allow_pickle: bool | None = None, revision: str | None = None) -> Plan:
    """The files to fetch and their sizes, from the hub's file list. Pickle weights are left
    out (unless allowed) when the repository has safetensors; a repository with pickles only
    is refused with the reason."""
    allow = weightsafety.pickle_allowed() if allow_pickle is None else allow_pickle
    source = hub.from_environment().source
    if hub.offline():
        raise StudioError(msg("download.offline", model=repo_id))
    if source == "modelscope":
        from . import modelscope

        endpoint, rev, listed = modelscope.listing(repo_id, revision)
        siblings = [RemoteFile(f["path"], f["size"], f["sha256"]) for f in listed]
    else:
        endpoint, rev, siblings = _hf_listing(repo_id, revision)
    names = [s.name for s in siblings]
    has_safe = any(n.endswith(".safetensors") for n in names)
    pickled = [n for n in names if any(fnmatch.fnmatch(Path(n).name, p) for p in PICKLES)
               and wanted(n, True)]
    if not has_safe and pickled and not allow:
        raise weightsafety.PickleWeightsRefusedError(msg(
            "download.pickles_only", model=repo_id, endpoint=endpoint,
            files=", ".join(pickled[:3])))
    files = [f for f in siblings if wanted(f.name, allow and not has_safe)]
    if not any(f.name == "config.json" for f in files):
        raise StudioError(msg("download.no_config", model=repo_id, endpoint=endpoint))
    return Plan(repo_id, rev, endpoint, files, source)


def _hf_listing(repo_id: str, revision: str | None) -> tuple[str, str, list[RemoteFile]]:
    from huggingface_hub import HfApi

    endpoint = hub.from_environment().url
    try:
        info = HfApi(endpoint=endpoint).model_info(repo_id, revision=revision,
                                                   files_metadata=True)
    except Exception as exc:  # noqa: BLE001 - network and hub errors become one message
        raise _explain(exc, repo_id, endpoint) from None
    siblings = [RemoteFile(s.rfilename, int(s.size or 0)) for s in info.siblings or ()]
    return endpoint, str(info.sha or revision or "main"), siblings


def hub_cache() -> Path:
    """The standard Hugging Face cache (read now: tests and users may point it elsewhere)."""
    return Path(os.environ.get("HF_HUB_CACHE") or os.path.join(
        os.environ.get("HF_HOME") or os.path.join(Path.home(), ".cache", "huggingface"), "hub"))


def _partial_bytes(repo_id: str) -> int:
    """Bytes in the hub cache's ``*.incomplete`` files of this repository (the file being
    downloaded now, or left by an interrupted download)."""
    blobs = hub_cache() / ("models--" + repo_id.replace("/", "--")) / "blobs"
    try:
        return sum(p.stat().st_size for p in blobs.glob("*.incomplete"))
    except OSError:
        return 0


def _hf_downloader(chosen: Plan) -> tuple[Callable[[str, int, str | None], Path],
                                          Callable[[], int]]:
    from huggingface_hub import hf_hub_download

    def get(name: str, _size: int, _sha256: str | None) -> Path:
        try:
            path = Path(hf_hub_download(chosen.repo_id, name, revision=chosen.revision,
                                        endpoint=chosen.endpoint, cache_dir=hub_cache()))
        except Exception as exc:  # noqa: BLE001 - one message naming the file
            raise _explain(exc, chosen.repo_id, chosen.endpoint) from None
        return path

    return get, lambda: _partial_bytes(chosen.repo_id)


def fetch(chosen: Plan, on_progress: Callable[[Progress], None] | None = None,
          interval: float = 0.5) -> Path:
    """Download the plan's files into the hub's cache; returns the snapshot folder."""
    if chosen.source == "modelscope":
        from . import modelscope

        get, partial = modelscope.downloader(chosen.repo_id, chosen.revision, chosen.endpoint)
    else:
        get, partial = _hf_downloader(chosen)
    report = on_progress or (lambda _p: None)
    done_bytes = 0
    done_files = 0
    current: list[str | None] = [None]
    samples: list[tuple[float, int]] = []
    stop = threading.Event()

    def progress() -> Progress:
        now_bytes = min(chosen.total_bytes, done_bytes + partial())
        now = time.monotonic()
        samples.append((now, now_bytes))
        while len(samples) > 2 and now - samples[0][0] > 5:
            samples.pop(0)
        elapsed = now - samples[0][0]
        speed = (now_bytes - samples[0][1]) / elapsed if elapsed > 0 else 0.0
        left = chosen.total_bytes - now_bytes
        return Progress(done_files, len(chosen.files), now_bytes, chosen.total_bytes, speed,
                        left / speed if speed > 0 else None, current[0])

    def watch() -> None:
        while not stop.wait(interval):
            report(progress())

    watcher = threading.Thread(target=watch, name="download-progress", daemon=True)
    watcher.start()
    folder: Path | None = None
    try:
        for remote in chosen.files:
            current[0] = remote.name
            path = get(remote.name, remote.size, remote.sha256)
            folder = path.parents[len(Path(remote.name).parts) - 1]
            done_bytes += remote.size
            done_files += 1
    finally:
        stop.set()
        watcher.join()
    current[0] = None
    report(progress())
    if folder is None:
        raise StudioError(msg("download.no_files", model=chosen.repo_id))
    return folder


def cached(repo_id: str) -> Path | None:
    """The cached snapshot folder of a hub id (in the chosen source's cache) when it holds
    config.json and all its weights."""
    from .modelinfo import _cached_snapshot

    snapshot = _cached_snapshot(repo_id)
    if snapshot is None:
        return None
    for index in ("model.safetensors.index.json", "pytorch_model.bin.index.json"):
        if (snapshot / index).is_file():   # sharded: a download stopped between shards
            try:
                shards = set(json.loads((snapshot / index).read_text())["weight_map"].values())
            except (OSError, ValueError, KeyError, AttributeError):
                return None
            return snapshot if all((snapshot / s).is_file() for s in shards) else None
    weights = [p for p in snapshot.iterdir() if p.name.endswith((".safetensors", ".bin"))]
    return snapshot if weights else None


def offline_not_cached(model: str) -> StudioError:
    """Offline, and ``model`` is not in the chosen source's cache: say which cache."""
    if hub.from_environment().source == "modelscope":
        from .modelscope import cache_root

        return StudioError(msg("download.offline_not_cached_modelscope", model=model,
                               cache=cache_root()))
    return StudioError(msg("download.offline_not_cached", model=model))


def ensure(model: str, report: Callable[[str, dict[str, Any]], None] | None = None) -> str:
    """A local folder for ``model`` before anything loads it: a local path as it is; a hub id
    downloaded first (``report("download_plan" | "download_progress", fields)``), or taken
    from the cache when offline."""
    from .modelinfo import looks_like_hub_id, looks_local

    if Path(model).expanduser().is_dir() or looks_local(model) or not looks_like_hub_id(model):
        return model
    if hub.offline():
        found = cached(model)
        if found is None:
            raise offline_not_cached(model)
        return str(found)
    say = report or (lambda _kind, _fields: None)
    chosen = plan(model)
    say("download_plan", chosen.to_dict())
    return str(fetch(chosen, lambda p: say("download_progress", p.to_dict())))


def size_text(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"


def describe(kind: str, fields: dict[str, Any]) -> str:
    """One line for a download event (logs, the command line, progress labels)."""
    if kind == "download_plan":
        return (f"downloading {fields['repo_id']}: {len(fields['files'])} files, "
                f"{size_text(fields['total_bytes'])} from {fields['endpoint']}")
    eta = f", about {fields['eta']:.0f} s left" if fields.get("eta") is not None else ""
    return (f"downloaded {fields['files_done']}/{fields['files_total']} files, "
            f"{size_text(fields['bytes_done'])} of {size_text(fields['bytes_total'])} "
            f"({size_text(fields['speed'])}/s{eta})")
