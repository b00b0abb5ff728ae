"""The base model and the adapters chosen for it, before and after they are loaded."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class AdapterEntry:
    """An adapter on the list: the name it answers under, how the user named it (a run,
    RUN@STEP or a folder), what that resolved to, and its run when it came from one."""

    name: str
    ref: str
    source: Any              # inference.AdapterSource (read from files, no stack)
    run_id: str | None = None


@dataclass
class Lineup:
    """The adapters to load on the base, in order; names are unique and never "base" (the
    name the base model answers under elsewhere)."""

    adapters: list[AdapterEntry] = field(default_factory=list)

    def has(self, source: Any) -> bool:
        """Whether the same adapter (folder and checkpoint step) is on the list already."""
        return any(a.source.path == source.path and a.source.step == source.step
                   for a in self.adapters)

    def free_name(self, source: Any) -> str:
        """The source's name (with @STEP for a checkpoint), numbered when it is taken."""
        name = source.name or "adapter"
        if source.step is not None:
            name = f"{name}@{source.step}"
        taken = {a.name for a in self.adapters} | {"base"}
        unique, n = name, 1
        while unique in taken:
            n += 1
            unique = f"{name}-{n}"
        return unique

    def add(self, ref: str, source: Any) -> AdapterEntry:
        entry = AdapterEntry(self.free_name(source), ref, source, source.run_id)
        self.adapters.append(entry)
        return entry

    def pop(self, row: int) -> AdapterEntry:
        return self.adapters.pop(row)

    def clear(self) -> None:
        self.adapters.clear()

    def task(self) -> str | None:
        """The task the adapters were trained for (the first that says), else None."""
        return next((a.source.task for a in self.adapters if a.source.task), None)

    def label_names(self) -> Any:
        return next((a.source.label_names for a in self.adapters if a.source.label_names),
                    None)

    def pairs(self) -> list[tuple[str, Any]]:
        """(name, source) of each adapter, what loading takes."""
        return [(a.name, a.source) for a in self.adapters]

    def refs(self) -> list[str]:
        return [a.ref for a in self.adapters]

    def names(self) -> list[str]:
        return [a.name for a in self.adapters]

    def run_for(self, name: str | None) -> str | None:
        """The run a conversation with ``name`` belongs to: that adapter's run, else the
        first adapter's that came from a run."""
        return next((a.run_id for a in self.adapters if a.name == name and a.run_id), None) \
            or next((a.run_id for a in self.adapters if a.run_id), None)

    def __len__(self) -> int:
        return len(self.adapters)

    def __iter__(self) -> Any:
        return iter(self.adapters)
