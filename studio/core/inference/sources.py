"""What the playground can load on top of a base model, and where it came from: a run's final
result, one of its checkpoints, or any folder with standard PEFT files (also ones trained
elsewhere with Hugging Face PEFT). Resolving reads small JSON/YAML files only: no torch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import parse_run_file
from ..errors import StudioError
from ..messages import msg
from ..modeling import TRAINING_INFO_FILE
from ..parsing import load_json

PEFT_WEIGHTS = ("adapter_model.safetensors", "adapter_model.bin")
MODEL_WEIGHTS = ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin",
                 "pytorch_model.bin.index.json")
# peft's task_type -> our task
PEFT_TASKS = {"CAUSAL_LM": "causal_lm", "SEQ_2_SEQ_LM": "seq2seq", "SEQ_CLS": "seq_cls",
              "TOKEN_CLS": "token_cls"}
CLASSIFICATION = ("seq_cls", "token_cls")
_STEP_REF = re.compile(r"^(?P<run>.+)@(?P<step>\d+|latest)$")
_STEP_DIR = re.compile(r"^step-(\d+)$")


@dataclass(frozen=True)
class AdapterSource:
    """One loadable result. ``kind``: 'peft' (standard PEFT files), 'bitfit' (trained biases)
    or 'full' (a whole fine-tuned model: load it as the base instead)."""

    path: str                        # the folder holding the files
    kind: str
    method: str | None = None        # registry id: lora, dora, ia3, prefix_tuning, bitfit, full
    base_model: str | None = None    # what it was trained on (folder or hub id), if known
    task: str | None = None          # causal_lm / seq2seq / seq_cls / token_cls, if known
    run_id: str | None = None
    step: int | None = None          # checkpoint step; None = the run's final result
    label_names: tuple[str, ...] | None = None   # classification labels in id order
    name: str = ""                   # a short display name (run name, run@step or folder)
    data_format: str | None = None   # what it was trained on: chat, instruction, text, ...
    system_prompt: str | None = None
    weights: str | None = None       # the tensor file (peft / bitfit)
    peft_type: str | None = None     # LORA, IA3, PREFIX_TUNING, ... (peft only)
    chat_template: str | None = field(default=None, repr=False)  # from the adapter's tokenizer

    def describe(self) -> str:
        where = f"run {self.run_id}" if self.run_id else self.path
        step = f" at step {self.step}" if self.step is not None else ""
        return f"{self.name} ({self.method or self.kind}, {where}{step})"


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = load_json(path.read_text(encoding="utf-8"), allow_nan=True)
    except (OSError, UnicodeDecodeError, ValueError) as exc:  # ParseError: too deep, too long
        raise StudioError(msg("inference.unreadable", path=path, error=exc)) from None
    if not isinstance(data, dict):
        raise StudioError(msg("inference.not_hold_json_object", path=path))
    return data


def _optional_json(path: Path) -> dict[str, Any]:
    try:
        return _read_json(path) if path.is_file() else {}
    except StudioError:
        return {}


def peft_method(config: dict[str, Any]) -> str | None:
    """The registry id for an adapter_config.json (LoRA variants told apart)."""
    peft_type = str(config.get("peft_type") or "").upper()
    if not peft_type:
        return None
    if peft_type == "LORA":
        return ("dora" if config.get("use_dora")
                else "rslora" if config.get("use_rslora") else "lora")
    return peft_type.lower()


def _run_folder(folder: Path) -> tuple[Path | None, int | None]:
    """The run output folder that ``folder`` is (or is a checkpoint of: ``checkpoints/step-N``
    or its ``adapter/``), and the checkpoint step."""
    step_dir = folder.parent if folder.name == "adapter" else folder
    match = _STEP_DIR.match(step_dir.name)
    if match and step_dir.parent.name == "checkpoints":
        run_dir = step_dir.parent.parent
        return (run_dir if (run_dir / "run.yaml").is_file() else None), int(match.group(1))
    return (folder if (folder / "run.yaml").is_file() else None), None


def _run_config(run_dir: Path | None) -> dict[str, Any]:
    if run_dir is None:
        return {}
    try:  # a folder from elsewhere may hold any run.yaml: read it with the bounded loader
        data = parse_run_file(run_dir / "run.yaml")
    except StudioError:
        return {}
    return data if isinstance(data, dict) else {}


def _dataset_facts(run_cfg: dict[str, Any],
                   task: str | None) -> tuple[str | None, list[str] | None]:
    """(data format, label names) of a run's dataset, for results without TRAINING_INFO_FILE.
    Reads the dataset only when the run file does not say; any failure -> unknown."""
    raw = run_cfg.get("dataset")
    if not isinstance(raw, dict) or not raw.get("path"):
        return None, None
    fmt = raw.get("format") if raw.get("format") not in (None, "auto") else None
    labels = raw.get("labels") if isinstance(raw.get("labels"), list) else None
    if (fmt is not None or task not in (None, "causal_lm")) and (
            labels is not None or task not in CLASSIFICATION):
        return fmt, labels
    try:
        from .. import data
        from ..config import from_dict
        from ..data.preparing import _space

        cfg = from_dict({"model": run_cfg.get("model") or "x", "dataset": raw}).dataset
        table = data.read_rows(cfg)
        detected = data.detect_format(table, cfg)
        fmt = fmt or detected.format
        if labels is None and task in CLASSIFICATION:
            space = _space(table, detected, cfg)
            labels = list(space.names) if space else None
    except Exception:  # noqa: BLE001 - a moved or changed dataset leaves these unknown
        pass
    return fmt, labels


def _chat_template(folder: Path) -> str | None:
    jinja = folder / "chat_template.jinja"
    if jinja.is_file():
        try:
            return jinja.read_text(encoding="utf-8")
        except OSError:
            return None
    template = _optional_json(folder / "tokenizer_config.json").get("chat_template")
    return template if isinstance(template, str) else None


def _find_kind(folder: Path) -> tuple[str, Path, Path | None]:
    """(kind, folder holding the files, tensor file). Raises StudioError with what is there."""
    if (folder / "adapter_config.json").is_file():
        weights = next((folder / n for n in PEFT_WEIGHTS if (folder / n).is_file()), None)
        if weights is None:
            raise StudioError(msg("inference.adapter_config_json_but", folder=folder,
                                  weights=' or '.join(PEFT_WEIGHTS)))
        return "peft", folder, weights
    if (folder / "bitfit_config.json").is_file():
        weights = folder / "bitfit_model.safetensors"
        if not weights.is_file():
            raise StudioError(msg("inference.bitfit_config_json_but", folder=folder))
        return "bitfit", folder, weights
    if _STEP_DIR.match(folder.name) and (folder / "trainer_state.json").is_file():
        if (folder / "adapter" / "adapter_config.json").is_file():
            return _find_kind(folder / "adapter")
        if (folder / "trainable.safetensors").is_file():
            return "checkpoint", folder, folder / "trainable.safetensors"
    if (folder / "config.json").is_file() and any((folder / n).is_file() for n in MODEL_WEIGHTS):
        return "full", folder, None
    hint = ""
    steps = sorted(int(m.group(1)) for c in (folder / "checkpoints").glob("step-*")
                   if (m := _STEP_DIR.match(c.name)))
    if steps:
        hint = msg("inference.hint_checkpoints", steps=", ".join(map(str, steps)),
                   example=folder / "checkpoints" / f"step-{steps[-1]:06d}")
    raise StudioError(msg("inference.holds_no_adapter_expected", folder=folder, hint=hint))


def _from_folder(folder: Path, record: Any = None, step: int | None = None) -> AdapterSource:
    kind, files, weights = _find_kind(folder)
    run_dir, found_step = _run_folder(files)
    step = step if step is not None else found_step
    run_cfg = _run_config(run_dir)
    card = _optional_json(files / TRAINING_INFO_FILE)
    peft_cfg = _optional_json(files / "adapter_config.json") if kind == "peft" else {}
    bitfit_cfg = _optional_json(files / "bitfit_config.json") if kind == "bitfit" else {}
    method_cfg = run_cfg.get("method")
    run_method = (method_cfg.get("name") if isinstance(method_cfg, dict) else method_cfg) or None
    if kind == "checkpoint":  # trainable tensors only: usable as such for BitFit alone
        if (card.get("method") or run_method or (record and record.method)) != "bitfit":
            raise StudioError(msg("inference.checkpoint_holds_no_adapter", files=files))
        kind = "bitfit"
    # a whole model's config, or one saved next to an adapter (for its id2label)
    full_cfg = _optional_json(files / "config.json") if kind in ("full", "peft") else {}

    task = (card.get("task") or (record.task if record else None) or run_cfg.get("task")
            or PEFT_TASKS.get(str(peft_cfg.get("task_type") or "").upper()))
    if task is None and kind == "full":
        from ..modelinfo import inspect

        try:
            task = inspect(str(files)).default_task
        except StudioError:
            task = None
    method = (card.get("method") or (record.method if record else None) or run_method
              or peft_method(peft_cfg) or ("bitfit" if kind == "bitfit" else None)
              or ("full" if kind == "full" else None))
    base = (peft_cfg.get("base_model_name_or_path") or bitfit_cfg.get("base_model_name_or_path")
            or card.get("base_model") or (record.model if record else None)
            or run_cfg.get("model") or (str(files) if kind == "full" else None))
    fmt, labels = card.get("data_format"), card.get("label_names")
    if (fmt is None or labels is None) and run_cfg:
        found_fmt, found_labels = _dataset_facts(run_cfg, task)
        fmt, labels = fmt or found_fmt, labels if labels is not None else found_labels
    if labels is None and task in CLASSIFICATION and isinstance(full_cfg.get("id2label"), dict):
        id2label = full_cfg["id2label"]
        try:
            labels = [str(id2label[k]) for k in sorted(id2label, key=int)]
        except (TypeError, ValueError):
            labels = None
    system = card.get("system_prompt")
    if system is None and isinstance(run_cfg.get("dataset"), dict):
        system = run_cfg["dataset"].get("system_prompt")
    run_id = (record.id if record else None) or card.get("run_id")
    if record is not None:
        name = record.name
    elif run_dir is not None:
        name = str(run_cfg.get("name") or run_dir.name)
    else:
        name = files.parent.name if files.name == "adapter" else files.name
    if step is not None:
        name = f"{name}@{step}"
    return AdapterSource(
        path=str(files), kind=kind, method=method, base_model=base, task=task, run_id=run_id,
        step=step, label_names=tuple(labels) if labels else None, name=name, data_format=fmt,
        system_prompt=system, weights=str(weights) if weights else None,
        peft_type=str(peft_cfg["peft_type"]).upper() if peft_cfg.get("peft_type") else None,
        chat_template=_chat_template(files) if kind == "peft" else None)


def _looks_like_path(text: str) -> bool:
    return text.startswith((".", "~", "/")) or "/" in text or "\\" in text


def resolve_adapter(ref: str | Path, store: Any = None) -> AdapterSource:
    """A folder (final result, checkpoint, or any folder with PEFT files), a run (id, id
    prefix, name or output folder: its final result) or ``RUN@STEP`` (that checkpoint;
    ``RUN@latest`` for the newest). Raises StudioError saying what is wrong."""
    text = str(ref).strip()
    if not text:
        raise StudioError(msg("inference.no_adapter_given_name"))
    folder = Path(text).expanduser()
    if folder.is_file() and folder.name in ("adapter_config.json", *PEFT_WEIGHTS):
        folder = folder.parent
    if folder.is_dir():
        folder = folder.resolve()
        return _from_folder(folder, _record_for_folder(folder, store))
    if folder.exists():
        raise StudioError(msg("inference.file_adapter_folder_holding", text=text))
    match = _STEP_REF.match(text)
    if _looks_like_path(text) and not (match and Path(match.group("run")).expanduser().is_dir()):
        raise StudioError(msg("inference.folder_not_exist", text=text))
    own = store is None
    if own:
        from ..store import RunStore

        store = RunStore()
    try:
        return _from_run(store, match.group("run") if match else text,
                         match.group("step") if match else None)
    finally:
        if own:
            store.close()


def _record_for_folder(folder: Path, store: Any) -> Any:
    """The store's run for a folder inside a run's output folder, when a store is at hand."""
    run_dir, _ = _run_folder(folder)
    if run_dir is None:
        return None
    own = store is None
    if own:
        from studio import paths

        if not paths.store_path().is_file():
            return None
        from ..store import RunStore

        try:
            store = RunStore()
        except StudioError:
            return None
    try:
        found = store._runs_at_path(str(run_dir))
        return found[0] if len(found) == 1 and Path(found[0].output_dir).resolve() == run_dir \
            else None
    except Exception:  # noqa: BLE001 - the store only adds names here; the files decide
        return None
    finally:
        if own:
            store.close()


def _from_run(store: Any, run_ref: str, step_text: str | None) -> AdapterSource:
    from .. import checkpoints

    record = store.find_run(run_ref)
    if not record.output_dir:
        raise StudioError(msg("inference.run_no_output_folder", id=record.id, name=record.name))
    output = Path(record.output_dir).expanduser()
    if not output.is_dir():
        raise StudioError(msg("inference.output_folder_run_gone", id=record.id, name=record.name,
                              output=output))
    saved = checkpoints.list_checkpoints(output)
    steps = ", ".join(str(s) for s, _ in saved) or "none"
    if step_text is not None:
        if not saved:
            raise StudioError(msg("inference.run_no_checkpoints", id=record.id, name=record.name))
        if step_text == "latest":
            step, folder = saved[-1]
        else:
            step = int(step_text)
            found = dict(saved).get(step)
            if found is None:
                raise StudioError(msg("inference.run_no_checkpoint_at", id=record.id,
                                      name=record.name, step=step, steps=steps))
            folder = found
        return _from_folder(folder, record, step)
    try:
        return _from_folder(output, record)
    except StudioError:
        if record.status == "running":
            raise StudioError(msg("inference.run_still_training_choose", id=record.id,
                                  name=record.name, steps=steps)) from None
        if saved:
            raise StudioError(msg("inference.run_no_final_result", id=record.id, name=record.name,
                                  status=record.status, steps=steps)) from None
        raise
