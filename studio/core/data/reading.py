"""``read_rows``: one data file (or save_to_disk folder) to a Table.

Pure Python for text formats; pyarrow only for Parquet/Arrow, imported when needed.
"""

from __future__ import annotations

import codecs
import json
import stat
from pathlib import Path
from typing import Any

from ..config import DatasetConfig, path_fault
from ..errors import DatasetError
from ..messages import msg
from ..parsing import ParseError, load_json
from .catalog import resolve_catalog
from .columnar import is_arrow_folder, read_arrow, read_parquet
from .columns import KNOWN_NAMES, ROLE_FIELDS
from .delimited import read_delimited
from .table import Table, located_error

EXTENSIONS = {
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".json": "json", ".jsonl": "jsonl",
    ".ndjson": "jsonl", ".jsonlines": "jsonl", ".parquet": "parquet", ".pq": "parquet",
    ".txt": "text", ".text": "text", ".arrow": "arrow",
}
# Data files are read into memory whole; beyond this a file is refused with a clear message
# instead of exhausting memory (a Python row costs several times its bytes).
MAX_DATA_BYTES = 1 << 30
# Keys under which a JSON object may hold its list of rows, best first.
LIST_KEYS = ("data", "rows", "examples", "train", "records", "items", "instances")


def detect_file_type(path: Path, cfg: DatasetConfig) -> str:
    if cfg.file_type and cfg.file_type != "auto":
        return cfg.file_type
    if path.is_dir():
        return "arrow"
    kind = EXTENSIONS.get(path.suffix.lower())
    if kind == "text" and cfg.delimiter:
        return "csv"  # e.g. the phrasebank's sentence@label .txt with delimiter "@"
    if kind:
        return kind
    if cfg.delimiter:
        return "csv"
    with path.open("rb") as fh:
        head = fh.read(4096).lstrip(codecs.BOM_UTF8).lstrip()
    return "json" if head[:1] in (b"[", b"{") else "text"


def decode(data: bytes, path: str, encoding: str) -> str:
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    try:
        text = data.decode(codec)
    except LookupError:
        raise located_error(msg("data.unknown_encoding_dataset_encoding",
                                encoding=repr(encoding)), path) from None
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise located_error(
            msg("data.cannot_decode_byte_0x", byte=data[exc.start], encoding=encoding),
            path, line, "line") from exc
    return text


def _json_error(exc: json.JSONDecodeError, path: str, line: int | None = None) -> DatasetError:
    return located_error(msg("data.not_valid_json_column", detail=exc.msg, colno=exc.colno), path,
                         line if line is not None else exc.lineno, "line")


def _parse_json(text: str, path: str, line: int | None = None) -> object:
    try:
        return load_json(text, allow_nan=True)
    except ParseError as exc:
        raise located_error(msg("data.not_valid_json_2", error=exc.message), path, line,
                            "line") from None


def size_text(size: int) -> str:
    return f"{size / (1 << 30):.1f} GiB" if size >= 1 << 30 else f"{size / (1 << 20):.1f} MiB"


def check_file(file: Path) -> int:
    """Refuse what cannot be read as data without blocking or exhausting memory: a pipe,
    socket or device (checked with stat, before anything opens it) and files larger than
    MAX_DATA_BYTES. Returns the size in bytes."""
    try:
        info = file.stat()
    except OSError as exc:
        raise located_error(msg("data.cannot_read_file",
                                error=exc.strerror or exc), str(file)) from None
    if stat.S_ISDIR(info.st_mode):
        return 0
    if not stat.S_ISREG(info.st_mode):
        raise located_error(msg("data.not_regular_file_pipe"), str(file))
    if info.st_size > MAX_DATA_BYTES:
        raise located_error(msg("data.data_files_are_read", st_size=size_text(info.st_size),
                                max_data_bytes=size_text(MAX_DATA_BYTES)), str(file))
    return info.st_size


def _check_nul(text: str, path: str) -> None:
    at = text.find("\x00")
    if at >= 0:
        raise located_error(msg("data.holds_nul_characters_so"), path,
                            text.count("\n", 0, at) + 1, "line")


def _check_objects(rows: list[Any], numbers: list[int], path: str, unit: str) -> None:
    first_keys: set[str] | None = None
    for row, number in zip(rows, numbers):
        if not isinstance(row, dict):
            raise located_error(msg("data.expected_json_object_such", name=type(row).__name__,
                                    row=_short(row)), path, number, unit)
        keys = set(row)
        if first_keys is None:
            first_keys = keys
        elif first_keys and keys and not keys & first_keys:
            raise located_error(
                msg("data.inconsistent_columns_fields_share", keys=sorted(keys),
                    first_keys=sorted(first_keys)), path, number, unit)


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def read_jsonl(text: str, path: str) -> Table:
    rows, numbers = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(_parse_json(line, path, number))
        except json.JSONDecodeError as exc:
            raise _json_error(exc, path, number) from exc
        numbers.append(number)
    _check_objects(rows, numbers, path, "line")
    return Table(rows, path, numbers, "line", "jsonl")


def _rows_of(data: Any, path: str) -> list[Any]:
    """The rows of a JSON document: a list; a list under a key such as "data"; or, for an
    object that is itself one example (a JSON-lines file of one line), that object."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in LIST_KEYS:
            if isinstance(data.get(key), list):
                return data[key]
        if any(str(key).lower() in KNOWN_NAMES for key in data):
            return [data]
        lists = [v for v in data.values() if isinstance(v, list)]
        if len(lists) == 1:
            return lists[0]
    raise located_error(msg("data.expected_list_objects_object"), path)


def read_json(text: str, path: str) -> Table:
    try:
        data = _parse_json(text, path)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # JSON lines in a .json file
            return read_jsonl(text, path)
        raise _json_error(exc, path) from exc
    rows = _rows_of(data, path)
    if not rows:
        raise located_error(msg("data.json_holds_no_rows"), path)
    numbers = list(range(1, len(rows) + 1))
    _check_objects(rows, numbers, path, "row")
    return Table(rows, path, numbers, "row", "json")


def read_text_lines(text: str, path: str) -> Table:
    rows, numbers = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            rows.append({"text": line})
            numbers.append(number)
    return Table(rows, path, numbers, "line", "text", ["text"])


def read_rows(cfg: DatasetConfig, path: str | None = None) -> Table:
    """Read ``path`` (default ``cfg.path``, or the file a dataset_info.json folder names) as
    ``cfg.file_type`` (or the detected type)."""
    raw = path if path is not None else cfg.path
    fault = path_fault(raw) if raw else None
    if fault:  # before any filesystem call, which would raise instead of answering
        shown = raw if len(raw) <= 60 else raw[:59] + "…"
        raise located_error(msg("config.path", fault=fault), shown.replace("\x00", "\\x00"))
    if path is None:
        raw = resolve_catalog(cfg).path
    if not raw:
        raise DatasetError(msg("data.no_data_file_given"))
    file = Path(raw).expanduser()
    name = str(file)
    if not file.exists():
        raise located_error(msg("value.file_not_found"), name)
    check_file(file)
    kind = detect_file_type(file, cfg)
    if kind == "arrow":
        if file.is_dir() and not is_arrow_folder(file):
            raise located_error(msg("data.folder_but_not_datasets"), name)
        return read_arrow(file)
    if file.is_dir():
        raise located_error(msg("data.folder_expected_file", kind=kind), name)
    if kind == "parquet":
        return read_parquet(file)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise located_error(msg("data.cannot_read_file", error=exc.strerror or exc), name) from exc
    text = decode(data, name, cfg.encoding or "utf-8")
    if not text.strip():
        raise located_error(msg("data.file_empty"), name)
    _check_nul(text, name)
    if kind in ("csv", "tsv"):
        default = "\t" if kind == "tsv" else ","
        mapped = frozenset(str(getattr(cfg, f)).lower() for f in ROLE_FIELDS.values()
                           if getattr(cfg, f, None))
        labels = frozenset(str(x) for x in cfg.labels or ())
        return read_delimited(text, name, cfg.delimiter, default, kind, mapped, labels)
    if kind == "jsonl":
        table = read_jsonl(text, name)
    elif kind == "json":
        table = read_json(text, name)
    elif kind == "text":
        table = read_text_lines(text, name)
    else:
        raise located_error(msg("data.unknown_file_type_dataset", kind=repr(kind)), name)
    if not table.rows:
        raise located_error(msg("data.file_no_rows"), name)
    return table
