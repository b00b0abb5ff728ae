"""Trainable parameters and a rough memory bill for a method on a model, before training.

Parameter counts follow the shapes peft 0.17 creates for each method, computed from the
matched modules' weight shapes (``modeltree``); for LoRA, IA3 and prompt tuning they are
exact (checked against peft on tiny models in ``tests/core/test_estimate.py``).

Memory = weights + gradients + optimizer + activations:
- weights: every base parameter at the training dtype (float32: 4 bytes, float16: 2), adapter
  parameters at float32;
- gradients: one float32 value per trainable parameter (the base dtype for full/BitFit);
- optimizer: AdamW keeps two float32 moments per trainable parameter (8 bytes);
- activations: per layer ``b*s*h*(34 + 5*a*s/h)`` bytes at 16 bit (Korthikanti et al. 2022,
  "Reducing Activation Recomputation in Large Transformer Models", section 4.1), doubled for
  float32, plus the language-model logits and their gradient (``2*b*s*vocab*4``). A frozen base
  still keeps these activations, because gradients flow back through it to the adapters.
Framework overhead (allocator caches, workspace, the compiled graph) is not included; treat
the total as a lower bound within a factor of about two.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from . import methods
from .config import MethodConfig, TrainingConfig
from .modelinfo import ModelInfo
from .modeltree import ModuleEntry, match_targets, matches

ACT_BYTES_PER_TOKEN_HIDDEN = 34   # 16-bit bytes kept per token and hidden unit, per layer
ACT_ATTENTION_FACTOR = 5          # 16-bit bytes per attention score (a*s*s), per layer
HEAD_NAMES = ("classifier", "score", "qa_outputs")
DEFAULT_NUM_LABELS = 2            # a new classification head when the checkpoint has none
_DTYPE_BYTES = {"float32": 4, "float16": 2, "bfloat16": 2}
_LORA_LIKE = ("lora", "dora", "rslora", "adalora", "loha", "lokr", "oft", "boft", "vera",
              "fourierft", "ia3")


@dataclass
class Estimate:
    trainable_params: int
    total_params: int
    weights_bytes: int
    grads_bytes: int
    optimizer_bytes: int
    activations_bytes: int
    total_bytes: int
    notes: list[str] = field(default_factory=list)
    adapted_modules: list[str] = field(default_factory=list)  # modules the method wraps
    exact: bool = True             # False when module shapes were unknown

    @property
    def trainable_fraction(self) -> float:
        return self.trainable_params / self.total_params if self.total_params else 0.0


def factorization(dimension: int, factor: int = -1) -> tuple[int, int]:
    """peft's LoKr split of a dimension into two factors (smaller first)."""
    if factor > 0 and dimension % factor == 0:
        return factor, dimension // factor
    if factor == -1:
        factor = dimension
    m, n = 1, dimension
    length = m + n
    while m < n:
        new_m = m + 1
        while dimension % new_m != 0:
            new_m += 1
        new_n = dimension // new_m
        if new_m + new_n > length or new_m > factor:
            break
        m, n = new_m, new_n
    return (n, m) if m > n else (m, n)


def _oft_adjust(in_features: int, value: int) -> int:
    """peft's nearest divisor of in_features (OFT block size or count)."""
    if value >= in_features:
        return in_features
    higher = value
    while higher <= in_features and in_features % higher != 0:
        higher += 1
    lower = value
    while lower > 1 and in_features % lower != 0:
        lower -= 1
    return lower if value - lower <= higher - value else higher


def _module_params(method_id: str, v: dict[str, Any], e: ModuleEntry, ff: bool) -> int:
    """Trainable adapter parameters peft adds to one module."""
    fin, fout = e.in_features or 0, e.out_features or 0
    if method_id in ("lora", "rslora"):
        return v["r"] * (fin + fout)
    if method_id == "dora":
        return v["r"] * (fin + fout) + fout
    if method_id == "adalora":
        return v["init_r"] * (fin + fout + 1)
    if method_id == "ia3":
        return fin if ff else fout
    if method_id == "loha":
        return 2 * v["r"] * (fin + fout)
    if method_id == "lokr":
        r, factor = v["r"], v.get("decompose_factor") or -1
        in_m, in_n = factorization(fin, factor)
        out_l, out_k = factorization(fout, factor)
        w1 = (r * (out_l + in_m) if v.get("decompose_both") and r < max(out_l, in_m) / 2
              else out_l * in_m)
        w2 = r * (out_k + in_n) if r < max(out_k, in_n) / 2 else out_k * in_n
        return w1 + w2
    if method_id == "oft":
        r, size = v.get("r") or 0, v.get("oft_block_size") or 0
        if r == 0 and size:
            size = _oft_adjust(fin, size)
            r = fin // size
        elif r:
            r = _oft_adjust(fin, r)
            size = fin // r
        blocks = 1 if v.get("block_share") else r
        return blocks * (size * (size - 1) // 2)
    if method_id == "boft":
        size, num = v.get("boft_block_size") or 0, v.get("boft_block_num") or 0
        if size == 0 and num:
            size = fin // num
        elif size:
            num = fin // size
        # Without peft's CUDA extension (always the case on MindSpore) the butterfly factor
        # is forced to 1: one block-diagonal rotation plus a per-output scale.
        return num * size * size + fout
    if method_id == "vera":
        return v["r"] + fout
    if method_id == "fourierft":
        return v["n_frequency"]
    return 0


def _prompt_params(method_id: str, v: dict[str, Any], info: ModelInfo, task: str,
                   tree: Sequence[ModuleEntry] | None) -> tuple[int, list[str]]:
    hidden, layers = info.hidden_size or 0, info.num_layers or 0
    notes: list[str] = []
    tokens = v.get("num_virtual_tokens") or 0
    submodules = 2 if task == "seq2seq" else 1  # peft doubles the prompt for encoder-decoders
    if method_id == "prompt_tuning":
        return tokens * submodules * hidden, notes
    if method_id == "p_tuning":
        enc = v.get("encoder_hidden_size") or 0
        count = tokens * submodules * hidden
        if v.get("encoder_type") == "LSTM":
            for layer in range(v.get("encoder_num_layers") or 1):
                width = hidden if layer == 0 else 2 * enc
                count += 2 * 4 * (enc * width + enc * enc + 2 * enc)  # two directions
            count += (2 * enc) * (2 * enc) + 2 * enc + 2 * enc * hidden + hidden
        else:
            count += hidden * enc + enc + enc * enc + enc + enc * hidden + hidden
        return count, notes
    if method_id == "prefix_tuning":
        token_dim = hidden
        kv = next((e.out_features for e in tree or () if e.leaf == "k_proj" and e.is_linear),
                  None)
        if kv and kv < hidden:  # grouped-query attention: prefixes are kv-head sized
            token_dim = kv
        width = layers * 2 * token_dim
        if v.get("prefix_projection"):
            enc = v.get("encoder_hidden_size") or 0
            return tokens * token_dim + token_dim * enc + enc + enc * width + width, notes
        return tokens * width, notes
    if method_id == "adaption_prompt":
        adapted = v.get("adapter_layers") or layers
        return adapted * ((v.get("adapter_len") or 0) * hidden + 1), notes
    return 0, notes


def _bias_count(e: ModuleEntry) -> int:
    if not e.has_bias:
        return 0
    return e.params - (math.prod(e.shape) if e.shape else 0)


def _heads(tree: Sequence[ModuleEntry], task: str, info: ModelInfo) -> tuple[int, list[str]]:
    """Parameters of the task head peft trains in full (modules_to_save) for classification."""
    if task not in ("seq_cls", "token_cls"):
        return 0, []
    found = sum(e.params for e in tree if set(e.name.split(".")) & set(HEAD_NAMES))
    if found:
        return found, []
    new = (info.hidden_size or 0) * DEFAULT_NUM_LABELS + DEFAULT_NUM_LABELS
    return new, [f"The checkpoint has no classification head; a new one is counted for "
                 f"{DEFAULT_NUM_LABELS} labels (it grows with the number of labels)."]


def _approx_tree(info: ModelInfo, targets: list[str] | str | None) -> list[ModuleEntry]:
    """When shapes are unknown: one hidden x hidden linear per target name and layer."""
    hidden, layers = info.hidden_size or 0, info.num_layers or 0
    names = targets if isinstance(targets, list) else []
    return [ModuleEntry(f"layers.{i}.{t}", "linear", (hidden, hidden), hidden * hidden)
            for i in range(layers) for t in names]


def estimate(info: ModelInfo, tree: Sequence[ModuleEntry] | None, method: MethodConfig,
             training: TrainingConfig, task: str | None = None) -> Estimate:
    """Trainable/total parameters and memory for ``method`` on the model. ``tree`` is
    ``modeltree.module_tree`` (None when the checkpoint could not be read: shapes are then
    approximated from the config). ``task`` defaults to the model's default task."""
    spec = methods.get(method.name)
    task = task or info.default_task or "causal_lm"
    values, _problems = methods.resolve_params(method, info.family, task)
    notes = [p.message for p in methods.fit_problems(spec, info.family, task, info.has_bias)]
    exact = tree is not None
    base_total = (sum(e.params for e in tree) if tree else info.param_estimate) or 0
    targets = values.get("target_modules")
    entries = list(tree) if tree is not None else _approx_tree(info, targets)
    if tree is None:
        notes.append("Module shapes are unknown (the checkpoint could not be read), so "
                     "parameter counts are approximate.")
    adapted: list[str] = []
    adapter = heads = extra_total = 0
    if spec.kind == "full":
        trainable = base_total
    elif spec.kind == "bitfit":
        heads, head_notes = _heads(entries, task, info)
        trainable = sum(_bias_count(e) for e in entries
                        if not (heads and set(e.name.split(".")) & set(HEAD_NAMES)))
        trainable += heads
        notes += head_notes
        if trainable == 0:
            notes.append("This model has no bias terms, so BitFit has nothing to train.")
    else:
        if spec.id in _LORA_LIKE or spec.id == "ln_tuning":
            by_name = {e.name: e for e in entries}
            linear = [e.name for e in entries if e.is_linear]
            adapted = match_targets(list(by_name), targets, linear)
            if targets is None:
                notes.append(f"{spec.display_name} has no default target modules for the "
                             f"{info.family or 'unknown'} family; choose them in the tree.")
            elif not adapted:
                notes.append("The target modules match no module of this model.")
            ff_targets = values.get("feedforward_modules") or []
            skipped = []
            for name in adapted:
                e = by_name[name]
                if spec.id == "ln_tuning":
                    adapter += e.params  # a trained copy that stands in for the layer
                    continue
                ok = e.is_linear or (e.kind_guess == "embedding" and spec.id in
                                     ("lora", "rslora", "dora"))
                if not ok:
                    skipped.append(name)
                    continue
                # peft's IA3 test: a plain endswith for lists, fullmatch for a regex
                ff = (matches(name, ff_targets) if isinstance(ff_targets, str)
                      else any(name.endswith(t) for t in ff_targets))
                adapter += _module_params(spec.id, values, e, ff)
                if spec.id == "adalora":
                    extra_total += 1  # the frozen rank counter of each layer
            if skipped:
                notes.append(f"{len(skipped)} matched module(s) are not linear layers (e.g. "
                             f"{skipped[0]}): {spec.display_name} cannot adapt them and "
                             f"training would stop with an error; leave them out.")
            if spec.id == "boft":
                notes.append("BOFT runs with one butterfly factor here: peft's CUDA kernel "
                             "is not available on MindSpore.")
        else:
            adapter, more = _prompt_params(spec.id, values, info, task, entries)
            notes += more
        head_notes: list[str] = []
        if spec.id != "adaption_prompt":
            heads, head_notes = _heads(entries, task, info)
        saved = values.get("modules_to_save") or []
        if saved:
            heads += sum(e.params for e in entries if any(
                e.name == s or e.name.endswith("." + s) for s in saved)
                and not set(e.name.split(".")) & set(HEAD_NAMES))
        notes += head_notes
        trainable = adapter + heads
        extra_total += adapter + heads  # adapters and trained copies of saved modules
    total = base_total + extra_total
    base_bytes = _DTYPE_BYTES.get(training.dtype, 4)
    if spec.kind == "peft":
        weights = base_total * base_bytes + (adapter + heads) * 4
        grad_bytes = 4
    else:
        weights = base_total * base_bytes
        grad_bytes = base_bytes if spec.kind == "full" else 4
    grads = trainable * grad_bytes
    optimizer = trainable * 8
    activations = _activations(info, spec.id, values, training, task)
    total_bytes = weights + grads + optimizer + activations
    return Estimate(trainable, total, weights, grads, optimizer, activations, total_bytes,
                    notes, adapted, exact)


def _activations(info: ModelInfo, method_id: str, values: dict[str, Any],
                 training: TrainingConfig, task: str) -> int:
    hidden, layers = info.hidden_size or 0, info.num_layers or 0
    heads = info.num_heads or 1
    if info.is_encoder_decoder:
        layers *= 2
    seq = training.max_length
    if method_id in ("prompt_tuning", "p_tuning", "prefix_tuning"):
        seq += values.get("num_virtual_tokens") or 0
    b = training.batch_size
    per_layer = b * seq * hidden * ACT_BYTES_PER_TOKEN_HIDDEN + (
        ACT_ATTENTION_FACTOR * heads * seq * seq * b)
    scale = 2 if _DTYPE_BYTES.get(training.dtype, 4) == 4 else 1
    logits = 0
    if task in ("causal_lm", "seq2seq") and info.vocab_size:
        logits = 2 * b * seq * info.vocab_size * 4
    return int(per_layer * layers * scale + logits)

