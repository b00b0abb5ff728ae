"""Many rows per model call, for evaluation: batched generation (decoder-only prompts padded
on the left, so every row's answer starts at the same position; encoder inputs on the
right), batched classification and per-row token log-likelihoods. Each function takes the
model from ``InferenceSession.holding`` and prompts built by ``prompts``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..data.collate import collate
from .settings import GenerationSettings


def _left_padded(rows: Sequence[Sequence[int]], pad_id: int) -> tuple[np.ndarray, np.ndarray]:
    width = max(len(r) for r in rows)
    ids = np.full((len(rows), width), pad_id, dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    for i, row in enumerate(rows):
        if row:
            ids[i, width - len(row):] = row
            mask[i, width - len(row):] = 1
    return ids, mask


def _pad_id(tokenizer: Any) -> int:
    pad = tokenizer.pad_token_id
    return int(pad if pad is not None else (tokenizer.eos_token_id or 0))


def generate(model: Any, tokenizer: Any, prompts: Sequence[Sequence[int]],
             settings: GenerationSettings, encoder_decoder: bool) -> list[list[int]]:
    """The new token ids of each row (up to and without its end token)."""
    import torch

    pad = _pad_id(tokenizer)
    if encoder_decoder:
        batch = collate([{"input_ids": list(p), "labels": 0} for p in prompts], pad, "seq_cls")
        ids, mask = batch["input_ids"], batch["attention_mask"]
    else:
        ids, mask = _left_padded(prompts, pad)
    config = settings.generation_config(getattr(model, "generation_config", None), tokenizer)
    if settings.seed is not None:
        torch.manual_seed(settings.seed)
    with torch.no_grad():
        out = model.generate(input_ids=torch.tensor(ids), attention_mask=torch.tensor(mask),
                             generation_config=config)
    sequences = out.numpy()
    new = sequences if encoder_decoder else sequences[:, ids.shape[1]:]
    stops = set(_as_list(config.eos_token_id)) | {pad}
    answers = []
    for row in new.tolist():
        if encoder_decoder and row and row[0] == config.decoder_start_token_id:
            row = row[1:]
        end = next((i for i, t in enumerate(row) if t in stops), len(row))
        answers.append(row[:end])
    return answers


def _as_list(value: Any) -> list[int]:
    if value is None:
        return []
    return [int(v) for v in value] if isinstance(value, (list, tuple)) else [int(value)]


def classify(model: Any, tokenizer: Any, prompts: Sequence[Sequence[int]],
             compiled: Any = None) -> np.ndarray:
    """Class probabilities, (rows, classes); inputs right-padded as in training.
    ``compiled``: a graphclassify.GraphClassifier for ``model`` that answers when it can."""
    import torch

    batch = collate([{"input_ids": list(p), "labels": 0} for p in prompts], _pad_id(tokenizer),
                    "seq_cls")
    logits = None if compiled is None else compiled.logits(batch["input_ids"],
                                                           batch["attention_mask"])
    if logits is None:
        # No token_type_ids, as in training: BERT's default is zeros anyway, and GPT-2 would
        # add the embedding of token 0 to every position.
        with torch.no_grad():
            logits = model(input_ids=torch.tensor(batch["input_ids"]),
                           attention_mask=torch.tensor(batch["attention_mask"])
                           ).logits.float().numpy()
    logits = logits - logits.max(axis=-1, keepdims=True)
    probs = np.exp(logits)
    return probs / probs.sum(axis=-1, keepdims=True)


def token_nll(model: Any, tokenizer: Any, documents: Sequence[Sequence[int]]
              ) -> list[tuple[float, int]]:
    """(sum of negative log-likelihoods, tokens predicted) per document: every token after
    the first is predicted from those before it, as in causal LM training."""
    import torch

    batch = collate([{"input_ids": list(d), "labels": list(d)} for d in documents],
                    _pad_id(tokenizer), "causal_lm")
    with torch.no_grad():
        logits = model(input_ids=torch.tensor(batch["input_ids"]),
                       attention_mask=torch.tensor(batch["attention_mask"])).logits
    logits = logits.float().numpy()[:, :-1]
    targets = batch["labels"][:, 1:]
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    out = []
    for i in range(len(documents)):
        keep = targets[i] != -100
        picked = log_probs[i, np.arange(targets.shape[1])[keep], targets[i][keep]]
        out.append((float(-picked.sum()), int(keep.sum())))
    return out
