"""The run file: one YAML/JSON document that fully describes a fine-tuning run.

Top-level sections (a contract with the GUI and with users' files): ``model``, ``task``,
``dataset``, ``method``, ``training``, ``distributed``, ``device``, ``output_dir`` (plus
``name``).
Parsing here is structural only (types and unknown keys); the semantic checks that need the
method registry, the model folder or the data file live in ``studio.core.validate``.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError, Problem

TASKS = ("causal_lm", "seq2seq", "seq_cls", "token_cls")
DEVICES = ("auto", "cpu", "gpu", "ascend")
DATA_FORMATS = ("auto", "classification", "instruction", "chat", "text", "seq2seq", "token_cls")
FILE_TYPES = ("auto", "csv", "tsv", "json", "jsonl", "parquet", "text", "arrow")
SCHEDULERS = ("linear", "cosine", "constant")


@dataclass
class DatasetConfig:
    path: str = ""
    format: str = "auto"            # one of DATA_FORMATS
    file_type: str = "auto"         # one of FILE_TYPES; "arrow" = a datasets save_to_disk folder
    # Column mapping; None = detect. Which ones matter depends on the format.
    text_column: str | None = None
    label_column: str | None = None
    instruction_column: str | None = None
    input_column: str | None = None
    output_column: str | None = None
    messages_column: str | None = None
    source_column: str | None = None
    target_column: str | None = None
    tokens_column: str | None = None
    tags_column: str | None = None
    system_column: str | None = None   # instruction/chat: a per-row system prompt
    history_column: str | None = None  # instruction: earlier turns as [question, answer] pairs
    tools_column: str | None = None    # chat: the tools (function schemas) offered to the model
    # A folder with a dataset_info.json (LLaMA-Factory's convention): which dataset in it.
    name: str | None = None
    # Role and key names of the messages, as dataset_info.json's "tags" (role_tag, content_tag,
    # user_tag, assistant_tag, observation_tag, function_tag, system_tag).
    tags: dict[str, str] | None = None
    labels: list[str] | None = None  # label names in id order; None = sorted distinct values
    validation_path: str | None = None
    validation_split: float = 0.1   # fraction held out when there is no validation_path
    max_samples: int | None = None
    seed: int = 42                  # train/validation split and shuffling
    system_prompt: str | None = None  # chat/instruction: a system turn put first
    pack: bool = True               # plain text: concatenate and cut into max_length blocks
    delimiter: str | None = None    # csv/tsv: override the detected delimiter
    encoding: str = "utf-8"


@dataclass
class MethodConfig:
    name: str = "lora"
    # Method parameters as in the registry schema (r, lora_alpha, target_modules, ...).
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class TrainingConfig:
    epochs: float = 3
    max_steps: int | None = None          # overrides epochs when set
    batch_size: int = 8
    gradient_accumulation_steps: int = 1
    learning_rate: float = 1e-3
    weight_decay: float = 0.0
    scheduler: str = "linear"             # one of SCHEDULERS
    warmup_steps: int = 0
    warmup_ratio: float = 0.0             # used when warmup_steps is 0
    max_grad_norm: float | None = 1.0     # None or 0 = no clipping
    max_length: int = 128
    seed: int = 42
    logging_steps: int = 1
    eval_steps: int | None = None         # None = only at epoch end
    save_steps: int | None = None         # None = only at epoch end and at the end
    save_total_limit: int | None = 3      # checkpoints kept (the latest ones)
    early_stopping_patience: int | None = None   # evals without improvement before stopping
    early_stopping_metric: str = "eval_loss"     # eval_loss, perplexity or accuracy
    early_stopping_threshold: float = 0.0
    eval_batch_size: int | None = None
    dtype: str = "float32"                # base weights: float32 / float16 (adapters stay float32)


@dataclass
class DistributedConfig:
    """Data parallel training through MindSpore's ``msrun``: ``training.batch_size`` stays the
    global batch of one optimizer step, split evenly across the workers."""

    workers: int = 1                  # processes in all (one per card), over every host
    hosts: list[str] | None = None    # several machines: their addresses; the first one leads
    node_rank: int | None = None      # this machine's index in hosts (or `train --node-rank`)
    master_addr: str | None = None    # the scheduler's address; default hosts[0] or 127.0.0.1
    master_port: int = 8118           # the scheduler's port (msrun's default)


@dataclass
class RunConfig:
    model: str = ""
    dataset: DatasetConfig = field(default_factory=DatasetConfig)
    method: MethodConfig = field(default_factory=MethodConfig)
    training: TrainingConfig = field(default_factory=TrainingConfig)
    distributed: DistributedConfig = field(default_factory=DistributedConfig)
    task: str | None = None               # None = auto-detect
    device: str = "auto"
    output_dir: str | None = None         # None = under studio.paths.runs_dir()
    name: str | None = None
    source_path: str | None = field(default=None, compare=False)  # where it was read from

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data.pop("source_path")
        params = data["method"].pop("params")
        data["method"] = {"name": data["method"]["name"], **params}
        if self.distributed == DistributedConfig():  # one process: run files stay as they were
            data.pop("distributed")
        return data

    def dump_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)


_SECTIONS: dict[str, type] = {"dataset": DatasetConfig, "training": TrainingConfig,
                              "distributed": DistributedConfig}
_TOP_KEYS = {f.name for f in dataclasses.fields(RunConfig)} - {"source_path"}


def _coerce(value: Any, annotation: str, where: str, problems: list[Problem]) -> Any:
    """Light type coercion for YAML scalars ("1e-3" is a str to PyYAML)."""
    if value is None:
        return None
    base = annotation.replace(" | None", "")
    try:
        if base == "float" and isinstance(value, (int, float, str)) and not isinstance(value, bool):
            return float(value)
        if base == "int":
            if isinstance(value, bool):
                raise ValueError
            if isinstance(value, float) and value.is_integer():
                return int(value)
            if isinstance(value, (int, str)):
                return int(value)
            raise ValueError
        if base == "bool":
            if isinstance(value, bool):
                return value
            raise ValueError
        if base == "str":
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                return str(value)
            raise ValueError
        if base.startswith("list"):
            if isinstance(value, list):
                return [str(v) for v in value]
            raise ValueError
        if base.startswith("dict"):
            if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
                return {str(k): v for k, v in value.items()}
            raise ValueError
    except (TypeError, ValueError):
        expected = {"float": "a number", "int": "a whole number", "bool": "true or false",
                    "str": "text",
                    "dict[str, str]": "a mapping of names to text"}.get(base, base)
        problems.append(Problem(where, "wrong type", expected=expected, found=repr(value)))
        return None
    return value


def _section(cls: type, raw: Any, name: str, problems: list[Problem]) -> Any:
    if raw is None:
        return cls()
    if not isinstance(raw, dict):
        problems.append(Problem(name, "must be a mapping", found=type(raw).__name__))
        return cls()
    fields = {f.name: f for f in dataclasses.fields(cls)}
    kwargs = {}
    for key, value in raw.items():
        if key not in fields:
            problems.append(Problem(f"{name}.{key}", "unknown field",
                                    expected="one of " + ", ".join(fields)))
            continue
        coerced = _coerce(value, str(fields[key].type), f"{name}.{key}", problems)
        if coerced is not None or value is None:
            kwargs[key] = coerced
    return cls(**kwargs)


def from_dict(raw: Any, source_path: str | None = None) -> RunConfig:
    """Build a RunConfig; structural problems (unknown keys, wrong types) raise ConfigError."""
    problems: list[Problem] = []
    if not isinstance(raw, dict):
        raise ConfigError([Problem("(run file)", "must be a mapping of sections",
                                   found=type(raw).__name__)])
    for key in raw:
        if key not in _TOP_KEYS:
            problems.append(Problem(str(key), "unknown section",
                                    expected="one of " + ", ".join(sorted(_TOP_KEYS))))
    dataset_raw = raw.get("dataset")
    if isinstance(dataset_raw, str):  # shorthand: dataset: data.jsonl
        dataset_raw = {"path": dataset_raw}
    method_raw = raw.get("method", {"name": "lora"})
    if isinstance(method_raw, str):  # shorthand: method: lora
        method_raw = {"name": method_raw}
    if not isinstance(method_raw, dict):
        problems.append(Problem("method", "must be a mapping with a name",
                                found=type(method_raw).__name__))
        method_raw = {"name": "lora"}
    method_raw = dict(method_raw)
    method_name = method_raw.pop("name", None)
    if not isinstance(method_name, str) or not method_name:
        problems.append(Problem("method.name", "missing", expected="a method id, e.g. lora"))
        method_name = ""
    config = RunConfig(
        model=str(raw.get("model") or ""),
        dataset=_section(DatasetConfig, dataset_raw, "dataset", problems),
        method=MethodConfig(name=method_name.lower(), params=method_raw),
        training=_section(TrainingConfig, raw.get("training"), "training", problems),
        distributed=_section(DistributedConfig, raw.get("distributed"), "distributed", problems),
        task=raw.get("task"),
        device=str(raw.get("device") or "auto").lower(),
        output_dir=raw.get("output_dir"),
        name=raw.get("name"),
        source_path=source_path,
    )
    if problems:
        raise ConfigError(problems)
    return config


def load(path: str | Path) -> RunConfig:
    """Read a run file (.yaml/.yml/.json). Relative dataset/model paths are resolved against
    the file's folder, so a run file and its data can travel together."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError([Problem("(run file)", "file not found", found=str(path))])
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([Problem("(run file)", f"cannot read: {exc}", found=str(path))]) from exc
    try:
        raw = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        kind = "JSON" if path.suffix == ".json" else "YAML"
        raise ConfigError([Problem("(run file)", f"not valid {kind}: {exc}",
                                   found=str(path))]) from exc
    config = from_dict(raw, source_path=str(path.resolve()))
    base = path.resolve().parent
    for obj, attr in ((config.dataset, "path"), (config.dataset, "validation_path"),
                      (config, "output_dir")):
        value = getattr(obj, attr)
        if value and not Path(value).expanduser().is_absolute():
            setattr(obj, attr, str(base / value))
    if config.model and (config.model.startswith((".", "~")) or "/" in config.model):
        candidate = Path(config.model).expanduser()
        if not candidate.is_absolute() and (base / candidate).exists():
            config.model = str(base / candidate)
    return config
