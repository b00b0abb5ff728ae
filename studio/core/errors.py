"""Error types shared by the core. Known errors carry a message for people; anything else is a
bug."""

from __future__ import annotations

from dataclasses import dataclass


class StudioError(Exception):
    """A known problem the user can act on (bad input, missing file, unsupported combination)."""


@dataclass(frozen=True)
class Problem:
    """One validation finding: which field, what was expected, what was found."""

    field: str
    message: str
    expected: str | None = None
    found: str | None = None

    def __str__(self) -> str:
        text = f"{self.field}: {self.message}"
        if self.expected is not None:
            text += f" (expected {self.expected}"
            text += f", found {self.found})" if self.found is not None else ")"
        elif self.found is not None:
            text += f" (found {self.found})"
        return text

    def to_dict(self) -> dict[str, str | None]:
        return {"field": self.field, "message": self.message,
                "expected": self.expected, "found": self.found}


class ConfigError(StudioError):
    """A run file with one or more problems; all of them are listed."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class DatasetError(StudioError):
    """Malformed data: names the file and, where known, the line or row."""

    def __init__(self, message: str, path: str | None = None, row: int | None = None,
                 column: str | None = None):
        self.path, self.row, self.column, self.detail = path, row, column, message
        where = path or "dataset"
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {message}")


class StopRequested(Exception):  # noqa: N818 - a request, not an error
    """Raised inside the training loop when a stop was asked for; not an error."""
