"""A compiled forward for BERT sequence classifiers (the MindNLP tutorial's task), used by
``InferenceSession.classify`` and the evaluation of classifiers (fastpaths
``graph_classify``, as graphclassify for the decoder families).

transformers' eager forward issues ~200 operators per call in PyNative; here it is one
MindSpore graph per (rows, length) bucket, in graphcolumns' column layout (``W @ X``:
activations as (hidden, tokens) columns), over the model's own weight memory
(graphdecode.SharedWeights, refreshed after merges and adapter switches). The last layer runs
for the ``[CLS]`` column only (all that the pooler reads); pooler and classifier are
computed in the graph from the weights the model answers with now (graphclassify.linear: a
trained ``modules_to_save`` copy while its adapter is active), passed in on each call.

Inputs are the plain path's: right-padded ids and mask, no token type ids (zeros, as in
training). Padded keys are masked as transformers masks them (their weight is exactly 0).
tests/core/test_graphbert.py compares logits with the model's.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import graphclassify, graphdecode, graphforward

_MASKED = -3.0e38
PER_LAYER = 16


def unsupported(model: Any) -> str | None:
    """Why this model cannot take the compiled path (None: it can)."""
    if type(model).__name__ != "BertForSequenceClassification":
        return f"model class {type(model).__name__}"
    config = model.config
    if config.hidden_act != "gelu":
        return f"activation {config.hidden_act}"
    if getattr(config, "position_embedding_type", "absolute") != "absolute":
        return "relative positions"
    if getattr(config, "is_decoder", False) or getattr(config, "add_cross_attention", False):
        return "decoder"
    if model.bert.pooler is None:
        return "no pooler"
    if str(model.dtype) not in ("torch.float32", "Float32", "mindspore.float32"):
        return f"dtype {model.dtype}"
    return None


def weights(model: Any) -> tuple[Any, ...]:
    """The backbone's tensors the graph reads (the model's own): embeddings, then each
    layer's 16 (q, k, v, attention output, intermediate, output: weight and bias; two
    LayerNorms: weight and bias)."""
    layer = graphdecode._layer
    bert = model.bert
    emb = bert.embeddings
    flat: list[Any] = [emb.word_embeddings.weight, emb.position_embeddings.weight,
                       emb.token_type_embeddings.weight, emb.LayerNorm.weight,
                       emb.LayerNorm.bias]
    for block in bert.encoder.layer:
        attn = block.attention
        for module in (attn.self.query, attn.self.key, attn.self.value, attn.output.dense):
            flat += [layer(module).weight, layer(module).bias]
        flat += [attn.output.LayerNorm.weight, attn.output.LayerNorm.bias]
        for module in (block.intermediate.dense, block.output.dense):
            flat += [layer(module).weight, layer(module).bias]
        flat += [block.output.LayerNorm.weight, block.output.LayerNorm.bias]
    return tuple(flat)


class GraphBert(graphdecode.SharedWeights):
    def __init__(self, model: Any):
        super().__init__(model)
        self._cell = _build(model.config, self._flat)

    def logits(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray | None:
        """The model's logits for these inputs (rows, classes), or None (left padding, an
        empty row, a head that is not a plain linear layer: the caller runs the model)."""
        from mindspore import Tensor

        ids, mask = np.asarray(ids), np.asarray(mask).astype(bool)
        lengths = mask.sum(-1)
        right_padded = (mask == (np.arange(mask.shape[1])[None] < lengths[:, None])).all()
        pooler = graphclassify.linear(graphclassify.resolve(self.model.bert.pooler).dense)
        classifier = graphclassify.linear(self.model.classifier)
        if pooler is None or classifier is None or not right_padded or (lengths == 0).any():
            return None
        rows, width = ids.shape
        bucket_rows = graphforward.bucket(rows)
        length = graphclassify.length_bucket(width)
        padded = np.zeros((bucket_rows, length), np.int32)
        padded[:rows, :width] = ids
        valid = np.zeros((bucket_rows, length), bool)
        valid[:rows, :width] = mask
        valid[rows:, 0] = True          # filler rows: one visible key, no empty softmax
        top = self.model.config.max_position_embeddings - 1   # padding past the table
        positions = np.tile(np.minimum(np.arange(length), top), bucket_rows).astype(np.int32)
        out = self._cell(Tensor(padded), Tensor(positions),
                         Tensor(valid.reshape(1, bucket_rows, 1, length)),
                         Tensor((np.arange(bucket_rows) * length).astype(np.int32)),
                         *pooler, *classifier).asnumpy()
        return out.T[:rows]


def _build(config: Any, flat: Any) -> Any:
    import mindspore
    from mindspore import nn, ops

    layers, heads, hidden = config.num_hidden_layers, config.num_attention_heads, \
        config.hidden_size
    head_dim = hidden // heads
    eps = float(config.layer_norm_eps)
    scale = float(head_dim) ** -0.5
    root_half = float(np.sqrt(0.5))
    scores_of = ops.BatchMatMul(transpose_a=True)
    mix = ops.BatchMatMul(transpose_b=True)

    def linear(weight, b, x):
        return ops.matmul(weight, x) + b.reshape(-1, 1)

    def norm(x, weight, b):
        centred = x - ops.mean(x, 0, keep_dims=True)
        variance = ops.mean(centred * centred, 0, keep_dims=True)
        return centred * ops.rsqrt(variance + eps) * weight.reshape(-1, 1) + b.reshape(-1, 1)

    def gelu(x):
        return 0.5 * x * (1.0 + ops.erf(x * root_half))

    def per_head(x, rows, length):
        """(hidden, rows * L) -> (heads * rows, hd, L)."""
        if rows == 1:
            return x.reshape(heads, head_dim, length)
        return x.reshape(heads, head_dim, rows, length).transpose(0, 2, 1, 3).reshape(
            heads * rows, head_dim, length)

    def feed_forward(x, w):
        h = gelu(linear(w[10], w[11], x))
        return norm(x + linear(w[12], w[13], h), w[14], w[15])

    def layer(x, w, rows, mask):
        length = x.shape[1] // rows
        q = per_head(linear(w[0], w[1], x), rows, length)
        k = per_head(linear(w[2], w[3], x), rows, length)
        v = per_head(linear(w[4], w[5], x), rows, length)
        scores = (scores_of(q, k) * scale).reshape(heads, rows, length, length)
        probs = ops.softmax(ops.where(mask, scores, _MASKED), -1)
        attn = mix(v, probs.reshape(heads * rows, length, length))        # (n, hd, Lq)
        if rows == 1:
            attn = attn.reshape(hidden, length)
        else:
            attn = attn.reshape(heads, rows, head_dim, length).transpose(0, 2, 1, 3).reshape(
                hidden, rows * length)
        return feed_forward(norm(x + linear(w[6], w[7], attn), w[8], w[9]), w)

    def first_token_layer(x, w, rows, mask, first):
        """The layer for each row's first column only: (hidden, rows)."""
        length = x.shape[1] // rows
        k = per_head(linear(w[2], w[3], x), rows, length)
        v = per_head(linear(w[4], w[5], x), rows, length)
        x = ops.gather(x, first, 1)                                          # (hidden, rows)
        q = linear(w[0], w[1], x).reshape(heads, head_dim, rows)
        q = q.reshape(heads, 1, head_dim) if rows == 1 else \
            q.transpose(0, 2, 1).reshape(heads * rows, 1, head_dim)
        scores = (ops.bmm(q, k) * scale).reshape(heads, rows, 1, length)
        probs = ops.softmax(ops.where(mask, scores, _MASKED), -1)
        attn = mix(v, probs.reshape(heads * rows, 1, length))              # (n, hd, 1)
        attn = attn.reshape(hidden, 1) if rows == 1 else \
            attn.reshape(heads, rows, head_dim).transpose(0, 2, 1).reshape(hidden, rows)
        return feed_forward(norm(x + linear(w[6], w[7], attn), w[8], w[9]), w)

    class Bert(nn.Cell):
        def __init__(self) -> None:
            super().__init__()
            self.flat = flat

        @mindspore.jit
        def construct(self, ids, positions, mask, first, pooler_w, pooler_b, head_w, head_b):
            w = self.flat
            rows = ids.shape[0]
            x = ops.gather(w[0], ids.reshape(-1), 0) + ops.gather(w[1], positions, 0) + w[2][0]
            x = norm(x.transpose(1, 0), w[3], w[4])                         # (hidden, tokens)
            for i in range(layers - 1):
                x = layer(x, w[5 + PER_LAYER * i: 5 + PER_LAYER * (i + 1)], rows, mask)
            x = first_token_layer(x, w[5 + PER_LAYER * (layers - 1):], rows, mask, first)
            pooled = ops.tanh(linear(pooler_w, pooler_b, x))
            return linear(head_w, head_b, pooled)                           # (classes, rows)

    return Bert()
