"""Loading the base model and tokenizer for a task, applying a method, saving the result.

Call only after ``runtime.bootstrap()``: this module imports torch (mindtorch) lazily inside
functions, so importing it stays cheap.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import atomic
from .errors import StudioError
from .messages import msg

AUTO_CLASSES = {
    "causal_lm": "AutoModelForCausalLM",
    "seq2seq": "AutoModelForSeq2SeqLM",
    "seq_cls": "AutoModelForSequenceClassification",
    "token_cls": "AutoModelForTokenClassification",
}
# Parameters of task heads: trained alongside BitFit biases (the head is new for the task).
HEAD_NAMES = ("classifier", "score", "qa_outputs")


@dataclass
class LoadedModel:
    model: Any                 # the model being trained (a PeftModel for peft methods)
    tokenizer: Any
    kind: str                  # 'peft' | 'bitfit' | 'full'
    trainable_params: int
    total_params: int
    # What inference needs to use the result as it was trained (task, data format, system
    # prompt, label names, ...); written next to the result as TRAINING_INFO_FILE.
    card: dict[str, Any] | None = None


TRAINING_INFO_FILE = "peft_studio.json"


def load_tokenizer(model_path: str, task: str):
    from transformers import AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(model_path)
    except (OSError, ValueError) as exc:
        raise StudioError(msg("modeling.cannot_load_tokenizer_from",
                              path=model_path, error=exc)) from exc
    if tokenizer.pad_token is None:
        # Decoder-only checkpoints often ship without a pad token; padding positions are
        # masked out of attention and loss, so reusing EOS is safe.
        if tokenizer.eos_token is None:
            raise StudioError(msg("modeling.tokenizer_neither_pad_nor", path=model_path))
        tokenizer.pad_token = tokenizer.eos_token
    if task in ("causal_lm", "seq_cls"):
        tokenizer.padding_side = "right"
    return tokenizer


def torch_dtype(name: str):
    import torch

    return {"float32": torch.float32, "float16": torch.float16}[name]


def load_base_model(model_path: str, task: str, tokenizer, dtype: str = "float32",
                    label_names: list[str] | None = None):
    import transformers

    from . import weightsafety

    weightsafety.check_folder(model_path)
    cls = getattr(transformers, AUTO_CLASSES[task])
    kwargs: dict[str, Any] = {"torch_dtype": torch_dtype(dtype),
                              **weightsafety.pretrained_kwargs()}
    if task in ("seq_cls", "token_cls"):
        if not label_names:
            raise StudioError(msg("modeling.classification_run_needs_label"))
        kwargs["num_labels"] = len(label_names)
        kwargs["id2label"] = dict(enumerate(label_names))
        kwargs["label2id"] = {name: i for i, name in enumerate(label_names)}
        kwargs["ignore_mismatched_sizes"] = True   # a head trained for other labels is replaced
    try:
        model = cls.from_pretrained(model_path, **kwargs)
    except ValueError as exc:
        raise weightsafety.cause(exc) or StudioError(
            msg("modeling.cannot_loaded_task", path=model_path, task=task, error=exc)) from exc
    except OSError as exc:
        raise weightsafety.cause(exc) or StudioError(
            msg("modeling.cannot_load_model_from", path=model_path, error=exc)) from exc
    if getattr(model.config, "pad_token_id", None) is None:
        model.config.pad_token_id = tokenizer.pad_token_id
    return model


def count_params(model) -> tuple[int, int]:
    trainable = total = 0
    for param in model.parameters():
        n = int(param.numel())
        total += n
        if param.requires_grad:
            trainable += n
    return trainable, total


def apply_method(model, method_config, task: str, family: str | None, tokenizer_path: str,
                 total_steps: int | None = None):
    """Wrap or freeze the model for the method; return (model, kind)."""
    from . import methods

    spec = methods.get(method_config.name)
    if spec.kind == "full":
        for param in model.parameters():
            param.requires_grad = True
        return model, "full"
    if spec.kind == "bitfit":
        found = False
        for name, param in model.named_parameters():
            is_bias = name.endswith(".bias") or name == "bias"
            is_head = any(part in HEAD_NAMES for part in name.split("."))
            param.requires_grad = is_bias or (is_head and task in ("seq_cls", "token_cls"))
            found = found or is_bias
        if not found:
            raise StudioError(msg("modeling.bitfit_trains_bias_terms"))
        return model, "bitfit"
    from peft import get_peft_model

    peft_config = methods.build_peft_config(method_config, task, family, tokenizer_path,
                                            total_steps=total_steps)
    try:
        return get_peft_model(model, peft_config), "peft"
    except (ValueError, TypeError, KeyError) as exc:
        raise StudioError(msg("modeling.cannot_applied_model",
                              method=spec.display_name, error=exc)) from exc


def trainable_state(model) -> dict[str, Any]:
    """Every trainable tensor by name, as numpy arrays (resume state; any method)."""
    return {name: param.detach().numpy().copy() for name, param in model.named_parameters()
            if param.requires_grad}


def load_trainable_state(model, arrays: dict[str, Any]) -> None:
    import torch

    params = dict(model.named_parameters())
    missing = [name for name in arrays if name not in params]
    if missing:
        raise StudioError(msg("modeling.checkpoint_not_fit_model", count=len(missing),
                              missing=missing[0]))
    with torch.no_grad():
        for name, array in arrays.items():
            params[name].copy_(torch.tensor(array, dtype=params[name].dtype))


def save_result(loaded: LoadedModel, folder: Path) -> list[str]:
    """Write the shareable result: standard PEFT files (peft methods), a full model folder
    (full fine-tuning) or the trained biases (BitFit), plus the tokenizer. Returns file names.
    Everything is written into a hidden folder first and then moved in file by file, each
    rename atomic: a crash leaves every file whole, old or new (``atomic.publish_files``)."""
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".saving-", dir=folder))
    try:
        _write_result(loaded, staging)
        atomic.publish_files(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sorted(p.name for p in folder.iterdir())


# peft.utils.constants.EMBEDDING_LAYER_NAMES, without importing peft (and torch) to read it
EMBEDDING_LAYER_NAMES = ("embed_tokens", "lm_head")


def _embedding_layers(model: Any) -> str | bool:
    """peft's ``save_embedding_layers="auto"`` saves the embeddings when an adapter targets
    them; otherwise it asks the Hugging Face hub for the base model's config.json to see
    whether the vocabulary grew: a request at every save, to a hub that may not be the
    chosen one (ModelScope) or reachable. The studio never resizes the vocabulary, so that
    answer is always "no": keep "auto" only where peft decides without the hub."""
    import re

    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    names = [name for name, _ in getattr(base, "named_modules", list)()
             if any(re.match(rf"(.*\.)?{e}$", name) for e in EMBEDDING_LAYER_NAMES)]
    for config in getattr(model, "peft_config", {}).values():
        targets = getattr(config, "target_modules", None)
        if isinstance(targets, str) and any(re.fullmatch(targets, n) for n in names):
            return "auto"
        if targets and not isinstance(targets, str) and any(
                e in targets for e in EMBEDDING_LAYER_NAMES):
            return "auto"
    return False


def _write_result(loaded: LoadedModel, folder: Path) -> None:
    import numpy as np
    from safetensors.numpy import save_file

    model = loaded.model
    if loaded.kind == "peft":
        model.save_pretrained(str(folder), safe_serialization=True,
                              save_embedding_layers=_embedding_layers(model))
    elif loaded.kind == "full":
        model.save_pretrained(str(folder), safe_serialization=True)
    else:
        tensors = {k: np.ascontiguousarray(v) for k, v in trainable_state(model).items()}
        save_file(tensors, str(folder / "bitfit_model.safetensors"))
        base = getattr(model.config, "_name_or_path", "")
        (folder / "bitfit_config.json").write_text(json.dumps(
            {"method": "bitfit", "base_model_name_or_path": base,
             "tensors": sorted(tensors)}, indent=2))
    if loaded.card:
        (folder / TRAINING_INFO_FILE).write_text(json.dumps(loaded.card, indent=2,
                                                            ensure_ascii=False))
    loaded.tokenizer.save_pretrained(str(folder))
