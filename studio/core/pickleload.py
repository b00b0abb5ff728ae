"""Reading PyTorch pickle weights (``torch.save``'s zip format) without running code.

A pickle is a program: loading one may call any importable function. mindtorch's
``torch.load`` ignores ``weights_only`` and unpickles without restriction (its legacy path
even calls ``eval`` on names from the file), so the studio replaces it with this loader
(``weightsafety.install``). Its unpickler resolves only the globals ``torch.save`` writes for
tensors and state dicts; any other name (``os.system``, ``builtins.eval``, ...) is refused
before it is looked up, so nothing the file names is ever imported or called. Tensor data is
read from the archive's raw records, with bounds checked.

PyTorch's legacy (pre-1.6, non-zip) format is refused outright: it interleaves several
pickles with raw data and nobody needs it for weights any more.
"""

from __future__ import annotations

import io
import os
import pickle
import zipfile
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from .errors import StudioError
from .messages import msg

# Storage class name -> numpy dtype (little-endian as written; bfloat16 is widened below).
STORAGE_DTYPES = {
    "FloatStorage": np.dtype("<f4"), "DoubleStorage": np.dtype("<f8"),
    "HalfStorage": np.dtype("<f2"), "BFloat16Storage": np.dtype("<u2"),
    "LongStorage": np.dtype("<i8"), "IntStorage": np.dtype("<i4"),
    "ShortStorage": np.dtype("<i2"), "CharStorage": np.dtype("i1"),
    "ByteStorage": np.dtype("u1"), "BoolStorage": np.dtype("?"),
}


class UnsafePickleError(StudioError):
    """The file asked for something a weights file never needs; nothing of it was run."""


class _Storage:
    """A storage type named in the file (``torch.FloatStorage``): only its dtype matters."""

    def __init__(self, name: str):
        self.name = name


class _Tensor:
    """A tensor rebuilt from a storage, converted to the caller's type after unpickling."""

    def __init__(self, array: np.ndarray, bfloat16: bool):
        self.array = array
        self.bfloat16 = bfloat16


def _rebuild_tensor_v2(storage: Any, storage_offset: Any, size: Any, stride: Any,
                       requires_grad: Any = False, backward_hooks: Any = None,
                       metadata: Any = None) -> _Tensor:
    if not isinstance(storage, tuple) or len(storage) != 2:
        raise UnsafePickleError(msg("weights.tensor_without_data"))
    array, bfloat16 = storage
    ints = (storage_offset, *tuple(size), *tuple(stride))
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in ints) \
            or len(size) != len(stride):
        raise UnsafePickleError(msg("weights.tensor_bad_layout"))
    if all(size):
        last = storage_offset + sum((n - 1) * s for n, s in zip(size, stride))
        if last >= array.size:
            raise UnsafePickleError(msg("weights.tensor_past_end"))
    view = np.lib.stride_tricks.as_strided(
        array[storage_offset:] if array.size else array, shape=tuple(size),
        strides=tuple(s * array.itemsize for s in stride), writeable=False)
    return _Tensor(np.array(view), bfloat16)


def _rebuild_parameter(data: Any, requires_grad: Any = False, backward_hooks: Any = None,
                       *rest: Any) -> Any:
    return data


# (module, name) -> what it resolves to. Nothing else is ever imported.
_ALLOWED: dict[tuple[str, str], Any] = {
    ("collections", "OrderedDict"): OrderedDict,
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor_v2,
    ("torch._utils", "_rebuild_parameter"): _rebuild_parameter,
}


class _Unpickler(pickle.Unpickler):
    def __init__(self, data: io.BytesIO, file: str, read_storage: Callable[[str, str], Any]):
        super().__init__(data, encoding="utf-8")
        self._file = file
        self._read_storage = read_storage

    def find_class(self, module: str, name: str) -> Any:
        if module == "torch" and name in STORAGE_DTYPES:
            return _Storage(name)
        found = _ALLOWED.get((module, name))
        if found is None:
            raise UnsafePickleError(msg("weights.asks_to_run", file=self._file,
                                        name=f"{module}.{name}"))
        return found

    def persistent_load(self, pid: Any) -> Any:
        if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == "storage"
                and isinstance(pid[1], _Storage) and isinstance(pid[2], str)):
            raise UnsafePickleError(msg("weights.unknown_data_form", file=self._file))
        return self._read_storage(pid[1].name, pid[2])


def load(file: str | os.PathLike[str] | io.IOBase,
         to_tensor: Callable[[np.ndarray], Any] = lambda a: a) -> Any:
    """The object ``torch.save`` wrote (usually a state dict), tensors made by ``to_tensor``
    from numpy arrays (bfloat16 widened to float32). Raises UnsafePickleError for anything else."""
    label = str(file) if isinstance(file, (str, os.PathLike)) \
        else msg("weights.the_weights_file")
    source: Any = Path(file) if isinstance(file, (str, os.PathLike)) else file
    if not zipfile.is_zipfile(source):
        raise UnsafePickleError(msg("weights.not_zip", file=label))
    if not isinstance(source, Path):
        source.seek(0)
    with zipfile.ZipFile(source) as archive:
        pickles = [n for n in archive.namelist() if n.endswith("/data.pkl") or n == "data.pkl"]
        if len(pickles) != 1:
            raise UnsafePickleError(msg("weights.zip_not_torch", file=label))
        prefix = pickles[0][: -len("data.pkl")]
        names = set(archive.namelist())
        big = prefix + "byteorder" in names and archive.read(prefix + "byteorder") == b"big"
        storages: dict[str, tuple[np.ndarray, bool]] = {}

        def read_storage(kind: str, key: str) -> tuple[np.ndarray, bool]:
            if key not in storages:
                record = f"{prefix}data/{key}"
                if record not in names:
                    raise UnsafePickleError(
                        msg("weights.missing_record", file=label, key=repr(key)))
                dtype = STORAGE_DTYPES[kind]
                raw = archive.read(record)
                usable = len(raw) - len(raw) % dtype.itemsize
                array = np.frombuffer(raw[:usable], dtype.newbyteorder(">") if big else dtype)
                storages[key] = (array, kind == "BFloat16Storage")
            return storages[key]

        data = io.BytesIO(archive.read(pickles[0]))
        try:
            tree = _Unpickler(data, label, read_storage).load()
        except UnsafePickleError:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged file is a message, not a traceback
            raise UnsafePickleError(msg("weights.damaged", file=label,
                                        error=f"{type(exc).__name__}: {exc}")) from None
    return _convert(tree, to_tensor)


def _widen(tensor: _Tensor) -> np.ndarray:
    if not tensor.bfloat16:
        return tensor.array.astype(tensor.array.dtype.newbyteorder("="), copy=False)
    # bfloat16 is the top half of a float32: widen exactly (no bf16 compute on CPU).
    return (tensor.array.astype(np.uint32) << 16).view(np.float32)


def _convert(value: Any, to_tensor: Callable[[np.ndarray], Any]) -> Any:
    if isinstance(value, _Tensor):
        return to_tensor(_widen(value))
    if isinstance(value, dict):
        converted = type(value)() if isinstance(value, OrderedDict) else {}
        for key, item in value.items():
            converted[key] = _convert(item, to_tensor)
        metadata = getattr(value, "_metadata", None)
        if metadata is not None and isinstance(converted, OrderedDict):
            converted._metadata = metadata  # type: ignore[attr-defined]
        return converted
    if isinstance(value, (list, tuple)):
        return type(value)(_convert(v, to_tensor) for v in value)
    return value
