"""The rows of one data file, with where each row came from (for error messages)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import DatasetError
from ..messages import msg


def located_error(message: str, path: str | None, number: int | None = None,
                  unit: str = "row", column: str | None = None) -> DatasetError:
    """A DatasetError whose text says "line 12" for line-based files and "row 12" otherwise.

    ``DatasetError`` itself always writes "row"; this keeps its fields (``row``, ``column``,
    ``detail``) filled while the printed location uses the right word.
    """
    unit = "line" if unit == "line" else "row"
    if number is not None and column is not None:
        text = msg(f"data.at_{unit}_column_only", number=number, column=column, detail=message)
    elif number is not None:
        text = msg(f"data.at_{unit}_only", number=number, detail=message)
    elif column is not None:
        text = msg("data.at_column_only", column=column, detail=message)
    else:
        text = message
    err = DatasetError(text, path)
    err.row, err.column, err.detail = number, column, message
    return err


@dataclass
class Table:
    """Rows as dicts, in file order. ``numbers[i]`` is the 1-based line (text formats) or
    row (JSON arrays, Parquet, Arrow) of ``rows[i]``; ``unit`` says which."""

    rows: list[dict[str, Any]]
    path: str
    numbers: list[int]
    unit: str = "row"                 # "line" or "row"
    file_type: str = ""
    columns: list[str] = field(default_factory=list)
    # Class names declared by the file itself (datasets ClassLabel), per column.
    class_names: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.columns:
            seen: dict[str, None] = {}
            for row in self.rows:
                for key in row:
                    seen.setdefault(key, None)
            self.columns = list(seen)

    def __len__(self) -> int:
        return len(self.rows)

    def where(self, index: int) -> str:
        """"line 12" / "row 12" for ``rows[index]``."""
        return f"{self.unit} {self.numbers[index]}"

    def error(self, message: str, index: int | None = None,
              column: str | None = None) -> DatasetError:
        number = self.numbers[index] if index is not None else None
        return located_error(message, self.path, number, self.unit, column)

    def subset(self, indices: list[int]) -> Table:
        return Table([self.rows[i] for i in indices], self.path,
                     [self.numbers[i] for i in indices], self.unit, self.file_type,
                     list(self.columns), dict(self.class_names))
