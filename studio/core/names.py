"""Run names as people type them: what is refused, and how a stored name is shown.

A name is printed in terminals and shown in the window, so control characters (a newline, an
escape sequence that recolours the terminal, a right-to-left override that reverses what
follows) are refused when a name is given, and shown escaped if an older store holds one.
"""

from __future__ import annotations

import unicodedata

from .messages import Message, msg

MAX_NAME_LENGTH = 200
_CONTROL = ("Cc", "Cf")   # control and format characters (U+202E RIGHT-TO-LEFT OVERRIDE is Cf)


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in _CONTROL and char not in "\u200d"  # ZWJ joins emoji


def name_fault(name: object) -> Message | None:
    """Why ``name`` cannot be a run name, or None."""
    if not isinstance(name, str):
        return msg("names.not_text", kind=type(name).__name__)
    if not name.strip():
        return msg("names.empty")
    if len(name) > MAX_NAME_LENGTH:
        return msg("names.too_long", limit=MAX_NAME_LENGTH, length=len(name))
    bad = next((c for c in name if _is_control(c)), None)
    if bad is not None:
        # C0 controls have no Unicode name; others keep theirs (English, as Unicode names it)
        known = unicodedata.name(bad, "").lower()
        return msg("names.control_character", code=f"U+{ord(bad):04X}",
                   name=known or msg("names.unnamed_control"), position=name.index(bad) + 1)
    return None


def shown_name(name: str) -> str:
    """``name`` with control characters written as escapes (\\n, \\x1b, \\u202e)."""
    if not any(_is_control(c) for c in name):
        return name
    return "".join(c.encode("unicode_escape").decode("ascii") if _is_control(c) else c
                   for c in name)
