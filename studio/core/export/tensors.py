"""Writing model weights as safetensors shards in a chosen dtype, with numpy only.

We write the safetensors format ourselves (8-byte header length, JSON header, raw
little-endian bytes) because numpy has no bfloat16 and MindSpore cannot compute in it on
CPU; writing it is just keeping the upper 16 bits of each float32, rounded to nearest even.
Shards follow Hugging Face's layout: ``model.safetensors``, or ``model-00001-of-0000N``
files plus ``model.safetensors.index.json`` once the weights exceed ``max_shard_size``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import StudioError
from ..messages import msg

DTYPES = ("float32", "float16", "bfloat16")
DTYPE_BYTES = {"float32": 4, "float16": 2, "bfloat16": 2}
SINGLE_FILE = "model.safetensors"
INDEX_FILE = "model.safetensors.index.json"

_CODES = {np.dtype(np.float64): "F64", np.dtype(np.float32): "F32", np.dtype(np.float16): "F16",
          np.dtype(np.int64): "I64", np.dtype(np.int32): "I32", np.dtype(np.int16): "I16",
          np.dtype(np.int8): "I8", np.dtype(np.uint8): "U8", np.dtype(np.bool_): "BOOL"}
_UNITS = {"": 1, "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12,
          "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$")


def parse_size(size: int | str) -> int:
    """'2GB' -> 2_000_000_000 (decimal units as Hugging Face reads them), '500MiB', 1024."""
    if isinstance(size, int) and not isinstance(size, bool):
        value = size
    else:
        match = _SIZE.match(str(size))
        unit = match.group(2).lower() if match else ""
        if not match or unit not in _UNITS:
            raise StudioError(msg("export.not_size_write_2gb", size=size))
        value = int(float(match.group(1)) * _UNITS[unit])
    if value <= 0:
        raise StudioError(msg("export.shard_size_must_positive", size=size))
    return value


def human_size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1000:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"


def float32_to_bfloat16_bits(array: np.ndarray) -> np.ndarray:
    """bfloat16 bit patterns (uint16) of float values, rounded to nearest, ties to even."""
    bits = np.ascontiguousarray(array, dtype=np.float32).view(np.uint32)
    rounded = (bits + np.uint32(0x7FFF) + ((bits >> np.uint32(16)) & np.uint32(1)))
    out = (rounded >> np.uint32(16)).astype(np.uint16)
    nan = np.isnan(array)
    if nan.any():  # rounding could carry a NaN's low mantissa bits into infinity
        out[nan] = np.uint16(0x7FC0) | (out[nan] & np.uint16(0x8000))
    return out


def bfloat16_bits_to_float32(bits: np.ndarray) -> np.ndarray:
    return (np.asarray(bits, dtype=np.uint16).astype(np.uint32) << np.uint32(16)).view(np.float32)


def to_storage(name: str, array: np.ndarray, dtype: str) -> tuple[np.ndarray, str]:
    """The array as stored (floating tensors cast to ``dtype``) and its safetensors code."""
    if not np.issubdtype(array.dtype, np.floating):
        return np.ascontiguousarray(array), _code(name, array.dtype)
    if dtype == "bfloat16":
        return float32_to_bfloat16_bits(array.astype(np.float32, copy=False)), "BF16"
    target = np.dtype(np.float16 if dtype == "float16" else np.float32)
    with np.errstate(over="ignore"):   # overflow is reported below, by name
        stored = np.ascontiguousarray(array.astype(target, copy=False))
    if dtype == "float16":
        overflow = np.isinf(stored) & np.isfinite(array)
        if overflow.any():
            raise StudioError(msg("export.holds_values_beyond_float16", name=name,
                                  value=float(np.abs(array).max())))
    return stored, _code(name, target)


def _code(name: str, dtype: np.dtype) -> str:
    try:
        return _CODES[np.dtype(dtype)]
    except KeyError:
        raise StudioError(msg("export.cannot_store_dtype_safetensors",
                              name=name, dtype=dtype)) from None


def stored_nbytes(array_shape: tuple[int, ...], array_dtype: np.dtype, dtype: str) -> int:
    count = int(np.prod(array_shape, dtype=np.int64))
    if np.issubdtype(array_dtype, np.floating):
        return count * DTYPE_BYTES[dtype]
    return count * np.dtype(array_dtype).itemsize


def plan_shards(sizes: list[tuple[str, int]], max_shard_bytes: int) -> list[list[str]]:
    """Greedy, in order, as transformers does: a tensor bigger than the limit gets a shard."""
    shards: list[list[str]] = [[]]
    current = 0
    for name, nbytes in sizes:
        if shards[-1] and current + nbytes > max_shard_bytes:
            shards.append([])
            current = 0
        shards[-1].append(name)
        current += nbytes
    return shards


def shard_names(count: int) -> list[str]:
    if count == 1:
        return [SINGLE_FILE]
    return [f"model-{i:05d}-of-{count:05d}.safetensors" for i in range(1, count + 1)]


def write_safetensors(path: Path, tensors: Iterable[tuple[str, np.ndarray, str]],
                      metadata: dict[str, str] | None = None) -> int:
    """Write (name, stored array, code) triples as one safetensors file; returns its size."""
    items = [(name, np.ascontiguousarray(array), code) for name, array, code in tensors]
    header: dict[str, Any] = {"__metadata__": metadata or {"format": "pt"}}
    offset = 0
    for name, array, code in items:
        header[name] = {"dtype": code, "shape": list(array.shape),
                        "data_offsets": [offset, offset + array.nbytes]}
        offset += array.nbytes
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as handle:
        handle.write(len(raw).to_bytes(8, "little"))
        handle.write(raw)
        for _name, array, _code in items:
            if array.dtype.byteorder == ">":
                array = array.astype(array.dtype.newbyteorder("<"))
            handle.write(memoryview(array.reshape(-1)).cast("B"))
    return 8 + len(raw) + offset


def write_sharded(folder: Path, specs: list[tuple[str, tuple[int, ...], np.dtype]],
                  fetch: Callable[[str], np.ndarray], dtype: str, max_shard_bytes: int,
                  on_shard: Callable[[int, int, str], None] | None = None) -> list[str]:
    """Write tensors given as (name, shape, numpy dtype) specs, each read by ``fetch(name)``
    when its shard is written, in ``dtype`` and sharded; returns the files written. Only one
    shard's arrays are held at a time."""
    sizes = [(name, stored_nbytes(shape, np_dtype, dtype)) for name, shape, np_dtype in specs]
    shards = plan_shards(sizes, max_shard_bytes)
    files = shard_names(len(shards))
    weight_map: dict[str, str] = {}
    total = 0
    for index, (file, shard) in enumerate(zip(files, shards), start=1):
        if on_shard is not None:
            on_shard(index, len(shards), file)
        stored = [(name, *to_storage(name, fetch(name), dtype)) for name in shard]
        total += sum(array.nbytes for _n, array, _c in stored)
        write_safetensors(folder / file, stored)
        weight_map.update(dict.fromkeys(shard, file))
    if len(shards) > 1:
        index_data = {"metadata": {"total_size": total}, "weight_map": weight_map}
        (folder / INDEX_FILE).write_text(json.dumps(index_data, indent=2) + "\n")
        files.append(INDEX_FILE)
    return files
