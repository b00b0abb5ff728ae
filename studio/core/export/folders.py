"""Export folders that appear whole or not at all.

Everything is written into a hidden sibling ``.<name>.partial-XXXX`` and renamed into place
once complete; replacing an existing export (``overwrite=True``) writes the new folder first,
moves the old one aside, renames the new one in and only then deletes the old. A failure at
any point removes the partial folder and leaves what was there before untouched. Only an
export the studio wrote (its ``.peft-studio`` marker, see ``studio.core.ownership``) is ever
replaced, and never through a symbolic link.
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path
from types import TracebackType
from typing import Self

from ... import paths
from .. import atomic, ownership
from ..errors import StudioError
from ..messages import msg
from .tensors import human_size

# Room left over beyond the estimate: config, tokenizer and card files, filesystem slack.
DISK_MARGIN_BYTES = 16 * 10**6


def check_target(out_dir: str | Path, overwrite: bool,
                 protected: tuple[Path, ...] = ()) -> Path:
    """The absolute final folder; refuse a file, a non-empty folder (unless ``overwrite``
    and it is an export the studio wrote, not reached through a symbolic link), and any
    folder whose replacement would delete a source (``protected``) or the studio's own data."""
    given = Path(out_dir).expanduser()
    final = given.resolve()
    if final.exists() and not final.is_dir():
        raise StudioError(msg("export.file_not_folder_choose", final=final))
    danger = {Path(final.anchor), Path.home().resolve()}
    if final in danger or paths.data_dir().resolve().is_relative_to(final):
        raise StudioError(msg("export.refusing_export_into_choose", final=final))
    for source in protected:
        source = source.resolve()
        if source == final or source.is_relative_to(final):
            raise StudioError(msg("export.refusing_export_into_holds", final=final, source=source))
    if final.is_dir() and any(final.iterdir()):
        if not overwrite:
            raise StudioError(msg("export.already_holds_files_choose", final=final))
        _check_replaceable(given, final)
    return final


def _check_replaceable(given: Path, final: Path) -> None:
    if ownership.is_link(given):
        raise StudioError(msg("export.refusing_overwrite_symbolic_link", given=given, final=final))
    if not ownership.is_export_folder(final):
        what = (msg("export.is_run_folder") if ownership.is_run_folder(final)
                else msg("export.not_an_export", marker=ownership.MARKER))
        raise StudioError(msg("export.refusing_overwrite_overwrite_replaces", final=final,
                              what=what))


def existing_ancestor(folder: Path) -> Path:
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            return candidate
    return Path(folder.anchor)


def check_free_space(final: Path, needed_bytes: int) -> None:
    """Raise a StudioError before writing when the disk cannot hold the export."""
    where = existing_ancestor(final.parent)
    free = shutil.disk_usage(where).free
    needed = int(needed_bytes) + DISK_MARGIN_BYTES
    if free < needed:
        raise StudioError(msg("export.not_enough_free_disk", where=where,
                              needed=human_size(needed), free=human_size(free)))


def _new_folder(final: Path, role: str) -> Path:
    """A fresh hidden sibling ``.<name>.<role>-XXXXXXXX`` with the usual permissions
    (tempfile.mkdtemp would make it private to this user)."""
    while True:
        candidate = final.with_name(f".{final.name}.{role}-{secrets.token_hex(4)}")
        try:
            candidate.mkdir()
            return candidate
        except FileExistsError:
            continue


class Staging:
    """``with Staging(final) as staging:`` write into ``staging.path``, then
    ``staging.commit()``; leaving the block without committing (an exception) deletes it."""

    def __init__(self, final: Path):
        self.final = final
        self.path: Path | None = None
        self.committed = False

    def __enter__(self) -> Self:
        self.final.parent.mkdir(parents=True, exist_ok=True)
        self.path = _new_folder(self.final, "partial")
        return self

    def commit(self) -> None:
        assert self.path is not None
        ownership.mark(self.path, ownership.EXPORT)
        atomic.fsync_tree(self.path)  # every file on disk before the folder gets its name
        old: Path | None = None
        if self.final.is_dir() and any(self.final.iterdir()):
            # Checked again: files may have arrived while the export was being computed.
            _check_replaceable(self.final, self.final.resolve())
        if self.final.exists():
            old = _new_folder(self.final, "old")
            os.replace(self.final, old / "replaced")
        try:
            os.replace(self.path, self.final)
        except OSError:
            if old is not None:  # put the previous export back
                os.replace(old / "replaced", self.final)
                shutil.rmtree(old, ignore_errors=True)
            raise
        self.committed = True
        atomic.fsync_dir(self.final.parent)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if not self.committed and self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)


def copy_files(source: Path, target: Path, names: list[str]) -> list[str]:
    copied = []
    for name in names:
        if (source / name).is_file():
            shutil.copy2(source / name, target / name)
            copied.append(name)
    return copied
