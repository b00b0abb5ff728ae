"""The one place where what the core says becomes text in the user's language.

Core messages (:class:`studio.core.messages.Message`) carry a code and parameters; here the
English template is looked up in the translation catalog (context ``core``, filled by
``tools/i18n.py``) and filled with the same parameters, nested messages translated too.
Plain strings (a path, an OS error, a message not yet given a code) pass through unchanged.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from studio.core import events
from studio.core.errors import ConfigError, Problem, StudioError
from studio.core.messages import CATALOG, Message


def message_text(message: Any) -> str:
    """A core message in the user's language; anything else as ``str``."""
    if not isinstance(message, Message):
        return "" if message is None else str(message)
    # The context is literal ("core" = studio.core.messages.CONTEXT) for the lupdate check.
    template = QCoreApplication.translate("core", CATALOG[message.code])
    return template.format_map({key: message_text(value) if isinstance(value, Message)
                                else value for key, value in message.params.items()})


def problem_text(problem: Problem) -> str:
    """One validation finding: "field: message (expected ..., found ...)", translated."""
    return message_text(problem.text())


def error_text(exc: BaseException) -> str:
    """What a known error says, translated (a ConfigError: each of its problems on a line)."""
    if isinstance(exc, ConfigError):
        return "\n".join(problem_text(p) for p in exc.problems)
    if isinstance(exc, StudioError):
        return message_text(exc.message)
    if exc.args and isinstance(exc.args[0], Message):   # a bug told with a code
        return message_text(exc.args[0])
    return str(exc)


def outcome_error_text(result: dict[str, Any]) -> str:
    """Why a child (training, export) failed: its error events translated, else the worker's
    own text (an exit code, a signal)."""
    texts = [event_text(e) for e in result.get("error_events") or ()]
    return "\n".join(t for t in texts if t).strip() or message_text(result.get("error"))


def event_text(event: dict[str, Any], key: str = "message") -> str:
    """The text of a child's event field, translated when the child sent its code
    (``events.encode`` puts it under ``messages``)."""
    return message_text(events.message_of(event, key))
