"""Files the user keeps, written so that a crash, a full disk or a power cut leaves either the
old file or the new one, never a mix: a temporary file in the same folder, flushed to disk,
renamed over the target, and the folder itself flushed so the rename survives a power cut.

Every writer of a kept file goes through here (run files, ``run.yaml``, ``peft_studio.json``,
the final adapter, checkpoints, exports, folder markers)."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

_TEMP_PREFIX = ".tmp-"


def fsync_dir(folder: str | Path) -> None:
    """Flush a folder's entries (new names, renames) to disk. Windows cannot open a folder
    for this; its renames are journaled by NTFS."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: str | Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(folder: Path) -> None:
    """Flush every file and folder under ``folder`` (itself included); symlinks are left as
    they are and never followed."""
    for root, _dirs, files in os.walk(folder, topdown=False):
        for name in files:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                fsync_file(path)
        fsync_dir(root)


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Replace ``path`` with ``data`` atomically. A symlink is written through (its target
    is replaced), and an existing file keeps its permissions. Returns the path written."""
    target = Path(os.path.realpath(Path(path).expanduser()))
    temp = target.with_name(f"{_TEMP_PREFIX}{target.name}.{secrets.token_hex(4)}")
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if mode is not None:
                os.chmod(temp, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)
    return target


def write_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    return write_bytes(path, text.encode(encoding))


def publish_files(staging: Path, folder: Path) -> list[str]:
    """Move every file written under ``staging`` into ``folder`` at the same relative path,
    each one atomically (flushed, then renamed over any older file of that name), then
    remove ``staging``. Files of ``folder`` that ``staging`` does not hold are left alone.
    Returns the relative paths published."""
    fsync_tree(staging)
    published = []
    touched: set[Path] = set()
    for root, _dirs, files in os.walk(staging):
        for name in sorted(files):
            source = Path(root) / name
            relative = source.relative_to(staging)
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
            touched.add(target.parent)
            published.append(relative.as_posix())
    for parent in sorted(touched, key=lambda p: len(p.parts), reverse=True):
        fsync_dir(parent)
    for root, dirs, _files in os.walk(staging, topdown=False):
        for name in dirs:
            os.rmdir(os.path.join(root, name))
    os.rmdir(staging)
    return sorted(published)
