"""Loading a bfloat16 safetensors checkpoint on CPU (compat ``safetensors_bf16_as_float32``):
the weights are the file's values widened to float32 exactly, and the model computes what the
same weights give when put into the model without any safetensors reader."""

from __future__ import annotations

import json
import shutil
import struct
from pathlib import Path

import numpy as np
import pytest

from studio.core.compat import safetensors_header


def _round_to_bf16(values: np.ndarray) -> np.ndarray:
    """float32 -> the uint16 bits of bfloat16, rounded to nearest even."""
    bits = values.astype(np.float32).view(np.uint32).astype(np.uint64)
    return ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)


def _write(path: Path, tensors: dict[str, tuple[str, np.ndarray]]) -> None:
    header, blobs, offset = {}, [], 0
    for name, (dtype, array) in tensors.items():
        blob = np.ascontiguousarray(array).tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + b"".join(blobs))


@pytest.fixture(scope="module")
def checkpoints(tiny_models, tmp_path_factory):
    """(bf16 folder, float32 folder, {name: float32 values}) of one tiny Qwen2, whose final
    norm holds 1e5 (beyond float16) so that a narrowing reader cannot pass."""
    source = tiny_models("qwen2")
    file = source / "model.safetensors"
    data = file.read_bytes()
    start = 8 + int.from_bytes(data[:8], "little")
    expected: dict[str, np.ndarray] = {}
    bf16: dict[str, tuple[str, np.ndarray]] = {}
    for name, info in safetensors_header(file).items():
        assert info["dtype"] == "F32"
        lo, hi = info["data_offsets"]
        values = np.frombuffer(data[start + lo:start + hi], np.float32).reshape(info["shape"])
        if name == "model.norm.weight":
            values = values.copy()
            values[0] = 1.0e5
        bits = _round_to_bf16(values)
        bf16[name] = ("BF16", bits)
        expected[name] = (bits.astype(np.uint32) << 16).view(np.float32)
    root = tmp_path_factory.mktemp("bf16")
    folders = []
    for label, tensors in (("bf16", bf16),
                           ("f32", {n: ("F32", v) for n, v in expected.items()})):
        folder = root / label
        shutil.copytree(source, folder)
        _write(folder / "model.safetensors", tensors)
        folders.append(folder)
    return folders[0], folders[1], expected


def _load(folder: Path):
    from studio.core.modeling import load_base_model, load_tokenizer

    return load_base_model(str(folder), "causal_lm", load_tokenizer(str(folder), "causal_lm"))


def test_bf16_checkpoint_loads_the_files_values_exactly_as_float32(runtime, checkpoints):
    torch = runtime
    bf16, _, expected = checkpoints
    state = _load(bf16).state_dict()
    assert set(expected) <= set(state)
    for name, values in expected.items():
        assert state[name].dtype == torch.float32, name
        assert np.array_equal(state[name].numpy(), values), name
    assert state["model.norm.weight"].numpy()[0] == 99840.0   # 1e5 in bf16, not inf


def test_bf16_checkpoint_logits_equal_the_weights_put_in_directly(runtime, checkpoints):
    """The reference never touches a safetensors reader: the same float32 values are copied
    into a model built from the config. The float32 file must agree too."""
    torch = runtime
    from transformers import AutoConfig, AutoModelForCausalLM

    bf16, f32, expected = checkpoints
    torch.manual_seed(0)
    reference = AutoModelForCausalLM.from_config(AutoConfig.from_pretrained(str(bf16)))
    reference.load_state_dict({k: torch.tensor(v) for k, v in expected.items()}, strict=False)
    ids = torch.tensor([[5, 9, 17, 33, 2, 64, 7]])
    with torch.no_grad():
        want = reference.eval()(input_ids=ids).logits.numpy()
        for folder in (bf16, f32):
            got = _load(folder).eval()(input_ids=ids).logits.numpy()
            assert np.isfinite(got).all()
            assert np.array_equal(got, want), folder.name
