"""Does an adapter fit a base model? Decided before loading anything, from small files:
adapter_config.json, the config.json of the model it was trained on (when that is at hand),
the chosen base's config.json and the tensor shapes in the safetensors headers of both.
"""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path
from typing import Any

from ..errors import StudioError
from ..messages import Message, msg
from ..modelinfo import ModelInfo, _cached_snapshot, inspect
from ..modeling import HEAD_NAMES
from .sources import AdapterSource

TASK_NAMES = {task: msg(f"task.name_{task}")
              for task in ("causal_lm", "seq2seq", "seq_cls", "token_cls")}
_ADAPTER_KEY = re.compile(
    r"^(?:base_model\.model\.)?(?P<module>.+)\.(?P<part>lora_A|lora_B|lora_embedding_A|"
    r"lora_embedding_B|ia3_l)(?:\.weight)?$")
_LAYER_INDEX = re.compile(r"\.(?:layers|layer|h|block)\.(\d+)\.")
_EMBEDDINGS = ("embed_tokens", "wte", "word_embeddings", "shared", "lm_head")
MAX_HEADER = 100 * 1024 * 1024


def safetensors_shapes(path: str | Path) -> dict[str, tuple[int, ...]]:
    """Tensor name -> shape from a .safetensors header (the tensors are not read)."""
    try:
        with open(path, "rb") as f:
            (size,) = struct.unpack("<Q", f.read(8))
            if size > MAX_HEADER:
                raise ValueError("header too large")
            header = json.loads(f.read(size))
    except (OSError, ValueError, struct.error) as exc:
        raise StudioError(msg("inference.not_readable_safetensors_file",
                              path=path, error=exc)) from None
    return {k: tuple(v["shape"]) for k, v in header.items()
            if k != "__metadata__" and isinstance(v, dict) and "shape" in v}


def local_folder(model: str | None) -> Path | None:
    """A model's files on this machine: the folder itself, or a hub id's cached snapshot."""
    if not model:
        return None
    path = Path(model).expanduser()
    if path.is_dir():
        return path
    try:
        return _cached_snapshot(model)
    except OSError:
        return None


def model_shapes(folder: Path | None) -> dict[str, tuple[int, ...]] | None:
    """Parameter shapes of a model folder's safetensors weights; None when not readable."""
    if folder is None:
        return None
    try:
        if (folder / "model.safetensors").is_file():
            return safetensors_shapes(folder / "model.safetensors")
        index = folder / "model.safetensors.index.json"
        if index.is_file():
            shards = set(json.loads(index.read_text(encoding="utf-8"))["weight_map"].values())
            shapes: dict[str, tuple[int, ...]] = {}
            for shard in shards:
                shapes.update(safetensors_shapes(folder / shard))
            return shapes
    except (StudioError, OSError, ValueError, KeyError, TypeError):
        return None
    return None


class _Names:
    """Looks up base parameters by name, tolerant of a leading prefix on either side
    (``model.layers.0...`` vs ``layers.0...``, ``bert.encoder...`` vs ``encoder...``)."""

    def __init__(self, shapes: dict[str, tuple[int, ...]]):
        self.by_suffix: dict[str, tuple[int, ...]] = {}
        for name, shape in shapes.items():
            parts = name.split(".")
            for i in range(min(3, len(parts) - 1)):
                self.by_suffix.setdefault(".".join(parts[i:]), shape)

    def get(self, name: str) -> tuple[int, ...] | None:
        parts = name.split(".")
        for i in range(min(3, len(parts) - 1)):
            found = self.by_suffix.get(".".join(parts[i:]))
            if found is not None:
                return found
        return None


def _same_folder(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    if a == b:
        return True
    pa, pb = Path(a).expanduser(), Path(b).expanduser()
    try:
        return pa.exists() and pb.exists() and pa.resolve() == pb.resolve()
    except OSError:
        return False


def _describe(info: ModelInfo, fields: list[str]) -> str:
    values = {"hidden": msg("inference.describe_hidden", size=info.hidden_size),
              "layers": msg("inference.describe_layers", count=info.num_layers),
              "vocab": msg("inference.describe_vocab", size=info.vocab_size)}
    text: str = str(info.model_type)
    for name in fields:
        text = msg("text.comma", first=text, rest=values[name])
    return text


def _config_problem(trained: ModelInfo, base: ModelInfo, trained_name: str,
                    base_name: str) -> Message | None:
    pairs = {"type": (trained.model_type, base.model_type),
             "hidden": (trained.hidden_size, base.hidden_size),
             "layers": (trained.num_layers, base.num_layers),
             "vocab": (trained.vocab_size, base.vocab_size)}
    differ = [k for k, (a, b) in pairs.items() if a is not None and b is not None and a != b]
    if not differ:
        return None
    shown = [k for k in differ if k != "type"]
    return msg("inference.trained_on_other", trained=trained_name,
               trained_details=_describe(trained, shown), base=base_name,
               base_details=_describe(base, shown))


def _shape_problems(adapter: AdapterSource, base: ModelInfo, base_shapes: dict[str, Any],
                    trained_name: str, base_name: str) -> list[str]:
    if not adapter.weights or not adapter.weights.endswith(".safetensors"):
        return []
    shapes = safetensors_shapes(adapter.weights)
    names = _Names(base_shapes)
    config = _adapter_config(adapter)
    transposed = bool(config.get("fan_in_fan_out"))
    missing: list[str] = []
    wrong: list[tuple[str, str, int, int]] = []   # module, inputs/outputs, adapter, base
    for key, shape in shapes.items():
        if adapter.kind == "bitfit":
            if any(part in HEAD_NAMES for part in key.split(".")):
                continue   # a task head: sized for the labels, replaced at load
            found = names.get(key)
            if found is None and not key.endswith(".bias"):
                continue   # a classifier head the base does not have yet
            if found is None:
                missing.append(key.rsplit(".", 1)[0])
            elif key.endswith(".bias") and found != shape and shape:
                wrong.append((key.rsplit(".", 1)[0], "outputs", shape[0], found[0]))
            continue
        match = _ADAPTER_KEY.match(key)
        if match is None:
            module = key.removeprefix("base_model.model.").rsplit(".", 1)[0]
            found = names.get(key.removeprefix("base_model.model."))
            if (found is not None and module.split(".")[-1] in _EMBEDDINGS and shape
                    and found[0] != shape[0]):
                wrong.append((module, "tokens", shape[0], found[0]))
            continue
        module, part = match.group("module"), match.group("part")
        found = names.get(module + ".weight")
        if found is None:
            missing.append(module)
            continue
        if len(found) != 2 or len(shape) != 2:
            continue
        if part.startswith("lora_embedding"):
            base_in, base_out = found  # (num_embeddings, dim)
        else:
            base_out, base_in = (found[1], found[0]) if transposed else found
        checks = {"lora_A": ("inputs", shape[1], base_in),
                  "lora_B": ("outputs", shape[0], base_out),
                  "lora_embedding_A": ("tokens", shape[1], base_in),
                  "lora_embedding_B": ("outputs", shape[0], base_out),
                  "ia3_l": (("inputs", shape[1], base_in) if shape[0] == 1
                            else ("outputs", shape[0], base_out))}
        what, theirs, ours = checks[part]
        if theirs != ours:
            wrong.append((module, what, theirs, ours))
    problems = []
    if wrong:
        module, what, theirs, ours = wrong[0]
        if what == "tokens":
            problem = msg("inference.trained_on_other", trained=trained_name,
                          trained_details=msg("inference.describe_vocab", size=theirs),
                          base=base_name, base_details=msg("inference.describe_vocab", size=ours))
        elif ours == base.hidden_size:
            problem = msg("inference.trained_on_other", trained=trained_name,
                          trained_details=msg("inference.describe_hidden", size=theirs),
                          base=base_name, base_details=msg("inference.describe_hidden", size=ours))
        else:
            problem = msg(f"inference.layer_mismatch_{what}", base=base_name, module=module,
                          theirs=theirs, ours=ours)
        if len(wrong) > 1:
            problem = msg("inference.layers_differ", problem=problem,
                          count=len({w[0] for w in wrong}))
        problems.append(problem)
    if missing:
        unique = sorted(set(missing))
        depth = [int(m.group(1)) for name in unique if (m := _LAYER_INDEX.search(f".{name}."))]
        problem = msg("inference.missing_layers", count=len(unique), base=base_name,
                      example=unique[0])
        if depth and base.num_layers is not None and max(depth) >= base.num_layers:
            problem = msg("inference.missing_layers_deeper", problem=problem,
                          depth=max(depth) + 1, base=base_name, layers=base.num_layers)
        problems.append(problem)
    return problems


def _adapter_config(adapter: AdapterSource) -> dict[str, Any]:
    path = Path(adapter.path) / "adapter_config.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, ValueError):
        data = {}
    return data if isinstance(data, dict) else {}


def _prompt_problems(adapter: AdapterSource, base: ModelInfo, trained_name: str,
                     base_name: str) -> list[str]:
    config = _adapter_config(adapter)
    problems: list[str] = []
    token_dim = config.get("token_dim")
    if isinstance(token_dim, int) and base.hidden_size and token_dim != base.hidden_size:
        problems.append(msg("inference.trained_on_other", trained=trained_name,
                            trained_details=msg("inference.describe_hidden", size=token_dim),
                            base=base_name,
                            base_details=msg("inference.describe_hidden",
                                             size=base.hidden_size)))
    layers = config.get("num_layers")
    if (config.get("peft_type") == "PREFIX_TUNING" and not base.is_encoder_decoder
            and isinstance(layers, int) and base.num_layers and layers != base.num_layers):
        problems.append(msg("inference.trained_on_other", trained=trained_name,
                            trained_details=msg("inference.describe_layers", count=layers),
                            base=base_name,
                            base_details=msg("inference.describe_layers",
                                             count=base.num_layers)))
    return problems


def check_compatible(adapter: AdapterSource, base_path: str,
                     task: str | None = None) -> list[str]:
    """Reasons the adapter cannot go onto ``base_path`` (for ``task``, when given); empty
    when it fits as far as the files tell. Reads configs and safetensors headers only."""
    base_name = str(base_path)
    try:
        base = inspect(str(base_path))
    except StudioError as exc:
        return [exc.message]
    if adapter.kind == "full":
        if _same_folder(adapter.path, str(base_path)):
            return []
        return [msg("inference.full_model_instead_of", name=adapter.name, path=adapter.path,
                    base=base_name)]
    problems: list[str] = []
    if task and adapter.task and task != adapter.task:
        problems.append(msg("inference.trained_for_other_task",
                            trained=TASK_NAMES.get(adapter.task, adapter.task),
                            loaded=TASK_NAMES.get(task, task)))
    if adapter.task and base.model_type and adapter.task not in base.tasks:
        problems.append(msg("inference.base_cannot_do_task",
                            task=TASK_NAMES.get(adapter.task, adapter.task), base=base_name,
                            model_type=base.model_type, kind=base.kind))
    if base.model_type is None:   # a hub id that is not downloaded: nothing more to compare
        return problems
    trained_name = adapter.base_model or msg("inference.another_model")
    if not _same_folder(adapter.base_model, str(base_path)):
        trained_folder = local_folder(adapter.base_model)
        if trained_folder is not None and (trained_folder / "config.json").is_file():
            try:
                trained = inspect(str(trained_folder))
            except StudioError:
                trained = None
            problem = trained and _config_problem(trained, base, trained_name, base_name)
            if problem:
                return [*problems, problem]
    if adapter.peft_type in ("PREFIX_TUNING", "PROMPT_TUNING", "P_TUNING"):
        return problems + _prompt_problems(adapter, base, trained_name, base_name)
    base_shapes = model_shapes(local_folder(str(base_path)))
    if base_shapes:
        try:
            problems += _shape_problems(adapter, base, base_shapes, trained_name, base_name)
        except StudioError as exc:
            problems.append(exc.message)
    return problems
