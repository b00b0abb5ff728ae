"""Checkpoint folders: everything ``train --resume`` needs to continue where a run stopped.

``<output_dir>/checkpoints/step-000050/`` holds
- ``trainable.safetensors``: every trainable tensor by parameter name (any method);
- ``optimizer.safetensors`` + ``trainer_state.json``: AdamW moments, param groups, the LR
  scheduler state, the data position (epoch, micro-batch in epoch), early-stopping state;
- ``adapter/``: the standard PEFT files at that step (peft methods), so a checkpoint can be
  loaded in the playground or exported like a finished run.
A checkpoint is written to ``step-N.tmp``, flushed to disk (files and folders) and renamed
into place, and only then are older ones pruned: a crash or power cut never leaves a half
checkpoint under a real name, nor no checkpoint at all. Resume takes the newest checkpoint
that reads back whole; a damaged one (a truncated or missing file) is renamed
``step-N.damaged`` (kept, never deleted) and the one before it is used, with a log line.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import atomic
from .errors import StudioError
from .messages import lines, msg

_STEP_DIR = re.compile(r"^step-(\d+)$")


@dataclass
class TrainerState:
    global_step: int = 0
    epoch: int = 0                   # epoch index the next micro-batch belongs to
    micro_step: int = 0              # micro-batches of that epoch already consumed
    best_metric: float | None = None
    best_step: int | None = None
    bad_evals: int = 0               # evals without improvement (early stopping)
    scheduler: dict[str, Any] = field(default_factory=dict)
    param_groups: list[dict[str, Any]] = field(default_factory=list)
    total_steps: int = 0
    tokens_seen: int = 0
    elapsed: float = 0.0             # training seconds before this process (for ETA/throughput)
    rng_state: list[int] = field(default_factory=list)  # torch generator: dropout continues exactly


def step_dir(output_dir: Path, step: int) -> Path:
    return output_dir / "checkpoints" / f"step-{step:06d}"


def list_checkpoints(output_dir: Path) -> list[tuple[int, Path]]:
    root = output_dir / "checkpoints"
    if not root.is_dir():
        return []
    found = []
    for child in root.iterdir():
        match = _STEP_DIR.match(child.name)
        if match and (child / "trainer_state.json").is_file():
            found.append((int(match.group(1)), child))
    return sorted(found)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def save(output_dir: Path, state: TrainerState, model, optimizer, scheduler,
         adapter_writer=None, keep: int | None = None) -> Path:
    """Write a checkpoint atomically; prune to the ``keep`` latest. Returns its folder."""
    import numpy as np
    from safetensors.numpy import save_file

    from .modeling import trainable_state

    final = step_dir(output_dir, state.global_step)
    tmp = final.with_name(final.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    save_file({k: np.ascontiguousarray(v) for k, v in trainable_state(model).items()},
              str(tmp / "trainable.safetensors"))
    opt_state = optimizer.state_dict()
    tensors: dict[str, Any] = {}
    for index, slots in opt_state["state"].items():
        for slot, value in slots.items():
            array = value.numpy() if hasattr(value, "numpy") else np.asarray(value)
            tensors[f"{index}.{slot}"] = np.ascontiguousarray(array)
    save_file(tensors, str(tmp / "optimizer.safetensors"))
    import torch

    state.rng_state = [int(v) for v in torch.get_rng_state().numpy().tolist()]
    state.param_groups = _jsonable(opt_state["param_groups"])
    state.scheduler = _jsonable(scheduler.state_dict())
    if adapter_writer is not None:
        adapter_writer(tmp / "adapter")
    (tmp / "trainer_state.json").write_text(json.dumps(asdict(state), indent=2))
    atomic.fsync_tree(tmp)
    if final.exists():
        shutil.rmtree(final)
    os.replace(tmp, final)
    atomic.fsync_dir(final.parent)  # the new name is on disk before any older one goes
    if keep:
        for _, old in list_checkpoints(output_dir)[:-keep]:
            shutil.rmtree(old, ignore_errors=True)
    return final


class DamagedCheckpointError(StudioError):
    """A checkpoint whose files cannot be read back whole."""


def read(folder: Path) -> tuple[TrainerState, dict[str, Any], dict[str, Any]]:
    """The checkpoint's state, trainable tensors and optimizer tensors, each read whole, or
    DamagedCheckpointError naming the file and what is wrong."""
    from safetensors import SafetensorError
    from safetensors.numpy import load_file

    def damaged(name: str, why: object) -> DamagedCheckpointError:
        return DamagedCheckpointError(msg("checkpoints.damaged", checkpoint=folder.name,
                                          file=name, why=why))

    try:
        raw = json.loads((folder / "trainer_state.json").read_text(encoding="utf-8"))
        state = TrainerState(**raw)
    except (OSError, UnicodeDecodeError, ValueError, TypeError) as exc:
        raise damaged("trainer_state.json", exc) from exc
    tensors = []
    for name in ("trainable.safetensors", "optimizer.safetensors"):
        try:
            tensors.append(load_file(str(folder / name)))
        except FileNotFoundError as exc:
            raise damaged(name, msg("checkpoints.file_missing")) from exc
        except (OSError, SafetensorError, ValueError) as exc:
            raise damaged(name, exc) from exc
    bad_keys = [k for k in tensors[1] if not re.fullmatch(r"\d+\..+", k)]
    if bad_keys:
        raise damaged("optimizer.safetensors",
                      msg("checkpoints.unexpected_tensor", name=repr(bad_keys[0])))
    return state, tensors[0], tensors[1]


def load(folder: Path, model, optimizer, scheduler) -> TrainerState:
    """Restore model tensors, optimizer and scheduler from a checkpoint folder."""
    import torch

    from .modeling import load_trainable_state

    state, trainable, opt_tensors = read(folder)
    load_trainable_state(model, trainable)
    slots: dict[int, dict[str, Any]] = {}
    for key, array in opt_tensors.items():
        index, slot = key.split(".", 1)
        slots.setdefault(int(index), {})[slot] = torch.tensor(array)
    groups = [dict(g, betas=tuple(g["betas"])) if "betas" in g else g for g in state.param_groups]
    optimizer.load_state_dict({"state": slots, "param_groups": groups})
    scheduler.load_state_dict(state.scheduler)
    if state.rng_state:
        import numpy as np

        torch.set_rng_state(torch.tensor(np.asarray(state.rng_state, dtype=np.int64)))
    return state


def set_aside(folder: Path) -> Path:
    """Rename a damaged checkpoint out of the way (``step-N.damaged``): resume and pruning
    no longer see it, and its files stay for a look."""
    target = folder.with_name(folder.name + ".damaged")
    n = 1
    while target.exists():
        n += 1
        target = folder.with_name(f"{folder.name}.damaged-{n}")
    os.replace(folder, target)
    atomic.fsync_dir(folder.parent)
    return target


def load_latest(output_dir: Path, model, optimizer, scheduler,
                warn) -> tuple[TrainerState, Path] | None:
    """Restore the newest checkpoint that reads back whole; each damaged newer one is set
    aside and reported through ``warn(message)``. None when there is no checkpoint; a
    StudioError when every checkpoint is damaged."""
    saved = list_checkpoints(output_dir)
    if not saved:
        return None
    damaged: list[tuple[Path, str]] = []
    for step, folder in reversed(saved):
        try:
            state = load(folder, model, optimizer, scheduler)
        except DamagedCheckpointError as exc:
            damaged.append((folder, exc.message))
            warn(msg("checkpoints.trying_previous", problem=exc.message))
            continue
        # Only once a good one is found: a run whose checkpoints all fail to read keeps them
        # where they are, and a later resume does not silently start again from step 0.
        for bad, _why in damaged:
            warn(msg("checkpoints.set_aside", checkpoint=bad.name, renamed=set_aside(bad).name,
                     step=step))
        return state, folder
    raise StudioError(msg("checkpoints.all_damaged",
                          reasons=lines([msg("text.indented", text=why) for _bad, why in damaged])))
