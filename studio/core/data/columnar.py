"""Parquet files and ``datasets`` save_to_disk folders, read with pyarrow (imported lazily).

A save_to_disk folder holds ``state.json`` (its Arrow files) and ``dataset_info.json`` (the
features); a DatasetDict folder holds ``dataset_dict.json`` and one folder per split, of which
``train`` (else the first split) is read. ClassLabel values are turned into their names, and
the names, in id order, are kept as the column's class names.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .table import Table, located_error

ARROW_MARKERS = ("state.json", "dataset_info.json", "dataset_dict.json")


def is_arrow_folder(path: Path) -> bool:
    return path.is_dir() and any((path / name).is_file() for name in ARROW_MARKERS)


def _table_rows(table: Any, path: str, file_type: str) -> Table:
    rows = table.to_pylist()
    if not rows:
        raise located_error("the dataset has no rows", path)
    return Table(rows, path, list(range(1, len(rows) + 1)), "row", file_type,
                 list(table.column_names))


def read_parquet(path: Path) -> Table:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(str(path))
    except (pa.ArrowException, OSError) as exc:
        raise located_error(f"not a readable Parquet file: {exc}", str(path)) from exc
    return _table_rows(table, str(path), "parquet")


def _read_arrow_file(path: Path) -> Any:
    import pyarrow as pa

    try:
        with pa.memory_map(str(path)) as source:
            return pa.ipc.open_stream(source).read_all()
    except pa.ArrowInvalid:
        try:
            with pa.memory_map(str(path)) as source:
                return pa.ipc.open_file(source).read_all()
        except (pa.ArrowException, OSError) as exc:
            raise located_error(f"not a readable Arrow file: {exc}", str(path)) from exc


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


def _load_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise located_error(f"cannot read {path.name}: {exc}", str(path.parent)) from exc
    return data if isinstance(data, dict) else {}


def read_arrow(path: Path) -> Table:
    import pyarrow as pa

    if path.is_file():
        return _table_rows(_read_arrow_file(path), str(path), "arrow")
    if (path / "dataset_dict.json").is_file():
        splits = _load_json(path / "dataset_dict.json").get("splits") or []
        if not splits:
            raise located_error("dataset_dict.json lists no splits", str(path))
        split = "train" if "train" in splits else str(splits[0])
        return read_arrow(path / split)
    state = _load_json(path / "state.json") if (path / "state.json").is_file() else {}
    files = [path / f["filename"] for f in state.get("_data_files", []) if "filename" in f]
    if not files:
        files = sorted(path.glob("*.arrow"))
    if not files:
        raise located_error("no Arrow data files in the folder (expected a datasets "
                            "save_to_disk folder)", str(path))
    table = pa.concat_tables([_read_arrow_file(f) for f in files])
    result = _table_rows(table, str(path), "arrow")
    info = _load_json(path / "dataset_info.json") if (path / "dataset_info.json").is_file() else {}
    result.class_names = _class_names(info)
    for column, names in result.class_names.items():
        for row in result.rows:
            row[column] = _name_of(row.get(column), names)
    return result
