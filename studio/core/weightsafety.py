"""Model and adapter weights never run code: safetensors only, unless the user consents.

A ``.bin`` / ``.pt`` / ``.pth`` weights file is a pickle, and loading a pickle can run any
code its author chose. So everywhere the studio reads weights (training, resume, the
Playground, ``chat``, export and its verification child):
- ``check_folder`` refuses a local folder that holds only pickle weights, saying why and how
  to convert, unless pickles are allowed in this process (``allow_pickle``: the run file's
  ``allow_pickle_weights``, a CLI ``--allow-pickle-weights`` or the window's checkbox);
- ``pretrained_kwargs`` makes ``from_pretrained`` read (and download) safetensors only;
- ``install`` replaces mindtorch's ``torch.load`` (which ignores ``weights_only`` and runs
  whatever the pickle says) with one that refuses without consent and, with consent, goes
  through the restricted unpickler of ``pickleload``.
Core only: no Qt; torch is imported inside ``install`` alone.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .errors import StudioError
from .messages import msg
from .pickleload import UnsafePickleError

PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle")
# Files next to weights that are pickles but never loaded as weights (the HF Trainer's).
_NOT_WEIGHTS = {"training_args.bin", "optimizer.pt", "scheduler.pt", "rng_state.pth",
                "scaler.pt"}
CONVERT = ("python -c \"import torch; from safetensors.torch import save_file; "
           "sd = torch.load('{src}', map_location='cpu', weights_only=True); "
           "save_file({{k: v.contiguous().clone() for k, v in sd.items()}}, '{dst}', "
           "metadata={{'format': 'pt'}})\"")

_allowed = False


class PickleWeightsRefusedError(StudioError):
    """A folder whose weights are pickles only, and pickles are not allowed."""


def allow_pickle(allowed: bool) -> None:
    """Whether this process may read pickle weights (through the restricted unpickler)."""
    global _allowed
    _allowed = bool(allowed)


def pickle_allowed() -> bool:
    return _allowed


def pickle_files(folder: Path) -> list[str]:
    """Pickle weight files in a folder (sharded ``*.bin.index.json`` included)."""
    return sorted(p.name for p in folder.iterdir() if p.is_file() and p.name not in _NOT_WEIGHTS
                  and (p.name.endswith(PICKLE_SUFFIXES) or p.name.endswith(".bin.index.json")))


def has_safetensors(folder: Path) -> bool:
    return any(p.name.endswith((".safetensors", ".safetensors.index.json"))
               for p in folder.iterdir() if p.is_file())


def refusal(folder: Path, files: list[str]) -> str:
    src = files[0] if not files[0].endswith(".index.json") else files[0][: -len(".index.json")]
    dst = ("adapter_model.safetensors" if src.startswith("adapter_model")
           else "model.safetensors")
    sharded = any(f.endswith(".index.json") for f in files)
    return msg("weightsafety.pickle_only_sharded" if sharded else "weightsafety.pickle_only",
               folder=folder, files=", ".join(files), command=CONVERT.format(src=src, dst=dst))


def check_folder(path: str | os.PathLike[str]) -> None:
    """Refuse a local model/adapter folder that holds pickle weights only, unless allowed.
    Hub ids and folders with safetensors pass (``pretrained_kwargs`` keeps those to
    safetensors); a missing or empty folder is left to the loader to report."""
    folder = Path(path).expanduser()
    if not folder.is_dir() or has_safetensors(folder):
        return
    files = pickle_files(folder)
    if files and not _allowed:
        raise PickleWeightsRefusedError(refusal(folder, files))


def pretrained_kwargs() -> dict[str, Any]:
    """``from_pretrained`` options: safetensors only (also for downloads) unless allowed."""
    return {} if _allowed else {"use_safetensors": True}


def cause(exc: BaseException) -> StudioError | None:
    """Our refusal inside an error that transformers/peft wrapped (they re-raise OSError)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, (UnsafePickleError, PickleWeightsRefusedError)):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def load(f: Any, map_location: Any = None, pickle_module: Any = None, *,
         weights_only: Any = None, mmap: Any = None, **kwargs: Any) -> Any:
    """The studio's ``torch.load``: refused without consent, restricted with it."""
    import torch

    name = str(f) if isinstance(f, (str, os.PathLike)) else msg("weights.a_weights_file")
    if not _allowed:
        raise PickleWeightsRefusedError(msg("weights.pickle_refused", name=name))
    from . import pickleload

    return pickleload.load(f, to_tensor=lambda a: torch.from_numpy(a.copy()))


def install() -> None:
    """Put ``load`` in place of mindtorch's ``torch.load`` (every alias of it)."""
    import mindtorch
    import mindtorch.serialization
    import torch  # mindnlp's proxy module: it may keep its own reference

    for module in (mindtorch, mindtorch.serialization, torch):
        module.load = load
