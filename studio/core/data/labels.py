"""Label names and ids for classification labels and token tags.

Order of ``names`` (= class ids): ``dataset.labels`` when given; else the class names the file
declares (datasets ClassLabel); else the distinct values sorted, numerically when all are
numbers (so 0..9 stay 0..9, not 0, 1, 10, 2). With ``dataset.labels`` given and data holding
integers 0..n-1 that are not themselves names, the integers are read as indices into it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


def label_key(value: Any) -> str | None:
    """A label value as text; None for a missing/empty one."""
    if value is None or isinstance(value, (list, dict)):
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


_NONFINITE = frozenset({"nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity",
                        "-infinity"})


def numeric_labels(values: Iterable[Any]) -> bool:
    """Whether the labels are numbers (NaN and infinities aside): then the words "nan" and
    "inf" among them are missing or broken numbers, not class names."""
    keys = [k for k in map(label_key, values) if k is not None and k.lower() not in _NONFINITE]
    return bool(keys) and all(_number(k) is not None for k in keys)


def is_nonfinite(value: Any, numeric: bool) -> bool:
    """A NaN or infinite label: a float one, or the text "nan"/"inf" among numeric labels."""
    if isinstance(value, float):
        return not math.isfinite(value)
    return numeric and isinstance(value, str) and value.strip().lower() in _NONFINITE


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class LabelSpace:
    names: list[str]
    ids: dict[str, int]  # label key -> class id

    def id_of(self, value: Any) -> int | None:
        key = label_key(value)
        return None if key is None else self.ids.get(key)


def label_space(values: Iterable[Any], declared: list[str] | None = None,
                class_names: list[str] | None = None) -> tuple[LabelSpace, list[str]]:
    """The label space for these values, and the distinct values it does not know (in the
    order first seen)."""
    keys = list(dict.fromkeys(k for k in map(label_key, values) if k is not None))
    if declared:
        names = [str(n) for n in declared]
        ids = {name: i for i, name in enumerate(names)}
        unknown = [k for k in keys if k not in ids]
        if unknown and all(k.isdigit() and int(k) < len(names) for k in unknown):
            ids.update({k: int(k) for k in unknown})
            unknown = []
        return LabelSpace(names, ids), unknown
    if class_names:
        ids = {name: i for i, name in enumerate(class_names)}
        return LabelSpace(list(class_names), ids), [k for k in keys if k not in ids]
    numbers = [_number(k) for k in keys]
    if keys and all(n is not None for n in numbers):
        names = [k for _, k in sorted(zip(numbers, keys))]  # type: ignore[type-var]
    else:
        names = sorted(keys)
    return LabelSpace(names, {name: i for i, name in enumerate(names)}), []
