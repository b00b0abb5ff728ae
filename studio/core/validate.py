"""Semantic checks of a run file: every problem at once, each naming the field, what was
expected and what was found. Reads config.json and the data file, never imports MindSpore."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import config as config_mod
from . import distributed, methods, modelinfo, ownership
from .config import DATA_FORMATS, DEVICES, FILE_TYPES, SCHEDULERS, TASKS, RunConfig
from .errors import ConfigError, Problem, StudioError
from .messages import msg, one_of
from .modelinfo import MODULE_NAMES, ModelInfo, detect_task

DTYPES = ("float32", "float16", "bfloat16")
METRICS = ("eval_loss", "perplexity", "accuracy")
ACCURACY_TASKS = ("seq_cls", "token_cls", "seq2seq")


def validate(config: RunConfig, node_rank: int | None = None) -> list[Problem]:
    """``node_rank``: this host's place in ``distributed.hosts`` (``train --node-rank``)."""
    problems: list[Problem] = []
    info = _check_model(config.model, problems)
    if info is not None and not info.remote:
        _check_weights(config, problems)
    task = _check_task(config, info, problems)
    _check_method(config, info, task, problems)
    _check_training(config, task, problems)
    problems += distributed.check(config)
    _check_dataset(config, task, problems)
    _check_output_dir(config, problems, node_rank)
    return problems


def _check_output_dir(config: RunConfig, problems: list[Problem], node_rank: int | None) -> None:
    """The folder a new run writes into (a resumed run is checked by the runner)."""
    if not config.output_dir:
        return  # a fresh folder under the studio's runs folder
    # A host other than the first lends its workers to the first one's run: the folder is
    # that run's (on storage both see), and holds its files once the first host has started.
    joining = not distributed.leads(config.distributed, node_rank)
    refusal = ownership.output_dir_refusal(config.output_dir, resuming=joining)
    if refusal:
        problems.append(Problem("output_dir", refusal))


def resolved_task(config: RunConfig, info: ModelInfo | None) -> str | None:
    """The given task, or the one the engine will detect from the model and the data."""
    if config.task is not None:
        return config.task if config.task in TASKS else None
    return detect_task(info, _data_format(config)) if info else None


def _data_format(config: RunConfig) -> str:
    """dataset.format, or the format the data module detects in the file when it is 'auto'."""
    if config.dataset.format != "auto" or not config.dataset.path \
            or not Path(config.dataset.path).expanduser().exists():
        return config.dataset.format
    from .data import detect_format, read_rows

    try:
        return str(detect_format(read_rows(config.dataset), config.dataset).format)
    except StudioError:  # unreadable data is reported by the dataset checks
        return config.dataset.format


def _check_model(model: str, problems: list[Problem]) -> ModelInfo | None:
    if not model:
        problems.append(Problem("model", msg("value.missing"),
                                expected=msg("model.expected_folder_or_hub_id")))
        return None
    try:
        info = modelinfo.inspect(model)
    except StudioError as exc:
        problems.append(Problem("model", exc.message))  # the message names the path
        return None
    if not info.remote and not info.tokenizer_present:
        problems.append(Problem("model", msg("model.no_tokenizer"),
                                expected=msg("model.expected_tokenizer"), found=model))
    return info


def _check_weights(config: RunConfig, problems: list[Problem]) -> None:
    """A folder with pickle weights only needs allow_pickle_weights (weightsafety)."""
    from . import weightsafety

    folder = Path(config.model).expanduser()
    if config.allow_pickle_weights or weightsafety.has_safetensors(folder):
        return
    files = weightsafety.pickle_files(folder)
    if files:
        problems.append(Problem("model", weightsafety.refusal(folder, files)))


def _check_task(config: RunConfig, info: ModelInfo | None, problems: list[Problem]) -> str | None:
    if config.task is not None and config.task not in TASKS:
        problems.append(Problem("task", msg("task.unknown"), expected=one_of(TASKS),
                                found=repr(config.task)))
        return None
    task = resolved_task(config, info)
    if info and info.tasks and task not in info.tasks:
        problems.append(Problem("task", msg("task.not_for_model", family=info.family,
                                            kind=info.kind, task=task),
                                expected=one_of(info.tasks), found=task))
    return task


def _check_method(config: RunConfig, info: ModelInfo | None, task: str | None,
                  problems: list[Problem]) -> None:
    family = info.family if info else None
    values, param_problems = methods.resolve_params(config.method, family, task)
    if config.method.name.lower() not in methods.ids():  # nothing else to check
        problems += param_problems
        return
    spec = methods.get(config.method.name)
    problems += methods.fit_problems(spec, family, task, info.has_bias if info else None)
    problems += param_problems
    explicit = config.method.params.get("target_modules")
    if isinstance(explicit, list) and family in MODULE_NAMES:
        unknown = [m for m in explicit if isinstance(m, str)
                   and not set(m.split(".")) <= MODULE_NAMES[family]]
        if unknown:
            examples = ", ".join(methods.DEFAULT_TARGET_MODULES.get(family, []))
            problems.append(Problem("method.target_modules",
                                    msg("method.targets_match_nothing", family=family),
                                    expected=msg("method.expected_names_such_as",
                                                 names=examples),
                                    found=", ".join(unknown)))
    layers = values.get("adapter_layers")
    if isinstance(layers, int) and info and info.num_layers and layers > info.num_layers:
        problems.append(Problem("method.adapter_layers", msg("method.exceeds_layers"),
                                expected=f"<= {info.num_layers}", found=str(layers)))
    steps, tinit, tfinal = config.training.max_steps, values.get("tinit"), values.get("tfinal")
    if spec.id == "adalora" and steps and isinstance(tinit, int) and isinstance(tfinal, int) \
            and tinit >= steps - tfinal:
        problems.append(Problem("method.tinit", msg("method.adalora_no_steps_left"),
                                expected=msg("method.expected_tinit_tfinal", steps=steps),
                                found=f"tinit={tinit}, tfinal={tfinal}"))
    if spec.kind in ("full", "bitfit") and config.training.dtype == "float16":
        problems.append(Problem("training.dtype",
                                msg("training.float16_base_weights", method=spec.display_name),
                                expected="float32", found="float16"))


def _at_least(problems: list[Problem], field: str, value: Any, low: float,
              optional: bool = False, strict: bool = False) -> None:
    if value is None and optional:
        return
    if value is None or value < low or (strict and value == low):
        problems.append(Problem(field, msg("value.above" if strict else "value.at_least",
                                           low=f"{low:g}"), found=str(value)))


MAX_SEED = 2**32 - 1  # numpy and MindSpore take seeds from 0 to 2**32 - 1


def _check_seed(problems: list[Problem], field: str, value: int | None) -> None:
    if value is not None and not 0 <= value <= MAX_SEED:
        problems.append(Problem(field, msg("data.out_range"),
                                expected=msg("validate.seed_range", high=MAX_SEED),
                                found=config_mod.shown(value)))


def _check_training(config: RunConfig, task: str | None, problems: list[Problem]) -> None:
    t = config.training
    if t.max_steps is not None:
        _at_least(problems, "training.max_steps", t.max_steps, 1)
    else:
        _at_least(problems, "training.epochs", t.epochs, 0, strict=True)
    _at_least(problems, "training.batch_size", t.batch_size, 1)
    _at_least(problems, "training.eval_batch_size", t.eval_batch_size, 1, optional=True)
    _at_least(problems, "training.gradient_accumulation_steps", t.gradient_accumulation_steps, 1)
    if t.learning_rate is None or not 0 < t.learning_rate < 1:
        problems.append(Problem("training.learning_rate", msg("training.lr_range"),
                                expected=msg("training.lr_expected"),
                                found=str(t.learning_rate)))
    _at_least(problems, "training.weight_decay", t.weight_decay, 0)
    if t.scheduler not in SCHEDULERS:
        problems.append(Problem("training.scheduler", msg("training.unknown_scheduler"),
                                expected=one_of(SCHEDULERS), found=repr(t.scheduler)))
    _at_least(problems, "training.warmup_steps", t.warmup_steps, 0)
    if t.warmup_ratio is None or not 0 <= t.warmup_ratio < 1:
        problems.append(Problem("training.warmup_ratio", msg("value.fraction"),
                                found=str(t.warmup_ratio)))
    _at_least(problems, "training.max_grad_norm", t.max_grad_norm, 0, optional=True)
    _at_least(problems, "training.max_length", t.max_length, 8)
    _at_least(problems, "training.logging_steps", t.logging_steps, 1)
    _check_seed(problems, "training.seed", t.seed)
    for name in ("eval_steps", "save_steps", "save_total_limit", "early_stopping_patience"):
        _at_least(problems, f"training.{name}", getattr(t, name), 1, optional=True)
    _at_least(problems, "training.early_stopping_threshold", t.early_stopping_threshold, 0)
    if t.early_stopping_metric not in METRICS:
        problems.append(Problem("training.early_stopping_metric", msg("training.unknown_metric"),
                                expected=one_of(METRICS),
                                found=repr(t.early_stopping_metric)))
    elif t.early_stopping_metric == "accuracy" and task and task not in ACCURACY_TASKS:
        problems.append(Problem("training.early_stopping_metric",
                                msg("training.no_accuracy_for_task", task=task),
                                expected=msg("training.expected_loss_metric"),
                                found="accuracy"))
    if t.dtype not in DTYPES:
        problems.append(Problem("training.dtype", msg("training.unknown_dtype"),
                                expected=msg("training.expected_dtype"), found=repr(t.dtype)))
    elif t.dtype == "bfloat16" and config.device in ("cpu", "auto"):
        problems.append(Problem("training.dtype", msg("training.bfloat16_on_cpu"),
                                expected=msg("training.expected_dtype"),
                                found="bfloat16"))
    if config.device not in DEVICES:
        problems.append(Problem("device", msg("device.unknown"), expected=one_of(DEVICES),
                                found=repr(config.device)))


def _check_dataset(config: RunConfig, task: str | None, problems: list[Problem]) -> None:
    d = config.dataset
    before = len(problems)
    if d.format not in DATA_FORMATS:
        problems.append(Problem("dataset.format", msg("data.unknown_format"),
                                expected=one_of(DATA_FORMATS), found=repr(d.format)))
    if d.file_type not in FILE_TYPES:
        problems.append(Problem("dataset.file_type", msg("data.unknown_file_type"),
                                expected=one_of(FILE_TYPES),
                                found=repr(d.file_type)))
    if d.validation_split is None or not 0 <= d.validation_split < 1:
        problems.append(Problem("dataset.validation_split", msg("value.fraction"),
                                found=str(d.validation_split)))
    _at_least(problems, "dataset.max_samples", d.max_samples, 1, optional=True)
    _check_seed(problems, "dataset.seed", d.seed)
    if d.validation_path and not Path(d.validation_path).expanduser().exists():
        problems.append(Problem("dataset.validation_path", msg("value.file_not_found"),
                                found=d.validation_path))
    if not d.path:
        problems.append(Problem("dataset.path", msg("value.missing"),
                                expected=msg("data.expected_file_or_folder")))
    elif not Path(d.path).expanduser().exists():
        problems.append(Problem("dataset.path", msg("value.file_not_found"), found=d.path))
    elif len(problems) == before:
        problems += _dataset_content(config, task)


def _dataset_content(config: RunConfig, task: str | None) -> list[Problem]:
    """The data module's own checks (format, columns)."""
    from .data import validate_dataset

    try:
        return list(validate_dataset(config.dataset, task))
    except StudioError as exc:
        return [Problem("dataset.path", exc.message, found=config.dataset.path)]


def summary(config: RunConfig) -> dict[str, Any]:
    """What a valid run will do, for the CLI and the GUI."""
    info = modelinfo.inspect(config.model)
    task = resolved_task(config, info)
    spec = methods.get(config.method.name)
    params, _ = methods.resolve_params(config.method, info.family, task)
    return {"model": config.model, "remote": info.remote, "family": info.family,
            "param_estimate": info.param_estimate, "task": task,
            "task_detected": config.task is None, "method": spec.id,
            "method_name": spec.display_name, "params": params,
            "dataset": config.dataset.path, "device": config.device,
            "workers": config.distributed.workers}


def load_and_validate(path: str | Path, node_rank: int | None = None) -> RunConfig:
    """Load a run file and raise ConfigError listing structural and semantic problems together."""
    try:
        config = config_mod.load(path)
    except ConfigError as exc:
        lenient = _lenient_load(Path(path), exc.problems)
        if lenient is None:
            raise
        reported = [p.field for p in exc.problems]
        extra = [p for p in validate(lenient, node_rank)
                 if not any(p.field == f or p.field.startswith(f + ".") for f in reported)]
        raise ConfigError(exc.problems + extra) from None
    problems = validate(config, node_rank)
    if problems:
        raise ConfigError(problems)
    return config


def _lenient_load(path: Path, structural: list[Problem]) -> RunConfig | None:
    """The run file with the structurally bad keys dropped, so the rest can still be checked."""
    try:
        raw = config_mod.parse_run_file(path)
    except ConfigError:
        return None
    if not isinstance(raw, dict):
        return None
    for problem in structural:
        parts = problem.field.split(".")
        if parts[0] == "method":  # a bad method section: check the rest only
            raw.pop("method", None)
        elif len(parts) == 1:
            raw.pop(parts[0], None)
        elif isinstance(raw.get(parts[0]), dict):
            raw[parts[0]].pop(parts[1], None)
    try:
        config = config_mod.from_dict(raw, source_path=str(path.resolve()))
    except ConfigError:
        return None
    base = path.resolve().parent  # as config.load does for relative paths
    for obj, attr in ((config.dataset, "path"), (config.dataset, "validation_path")):
        value = getattr(obj, attr)
        if value and not Path(value).expanduser().is_absolute():
            setattr(obj, attr, str(base / value))
    if config.model and not Path(config.model).expanduser().is_absolute() \
            and (base / config.model).exists():
        config.model = str(base / config.model)
    return config
