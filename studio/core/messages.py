"""What the core tells a person, by a stable code: the English template of every message.

A :class:`Message` is the English text (it *is* a ``str``, so the CLI, logs, JSON and
``str(error)`` read as before) that also carries its ``code`` and ``params``. The window
never shows that English: ``studio.ui.common.messages.message_text`` looks the template up
in the translation catalog (context ``core``) and fills in the same parameters.

One placeholder style: ``{name}`` (``str.format``), the same in every language. A parameter
may itself be a Message (it is translated too); anything else (a path, a number, a value
from the user's file) is shown as it is. ``tools/i18n.py`` hands every template to lupdate.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from typing import Any

from .catalog import CATALOG

CONTEXT = "core"   # the translation context of every template


class Message(str):
    """English text with the code and parameters it was made from."""

    code: str
    params: dict[str, Any]

    def __new__(cls, code: str, params: Mapping[str, Any] | None = None) -> Message:
        # Plain values only (an exception, a Path: its text), so a message pickles and goes
        # into JSON as it is.
        params = {key: value if isinstance(value, (str, int, float, bool)) or value is None
                  else str(value) for key, value in (params or {}).items()}
        template = CATALOG[code]   # an unknown code is a bug: fail here, not in the window
        missing = placeholders(template) - params.keys()
        if missing:
            raise ValueError(f"message {code!r} needs {sorted(missing)}")
        self = super().__new__(cls, template.format_map(params))
        self.code, self.params = code, params
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return Message, (self.code, self.params)

    def __repr__(self) -> str:
        return f"Message({self.code!r}, {self.params!r})"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: nested messages as ``{"code": ..., "params": ...}`` under ``$message``."""
        return {"code": self.code,
                "params": {k: {"$message": v.to_dict()} if isinstance(v, Message) else v
                           for k, v in self.params.items()}}

    @classmethod
    def from_dict(cls, data: Any) -> Message | None:
        """The message :meth:`to_dict` wrote, or None when ``data`` is not one (an older child,
        a code this version does not know)."""
        if not isinstance(data, dict) or data.get("code") not in CATALOG:
            return None
        params = {}
        for key, value in dict(data.get("params") or {}).items():
            if isinstance(value, dict) and "$message" in value:
                value = cls.from_dict(value["$message"])
                if value is None:
                    return None
            params[key] = value
        try:
            return cls(data["code"], params)
        except ValueError:
            return None


def msg(code: str, /, **params: Any) -> Message:
    """``msg("data.file_not_found", path=p)``: the message with that code."""
    return Message(code, params)


def one_of(choices: Iterable[str]) -> Message:
    """"one of a, b, c": what an enumerated field expects."""
    return msg("value.one_of", choices=", ".join(choices))


def lines(texts: list[str], joiner: str = "text.lines") -> str:
    """Texts one per line (or joined by ``joiner``'s separator, e.g. "text.semicolons"); a
    Message when every text is one, so the whole list stays translatable."""
    if not texts:
        return ""
    if len(texts) == 1:
        return texts[0]
    if all(isinstance(t, Message) for t in texts):
        return msg(joiner, first=texts[0], rest=lines(texts[1:], joiner))
    separator = CATALOG[joiner].replace("{first}", "").replace("{rest}", "")
    return separator.join(texts)


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a template fills in."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


__all__ = ["CATALOG", "CONTEXT", "Message", "lines", "msg", "one_of", "placeholders"]
