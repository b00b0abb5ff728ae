"""Folders with a ``dataset_info.json`` (LLaMA-Factory's convention): a dataset is chosen by
name (``dataset.name``) and its entry says which file holds it and how to read it.

An entry (LLaMA-Factory's data/README.md)::

    "name": {"file_name": "data.json", "formatting": "alpaca" | "sharegpt",
             "ranking": false,
             "columns": {"prompt", "query", "response", "history", "system",   # alpaca
                         "messages", "system", "tools",                       # sharegpt
                         "chosen", "rejected"},                               # ranking
             "tags": {"role_tag", "content_tag", "user_tag", "assistant_tag",
                      "observation_tag", "function_tag", "system_tag"}}

``resolve_catalog`` turns such a config into a plain one (the file's path, the format, the
column fields and the role tags), so the rest of the data layer never sees the catalog.
Settings made in the run file win over the entry's.
"""

from __future__ import annotations

import dataclasses
import stat
from pathlib import Path
from typing import Any

from ..config import DatasetConfig
from ..errors import DatasetError, Problem
from ..messages import msg
from ..parsing import load_json
from .chats import TAG_KEYS

CATALOG = "dataset_info.json"
MAX_CATALOG_BYTES = 16 << 20  # an index of datasets, not data
# Keys that say where an entry's data lives; only file_name is a local file.
_SOURCES = ("file_name", "hf_hub_url", "ms_hub_url", "om_hub_url", "script_url",
            "cloud_file_name")
FORMATTING = {"alpaca": "instruction", "sharegpt": "chat"}
# dataset_info.json column key -> DatasetConfig field
COLUMN_FIELDS = {"prompt": "instruction_column", "query": "input_column",
                 "response": "output_column", "history": "history_column",
                 "system": "system_column", "messages": "messages_column",
                 "tools": "tools_column"}
_MEDIA = ("images", "videos", "audios")


def catalog_entries(folder: Path) -> dict[str, dict[str, Any]] | None:
    """The entries of ``folder/dataset_info.json``, or None when the folder has none (or its
    dataset_info.json is the one ``datasets.save_to_disk`` writes)."""
    file = folder / CATALOG
    try:  # stat first: a pipe named dataset_info.json would block the read
        info = file.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CATALOG_BYTES:
            return None
        data = load_json(file.read_text(encoding="utf-8-sig"), allow_nan=True)
    except (OSError, UnicodeDecodeError, ValueError):  # ValueError: bad, deep or huge JSON
        return None
    if not isinstance(data, dict) or not data or not all(
            isinstance(v, dict) for v in data.values()):
        return None
    if not any(key in entry for entry in data.values() for key in _SOURCES):
        return None
    return data


def dataset_names(path: str) -> list[str]:
    """The names a catalog folder offers (file order); [] for anything else."""
    folder = Path(path).expanduser() if path else None
    entries = catalog_entries(folder) if folder and folder.is_dir() else None
    return list(entries) if entries else []


def _fail(problem: Problem, path: str) -> DatasetError:
    err = DatasetError(problem.text(), path)
    err.problems = [problem]  # type: ignore[attr-defined]
    return err


def _entry_problem(name: str, entry: dict[str, Any], cfg: DatasetConfig) -> Problem | None:
    if not isinstance(entry.get("file_name"), str) or not entry["file_name"]:
        source = next((f"{k}: {entry[k]}" for k in _SOURCES if entry.get(k)), "no file_name")
        return Problem("dataset.name", msg("data.dataset_not_local_file", name=name,
                                           source=source),
                       expected=msg("data.entry_with_file_name"), found=source)
    formatting = entry.get("formatting", "alpaca")
    if formatting not in FORMATTING:
        return Problem("dataset.name", msg("data.dataset_formatting", name=name,
                                           formatting=repr(formatting)),
                       expected=msg("data.alpaca_sharegpt"), found=str(formatting))
    columns = entry.get("columns") or {}
    tags = entry.get("tags") or {}
    if not isinstance(columns, dict) or not isinstance(tags, dict):
        return Problem("dataset.name", msg("data.dataset_columns_tags_must", name=name))
    media = [k for k in _MEDIA if columns.get(k)]
    if media:
        return Problem("dataset.name", msg("data.dataset_peft_studio_trains", name=name,
                                           media=', '.join(media)), found=", ".join(media))
    if entry.get("ranking") and not cfg.output_column:
        how = f"dataset.output_column: {columns.get('chosen') or 'chosen'}"
        return Problem("dataset.output_column", msg("data.dataset_preference_data_ranking",
                                                    name=name, how=how),
                       expected=how)
    return None


def _outside_problem(name: str, entry: dict[str, Any], folder: Path) -> Problem | None:
    """A file_name that leads out of the folder (an absolute path, '..', a link) is refused:
    a folder from elsewhere must not make the studio read files it does not hold."""
    file_name = entry["file_name"]
    target = folder / file_name
    if "\x00" in file_name or Path(file_name).is_absolute() \
            or not target.resolve().is_relative_to(folder.resolve()) \
            or target.resolve() == folder.resolve():
        shown = file_name if len(file_name) <= 60 else file_name[:59] + "…"
        return Problem("dataset.name", msg("data.dataset_names_file_which", name=name,
                                           shown=repr(shown), folder=folder),
                       expected=msg("data.file_name_inside_folder"), found=shown)
    return None


def resolve_catalog(cfg: DatasetConfig) -> DatasetConfig:
    """``cfg`` itself when its path is no catalog folder; otherwise the config of the named
    dataset. DatasetError (with ``problems``) when the name is missing or unusable."""
    folder = Path(cfg.path).expanduser() if cfg.path else None
    entries = catalog_entries(folder) if folder and folder.is_dir() else None
    if entries is None or folder is None:
        if cfg.name:
            raise _fail(Problem("dataset.name",
                                msg("data.set_but_not_folder", value=cfg.path or "dataset.path",
                                    catalog=CATALOG),
                                expected=msg("data.folder_holding_no_dataset", catalog=CATALOG),
                                found=cfg.name), cfg.path)
        return cfg
    names = ", ".join(entries)
    info = str(folder / CATALOG)
    if not cfg.name:
        raise _fail(Problem("dataset.name", msg("data.missing_holds_with_datasets", folder=folder,
                                                catalog=CATALOG, count=len(entries)),
                            expected=msg("data.one", names=names)), info)
    entry = entries.get(cfg.name)
    if entry is None:
        raise _fail(Problem("dataset.name", msg("data.no_dataset_named", name=cfg.name, info=info),
                            expected=msg("data.one", names=names), found=cfg.name), info)
    problem = _entry_problem(cfg.name, entry, cfg) or _outside_problem(cfg.name, entry, folder)
    if problem:
        raise _fail(problem, info)
    columns = entry.get("columns") or {}
    changes: dict[str, Any] = {"path": str(folder / entry["file_name"]), "name": None}
    if not cfg.format or cfg.format == "auto":
        changes["format"] = FORMATTING[entry.get("formatting", "alpaca")]
    for key, field in COLUMN_FIELDS.items():
        if columns.get(key) and not getattr(cfg, field):
            changes[field] = str(columns[key])
    tags = {k: str(v) for k, v in (entry.get("tags") or {}).items() if k in TAG_KEYS and v}
    if tags or cfg.tags:
        changes["tags"] = {**tags, **(cfg.tags or {})}
    return dataclasses.replace(cfg, **changes)
