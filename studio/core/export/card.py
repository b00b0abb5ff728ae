"""The model card (``README.md``) written into every export: what it is, how it was
trained, how well, and how to load it with mindnlp and with PEFT on PyTorch."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import methods
from ..modelinfo import looks_like_hub_id
from ..modeling import AUTO_CLASSES
from .sources import ExportSource

PIPELINES = {"causal_lm": "text-generation", "seq2seq": "text2text-generation",
             "seq_cls": "text-classification", "token_cls": "token-classification"}
TRAINING_KEYS = ("epochs", "max_steps", "batch_size", "gradient_accumulation_steps",
                 "learning_rate", "weight_decay", "scheduler", "warmup_steps", "warmup_ratio",
                 "max_grad_norm", "max_length", "seed", "dtype")
STUDIO_NOTE = ("mindnlp 0.5.1 with safetensors 0.7 or newer cannot read adapters in "
               "`PeftModel.from_pretrained` by itself; with PEFT Studio installed, replace "
               "`import mindnlp` by `from studio.core.runtime import bootstrap; bootstrap()`, "
               "which imports mindnlp and applies the fixes it needs.")


@dataclass
class CardInfo:
    kind: str                                  # 'adapter' | 'merged' | 'combined'
    folder_name: str
    base_model: str                            # as written into the export's config
    task: str
    sources: list[ExportSource]
    dtype: str | None = None
    labels: list[str] | None = None
    adapter_config: dict[str, Any] = field(default_factory=dict)
    metrics: list[dict[str, Any]] = field(default_factory=list)   # per source (runs only)
    combination: dict[str, Any] | None = None  # combined: type, weights


def render(info: CardInfo) -> str:
    adapter = info.kind in ("adapter", "combined")
    local = not looks_like_hub_id(info.base_model) or Path(info.base_model).expanduser().exists()
    front: dict[str, Any] = {"library_name": "peft" if adapter else "transformers",
                             "pipeline_tag": PIPELINES.get(info.task, "text-generation"),
                             "tags": ["peft-studio", *sorted({s.method for s in info.sources})]}
    if not local:
        front["base_model"] = info.base_model
    lines = ["---", yaml.safe_dump(front, sort_keys=False).strip(), "---", "",
             f"# {info.folder_name}", "", _summary(info), ""]
    if local:
        fix = " and set `base_model_name_or_path` in adapter_config.json" if adapter else ""
        lines += [(f"> The base model is a local folder (`{info.base_model}`) on the machine "
                   f"that trained this. Elsewhere, use the same model from the hub or a copy "
                   f"of that folder{fix}."), ""]
    lines += _method_section(info) + _training_section(info) + _metrics_section(info)
    lines += _loading_section(info)
    lines += ["", "_Written by PEFT Studio._", ""]
    return "\n".join(lines)


def _summary(info: CardInfo) -> str:
    names = ", ".join(f"`{s.label}`" for s in info.sources)
    what = {"adapter": "A PEFT adapter", "combined": "A weighted combination of LoRA adapters",
            "merged": f"A standalone model ({info.dtype}) with the fine-tuning merged into "
                      f"its weights"}[info.kind]
    return (f"{what} for `{info.base_model}` ({info.task}), exported from {names} with PEFT "
            f"Studio.")


def _method_section(info: CardInfo) -> list[str]:
    lines = ["## Method", ""]
    if info.combination:
        kind = info.combination["type"]
        lines += [f"Combination: `{kind}` (peft `add_weighted_adapter`) of:", "",
                  "| source | weight |", "|---|---|"]
        lines += [f"| {s.label} | {w:g} |" for s, w in zip(info.sources,
                                                          info.combination["weights"])]
        lines.append("")
    if not info.combination:
        src = info.sources[0]
        spec = methods.get(src.method)
        lines += [f"{spec.display_name}: {spec.description}", ""]
        settings = {p.name: src.adapter_config.get(p.name) for p in spec.params
                    if src.adapter_config.get(p.name) is not None}
        if not settings and src.run_config:
            method_cfg = src.run_config.get("method") or {}
            settings = {k: v for k, v in method_cfg.items() if k != "name" and v is not None}
        if settings:
            lines += ["| setting | value |", "|---|---|"]
            lines += [f"| {k} | `{_short(v)}` |" for k, v in settings.items()]
            lines.append("")
    if info.labels:
        lines += ["Labels (in id order): " + ", ".join(f"`{n}`" for n in info.labels), ""]
    return lines


def _short(value: Any) -> str:
    if isinstance(value, (list, tuple, set)):
        value = sorted(value) if isinstance(value, set) else list(value)
        return ", ".join(map(str, value))
    return str(value)


def _training_section(info: CardInfo) -> list[str]:
    lines: list[str] = []
    for src in info.sources:
        cfg = src.run_config
        if not cfg:
            continue
        dataset = cfg.get("dataset") or {}
        training = cfg.get("training") or {}
        lines += [f"## Training: {src.label}", "",
                  f"- dataset: `{dataset.get('path')}` (format {dataset.get('format', 'auto')}"
                  + (f", validation `{dataset['validation_path']}`" if dataset.get(
                      "validation_path") else f", validation split "
                                              f"{dataset.get('validation_split')}") + ")"]
        lines += [f"- {k}: {training[k]}" for k in TRAINING_KEYS
                  if training.get(k) is not None]
        lines.append("")
    return lines


def _metrics_section(info: CardInfo) -> list[str]:
    rows = [(src, m) for src, m in zip(info.sources, info.metrics) if m]
    if not rows:
        return []
    lines = ["## Results", ""]
    for src, metrics in rows:
        shown = ", ".join(f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}"
                          for k, v in metrics.items())
        lines.append(f"- {src.label}: {shown}")
    return [*lines, ""]


def _auto_class(task: str) -> str:
    return AUTO_CLASSES.get(task, "AutoModelForCausalLM")


def _label_kwargs(labels: list[str] | None) -> str:
    if not labels:
        return ""
    return (f", num_labels={len(labels)},\n    id2label={dict(enumerate(labels))!r},\n"
            f"    label2id={ {n: i for i, n in enumerate(labels)}!r}")


def _loading_section(info: CardInfo) -> list[str]:
    cls = _auto_class(info.task)
    here = f"./{info.folder_name}"
    if info.kind == "merged":
        dtype_note = ("torch_dtype=torch.float32"
                      if info.dtype == "bfloat16" else "")
        mind = ["import mindnlp  # first: `import torch` then runs on MindSpore (mindtorch)",
                "import torch",
                f"from transformers import {cls}, AutoTokenizer", "",
                f"model = {cls}.from_pretrained({here!r}"
                + (f", {dtype_note})  # no bfloat16 kernels on CPU" if dtype_note else ")"),
                f"tokenizer = AutoTokenizer.from_pretrained({here!r})"]
        torch_side = [f"from transformers import {cls}, AutoTokenizer", "",
                      f"model = {cls}.from_pretrained({here!r}, torch_dtype=\"auto\")",
                      f"tokenizer = AutoTokenizer.from_pretrained({here!r})"]
        note = []
    else:
        load_base = (f"base = {cls}.from_pretrained({info.base_model!r}"
                     f"{_label_kwargs(info.labels)})")
        body = [load_base, f"model = PeftModel.from_pretrained(base, {here!r})",
                f"tokenizer = AutoTokenizer.from_pretrained({here!r})"]
        imports = ["from peft import PeftModel",
                   f"from transformers import {cls}, AutoTokenizer", ""]
        mind = ["import mindnlp  # first: `import torch` then runs on MindSpore (mindtorch)",
                *imports, *body]
        torch_side = [*imports, *body]
        note = ["", STUDIO_NOTE]
    usage = _usage(info.task)
    lines = ["## Loading it", "", "With mindnlp (MindSpore):", "", "```python", *mind, *usage,
             "```", *note, "", "With Hugging Face transformers / PEFT on PyTorch:", "",
             "```python", *torch_side, *usage, "```"]
    if info.kind != "merged":
        lines += ["", "To fold the adapter into the weights: `model = model.merge_and_unload()`"
                  + ("." if all(s.merge_refusal() is None for s in info.sources) else
                     " (not possible for this method).")]
    return lines


def _usage(task: str) -> list[str]:
    if task in ("causal_lm", "seq2seq"):
        return ["", 'inputs = tokenizer("Hello", return_tensors="pt")',
                "print(tokenizer.decode(model.generate(**inputs, max_new_tokens=20)[0]))"]
    return ["", 'inputs = tokenizer("Hello", return_tensors="pt")',
            "predicted = model(**inputs).logits.argmax(-1)"]
