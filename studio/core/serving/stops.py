"""Stop strings over streamed text: pieces pass through until one of the strings appears,
and text that could still become the start of one is held back until it is decided."""

from __future__ import annotations

from collections.abc import Sequence


class StopMatcher:
    def __init__(self, stops: Sequence[str]):
        self.stops = [s for s in stops if s]
        self._held = ""
        self.hit = False

    def feed(self, piece: str) -> str:
        """The text that is safe to send now; after a stop string, nothing more."""
        if self.hit:
            return ""
        if not self.stops:
            return piece
        text = self._held + piece
        cut = min((i for i in (text.find(s) for s in self.stops) if i >= 0), default=-1)
        if cut >= 0:
            self.hit, self._held = True, ""
            return text[:cut]
        keep = max((n for s in self.stops for n in range(1, len(s))
                    if text.endswith(s[:n])), default=0)
        self._held = text[len(text) - keep:] if keep else ""
        return text[:len(text) - keep] if keep else text

    def flush(self) -> str:
        """What was held back when the answer ends without a stop string."""
        held, self._held = self._held, ""
        return "" if self.hit else held
