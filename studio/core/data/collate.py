"""Batching examples into right-padded int64 numpy arrays.

numpy is imported when a batch is first made, not with ``studio.core.data``: the window reads
and checks datasets through that package and opens without numpy."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .encoding import IGNORE

if TYPE_CHECKING:
    import numpy as np


def _width(lengths: Sequence[int], multiple: int | None) -> int:
    width = max(lengths, default=0)
    if multiple and width % multiple:
        width += multiple - width % multiple
    return width


def _pad(rows: Sequence[Sequence[int]], width: int, value: int) -> np.ndarray:
    import numpy as np

    out = np.full((len(rows), width), value, dtype=np.int64)
    for i, row in enumerate(rows):
        out[i, :len(row)] = row
    return out


def collate(examples: Sequence[dict[str, Any]], pad_token_id: int | None, task: str,
            pad_to_multiple_of: int | None = None) -> dict[str, np.ndarray]:
    """``input_ids`` and ``attention_mask`` (batch, width), padded with ``pad_token_id`` (0
    when None); ``labels`` padded with -100 — (batch, width) for causal_lm/token_cls, (batch,
    target width) for seq2seq, (batch,) class ids for seq_cls."""
    if not examples:
        raise ValueError("collate needs at least one example")
    inputs = [e["input_ids"] for e in examples]
    width = _width([len(ids) for ids in inputs], pad_to_multiple_of)
    batch = {
        "input_ids": _pad(inputs, width, 0 if pad_token_id is None else pad_token_id),
        "attention_mask": _pad([[1] * len(ids) for ids in inputs], width, 0),
    }
    labels = [e["labels"] for e in examples]
    if task == "seq_cls":
        import numpy as np

        batch["labels"] = np.asarray(labels, dtype=np.int64)
    elif task == "seq2seq":
        batch["labels"] = _pad(labels, _width([len(x) for x in labels], pad_to_multiple_of),
                               IGNORE)
    else:
        batch["labels"] = _pad(labels, width, IGNORE)
    return batch
