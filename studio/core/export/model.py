"""The in-studio model of an export source (base + adapter, base + BitFit biases, or a whole
model), the fixed samples its logits are checked on, and its weights as plain tensors.

Everything here needs the compute stack: it calls ``runtime.bootstrap()`` first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import StudioError
from ..messages import msg
from .sources import ExportSource, label_names

SAMPLE_TEXTS = ("The quick brown fox jumps over the lazy dog.",
                "Hello, how are you today? Please tell me about the market.",
                "1, 2, 3: profit rose, sales fell, and the bank said nothing")
SAMPLE_MAX_TOKENS = 32
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                   "added_tokens.json", "vocab.json", "vocab.txt", "merges.txt",
                   "tokenizer.model", "spiece.model", "sentencepiece.bpe.model",
                   "chat_template.jinja", "chat_template.json")


@dataclass
class StudioModel:
    model: Any                 # PeftModel for adapters, else the plain transformers model
    tokenizer: Any
    labels: list[str] | None


def has_tokenizer(folder: Path) -> bool:
    return (folder / "tokenizer_config.json").is_file()


def tokenizer_folder(src: ExportSource) -> str:
    candidates = [src.folder]
    if src.run is not None and src.run.output_dir:
        candidates.append(Path(src.run.output_dir).expanduser())
    for folder in candidates:
        if has_tokenizer(folder):
            return str(folder)
    return src.base_model


def load(src: ExportSource) -> StudioModel:
    from ..runtime import bootstrap

    bootstrap()
    from .. import download
    from ..modeling import load_base_model, load_tokenizer, load_trainable_state

    tokenizer = load_tokenizer(tokenizer_folder(src), src.task)
    labels = label_names(src)
    whole = src.kind == "full" and src.tensors_file is None
    # A hub id is fetched into the cache first (download.ensure), not inside from_pretrained.
    base = str(src.folder) if whole else download.ensure(src.base_model)
    model = load_base_model(base, src.task, tokenizer, "float32", labels)
    if src.kind == "peft":
        from peft import PeftModel

        from .. import weightsafety

        weightsafety.check_folder(src.folder)
        try:
            model = PeftModel.from_pretrained(model, str(src.folder))
        except (ValueError, KeyError, RuntimeError, OSError) as exc:
            raise weightsafety.cause(exc) or StudioError(
                msg("export.adapter_not_load_onto", folder=src.folder, base=src.base_model,
                    error=exc)) from exc
    elif src.kind == "bitfit" or src.tensors_file is not None:
        from safetensors.numpy import load_file

        file = src.tensors_file or src.folder / "bitfit_model.safetensors"
        try:
            arrays = load_file(str(file))
        except (OSError, ValueError) as exc:
            raise StudioError(msg("data.cannot_read", name=file, error=exc)) from exc
        load_trainable_state(model, arrays)
    model.eval()
    return StudioModel(model, tokenizer, labels)


def sample_inputs(loaded: StudioModel, task: str) -> dict[str, list[list[int]]]:
    """A few fixed, padded samples as token id lists (JSON-able, for the fresh process)."""
    tok = loaded.tokenizer
    enc = tok(list(SAMPLE_TEXTS), padding=True, truncation=True, max_length=SAMPLE_MAX_TOKENS)
    inputs = {"input_ids": [list(map(int, r)) for r in enc["input_ids"]],
              "attention_mask": [list(map(int, r)) for r in enc["attention_mask"]]}
    if task == "seq2seq":
        config = _plain(loaded.model).config
        start = config.decoder_start_token_id
        start = tok.pad_token_id if start is None else start
        inputs["decoder_input_ids"] = [[int(start), *row[:3]] for row in inputs["input_ids"]]
    return inputs


def logits(model: Any, inputs: dict[str, list[list[int]]]) -> np.ndarray:
    import torch

    tensors = {k: torch.tensor(v) for k, v in inputs.items()}
    with torch.no_grad():
        out = model(**tensors).logits
    return np.asarray(out.float().numpy(), dtype=np.float32)


def _plain(model: Any) -> Any:
    base = getattr(model, "get_base_model", None)
    return base() if base is not None else model


def merged_model(loaded: StudioModel, src: ExportSource) -> Any:
    """The plain transformers model with the adapter folded into its weights."""
    if src.kind != "peft":
        return loaded.model
    try:
        return loaded.model.merge_and_unload()
    except (ValueError, NotImplementedError, AttributeError) as exc:
        raise StudioError(msg("export.peft_could_not_merge", method=src.method, error=exc)) from exc


def _np_dtype(tensor: Any) -> np.dtype:
    if tensor.is_floating_point():
        return np.dtype(np.float32)     # floats are read as float32 and cast when written
    name = str(tensor.dtype).rsplit(".", 1)[-1]
    return np.dtype({"bool": np.bool_}.get(name, name))


def weight_specs(model: Any) -> tuple[list[tuple[str, tuple[int, ...], np.dtype]],
                                      Callable[[str], np.ndarray]]:
    """(name, shape, numpy dtype) of every tensor to save, and a reader for one of them.
    A tied weight (an output embedding that is the input embedding) is saved once, under
    its first name, as transformers does."""
    state = model.state_dict()
    first: dict[int, str] = {}
    tied: set[str] = set()
    for name, param in model.named_parameters(remove_duplicate=False):
        if id(param) in first:
            tied.add(name)
        else:
            first[id(param)] = name
    names = [n for n in state if n not in tied]
    specs = [(n, tuple(int(s) for s in state[n].shape), _np_dtype(state[n])) for n in names]

    def fetch(name: str) -> np.ndarray:
        tensor = state[name].detach()
        if tensor.is_floating_point():
            tensor = tensor.float()
        return np.asarray(tensor.cpu().numpy())

    return specs, fetch


def config_json(model: Any, dtype: str) -> dict[str, Any]:
    import json

    data = json.loads(model.config.to_json_string(use_diff=True))
    data["architectures"] = [type(model).__name__]
    data["dtype"] = dtype
    data["torch_dtype"] = dtype     # the key transformers < 4.56 and other readers look for
    data.pop("_name_or_path", None)
    return data


def base_generation_config(base_model: str) -> bool:
    """Whether the base model ships a generation_config.json (a hub id: assume it does)."""
    folder = Path(base_model).expanduser()
    return (folder / "generation_config.json").is_file() if folder.is_dir() else True
