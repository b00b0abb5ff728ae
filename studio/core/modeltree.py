"""A model's module tree read from its checkpoint headers: no torch, no weights loaded.

A safetensors file starts with an 8-byte little-endian header length and a JSON header that
names every tensor with its dtype and shape; a sharded checkpoint lists its files in
``model.safetensors.index.json``. Parameter names minus their last part (``.weight``,
``.bias``) are the module names peft matches ``target_modules`` against, so the tree shown
here is the tree peft sees (for the head class the checkpoint was saved with).
A ``pytorch_model.bin`` is a pickle that only torch can read: for those folders the tree is
unavailable and ``fallback_entries`` lists the family's known module names instead.
"""

from __future__ import annotations

import json
import re
import struct
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import modelinfo
from .errors import StudioError
from .messages import msg

INDEX = "model.safetensors.index.json"
SINGLE = "model.safetensors"
BIN_FILES = ("pytorch_model.bin", "pytorch_model.bin.index.json")
MAX_HEADER = 100 * 1024 * 1024  # safetensors' own limit

DTYPES = {"F64": "float64", "F32": "float32", "F16": "float16", "BF16": "bfloat16",
          "F8_E4M3": "float8_e4m3", "F8_E5M2": "float8_e5m2", "I64": "int64", "I32": "int32",
          "I16": "int16", "I8": "int8", "U8": "uint8", "BOOL": "bool"}
DTYPE_BYTES = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "F8_E4M3": 1, "F8_E5M2": 1, "I64": 8,
               "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}
# Saved buffers that are not parameters (old GPT-2 masks, position ids, rotary tables).
_BUFFER_LEAVES = {"masked_bias", "position_ids", "inv_freq", "_float_tensor"}
_EMBEDDING = re.compile(r"(^|\.)(\w*embed\w*|wte|wpe|shared|relative_attention_bias)$")
# GPT-2 style Conv1D layers store their weight as (in, out), the transpose of nn.Linear.
_CONV1D = {"gpt2": re.compile(r"(^|\.)(c_attn|c_proj|c_fc|q_attn)$")}
# Output layers that peft's "all-linear" leaves out.
OUTPUT_LAYERS = ("lm_head", "score", "classifier", "qa_outputs")


BIN_NOTE = msg("modeltree.bin_note")


class TreeUnavailable(StudioError):  # noqa: N818 - reads as the finding it reports
    """The checkpoint cannot be read without torch (or is not there)."""


@dataclass(frozen=True)
class Tensor:
    dtype: str          # safetensors code: F32, BF16, ...
    shape: tuple[int, ...]

    @property
    def numel(self) -> int:
        n = 1
        for d in self.shape:
            n *= d
        return n


@dataclass(frozen=True)
class ModuleEntry:
    """One module that owns parameters. ``shape`` is the weight as stored; for linear-like
    modules ``in_features``/``out_features`` say which side is which."""

    name: str                       # full dotted name, e.g. model.layers.0.self_attn.q_proj
    kind_guess: str                 # linear, conv1d, embedding, norm, conv, other
    shape: tuple[int, ...] | None
    params: int
    has_bias: bool = False
    tied: bool = False              # shares its weight with an embedding (not in the file)

    @property
    def leaf(self) -> str:
        return self.name.rsplit(".", 1)[-1]

    @property
    def is_linear(self) -> bool:
        return self.kind_guess in ("linear", "conv1d")

    @property
    def in_features(self) -> int | None:
        if not self.shape or len(self.shape) != 2:
            return None
        return self.shape[0] if self.kind_guess == "conv1d" else self.shape[1]

    @property
    def out_features(self) -> int | None:
        if not self.shape or len(self.shape) != 2:
            return None
        return self.shape[1] if self.kind_guess == "conv1d" else self.shape[0]


@dataclass(frozen=True)
class Checkpoint:
    tensors: dict[str, Tensor]
    files: tuple[str, ...]
    size_bytes: int

    @property
    def dtype(self) -> str | None:
        """The most common floating dtype, as a readable name (float32, bfloat16, ...)."""
        counts: Counter[str] = Counter()
        for t in self.tensors.values():
            if t.dtype.startswith(("F", "BF")):
                counts[t.dtype] += t.numel
        if not counts:
            return None
        code = counts.most_common(1)[0][0]
        return DTYPES.get(code, code.lower())

    @property
    def total_params(self) -> int:
        return sum(t.numel for n, t in self.tensors.items() if not _is_buffer(n, t))


def _read_header(file: Path) -> dict[str, Tensor]:
    try:
        with file.open("rb") as fh:
            head = fh.read(8)
            if len(head) != 8:
                raise TreeUnavailable(msg("modeltree.too_short_safetensors_file", file=file))
            (length,) = struct.unpack("<Q", head)
            if length > MAX_HEADER:
                raise TreeUnavailable(msg("modeltree.not_safetensors_file_header", file=file,
                                          length=length))
            raw = fh.read(length)
    except OSError as exc:
        raise TreeUnavailable(msg("modelinfo.cannot_read", file=file, error=exc)) from None
    try:
        header = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise TreeUnavailable(msg("modeltree.damaged_safetensors_header", file=file)) from None
    if not isinstance(header, dict):
        raise TreeUnavailable(msg("modeltree.damaged_safetensors_header", file=file))
    tensors = {}
    for name, meta in header.items():
        if name == "__metadata__" or not isinstance(meta, dict):
            continue
        shape = meta.get("shape")
        if not isinstance(shape, list) or not all(isinstance(d, int) for d in shape):
            raise TreeUnavailable(msg("modeltree.tensor_no_valid_shape", file=file, name=name))
        tensors[name] = Tensor(str(meta.get("dtype", "")), tuple(shape))
    return tensors


def checkpoint_files(folder: Path) -> list[Path]:
    """The safetensors files of a model folder; TreeUnavailable when there are none."""
    index = folder / INDEX
    if index.is_file():
        try:
            weight_map = json.loads(index.read_text(encoding="utf-8"))["weight_map"]
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
            raise TreeUnavailable(msg("modeltree.not_valid_checkpoint_index",
                                      index=index)) from None
        files = [folder / f for f in dict.fromkeys(weight_map.values())]
        missing = [f.name for f in files if not f.is_file()]
        if missing:
            raise TreeUnavailable(msg("modeltree.checkpoint_incomplete_missing", folder=folder,
                                      missing=', '.join(missing[:3])))
        return files
    if (folder / SINGLE).is_file():
        return [folder / SINGLE]
    if any((folder / name).is_file() for name in BIN_FILES):
        raise TreeUnavailable(BIN_NOTE)
    others = sorted(folder.glob("*.safetensors"))
    if others:
        return others
    raise TreeUnavailable(msg("modeltree.holds_no_model_weights", folder=folder))


def read_checkpoint(folder: str | Path) -> Checkpoint:
    folder = Path(folder).expanduser()
    files = checkpoint_files(folder)
    tensors: dict[str, Tensor] = {}
    for file in files:
        tensors.update(_read_header(file))
    return Checkpoint(tensors, tuple(f.name for f in files),
                      sum(f.stat().st_size for f in files))


def _is_buffer(name: str, tensor: Tensor) -> bool:
    leaf = name.rsplit(".", 1)[-1]
    return leaf in _BUFFER_LEAVES or (leaf == "bias" and len(tensor.shape) == 4)


def _kind(module: str, params: dict[str, Tensor], conv1d: re.Pattern[str] | None) -> str:
    weight = params.get("weight")
    if weight is None:
        return "other"
    ndim = len(weight.shape)
    if ndim == 1:
        return "norm"
    if ndim == 2:
        if _EMBEDDING.search(module):
            return "embedding"
        if conv1d is not None and conv1d.search(module):
            return "conv1d"
        return "linear"
    return "conv" if ndim in (3, 4, 5) else "other"


def build_tree(tensors: dict[str, Tensor], model_type: str | None = None,
               config: dict | None = None) -> list[ModuleEntry]:
    """Modules (in checkpoint order) from parameter names and shapes."""
    grouped: dict[str, dict[str, Tensor]] = {}
    for name, tensor in tensors.items():
        if _is_buffer(name, tensor):
            continue
        module, _, leaf = name.rpartition(".")
        grouped.setdefault(module, {})[leaf] = tensor
    conv1d = _CONV1D.get(modelinfo.FAMILIES.get(model_type or "", model_type or ""))
    entries = []
    for module, params in grouped.items():
        weight = params.get("weight")
        entries.append(ModuleEntry(
            name=module, kind_guess=_kind(module, params, conv1d),
            shape=weight.shape if weight is not None else None,
            params=sum(t.numel for t in params.values()), has_bias="bias" in params))
    entries += _tied_heads(entries, config or {})
    return sorted(entries, key=lambda e: [_natural(p) for p in e.name.split(".")])


def _tied_heads(entries: list[ModuleEntry], config: dict) -> list[ModuleEntry]:
    """A language-model head tied to the input embedding is a module peft can see, though
    its weight is not saved separately."""
    archs = " ".join(str(a) for a in config.get("architectures") or ())
    has_head = any(k in archs for k in ("ForCausalLM", "LMHeadModel", "ForConditionalGeneration",
                                        "ForMaskedLM"))
    if not has_head or config.get("tie_word_embeddings") is False:
        return []
    if any(e.leaf == "lm_head" for e in entries):
        return []
    vocab = config.get("vocab_size")
    embedding = next((e for e in entries if e.kind_guess == "embedding" and e.shape
                      and e.shape[0] == vocab), None)
    if embedding is None or "ForMaskedLM" in archs:
        return []  # masked-LM heads live deeper (cls.predictions.decoder) and are saved
    return [ModuleEntry("lm_head", "linear", embedding.shape, 0, False, tied=True)]


def _config(folder: Path) -> dict:
    try:
        data = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def module_tree(folder: str | Path) -> list[ModuleEntry]:
    """The modules of the checkpoint in ``folder``; TreeUnavailable when it cannot be read
    without torch (pytorch_model.bin) or holds no weights."""
    folder = Path(folder).expanduser()
    config = _config(folder)
    return build_tree(read_checkpoint(folder).tensors, config.get("model_type"), config)


def fallback_entries(family: str | None) -> list[ModuleEntry]:
    """Known module names of a family, without shapes, for when the tree is unavailable."""
    names = sorted(modelinfo.MODULE_NAMES.get(family or "", ()), key=str.lower)
    return [ModuleEntry(n, "unknown", None, 0) for n in names]


def linear_modules(entries: Iterable[ModuleEntry]) -> list[ModuleEntry]:
    """Linear-like modules (nn.Linear and GPT-2's Conv1D): what LoRA and most methods adapt."""
    return [e for e in entries if e.is_linear]


def container_names(names: Iterable[str]) -> list[str]:
    """Every proper prefix of the dotted names (the modules that only hold other modules)."""
    found: dict[str, None] = {}
    for name in names:
        parts = name.split(".")
        for i in range(1, len(parts)):
            found[".".join(parts[:i])] = None
    return list(found)


def matches(name: str, targets: list[str] | str) -> bool:
    """peft's rule: a string is a regex matched against the whole name; a list matches a name
    equal to an entry or ending with '.' + entry."""
    if isinstance(targets, str):
        try:
            return re.fullmatch(targets, name) is not None
        except re.error:
            return False
    return any(name == t or name.endswith("." + t) for t in targets)


def match_targets(names: Iterable[str], targets: list[str] | str | None,
                  linear: Iterable[str] | None = None) -> list[str]:
    """The names peft would adapt for ``targets``. None matches nothing here (the caller
    resolves the family default first). "all-linear" needs ``linear`` (the linear names)."""
    names = list(names)
    if targets is None or targets == [] or targets == "":
        return []
    if targets == "all-linear":
        allowed = set(linear if linear is not None else ())
        return [n for n in names if n in allowed and n.rsplit(".", 1)[-1] not in OUTPUT_LAYERS]
    return [n for n in names if matches(n, targets)]


def compress_targets(checked: Iterable[str], all_names: Iterable[str]) -> list[str]:
    """The shortest list of name suffixes that matches exactly ``checked`` among
    ``all_names`` (containers included), so hundreds of checked q_proj/v_proj boxes become
    ['q_proj', 'v_proj'] while a single layer's module stays a full name."""
    checked_set = set(checked)
    all_names = list(all_names)
    by_suffix: dict[str, set[str]] = {}
    for name in dict.fromkeys([*all_names, *container_names(all_names)]):
        parts = name.split(".")
        for i in range(len(parts)):
            by_suffix.setdefault(".".join(parts[i:]), set()).add(name)
    out: list[str] = []
    covered: set[str] = set()
    for name in sorted(checked_set, key=lambda n: (n.count("."), n)):
        if name in covered:
            continue
        parts = name.split(".")
        for i in range(len(parts) - 1, -1, -1):
            suffix = ".".join(parts[i:])
            if parts[i].isdigit():  # "0.self_attn.q_proj" reads badly: take the parent too
                continue
            hits = by_suffix.get(suffix, {name})
            if hits <= checked_set:
                break
        else:
            suffix, hits = name, {name}
        out.append(suffix)
        covered |= hits
    return sorted(out, key=lambda s: [_natural(p) for p in s.split(".")])


def _natural(part: str) -> tuple[int, int | str]:
    return (0, int(part)) if part.isdigit() else (1, part)


@dataclass
class ModelDescription:
    """Everything the model page shows, gathered off the GUI thread."""

    info: modelinfo.ModelInfo
    entries: list[ModuleEntry]
    tree_available: bool            # False: entries are the family's names, without shapes
    tree_note: str | None           # why the tree is unavailable
    note: str | None                # about a hub id: downloaded at train time
    dtype: str | None               # of the checkpoint tensors
    checkpoint_bytes: int | None
    total_params: int | None        # counted from the checkpoint; None when unread


NOT_DOWNLOADED = msg("modeltree.not_downloaded")


def _local_folder(model: str, info: modelinfo.ModelInfo) -> Path | None:
    path = Path(model).expanduser()
    if path.is_dir():
        return path
    if info.remote:
        return modelinfo._cached_snapshot(model)
    return None


def describe(model: str) -> ModelDescription:
    """Inspect a model folder or hub id: info, module tree, checkpoint dtype and size.
    Raises StudioError only when the model itself is unusable (see modelinfo.inspect)."""
    info = modelinfo.inspect(model)
    folder = _local_folder(model, info)
    note = None
    if info.remote:
        note = msg("modeltree.hub_note_cached" if folder is not None else "modeltree.hub_note")
    if folder is None:
        return ModelDescription(info, fallback_entries(info.family), False, NOT_DOWNLOADED,
                                note, None, None, None)
    try:
        checkpoint = read_checkpoint(folder)
    except TreeUnavailable as exc:
        return ModelDescription(info, fallback_entries(info.family), False, exc.message, note,
                                None, None, None)
    entries = build_tree(checkpoint.tensors, info.model_type, _config(folder))
    return ModelDescription(info, entries, True, None, note, checkpoint.dtype,
                            checkpoint.size_bytes, checkpoint.total_params)
