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
        raise located_error(f"unknown encoding {encoding!r} in dataset.encoding", path) from None
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise located_error(
            f"cannot decode byte 0x{data[exc.start]:02x} as {encoding}; set dataset.encoding "
            f"to the file's encoding (for example latin-1, cp1252 or gbk)",
            path, line, "line") from exc
    return text


def _json_error(exc: json.JSONDecodeError, path: str, line: int | None = None) -> DatasetError:
    return located_error(f"not valid JSON: {exc.msg} (column {exc.colno})", path,
                         line if line is not None else exc.lineno, "line")


def _parse_json(text: str, path: str, line: int | None = None) -> object:
    try:
        return load_json(text, allow_nan=True)
    except ParseError as exc:
        raise located_error(f"not valid JSON: {exc}", path, line, "line") from None


def size_text(size: int) -> str:
    return f"{size / (1 << 30):.1f} GiB" if size >= 1 << 30 else f"{size / (1 << 20):.1f} MiB"


def check_file(file: Path) -> int:
    """Refuse what cannot be read as data without blocking or exhausting memory: a pipe,
    socket or device (checked with stat, before anything opens it) and files larger than
    MAX_DATA_BYTES. Returns the size in bytes."""
    try:
        info = file.stat()
    except OSError as exc:
        raise located_error(f"cannot read the file: {exc.strerror or exc}", str(file)) from None
    if stat.S_ISDIR(info.st_mode):
        return 0
    if not stat.S_ISREG(info.st_mode):
        raise located_error("is not a regular file (a pipe, socket or device); it was not "
                            "opened, since reading it could wait forever", str(file))
    if info.st_size > MAX_DATA_BYTES:
        raise located_error(f"is {size_text(info.st_size)}; data files are read into memory "
                            f"whole, and files over {size_text(MAX_DATA_BYTES)} are refused: "
                            "split the file or keep a sample of it", str(file))
    return info.st_size


def _check_nul(text: str, path: str) -> None:
    at = text.find("\x00")
    if at >= 0:
        raise located_error("holds NUL characters, so it is binary, not text (if it is UTF-16 "
                            "text, set dataset.encoding to utf-16)", path,
                            text.count("\n", 0, at) + 1, "line")


def _check_objects(rows: list[Any], numbers: list[int], path: str, unit: str) -> None:
    first_keys: set[str] | None = None
    for row, number in zip(rows, numbers):
        if not isinstance(row, dict):
            raise located_error(f"is {type(row).__name__} {_short(row)}, expected a JSON object "
                                f"such as {{\"text\": ...}}", path, number, unit)
        keys = set(row)
        if first_keys is None:
            first_keys = keys
        elif first_keys and keys and not keys & first_keys:
            raise located_error(
                f"inconsistent columns: fields {sorted(keys)} share none with the first "
                f"row's {sorted(first_keys)}", path, number, unit)


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
    raise located_error("expected a list of objects, or an object holding that list under a "
                        "key such as \"data\"", path)


def read_json(text: str, path: str) -> Table:
    try:
        data = _parse_json(text, path)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # JSON lines in a .json file
            return read_jsonl(text, path)
        raise _json_error(exc, path) from exc
    rows = _rows_of(data, path)
    if not rows:
        raise located_error("the JSON holds no rows", path)
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
        raise located_error(f"the path {fault}", shown.replace("\x00", "\\x00"))
    if path is None:
        raw = resolve_catalog(cfg).path
    if not raw:
        raise DatasetError("no data file given (dataset.path is empty)")
    file = Path(raw).expanduser()
    name = str(file)
    if not file.exists():
        raise located_error("file not found", name)
    check_file(file)
    kind = detect_file_type(file, cfg)
    if kind == "arrow":
        if file.is_dir() and not is_arrow_folder(file):
            raise located_error("a folder, but not a datasets save_to_disk folder (no "
                                "state.json, dataset_info.json or dataset_dict.json)", name)
        return read_arrow(file)
    if file.is_dir():
        raise located_error(f"is a folder; expected a {kind} file", name)
    if kind == "parquet":
        return read_parquet(file)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise located_error(f"cannot read the file: {exc.strerror or exc}", name) from exc
    text = decode(data, name, cfg.encoding or "utf-8")
    if not text.strip():
        raise located_error("the file is empty", name)
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
        raise located_error(f"unknown file type {kind!r} (dataset.file_type)", name)
    if not table.rows:
        raise located_error("the file has no rows", name)
    return table
