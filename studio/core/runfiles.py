"""A run's files on disk, shared by ``peft-studio runs`` and the window's Runs page: whether
its trainer is still alive, removing its output folder safely, and writing it back out as a
run file. The store keeps rows only; this module is where the files are handled."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .. import paths
from . import ownership
from .config import from_dict
from .errors import StudioError
from .messages import msg
from .records import RunRecord
from .store import pid_alive

RUN_FILE_HEADER = ("# Run file exported from PEFT Studio (run {id}, {name}).\n"
                   "# Start a new run with it:  peft-studio train {file}\n")


def is_training(run: RunRecord) -> bool:
    """A running run whose process is alive, or that has not recorded its process yet."""
    return run.status == "running" and (run.pid is None or pid_alive(run.pid))


def output_folder(run: RunRecord) -> Path | None:
    return Path(run.output_dir).expanduser() if run.output_dir else None


def folder_size(folder: Path) -> int:
    """Bytes under ``folder`` (0 if it is missing); unreadable entries are skipped."""
    total = 0
    for root, _dirs, files in os.walk(folder, onerror=lambda _exc: None):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total


def removal_refusal(folder: Path, run_id: str) -> str | None:
    """Why ``folder`` must not be deleted as the output folder of run ``run_id``, or None:
    only that run's own folder as the studio made it goes (see ``studio.core.ownership``),
    never through a symbolic link, never the filesystem root, the home folder, a parent of
    the studio's data folder, or a file."""
    resolved = folder.expanduser().resolve()
    protected = {Path(resolved.anchor), Path.home().resolve(), paths.runs_dir().resolve()}
    if ownership.is_link(folder):
        return msg("runfiles.is_link", target=resolved)
    if resolved in protected or paths.data_dir().resolve().is_relative_to(resolved) \
            or not resolved.is_dir():
        return msg("runfiles.not_run_folder")
    if not ownership.is_run_folder(resolved, run_id):
        return msg("runfiles.not_this_runs_folder", run=run_id, marker=ownership.MARKER)
    return None


def remove_output_folder(folder: Path, run_id: str) -> None:
    """Delete the output folder of run ``run_id``; a StudioError if ``removal_refusal``
    names a reason not to."""
    refusal = removal_refusal(folder, run_id)
    if refusal:
        raise StudioError(msg("runfiles.refusing_delete_run_not", folder=folder, refusal=refusal))
    try:
        shutil.rmtree(folder.expanduser().resolve())
    except OSError as exc:
        raise StudioError(msg("runfiles.could_not_delete_run", folder=folder, error=exc)) from exc


def run_file_text(run: RunRecord, file_name: str = "run.yaml") -> str:
    """The run's config as a run file for ``peft-studio train``. The output folder is left
    out: the old one already holds files, and a new run gets a fresh one."""
    config = from_dict(run.config)   # ConfigError (a StudioError) if the stored config is bad
    config.output_dir = None
    if not config.name:
        config.name = run.name
    header = RUN_FILE_HEADER.format(id=run.id, name=run.name.replace("\n", " "), file=file_name)
    return header + config.dump_yaml()
