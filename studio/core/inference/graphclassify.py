"""A compiled sequence-classification forward for graphdecode's families (Llama, Qwen2,
Mistral, GPT-2): the backbone is one MindSpore graph per (rows, length) bucket, over the
model's own weights (graphdecode.SharedWeights: the base, or an adapter merged into it); the
score head is the model's own module, called on the pooled hidden states, so a trained head
(peft's ``modules_to_save`` copy, a LoRA on it) answers as it does in the model.

Pooling is transformers': the hidden state at the last token that is not the config's pad
token (``(arange * (ids != pad)).argmax``), or the last position when the config has no pad
token and there is one row. Inputs are the plain path's (right-padded ids and their mask);
anything else (left padding, an empty row, several rows without a pad token) answers None and
the caller runs the model. tests/core/test_graphclassify.py compares logits with the model.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import graphdecode, graphforward

MIN_LENGTH = 16


def unsupported(model: Any) -> str | None:
    """Why this model cannot take the compiled path (None: it can)."""
    family = graphdecode.unsupported(model, None)
    if family is not None:
        return family
    if not type(model).__name__.endswith("ForSequenceClassification"):
        return f"model class {type(model).__name__}"
    return None if hasattr(model, "score") else "no score head"


def pooled_rows(ids: np.ndarray, pad_token_id: int | None) -> np.ndarray | None:
    """transformers' pooled position per row (None where it would refuse the batch)."""
    rows, width = ids.shape
    if pad_token_id is None:
        return None if rows != 1 else np.array([width - 1])
    return (np.arange(width) * (ids != pad_token_id)).argmax(-1)


class GraphClassifier(graphdecode.SharedWeights):
    def __init__(self, model: Any):
        super().__init__(model)
        self._cell = _build(model.config, self._bias, self._flat)
        self._rope: dict[int, tuple[Any, Any]] = {}     # length -> cos, sin (1, L, 1, hd)

    def logits(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray | None:
        """The model's logits for these inputs (rows, classes), or None (see the module)."""
        import torch
        from mindspore import Tensor

        ids, mask = np.asarray(ids), np.asarray(mask).astype(bool)
        lengths = mask.sum(-1)
        right_padded = (mask == (np.arange(mask.shape[1])[None] < lengths[:, None])).all()
        pick = pooled_rows(ids, self.model.config.pad_token_id)
        if pick is None or not right_padded or (lengths == 0).any():
            return None
        rows, width = ids.shape
        bucket_rows = graphforward.bucket(rows)
        length = graphforward.bucket(width, MIN_LENGTH)
        padded = np.zeros((bucket_rows, length), np.int32)
        padded[:rows, :width] = ids
        valid = np.zeros((bucket_rows, length), bool)
        valid[:rows, :width] = mask
        valid[rows:, 0] = True          # filler rows: one visible key, no empty softmax
        picked = (np.arange(rows) * length + pick).astype(np.int32)
        inputs = [Tensor(padded), Tensor(graphforward.masks(valid)), Tensor(picked)]
        config = self.model.config
        if config.model_type == "gpt2":
            positions = np.minimum(np.arange(length), config.n_positions - 1)
            inputs.append(Tensor(np.tile(positions, bucket_rows).astype(np.int32)))
        else:
            if length not in self._rope:
                head_dim = (getattr(config, "head_dim", None)
                            or config.hidden_size // config.num_attention_heads)
                cos, sin = graphdecode.rope_tables(config, head_dim, length)
                self._rope[length] = (Tensor(cos[None, :, None]), Tensor(sin[None, :, None]))
            inputs += list(self._rope[length])
        hidden = self._cell(*inputs).asnumpy()
        with torch.no_grad():
            return self.model.score(torch.tensor(hidden)).float().numpy()


def _build(config: Any, bias: dict[str, bool], flat: Any) -> Any:
    import mindspore
    from mindspore import nn, ops

    layers = config.num_hidden_layers if config.model_type != "gpt2" else config.n_layer
    start = graphforward.first_layer(config, head=False)
    size = graphforward.per_layer(config, bias)

    if config.model_type == "gpt2":
        layer = graphforward.gpt2_layer(config)
        norm = graphforward.gpt2_norm(config)

        class Gpt2(nn.Cell):
            def __init__(self) -> None:
                super().__init__()
                self.flat = flat

            @mindspore.jit
            def construct(self, ids, mask, picked, positions):
                w = self.flat
                rows = ids.shape[0]
                x = ops.gather(w[0], ids.reshape(-1), 0) + ops.gather(w[1], positions, 0)
                for i in range(layers):
                    x, _, _ = layer(x, w[start + size * i: start + size * (i + 1)], rows, mask)
                return norm(ops.gather(x, picked, 0), w[2], w[3])

        return Gpt2()

    layer = graphforward.llama_layer(config, bias)
    rms = graphforward.llama_norm(config)

    class Llama(nn.Cell):
        def __init__(self) -> None:
            super().__init__()
            self.flat = flat

        @mindspore.jit
        def construct(self, ids, mask, picked, cos, sin):
            w = self.flat
            rows = ids.shape[0]
            x = ops.gather(w[0], ids.reshape(-1), 0)
            for i in range(layers):
                x, _, _ = layer(x, w[start + size * i: start + size * (i + 1)], rows, cos, sin,
                                mask)
            return rms(ops.gather(x, picked, 0), w[1])

    return Llama()
