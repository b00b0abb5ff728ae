"""What is being exported: a run's final result, one of its checkpoints (``RUN@step``) or a
folder, resolved to the files, the base model, the task and the method. Reads JSON files
and the run store only (no compute stack), so the GUI can call it directly."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import checkpoints, methods
from ..config import TASKS
from ..errors import StudioError
from ..messages import msg
from ..records import RunRecord

PEFT_TASKS = {"CAUSAL_LM": "causal_lm", "SEQ_2_SEQ_LM": "seq2seq", "SEQ_CLS": "seq_cls",
              "TOKEN_CLS": "token_cls"}
HEAD_NAMES = ("classifier", "score", "qa_outputs")
# Why a method's result cannot be merged, by message code.
_UNMERGEABLE = {method: f"export.unmergeable_{method}"
                for method in ("prefix_tuning", "prompt_tuning", "p_tuning", "adaption_prompt")}


@dataclass
class ExportSource:
    ref: str                      # what the user gave
    kind: str                     # 'peft' | 'bitfit' | 'full'
    folder: Path                  # adapter / BitFit / model / checkpoint folder with the files
    base_model: str               # folder or hub id the result applies to (a full model: itself)
    task: str
    method: str                   # registry id
    run: RunRecord | None = None
    step: int | None = None       # a checkpoint's step; None for a final result or a folder
    run_config: dict[str, Any] | None = None   # RunConfig.to_dict() layout
    tensors_file: Path | None = None           # BitFit / full checkpoints: trainable tensors
    adapter_config: dict[str, Any] = field(default_factory=dict)

    @property
    def peft_type(self) -> str | None:
        return self.adapter_config.get("peft_type")

    @property
    def label(self) -> str:
        name = self.run.name if self.run else self.folder.name
        return f"{name} @ step {self.step}" if self.step is not None else name

    def merge_refusal(self) -> str | None:
        """Why this cannot be exported as a merged model, or None when it can."""
        if self.kind != "peft":
            return None
        spec = methods.get(self.method)
        if spec.mergeable:
            return None
        why = msg(_UNMERGEABLE.get(spec.id, "export.unmergeable"))
        return msg("export.cannot_merge", method=spec.display_name, why=why)

    def adapter_refusal(self) -> str | None:
        if self.kind == "bitfit":
            return msg("export.bitfit_not_adapter")
        if self.kind == "full":
            return msg("export.full_not_adapter")
        return None


def parse_ref(text: str) -> tuple[str, int | None]:
    """'RUN@120' -> ('RUN', 120); anything else -> (text, None)."""
    head, sep, tail = text.rpartition("@")
    if sep and head and tail.isdigit():
        return head, int(tail)
    return text, None


def resolve(source: str | Path, store=None) -> ExportSource:
    """A run (id, id prefix, name or output folder; ``RUN@step`` for a checkpoint) or a
    folder holding an adapter, a BitFit patch, a model or a checkpoint."""
    text = str(source).strip()
    if not text:
        raise StudioError(msg("export.nothing_export_give_run"))
    path = Path(text).expanduser()
    try:
        is_folder = path.is_dir()
    except (OSError, ValueError):  # too long to be a path, or holding a NUL: a run reference
        is_folder = False
    if is_folder:
        return _from_folder(text, path.resolve(), _run_at(store, path), None)
    ref, step = parse_ref(text)
    if store is None:
        raise StudioError(msg("export.not_folder_no_run", text=text))
    run = store.find_run(ref)
    if not run.output_dir:
        raise StudioError(msg("export.run_no_output_folder", run=run.id))
    output = Path(run.output_dir).expanduser()
    if step is not None:
        folder = checkpoints.step_dir(output, step)
        if not (folder / "trainer_state.json").is_file():
            saved = [s for s, _ in checkpoints.list_checkpoints(output)]
            have = (msg("export.checkpoints_at_steps", steps=", ".join(map(str, saved)))
                    if saved else msg("export.no_checkpoints"))
            raise StudioError(msg("export.run_no_checkpoint_at", run=run.name, step=step,
                                  have=have))
        return _from_folder(text, folder, run, step)
    if not _holds_result(output):
        saved = [s for s, _ in checkpoints.list_checkpoints(output)]
        hint = (msg("export.export_a_checkpoint", example=f"{ref}@{saved[-1]}") if saved
                else msg("export.no_checkpoints_either"))
        raise StudioError(msg("export.run_no_final_result", run=run.name,
                              status=run.status, output=output, hint=hint))
    return _from_folder(text, output, run, None)


def _holds_result(folder: Path) -> bool:
    return any((folder / name).is_file() for name in
               ("adapter_config.json", "bitfit_config.json", "config.json"))


def _run_at(store, path: Path) -> RunRecord | None:
    """The run whose output folder holds ``path`` (folders need not belong to a run)."""
    if store is None:
        return None
    from ..store import UnknownRunError

    try:
        run = store.find_run(str(path.resolve()))
    except UnknownRunError:
        return None
    inside = run.output_dir and path.resolve().is_relative_to(
        Path(run.output_dir).expanduser().resolve())
    return run if inside else None


def _read_json(file: Path) -> dict[str, Any]:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StudioError(msg("export.cannot_read", file=file, error=exc)) from exc
    if not isinstance(data, dict):
        raise StudioError(msg("export.not_json_object", file=file))
    return data


def _run_config(run: RunRecord | None, folder: Path) -> dict[str, Any] | None:
    if run is not None and run.config:
        return dict(run.config)
    from ..config import load

    candidates = [folder]
    step_folder = folder.parent if folder.name == "adapter" else folder
    if step_folder.parent.name == "checkpoints":   # a checkpoint inside a run's folder
        candidates.append(step_folder.parent.parent)
    for candidate in candidates:
        if (candidate / "run.yaml").is_file():
            try:
                return load(candidate / "run.yaml").to_dict()
            except StudioError:
                return None
    return None


def _from_folder(ref: str, folder: Path, run: RunRecord | None,
                 step: int | None) -> ExportSource:
    tensors_file = None
    if (folder / "trainer_state.json").is_file():   # a checkpoint folder
        step = step if step is not None else _step_of(folder)
        if (folder / "adapter" / "adapter_config.json").is_file():
            folder = folder / "adapter"
        elif (folder / "trainable.safetensors").is_file():
            tensors_file = folder / "trainable.safetensors"
    elif folder.name == "adapter" and (folder.parent / "trainer_state.json").is_file():
        step = step if step is not None else _step_of(folder.parent)
    config = _run_config(run, folder)
    cfg_model = (config or {}).get("model") or ""
    cfg_method = (config or {}).get("method") or {}
    cfg_task = (run.task if run is not None else None) or (config or {}).get("task")
    if tensors_file is not None:
        method = cfg_method.get("name") if isinstance(cfg_method, dict) else None
        if method not in ("bitfit", "full") or not cfg_model:
            raise StudioError(msg("export.checkpoint_whose_run_unknown", folder=folder))
        return ExportSource(ref, method, folder, cfg_model, _task(cfg_task, cfg_model),
                            method, run, step, config, tensors_file)
    if (folder / "adapter_config.json").is_file():
        adapter = _read_json(folder / "adapter_config.json")
        base = _pick_base(adapter.get("base_model_name_or_path"), cfg_model)
        task = cfg_task or PEFT_TASKS.get(str(adapter.get("task_type")))
        method = _method_of(adapter, cfg_method)
        return ExportSource(ref, "peft", folder, base, _task(task, base), method, run, step,
                            config, None, adapter)
    if (folder / "bitfit_config.json").is_file():
        bitfit = _read_json(folder / "bitfit_config.json")
        base = _pick_base(bitfit.get("base_model_name_or_path"), cfg_model)
        return ExportSource(ref, "bitfit", folder, base, _task(cfg_task, base), "bitfit", run,
                            step, config)
    if (folder / "config.json").is_file():
        return ExportSource(ref, "full", folder, str(folder), _task(cfg_task, str(folder)),
                            "full", run, step, config)
    hint = msg("export.hint_run_folder") if checkpoints.list_checkpoints(folder) else ""
    raise StudioError(msg("export.holds_neither_adapter_adapter", folder=folder, hint=hint))


def _step_of(folder: Path) -> int | None:
    _, _, digits = folder.name.rpartition("-")
    return int(digits) if digits.isdigit() else None


def _pick_base(recorded: Any, configured: str) -> str:
    """The recorded base if it is still there, else the run's model; a hub id as is."""
    candidates = [c for c in (recorded, configured) if isinstance(c, str) and c]
    for candidate in candidates:
        if Path(candidate).expanduser().is_dir():
            return candidate
    if not candidates:
        raise StudioError(msg("export.adapter_not_say_which"))
    return candidates[0]


def _task(task: str | None, model: str) -> str:
    if task in TASKS:
        return task
    from ..modelinfo import inspect

    info = inspect(model)
    return info.default_task or "causal_lm"


def _method_of(adapter: dict[str, Any], cfg_method: Any) -> str:
    name = cfg_method.get("name") if isinstance(cfg_method, dict) else None
    if name in methods.ids():
        return name
    peft_type = str(adapter.get("peft_type"))
    if peft_type == "LORA":
        return "dora" if adapter.get("use_dora") else (
            "rslora" if adapter.get("use_rslora") else "lora")
    for spec in methods.all_methods():
        if spec.peft_type == peft_type:
            return spec.id
    raise StudioError(msg("export.adapter_s_method_not", peft_type=peft_type))


def label_names(src: ExportSource) -> list[str] | None:
    """Class names in id order for classification results (None for other tasks): from a
    full model's config, the run's dataset, or failing that the trained head's size."""
    if src.task not in ("seq_cls", "token_cls"):
        return None
    if src.kind == "full" and src.tensors_file is None:
        id2label = _read_json(src.folder / "config.json").get("id2label") or {}
        if id2label:
            return [id2label[k] for k in sorted(id2label, key=int)]
    names = _dataset_labels(src)
    if names:
        return names
    count = _head_size(src)
    if count:
        return [f"LABEL_{i}" for i in range(count)]
    raise StudioError(msg("export.cannot_tell_labels_result", task=src.task))


def _dataset_labels(src: ExportSource) -> list[str] | None:
    if not src.run_config:
        return None
    from ..config import from_dict
    from ..data import detect_format, read_rows
    from ..data.checks import train_label_names

    try:
        cfg = from_dict(src.run_config).dataset
        table = read_rows(cfg)
        return train_label_names(table, detect_format(table, cfg), cfg)
    except (StudioError, OSError, ValueError):
        return None


def _head_size(src: ExportSource) -> int | None:
    from ..compat import safetensors_header

    files = {"peft": "adapter_model.safetensors", "bitfit": "bitfit_model.safetensors"}
    file = src.tensors_file or src.folder / files.get(src.kind, "model.safetensors")
    if not file.is_file():
        return None
    for name, info in safetensors_header(file).items():
        parts = name.split(".")
        if name.endswith(".weight") and any(h in parts for h in HEAD_NAMES) \
                and len(info.get("shape", [])) == 2:
            return int(info["shape"][0])
    return None
