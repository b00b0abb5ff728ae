"""Readable parameter counts and byte sizes (binary units, as memory is sold)."""

from __future__ import annotations


def count(n: int | None) -> str:
    """1234 -> '1,234'; 6_738_415_616 -> '6.74 B'."""
    if n is None:
        return "—"
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if abs(n) >= size:
            return f"{n / size:.2f} {suffix}"
    return f"{n:,}"


def size(n: int | None) -> str:
    """Bytes as B, KiB, MiB, GiB or TiB with three significant digits."""
    if n is None:
        return "—"
    value = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(value) < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.3g} {unit}"
        value /= 1024
    return f"{value:.3g} TiB"
