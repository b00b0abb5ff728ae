"""Run names as people type them: what is refused, and how a stored name is shown.

A name is printed in terminals and shown in the window, so control characters (a newline, an
escape sequence that recolours the terminal, a right-to-left override that reverses what
follows) are refused when a name is given, and shown escaped if an older store holds one.
"""

from __future__ import annotations

import unicodedata

MAX_NAME_LENGTH = 200
_CONTROL = ("Cc", "Cf")   # control and format characters (U+202E RIGHT-TO-LEFT OVERRIDE is Cf)


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in _CONTROL and char not in "\u200d"  # ZWJ joins emoji


def name_fault(name: object) -> str | None:
    """Why ``name`` cannot be a run name, or None."""
    if not isinstance(name, str):
        return f"a run name must be text, not {type(name).__name__}"
    if not name.strip():
        return "a run name cannot be empty"
    if len(name) > MAX_NAME_LENGTH:
        return f"a run name is at most {MAX_NAME_LENGTH} characters (this one has {len(name):,})"
    bad = next((c for c in name if _is_control(c)), None)
    if bad is not None:
        return (f"a run name cannot contain control characters; this one has U+{ord(bad):04X} "
                f"({unicodedata.name(bad, 'control character').lower()}) at position "
                f"{name.index(bad) + 1}")
    return None


def shown_name(name: str) -> str:
    """``name`` with control characters written as escapes (\\n, \\x1b, \\u202e)."""
    if not any(_is_control(c) for c in name):
        return name
    return "".join(c.encode("unicode_escape").decode("ascii") if _is_control(c) else c
                   for c in name)
