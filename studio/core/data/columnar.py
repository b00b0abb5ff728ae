"""Parquet files and ``datasets`` save_to_disk folders, read with pyarrow (imported lazily).

A save_to_disk folder holds ``state.json`` (its Arrow files) and ``dataset_info.json`` (the
features); a DatasetDict folder holds ``dataset_dict.json`` and one folder per split, of which
``train`` (else the first split) is read. ClassLabel values are turned into their names, and
the names, in id order, are kept as the column's class names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..messages import msg
from ..parsing import load_json
from .table import Table, located_error

ARROW_MARKERS = ("state.json", "dataset_info.json", "dataset_dict.json")


def is_arrow_folder(path: Path) -> bool:
    return path.is_dir() and any((path / name).is_file() for name in ARROW_MARKERS)


def _table_rows(table: Any, path: str, file_type: str) -> Table:
    rows = table.to_pylist()
    if not rows:
        raise located_error(msg("data.dataset_no_rows"), path)
    return Table(rows, path, list(range(1, len(rows) + 1)), "row", file_type,
                 list(table.column_names))


def read_parquet(path: Path) -> Table:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(str(path))
    except (pa.ArrowException, OSError) as exc:
        raise located_error(msg("data.not_readable_parquet_file", error=exc), str(path)) from exc
    return _table_rows(table, str(path), "parquet")


def _read_arrow_file(path: Path) -> Any:
    import pyarrow as pa

    try:
        with pa.memory_map(str(path)) as source:
            return pa.ipc.open_stream(source).read_all()
    except (pa.ArrowInvalid, OSError):
        try:
            with pa.memory_map(str(path)) as source:
                return pa.ipc.open_file(source).read_all()
        except (pa.ArrowException, OSError) as exc:
            raise located_error(msg("data.not_readable_arrow_file", error=exc), str(path)) from exc


def _class_names(info: dict[str, Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for column, feature in (info.get("features") or {}).items():
        if not isinstance(feature, dict):
            continue
        inner = feature.get("feature") if feature.get("_type") in (
            "Sequence", "List", "LargeList") else feature
        if isinstance(inner, dict) and inner.get("_type") == "ClassLabel" and inner.get("names"):
            found[column] = [str(n) for n in inner["names"]]
    return found


def _name_of(value: Any, names: list[str]) -> Any:
    if isinstance(value, list):
        return [_name_of(v, names) for v in value]
    if isinstance(value, int) and 0 <= value < len(names):
        return names[value]
    return None if isinstance(value, int) else value  # -1 = no label


MAX_METADATA_BYTES = 16 << 20  # state.json and friends are small; refuse anything huge


def _load_json(path: Path) -> dict[str, Any]:
    from .reading import check_file

    if check_file(path) > MAX_METADATA_BYTES:
        raise located_error(msg("data.too_large_datasets_metadata",
                                name=path.name), str(path.parent))
    try:
        data = load_json(path.read_text(encoding="utf-8"), allow_nan=True)
    except (OSError, ValueError) as exc:
        raise located_error(msg("data.cannot_read",
                                name=path.name, error=exc), str(path.parent)) from exc
    if not isinstance(data, dict):
        raise located_error(msg("data.not_json_object_found", name=path.name,
                                kind=type(data).__name__),
                            str(path.parent))
    return data


def _inside(root: Path, name: Any, what: str, meta: str) -> Path:
    """``root / name`` for a name read from metadata, refused unless it is a plain entry of
    ``root`` (no '..', no absolute path, no link that leads out)."""
    if not isinstance(name, str) or not name or name in (".", "..") or "/" in name \
            or "\\" in name or "\x00" in name:
        shown = repr(name) if len(repr(name)) <= 60 else repr(name)[:59] + "…"
        raise located_error(msg("data.names_which_not_plain",
                                meta=meta, what=what, shown=shown), str(root))
    target = root / name
    if not target.resolve().is_relative_to(root.resolve()) or target.resolve() == root.resolve():
        raise located_error(msg("data.names_which_leads_outside", meta=meta, what=what,
                                name=name), str(root))
    return target


def read_arrow(path: Path, depth: int = 0) -> Table:
    import pyarrow as pa

    from .reading import MAX_DATA_BYTES, check_file, size_text

    if path.is_file():
        check_file(path)
        return _table_rows(_read_arrow_file(path), str(path), "arrow")
    if (path / "dataset_dict.json").is_file():
        splits = _load_json(path / "dataset_dict.json").get("splits") or []
        if not isinstance(splits, list) or not splits:
            raise located_error(msg("data.dataset_dict_json_lists"), str(path))
        split = "train" if "train" in splits else splits[0]
        if depth > 0:
            raise located_error(msg("data.split_folder_holds_another"), str(path))
        folder = _inside(path, split, "split", "dataset_dict.json")
        if not folder.is_dir():
            raise located_error(msg("data.dataset_dict_json_names", split=split), str(path))
        return read_arrow(folder, depth + 1)
    state = _load_json(path / "state.json") if (path / "state.json").is_file() else {}
    entries = state.get("_data_files") or []
    if not isinstance(entries, list):
        raise located_error(msg("data.state_json_data_files"), str(path))
    files = [_inside(path, entry.get("filename") if isinstance(entry, dict) else entry,
                     "data file", "state.json") for entry in entries]
    if not files:
        files = sorted(path.glob("*.arrow"))
    if not files:
        raise located_error(msg("data.no_arrow_data_files"), str(path))
    total = 0
    for file in files:
        if not file.is_file():
            raise located_error(msg("data.state_json_names_data", name=file.name), str(path))
        total += check_file(file)
    if total > MAX_DATA_BYTES:
        raise located_error(msg("data.holds_data_data_read", total=size_text(total),
                                max_data_bytes=size_text(MAX_DATA_BYTES)), str(path))
    table = pa.concat_tables([_read_arrow_file(f) for f in files])
    result = _table_rows(table, str(path), "arrow")
    info = _load_json(path / "dataset_info.json") if (path / "dataset_info.json").is_file() else {}
    result.class_names = _class_names(info)
    for column, names in result.class_names.items():
        for row in result.rows:
            row[column] = _name_of(row.get(column), names)
    return result
