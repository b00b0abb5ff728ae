"""The Playground's state as plain data (no Qt): the adapters chosen for the base model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class AdapterEntry:
    """An adapter on the list: the name it answers under, how the user named it (a run,
    RUN@STEP or a folder), what that resolved to, and its run when it came from one."""

    name: str
    ref: str
    source: Any              # inference.AdapterSource
    run_id: str | None = None
