"""Error types shared by the core. Known errors carry a message for people; anything else is a
bug.

Their texts are :class:`~studio.core.messages.Message` objects (English strings that carry a
code and parameters), so the window can show them in the user's language."""

from __future__ import annotations

from dataclasses import dataclass

from .messages import Message, lines, msg


class StudioError(Exception):
    """A known problem the user can act on (bad input, missing file, unsupported combination).

    ``message`` is what to tell the user: a Message wherever the raise site made one."""

    @property
    def message(self) -> str:
        return self.args[0] if len(self.args) == 1 and isinstance(self.args[0], str) \
            else str(self)


@dataclass(frozen=True)
class Problem:
    """One validation finding: which field, what was expected, what was found.

    ``message`` and ``expected`` are Messages wherever they are sentences; ``found`` is usually
    the user's own value, shown as it is."""

    field: str
    message: str
    expected: str | None = None
    found: str | None = None

    def text(self) -> Message:
        """The whole finding as one message: "field: message (expected ..., found ...)"."""
        parts = {"field": self.field, "message": self.message}
        if self.expected is not None and self.found is not None:
            return msg("problem.expected_found", **parts, expected=self.expected,
                       found=self.found)
        if self.expected is not None:
            return msg("problem.expected", **parts, expected=self.expected)
        if self.found is not None:
            return msg("problem.found", **parts, found=self.found)
        return msg("problem.plain", **parts)

    def __str__(self) -> str:
        return str(self.text())

    def to_dict(self) -> dict[str, str | None]:
        return {"field": self.field, "message": self.message,
                "code": getattr(self.message, "code", None),
                "expected": self.expected, "found": self.found}


class ConfigError(StudioError):
    """A run file with one or more problems; all of them are listed."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(lines([p.text() for p in self.problems]))


class DatasetError(StudioError):
    """Malformed data: names the file and, where known, the line or row."""

    def __init__(self, message: str, path: str | None = None, row: int | None = None,
                 column: str | None = None):
        self.path, self.row, self.column, self.detail = path, row, column, message
        where = path or msg("data.where_dataset")
        if row is not None and column is not None:
            text = msg("data.at_row_column", where=where, row=row, column=column, detail=message)
        elif row is not None:
            text = msg("data.at_row", where=where, row=row, detail=message)
        elif column is not None:
            text = msg("data.at_column", where=where, column=column, detail=message)
        else:
            text = msg("data.at", where=where, detail=message)
        super().__init__(text)


class StopRequested(Exception):  # noqa: N818 - a request, not an error
    """Raised inside the training loop when a stop was asked for; not an error."""
