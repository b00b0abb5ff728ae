"""Which folders are the studio's own: the only ones it will ever replace or delete.

Every folder the studio creates as a run output or an export holds a small marker file,
``.peft-studio`` (JSON: what the folder is, and for a run its id). ``export --overwrite``
replaces only an export folder, ``runs delete --files`` removes only that run's own folder,
and neither goes through a symbolic link. Folders written before the marker existed count
as the studio's when what is in them could only have come from it: a run folder holding
``run.yaml`` next to ``peft_studio.json`` (of that run) or a checkpoint. Exports older than
the marker are not replaced: nothing in them tells them apart from a folder of the user's.
"""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path
from typing import Any

from . import atomic
from .messages import msg

MARKER = ".peft-studio"
RUN, EXPORT = "run", "export"


def mark(folder: Path, kind: str, **details: Any) -> None:
    info = {"app": "peft-studio", "kind": kind, "created_at": time.time(), **details}
    atomic.write_text(folder / MARKER, json.dumps(info, indent=2) + "\n")


def _regular_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _json(path: Path) -> dict[str, Any] | None:
    if not _regular_file(path):
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def marker(folder: Path) -> dict[str, Any] | None:
    """The folder's marker, or None (missing, a link, not JSON, not ours)."""
    data = _json(folder / MARKER)
    return data if data is not None and data.get("app") == "peft-studio" else None


def _legacy_run(folder: Path, run_id: str | None) -> bool:
    if not _regular_file(folder / "run.yaml"):
        return False
    info = _json(folder / "peft_studio.json")
    if info is not None:
        return run_id is None or info.get("run_id") in (None, run_id)
    return any(_regular_file(step / "trainer_state.json")
               for step in (folder / "checkpoints").glob("step-*"))


def is_link(folder: Path) -> bool:
    """Whether the folder as given (not its parents) is a symbolic link or a junction."""
    path = Path(os.path.abspath(folder.expanduser()))
    return path.is_symlink() or bool(getattr(path, "is_junction", lambda: False)())


def is_run_folder(folder: Path, run_id: str | None = None) -> bool:
    """The output folder of run ``run_id`` (any run when None), as the studio made it."""
    info = marker(folder)
    if info is not None:
        return info.get("kind") == RUN and (run_id is None or info.get("run_id") == run_id)
    return _legacy_run(folder, run_id)


def is_export_folder(folder: Path) -> bool:
    """An export the studio wrote (its marker says so)."""
    info = marker(folder)
    return info is not None and info.get("kind") == EXPORT


def output_dir_refusal(value: str | Path, resuming: bool = False) -> str | None:
    """Why ``value`` cannot be a run's output folder, or None. A new run needs a new or empty
    folder of its own; a resumed run continues in its own folder, which holds files by then.
    Never the filesystem root, the home folder, the studio's data folder (the run store) or
    one above it, nor the folder that holds every run's folder."""
    from .. import paths

    folder = Path(value).expanduser().resolve()
    places = {Path(folder.anchor): "ownership.is_root", Path.home().resolve(): "ownership.is_home",
              paths.runs_dir().resolve(): "ownership.is_runs_folder"}
    if folder in places:
        return msg(places[folder], folder=folder)
    if paths.data_dir().resolve().is_relative_to(folder):
        return msg("ownership.holds_store", folder=folder)
    if folder.exists() and not folder.is_dir():
        return msg("ownership.is_file", folder=folder)
    if not resuming and folder.is_dir() and any(folder.iterdir()):
        return msg("ownership.holds_files", folder=folder)
    return None
