"""A compiled sequence-classification forward for graphdecode's families (Llama, Qwen2,
Mistral, GPT-2): one MindSpore graph per (rows, length) bucket, over the model's own weights
(graphdecode.SharedWeights: the base, or an adapter merged into it). Llama-architecture
models run in graphcolumns' column layout (``W @ X``, no per-product transposes), their last
layer for the pooled token only. The score head is computed in the graph from the weight
(and bias) the model answers with now (``linear``: a trained ``modules_to_save`` copy while its
adapter is active), passed in on each call, so it is never copied or cached.

Pooling is transformers': the hidden state at the last token that is not the config's pad
token (``(arange * (ids != pad)).argmax``), or the last position when the config has no pad
token and there is one row. Inputs are the plain path's (right-padded ids and their mask);
anything else (left padding, an empty row, several rows without a pad token) answers None and
the caller runs the model. tests/core/test_graphclassify.py compares logits with the model.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import graphcolumns, graphdecode, graphforward

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


def length_bucket(n: int) -> int:
    """Lengths in steps of MIN_LENGTH up to 128, then a quarter more each (rounded to
    MIN_LENGTH): 16, 32, ..., 128, 160, 192, 240, ... A padded row wastes at most a quarter
    of its work where powers of two wasted up to half (a 65-token row ran as 128); a
    session meets a few more shapes to compile (~1-2 s each)."""
    size = MIN_LENGTH
    while size < n:
        size += max(MIN_LENGTH, size // 4 // MIN_LENGTH * MIN_LENGTH)
    return size


def resolve(module: Any) -> Any:
    """The module that answers for ``module`` now: a trained ``modules_to_save`` copy while
    its adapter is active (else the original), the base layer under a (merged) LoRA."""
    for _ in range(4):
        if hasattr(module, "modules_to_save") and hasattr(module, "original_module"):
            active = list(module.active_adapters)
            if (module.disable_adapters or not active
                    or any(a not in module.modules_to_save for a in active)):
                module = module.original_module
            else:
                module = module.modules_to_save[active[0]]
        elif hasattr(module, "get_base_layer"):
            module = module.get_base_layer()
        else:
            break
    return module


_ZEROS: dict[int, Any] = {}


def linear(module: Any) -> tuple[Any, Any] | None:
    """Weight and bias (zeros when it has none) of the plain linear layer that answers for
    ``module`` now, or None when that is not a plain linear layer."""
    from mindspore import Tensor

    module = resolve(module)
    if type(module).__name__ != "Linear" or getattr(module, "weight", None) is None:
        return None
    if module.bias is not None:
        return module.weight, module.bias
    size = int(module.weight.shape[0])
    if size not in _ZEROS:
        _ZEROS[size] = Tensor(np.zeros(size, np.float32))
    return module.weight, _ZEROS[size]


class GraphClassifier(graphdecode.SharedWeights):
    def __init__(self, model: Any):
        super().__init__(model)
        self._cell = _build(model.config, self._bias, self._flat)
        self._tables: dict[tuple[int, int], tuple[Any, ...]] = {}   # (rows, L) -> inputs

    def logits(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray | None:
        """The model's logits for these inputs (rows, classes), or None (see the module)."""
        from mindspore import Tensor

        ids, mask = np.asarray(ids), np.asarray(mask).astype(bool)
        lengths = mask.sum(-1)
        right_padded = (mask == (np.arange(mask.shape[1])[None] < lengths[:, None])).all()
        pick = pooled_rows(ids, self.model.config.pad_token_id)
        weights = linear(self.model.score)
        if pick is None or weights is None or not right_padded or (lengths == 0).any():
            return None
        rows, width = ids.shape
        bucket_rows = graphforward.bucket(rows)
        length = length_bucket(width)
        padded = np.zeros((bucket_rows, length), np.int32)
        padded[:rows, :width] = ids
        valid = np.zeros((bucket_rows, length), bool)
        valid[:rows, :width] = mask
        valid[rows:, 0] = True          # filler rows: one visible key, no empty softmax
        pick = np.concatenate([pick, np.zeros(bucket_rows - rows, pick.dtype)])
        full = graphforward.masks(valid).reshape(1, bucket_rows, length, length)
        picked = (np.arange(bucket_rows) * length + pick).astype(np.int32)
        inputs = [Tensor(padded), Tensor(full),
                  Tensor(np.ascontiguousarray(full[:, np.arange(bucket_rows), pick][:, :, None])),
                  Tensor(picked)]
        inputs += self._tables_for(bucket_rows, length, pick)
        out = self._cell(*inputs, *weights).asnumpy()
        return out[:rows] if self.model.config.model_type == "gpt2" else out.T[:rows]

    def _tables_for(self, rows: int, length: int, pick: np.ndarray) -> list[Any]:
        """Positions (GPT-2) or rotary cos/sin for every column and for the pooled ones."""
        from mindspore import Tensor

        config = self.model.config
        if config.model_type == "gpt2":
            if (rows, length) not in self._tables:
                positions = np.minimum(np.arange(length), config.n_positions - 1)
                self._tables[rows, length] = (
                    Tensor(np.tile(positions, rows).astype(np.int32)),)
            return list(self._tables[rows, length])
        if (rows, length) not in self._tables:
            head_dim = (getattr(config, "head_dim", None)
                        or config.hidden_size // config.num_attention_heads)
            four = graphcolumns.tables(*graphdecode.rope_tables(config, head_dim, length),
                                       float(head_dim) ** -0.5)          # (hd, L) each
            self._tables[rows, length] = (*four[2:], *(Tensor(np.tile(t, rows)[None])
                                                       for t in four))
        q_cos, q_sin, *full = self._tables[rows, length]
        return [*full, Tensor(np.ascontiguousarray(q_cos[:, pick])[None]),
                Tensor(np.ascontiguousarray(q_sin[:, pick])[None])]


def _build(config: Any, bias: dict[str, bool], flat: Any) -> Any:
    import mindspore
    from mindspore import nn, ops

    layers = config.num_hidden_layers if config.model_type != "gpt2" else config.n_layer
    start = graphforward.first_layer(config, head=False)
    size = graphforward.per_layer(config, bias)
    score = ops.MatMul(transpose_b=True)

    if config.model_type == "gpt2":
        layer = graphforward.gpt2_layer(config)
        norm = graphforward.gpt2_norm(config)

        class Gpt2(nn.Cell):
            def __init__(self) -> None:
                super().__init__()
                self.flat = flat

            @mindspore.jit
            def construct(self, ids, mask, pooled_mask, picked, positions, weight, b):
                w = self.flat
                rows = ids.shape[0]
                x = ops.gather(w[0], ids.reshape(-1), 0) + ops.gather(w[1], positions, 0)
                for i in range(layers):
                    x, _, _ = layer(x, w[start + size * i: start + size * (i + 1)], rows,
                                    mask.reshape(rows, 1, mask.shape[2], mask.shape[3]))
                return score(norm(ops.gather(x, picked, 0), w[2], w[3]), weight) + b

        return Gpt2()

    layer, pooled_layer, norm = graphcolumns.llama_layers(config, bias)

    class Llama(nn.Cell):
        def __init__(self) -> None:
            super().__init__()
            self.flat = flat

        @mindspore.jit
        def construct(self, ids, mask, pooled_mask, picked, cos, sin, q_cos, q_sin, pooled_cos,
                      pooled_sin, weight, b):
            w = self.flat
            rows = ids.shape[0]
            x = ops.gather(w[0], ids.reshape(-1), 0).transpose(1, 0)      # (hidden, tokens)
            for i in range(layers - 1):
                x = layer(x, w[start + size * i: start + size * (i + 1)], rows, cos, sin, q_cos,
                          q_sin, mask)
            last = w[start + size * (layers - 1): start + size * layers]
            x = pooled_layer(x, last, rows, cos, sin, pooled_mask, picked, pooled_cos,
                             pooled_sin)
            return ops.matmul(weight, norm(x, w[1])) + b.reshape(-1, 1)   # (classes, rows)

    return Llama()
