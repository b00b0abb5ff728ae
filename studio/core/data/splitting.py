"""Reproducible sampling and train/validation splits (``random.Random(seed)``, no global state)."""

from __future__ import annotations

import random


def cap_indices(n: int, max_samples: int | None, seed: int) -> list[int]:
    """All row indices, or a seeded random ``max_samples`` of them, in file order."""
    if max_samples is None or n <= max_samples:
        return list(range(n))
    return sorted(random.Random(seed).sample(range(n), max_samples))


def _allocate(sizes: list[int], total: int) -> list[int]:
    """Split ``total`` over groups in proportion to ``sizes`` (largest remainder)."""
    whole = sum(sizes)
    quotas = [size * total / whole for size in sizes]
    counts = [int(q) for q in quotas]
    by_remainder = sorted(range(len(sizes)), key=lambda g: (counts[g] - quotas[g], g))
    for g in by_remainder[:total - sum(counts)]:
        counts[g] += 1
    return counts


def split_indices(n: int, fraction: float, seed: int,
                  strata: list[str | None] | None = None) -> tuple[list[int], list[int]]:
    """(train, validation) indices, each in file order. ``fraction`` of the rows (at least 1
    when fraction > 0, never all) go to validation; stratified by ``strata`` when given, so
    every label keeps its share."""
    if fraction <= 0 or n < 2:
        return list(range(n)), []
    total = min(n - 1, max(1, round(n * fraction)))
    rng = random.Random(seed)
    if strata is None:
        order = list(range(n))
        rng.shuffle(order)
        validation = order[:total]
    else:
        groups: dict[str, list[int]] = {}
        for i, key in enumerate(strata):
            groups.setdefault("" if key is None else key, []).append(i)
        keys = sorted(groups)
        counts = _allocate([len(groups[k]) for k in keys], total)
        validation = []
        for key, count in zip(keys, counts):
            members = groups[key][:]
            rng.shuffle(members)
            validation += members[:count]
    chosen = set(validation)
    return [i for i in range(n) if i not in chosen], sorted(chosen)
