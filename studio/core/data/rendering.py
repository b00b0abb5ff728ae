"""What the model sees: one row encoded exactly as ``prepare`` encodes it for training, cut
into spans that carry loss and spans that do not (for the Data page and ``data inspect
--render``)."""

from __future__ import annotations

from typing import Any

from ..config import DatasetConfig
from ..errors import DatasetError
from ..messages import msg
from .catalog import resolve_catalog
from .encoding import IGNORE, Encoder, Example
from .formats import detect_format, task_problem, tasks_for
from .preparing import _encode_row, _space
from .reading import read_rows


def _decode(tokenizer: Any, ids: list[int]) -> str:
    return str(tokenizer.decode(ids, skip_special_tokens=False,
                                clean_up_tokenization_spaces=False))


def _runs(tokenizer: Any, ids: list[int], loss: list[bool]) -> list[dict[str, Any]]:
    """Consecutive tokens with the same loss flag, decoded together (the pieces were
    tokenised separately, so no character is split across two runs)."""
    spans: list[dict[str, Any]] = []
    start = 0
    for i in range(1, len(ids) + 1):
        if i == len(ids) or loss[i] != loss[start]:
            spans.append({"text": _decode(tokenizer, ids[start:i]), "loss": loss[start],
                          "tokens": i - start})
            start = i
    return spans


def _spans(tokenizer: Any, example: Example, task: str,
           label_names: list[str] | None) -> list[dict[str, Any]]:
    ids, labels = example["input_ids"], example["labels"]
    if task == "seq2seq":
        target = [t for t in labels if t != IGNORE]
        return [{"text": _decode(tokenizer, ids), "loss": False, "tokens": len(ids)},
                {"text": _decode(tokenizer, target), "loss": True, "tokens": len(target),
                 "part": "target"}]
    if task == "seq_cls":
        name = label_names[labels] if label_names else str(labels)
        return [{"text": _decode(tokenizer, ids), "loss": False, "tokens": len(ids)},
                {"text": name, "loss": True, "tokens": 0, "part": "label"}]
    return _runs(tokenizer, ids, [label != IGNORE for label in labels])


def render_row(cfg: DatasetConfig, tokenizer: Any, number: int, max_length: int = 128,
               task: str | None = None) -> dict[str, Any]:
    """Row (or line) ``number`` of the file as training encodes it: ``spans`` of
    ``{"text", "loss", "tokens"}`` in order, the token count, how many carry loss, and
    whether max_length cut it (``truncated``) or left it without loss (``dropped``, then the
    whole row is shown). DatasetError for an unknown row or a row that cannot be encoded."""
    cfg = resolve_catalog(cfg)
    table = read_rows(cfg)
    detected = detect_format(table, cfg)
    task = task or tasks_for(detected.format)[0]
    mismatch = task_problem(detected.format, task)
    if mismatch:
        raise DatasetError(mismatch.text(), table.path)
    if number not in table.numbers:
        raise DatasetError(msg(f"data.no_such_{'line' if table.unit == 'line' else 'row'}",
                               number=number, first=table.numbers[0],
                               last=table.numbers[-1]), table.path)
    index = table.numbers.index(number)
    space = _space(table, detected, cfg)
    encoder = Encoder(tokenizer, max_length)
    try:
        example = _encode_row(encoder, table.rows[index], detected, task, space, cfg)
        dropped = example is None
        if example is None:  # nothing left to learn within max_length: show it whole
            example = _encode_row(Encoder(tokenizer, 1 << 30), table.rows[index], detected,
                                  task, space, cfg)
    except ValueError as exc:
        raise table.error(exc.args[0] if exc.args else str(exc), index) from None
    except Exception as exc:  # noqa: BLE001 - chat templates raise their own errors
        raise table.error(msg("data.cannot_tokenise", kind=type(exc).__name__, error=exc),
                          index) from None
    assert example is not None
    spans = _spans(tokenizer, example, task, space.names if space else None)
    result: dict[str, Any] = {
        "row": number, "unit": table.unit, "format": detected.format, "task": task,
        "max_length": max_length, "tokens": len(example["input_ids"]),
        "loss_tokens": sum(s["tokens"] for s in spans if s["loss"]),
        "truncated": encoder.truncated > 0, "dropped": dropped, "spans": spans,
    }
    if detected.format == "chat":
        result["chat_template"] = "fallback" if encoder.uses_fallback_template else "model"
    if detected.format == "text" and cfg.pack:
        result["packed"] = True  # training joins rows into max_length blocks
    return result


def marked_text(render: dict[str, Any], start: str = "⟦", end: str = "⟧") -> str:
    """The rendering as plain text with the spans that carry no loss between markers."""
    return "".join(s["text"] if s["loss"] else f"{start}{s['text']}{end}"
                   for s in render["spans"])
