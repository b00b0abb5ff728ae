"""CSV/TSV: delimiter sniffing, header detection, headerless files.

Rules (documented for users):
- Blank lines and lines starting with ``#`` before the first data line are skipped.
- The delimiter is ``dataset.delimiter`` when set, else the candidate (``, \\t ; |``) that
  splits the first lines into the same number (>1) of fields, preferring the one the file
  extension suggests.
- The first line is a header when its cells are unique, name-like (a letter, then letters,
  digits, ``_ - . space``, at most 64 characters), none of them reappears as a value in its
  own column, none is one of ``dataset.labels``, and either one cell is a known column name
  (text, label, sentence, ...) or a column named in the ``*_column`` fields, or no cell
  contains a space. Otherwise the file is headerless: one column is named ``text``; two
  columns ``text``, ``label`` (``label``, ``text`` when the first column has fewer distinct
  values); more columns ``column_1``, ``column_2``, ...
"""

from __future__ import annotations

import csv
import re

from ..messages import msg
from .columns import KNOWN_NAMES
from .table import Table, located_error

CANDIDATE_DELIMITERS = (",", "\t", ";", "|")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_ .\-]{0,63}$")


def normalise_delimiter(value: str) -> str:
    named = {"\\t": "\t", "tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|",
             "space": " "}
    return named.get(value.lower() if len(value) > 1 else value, value)


def _consistent_width(lines: list[str], delimiter: str) -> int:
    try:
        widths = {len(r) for r in csv.reader(lines, delimiter=delimiter) if r}
    except csv.Error:  # e.g. an unclosed quote with this delimiter: not the one
        return 0
    return widths.pop() if len(widths) == 1 else 0


def sniff_delimiter(lines: list[str], default: str) -> str:
    sample = lines[:30]
    for candidate in (default, *CANDIDATE_DELIMITERS):
        if _consistent_width(sample, candidate) > 1:
            return candidate
    return default


def looks_like_header(first: list[str], rest: list[list[str]],
                      names: frozenset[str] = frozenset(),
                      labels: frozenset[str] = frozenset()) -> bool:
    """``names``: column names the user mapped (lower case); ``labels``: declared labels, which
    mark a line as data."""
    cells = [c.strip() for c in first]
    if not all(cells) or len(set(cells)) != len(cells) or labels & set(cells):
        return False
    if not all(_NAME.match(c) for c in cells):
        return False
    for j, cell in enumerate(cells):
        if any(j < len(r) and r[j].strip() == cell for r in rest[:500]):
            return False
    lowered = {c.lower() for c in cells}
    return bool(lowered & (KNOWN_NAMES | names)) or not any(" " in c for c in cells)


def _headerless_names(records: list[list[str]]) -> list[str]:
    width = len(records[0])
    if width == 1:
        return ["text"]
    if width == 2:
        distinct = [len({r[j] for r in records if len(r) == 2}) for j in (0, 1)]
        return ["label", "text"] if distinct[0] < distinct[1] else ["text", "label"]
    return [f"column_{j + 1}" for j in range(width)]


def read_delimited(text: str, path: str, delimiter: str | None, default: str,
                   file_type: str, names: frozenset[str] = frozenset(),
                   labels: frozenset[str] = frozenset()) -> Table:
    lines = text.splitlines(keepends=True)
    start = 0
    while start < len(lines) and (not lines[start].strip()
                                  or lines[start].lstrip().startswith("#")):
        start += 1
    if start == len(lines):
        raise located_error(msg("data.no_data_rows_file"), path)
    body = lines[start:]
    # The default limit (128 KiB per field) is too small for long documents; set before sniffing.
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
    if delimiter is not None:
        delimiter = normalise_delimiter(delimiter)
        if len(delimiter) != 1:
            raise located_error(msg("data.delimiter_must_one_character",
                                    delimiter=repr(delimiter)), path)
        if delimiter in '"\r\n':
            raise located_error(msg("data.cannot_delimiter_quote_character",
                                    delimiter=repr(delimiter)), path)
    else:
        delimiter = sniff_delimiter(body, default)
    reader = csv.reader(body, delimiter=delimiter)
    records: list[list[str]] = []
    numbers: list[int] = []
    while True:
        first_line = start + reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise located_error(msg("file.not_valid",
                                    kind=file_type.upper(), error=exc), path, first_line,
                                "line") from exc
        if not fields or (len(fields) == 1 and not fields[0].strip()):
            continue
        records.append([f.strip() for f in fields])
        numbers.append(first_line)
    if not records:
        raise located_error(msg("data.no_data_rows_every"), path,
                            numbers[0] if numbers else start + 1, "line")
    if looks_like_header(records[0], records[1:], names, labels):
        names, records, numbers = [c.strip() for c in records[0]], records[1:], numbers[1:]
        header_note = msg("data.header_has_columns", count=len(names), names=", ".join(names))
        if not records:
            raise located_error(msg("data.file_header_line_but"), path)
    else:
        names = _headerless_names(records)
        header_note = msg("data.first_line_has_fields", count=len(names))
    rows = []
    for fields, number in zip(records, numbers):
        if len(fields) != len(names):
            shown = msg("data.tab") if delimiter == "\t" else repr(delimiter)
            raise located_error(
                msg("data.inconsistent_columns_fields_where", found=len(fields),
                    expected=len(names), header_note=header_note, shown=shown),
                path, number, "line")
        rows.append(dict(zip(names, fields)))
    return Table(rows, path, numbers, "line", file_type, names)
