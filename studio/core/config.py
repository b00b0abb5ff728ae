"""The run file: one YAML/JSON document that fully describes a fine-tuning run.

Top-level sections (a contract with the GUI and with users' files): ``model``, ``task``,
``dataset``, ``method``, ``training``, ``distributed``, ``device``, ``output_dir`` (plus
``name``).
Parsing here is structural only (types and unknown keys); the semantic checks that need the
method registry, the model folder or the data file live in ``studio.core.validate``.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import math
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError, Problem
from .messages import msg, one_of
from .names import name_fault
from .parsing import ParseError, load_json, load_yaml

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
class HubConfig:
    """Where a hub id is downloaded from (studio.core.hub): huggingface, mirror, modelscope."""

    source: str = "huggingface"
    endpoint: str | None = None     # the mirror's URL


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
    # Pickle weights (.bin/.pt) only with this consent, and then through a restricted loader.
    allow_pickle_weights: bool = False
    hub: HubConfig | None = None          # None = the window's Settings, else Hugging Face
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


def shown(value: Any, width: int = 60) -> str:
    """``repr(value)`` cut to ``width`` characters, for "found ..." in messages."""
    if isinstance(value, int) and value.bit_length() > 64:  # repr() refuses 4300+ digits
        return msg("config.shown_big_number", bits=value.bit_length())
    if isinstance(value, (dict, list)) and len(value) >= 50:
        return msg("config.shown_many_items", kind=type(value).__name__, count=len(value))
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _coerce(value: Any, annotation: str, where: str, problems: list[Problem]) -> Any:
    """Light type coercion for YAML scalars ("1e-3" is a str to PyYAML). Anything else, and
    NaN or infinite numbers, are problems naming the field."""
    if value is None:
        return None
    base = annotation.replace(" | None", "")
    try:
        if base == "float":
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                raise ValueError
            number = float(value)
            if not math.isfinite(number):
                problems.append(Problem(where, msg("config.must_finite_number"),
                                        expected=msg("type.number"), found=shown(value)))
                return None
            return number
        if base == "int":
            if isinstance(value, bool):
                raise ValueError
            if (isinstance(value, float) and value.is_integer()) or isinstance(value, (int, str)):
                number = int(value)
            else:
                raise ValueError
            if number.bit_length() > 63:  # nothing downstream (numpy, MindSpore) takes more
                problems.append(Problem(where, msg("data.out_range"),
                                        expected=msg("config.whole_number_that_fits"),
                                        found=shown(value)))
                return None
            return number
        if base == "bool":
            if isinstance(value, bool):
                return value
            raise ValueError
        if base == "str":
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                return str(value)
            raise ValueError
        if base.startswith("list"):
            if isinstance(value, list) and all(
                    isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
                return [str(v) for v in value]
            raise ValueError
        if base.startswith("dict"):
            if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
                return {str(k): v for k, v in value.items()}
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        expected = {"float": msg("type.number"), "int": msg("type.whole_number"),
                    "bool": msg("type.bool"), "str": msg("type.text"),
                    "dict[str, str]": msg("type.name_mapping")}.get(base, base)
        if base.startswith("list"):
            expected = msg("type.names_text_or_numbers")
        problems.append(Problem(where, msg("type.wrong"), expected=expected, found=shown(value)))
        return None
    return value


def _text(raw: dict[str, Any], key: str, problems: list[Problem]) -> str | None:
    """A top-level field that must be text (or absent)."""
    value = raw.get(key)
    if value is None or isinstance(value, str):
        return value
    quoted = isinstance(value, (int, float, datetime.date)) and not isinstance(value, bool)
    expected = msg("config.expected_text_quoted", key=key, value=value) if quoted \
        else msg("type.text")
    problems.append(Problem(key, msg("type.wrong"), expected=expected, found=shown(value)))
    return None


def _section(cls: type, raw: Any, name: str, problems: list[Problem]) -> Any:
    if raw is None:
        return cls()
    if not isinstance(raw, dict):
        problems.append(Problem(name, msg("config.must_be_mapping"), found=type(raw).__name__))
        return cls()
    fields = {f.name: f for f in dataclasses.fields(cls)}
    kwargs = {}
    for key, value in raw.items():
        if key not in fields:
            problems.append(Problem(f"{name}.{key}", msg("config.unknown_field"),
                                    expected=one_of(fields)))
            continue
        coerced = _coerce(value, str(fields[key].type), f"{name}.{key}", problems)
        if coerced is not None or value is None:
            kwargs[key] = coerced
    return cls(**kwargs)


MAX_PATH_BYTES, MAX_NAME_BYTES = 4096, 255   # Linux PATH_MAX and NAME_MAX


def path_fault(value: str) -> str | None:
    """Why ``value`` cannot be a path on this system, or None. Checked before any filesystem
    call, which would raise instead of answering (a NUL, a name too long, ~unknown-user)."""
    if "\x00" in value:
        return msg("config.path_nul")
    size = len(value.encode("utf-8", "surrogatepass"))
    if size > MAX_PATH_BYTES:
        return msg("config.path_too_long", size=size, limit=MAX_PATH_BYTES)
    longest = max((len(p.encode("utf-8", "surrogatepass")) for p in value.split("/")), default=0)
    if longest > MAX_NAME_BYTES:
        return msg("config.path_name_too_long", size=longest, limit=MAX_NAME_BYTES)
    if value.startswith("~"):
        try:
            Path(value).expanduser()
        except RuntimeError:
            return msg("config.path_unknown_user", home=value.split("/")[0])
    return None


def _check_paths(config: RunConfig, problems: list[Problem]) -> None:
    for field_name, obj, attr in (("model", config, "model"),
                                  ("dataset.path", config.dataset, "path"),
                                  ("dataset.validation_path", config.dataset, "validation_path"),
                                  ("output_dir", config, "output_dir")):
        value = getattr(obj, attr)
        fault = path_fault(value) if isinstance(value, str) else None
        if fault:
            problems.append(Problem(field_name, fault, found=shown(value)))


def _hub(raw: Any, problems: list[Problem]) -> HubConfig | None:
    if raw is None:
        return None
    if isinstance(raw, str):  # shorthand: hub: modelscope
        raw = {"source": raw}
    section = _section(HubConfig, raw, "hub", problems)
    from .hub import problems as hub_problems

    for where, message, expected, found in hub_problems(section.source, section.endpoint):
        problems.append(Problem(where, message, expected=expected, found=found))
    return section


def from_dict(raw: Any, source_path: str | None = None) -> RunConfig:
    """Build a RunConfig; structural problems (unknown keys, wrong types) raise ConfigError."""
    problems: list[Problem] = []
    if not isinstance(raw, dict):
        raise ConfigError([Problem(msg("config.run_file"), msg("config.must_be_sections"),
                                   found=type(raw).__name__)])
    for key in raw:
        if key not in _TOP_KEYS:
            problems.append(Problem(str(key), msg("config.unknown_section"),
                                    expected=one_of(sorted(_TOP_KEYS))))
    dataset_raw = raw.get("dataset")
    if isinstance(dataset_raw, str):  # shorthand: dataset: data.jsonl
        dataset_raw = {"path": dataset_raw}
    method_raw = raw.get("method", {"name": "lora"})
    if isinstance(method_raw, str):  # shorthand: method: lora
        method_raw = {"name": method_raw}
    if not isinstance(method_raw, dict):
        problems.append(Problem("method", msg("config.method_mapping"),
                                found=type(method_raw).__name__))
        method_raw = {"name": "lora"}
    method_raw = dict(method_raw)
    method_name = method_raw.pop("name", None)
    if not isinstance(method_name, str) or not method_name:
        problems.append(Problem("method.name", msg("value.missing"),
                                expected=msg("config.expected_method_id")))
        method_name = ""
    top = {key: _text(raw, key, problems)
           for key in ("model", "task", "device", "output_dir", "name")}
    fault = name_fault(top["name"]) if top["name"] is not None else None
    if fault:
        problems.append(Problem("name", fault, found=shown(top["name"])))
    config = RunConfig(
        model=top["model"] or "",
        dataset=_section(DatasetConfig, dataset_raw, "dataset", problems),
        method=MethodConfig(name=method_name.lower(), params=method_raw),
        training=_section(TrainingConfig, raw.get("training"), "training", problems),
        distributed=_section(DistributedConfig, raw.get("distributed"), "distributed", problems),
        task=top["task"],
        device=(top["device"] or "auto").lower(),
        output_dir=top["output_dir"],
        name=top["name"],
        allow_pickle_weights=bool(_coerce(raw.get("allow_pickle_weights", False), "bool",
                                          "allow_pickle_weights", problems)),
        hub=_hub(raw.get("hub"), problems),
        source_path=source_path,
    )
    _check_paths(config, problems)
    if problems:
        raise ConfigError(problems)
    return config


MAX_RUN_FILE_BYTES = 1 << 20  # a run file is a few kilobytes


def read_run_file_text(path: Path) -> str:
    """The run file's text; refuses what is not a regular file (a folder, a pipe that would
    block, a device) and files too large to be a run file, before opening them."""
    fault = path_fault(str(path))
    if fault:
        raise ConfigError([Problem(msg("config.run_file"), msg("config.path",
                                                     fault=fault), found=shown(str(path)))])
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ConfigError([Problem(msg("config.run_file"), msg("value.file_not_found"),
                                   found=str(path))]) from None
    except OSError as exc:
        raise ConfigError([Problem(msg("config.run_file"), msg("file.cannot_read",
                                                               error=exc.strerror or exc),
                                   found=str(path))]) from None
    if stat.S_ISDIR(info.st_mode):
        raise ConfigError([Problem(msg("config.run_file"), msg("config.folder_not_run_file"),
                                   expected=msg("config.yaml_yml_json_file"), found=str(path))])
    if not stat.S_ISREG(info.st_mode):
        raise ConfigError([Problem(msg("config.run_file"), msg("config.not_regular_file_pipe"),
                                   expected=msg("config.yaml_yml_json_file"), found=str(path))])
    if info.st_size > MAX_RUN_FILE_BYTES:
        raise ConfigError([Problem(msg("config.run_file"), msg("config.mib_run_file_few",
                                                     value=info.st_size / (1 << 20)),
                                   expected=msg("config.at_most_mib",
                                                value=MAX_RUN_FILE_BYTES >> 20),
                                   found=str(path))])
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([Problem(msg("config.run_file"), msg("file.cannot_read",
                                                     error=exc), found=str(path))]) from None


def parse_run_file(path: Path) -> Any:
    """The run file's document, through the bounded YAML/JSON loaders."""
    text = read_run_file_text(path)
    is_json = path.suffix.lower() == ".json"
    kind = "JSON" if is_json else "YAML"
    try:
        return load_json(text, unique_keys=True) if is_json else load_yaml(text)
    except ParseError as exc:
        error = msg("data.at_line_only", number=exc.line, detail=exc.message) if exc.line \
            else exc.message
        raise ConfigError([Problem(msg("config.run_file"), msg("config.not_valid_run_file",
                                                               where="", error=error),
                                   found=str(path))]) from None
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ConfigError([Problem(msg("config.run_file"), msg("file.not_valid", kind=kind,
                                                               error=exc),
                                   found=str(path))]) from None


def load(path: str | Path) -> RunConfig:
    """Read a run file (.yaml/.yml/.json). Relative dataset/model paths are resolved against
    the file's folder, so a run file and its data can travel together."""
    path = Path(path)
    raw = parse_run_file(path)
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
