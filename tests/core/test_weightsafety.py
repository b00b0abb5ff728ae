"""Model and adapter weights never run code (issue 11, security 1): pickle weights are refused
unless allowed, and even then read by a loader that refuses every global but tensors'."""

from __future__ import annotations

import io
import json
import pickle
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from studio.core import pickleload, weightsafety
from studio.core.errors import StudioError

# Real PyTorch (never imported in studio processes) writes the legitimate files, in a child
# that does not import mindnlp.
TORCH_SAVE = ("import sys, torch; from safetensors.torch import load_file; "
              "torch.save(load_file(sys.argv[1]), sys.argv[2])")


class _Payload:
    """Unpickling this creates ``marker``: what a malicious weights file would do."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def malicious_zip(path: Path, marker: Path) -> Path:
    """A file in torch.save's zip layout whose data.pkl opens (creates) ``marker``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("archive/data.pkl", pickle.dumps({"weight": _Payload(marker)},
                                                          protocol=2))
        archive.writestr("archive/byteorder", "little")
        archive.writestr("archive/version", "3\n")
    path.write_bytes(buffer.getvalue())
    return path


def torch_save(safetensors_file: Path, target: Path) -> Path:
    subprocess.run([sys.executable, "-c", TORCH_SAVE, str(safetensors_file), str(target)],
                   check=True, capture_output=True)
    return target


# ---- the restricted loader, without the stack -------------------------------------------
def test_a_malicious_pickle_is_refused_before_anything_runs(tmp_path):
    marker = tmp_path / "pwned"
    file = malicious_zip(tmp_path / "pytorch_model.bin", marker)
    with pytest.raises(pickleload.UnsafePickleError,
                       match=r"io\.open.*nothing from the file was run"):
        pickleload.load(file)
    assert not marker.exists()


def test_the_legacy_format_is_refused_unread(tmp_path):
    marker = tmp_path / "pwned"
    file = tmp_path / "old.pt"
    file.write_bytes(pickle.dumps(_Payload(marker)))   # not a zip: mindtorch's eval path
    with pytest.raises(pickleload.UnsafePickleError, match="legacy format"):
        pickleload.load(file)
    assert not marker.exists()


def test_a_tensor_pointing_past_its_data_is_refused(tmp_path):
    buffer = io.BytesIO()

    class Rebuild:
        def __reduce__(self):
            return (pickleload._rebuild_tensor_v2, (np.zeros(1), 0, (9,), (1,)))

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a/data.pkl", pickle.dumps({"w": Rebuild()}))
    (tmp_path / "w.bin").write_bytes(buffer.getvalue())
    with pytest.raises(pickleload.UnsafePickleError):   # numpy's reconstruct is not allowed either
        pickleload.load(tmp_path / "w.bin")


def test_a_file_written_by_pytorch_loads_exactly(tmp_path):
    from safetensors.numpy import save_file

    arrays = {"w": np.arange(12, dtype=np.float32).reshape(3, 4),
              "ids": np.array([1, -2, 3], dtype=np.int64),
              "half": np.array([0.5, 2.0], dtype=np.float16)}
    save_file(arrays, str(tmp_path / "src.safetensors"))
    loaded = pickleload.load(torch_save(tmp_path / "src.safetensors", tmp_path / "w.bin"))
    assert sorted(loaded) == sorted(arrays)
    for name, array in arrays.items():
        assert loaded[name].dtype == array.dtype and np.array_equal(loaded[name], array)


def test_pytorch_layouts_and_bfloat16(tmp_path):
    script = ("import torch; w = torch.arange(6, dtype=torch.float32).reshape(2, 3); "
              "torch.save({'t': w.t(), 'slice': w[1], 'bf': torch.tensor([1.5, -3.0], "
              f"dtype=torch.bfloat16)}}, {str(tmp_path / 'w.bin')!r})")
    subprocess.run([sys.executable, "-c", script], check=True, capture_output=True)
    loaded = pickleload.load(tmp_path / "w.bin")
    w = np.arange(6, dtype=np.float32).reshape(2, 3)
    assert np.array_equal(loaded["t"], w.T) and np.array_equal(loaded["slice"], w[1])
    assert loaded["bf"].dtype == np.float32 and loaded["bf"].tolist() == [1.5, -3.0]


# ---- the folder rule ---------------------------------------------------------------------
def test_a_pickle_only_folder_is_refused_with_how_to_convert(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "pytorch_model.bin").write_bytes(b"x")
    with pytest.raises(weightsafety.PickleWeightsRefusedError) as caught:
        weightsafety.check_folder(tmp_path)
    text = str(caught.value)
    assert "pytorch_model.bin" in text and "can run any code" in text
    assert "save_file(" in text and "'model.safetensors'" in text
    assert "allow_pickle_weights: true" in text and "--allow-pickle-weights" in text
    weightsafety.allow_pickle(True)
    weightsafety.check_folder(tmp_path)   # consent: left to the restricted loader


@pytest.mark.parametrize("names, refused", [
    (["adapter_model.bin"], True),
    (["model.pt"], True), (["weights.pth"], True),
    (["pytorch_model.bin.index.json", "pytorch_model-00001-of-00002.bin"], True),
    (["pytorch_model.bin", "model.safetensors"], False),          # safetensors are used
    (["model.safetensors.index.json", "training_args.bin"], False),
    ([], False),                                                  # the loader says "missing"
])
def test_which_folders_are_pickle_only(tmp_path, names, refused):
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    if refused:
        with pytest.raises(weightsafety.PickleWeightsRefusedError, match=re.escape(names[0])):
            weightsafety.check_folder(tmp_path)
    else:
        weightsafety.check_folder(tmp_path)


# ---- through the stack: the model, the adapter, torch.load ------------------------------
@pytest.fixture
def pickled_llama(tmp_path, tiny_models):
    """A copy of the tiny llama whose weights are a pytorch_model.bin written by PyTorch."""
    folder = tmp_path / "llama-bin"
    shutil.copytree(tiny_models("llama"), folder)
    torch_save(folder / "model.safetensors", folder / "pytorch_model.bin")
    (folder / "model.safetensors").unlink()
    return folder


def _logits(model, runtime) -> np.ndarray:
    with runtime.no_grad():
        out = model(input_ids=runtime.tensor([[1, 5, 9, 3]])).logits
    return out.numpy()


def test_torch_load_itself_never_runs_the_pickle(tmp_path, runtime):
    marker = tmp_path / "pwned"
    file = malicious_zip(tmp_path / "pytorch_model.bin", marker)
    with pytest.raises(weightsafety.PickleWeightsRefusedError):
        runtime.load(str(file), weights_only=True)
    weightsafety.allow_pickle(True)
    with pytest.raises(pickleload.UnsafePickleError):
        runtime.load(str(file), weights_only=False)
    assert not marker.exists()


def test_a_malicious_model_bin_never_runs(tmp_path, tiny_models, runtime):
    from studio.core.modeling import load_base_model, load_tokenizer

    folder = tmp_path / "evil-model"
    shutil.copytree(tiny_models("llama"), folder)
    (folder / "model.safetensors").unlink()
    marker = tmp_path / "pwned"
    malicious_zip(folder / "pytorch_model.bin", marker)
    tokenizer = load_tokenizer(str(folder), "causal_lm")
    with pytest.raises(weightsafety.PickleWeightsRefusedError, match="only as pickle files"):
        load_base_model(str(folder), "causal_lm", tokenizer)
    weightsafety.allow_pickle(True)
    with pytest.raises(StudioError, match=r"io\.open"):
        load_base_model(str(folder), "causal_lm", tokenizer)
    assert not marker.exists()


def test_a_legitimate_model_bin_loads_with_consent(pickled_llama, tiny_models, runtime):
    from studio.core.modeling import load_base_model, load_tokenizer

    tokenizer = load_tokenizer(str(pickled_llama), "causal_lm")
    weightsafety.allow_pickle(True)
    model = load_base_model(str(pickled_llama), "causal_lm", tokenizer)
    weightsafety.allow_pickle(False)
    reference = load_base_model(str(tiny_models("llama")), "causal_lm", tokenizer)
    assert np.array_equal(_logits(model, runtime), _logits(reference, runtime))


@pytest.fixture
def lora_folder(tmp_path, tiny_models, runtime):
    """A LoRA for the tiny llama, saved as standard PEFT files (safetensors), non-zero B."""
    from peft import LoraConfig, get_peft_model

    from studio.core.modeling import load_base_model, load_tokenizer

    base_path = str(tiny_models("llama"))
    base = load_base_model(base_path, "causal_lm", load_tokenizer(base_path, "causal_lm"))
    model = get_peft_model(base, LoraConfig(r=4, target_modules=["q_proj", "v_proj"],
                                            init_lora_weights=False, task_type="CAUSAL_LM"))
    folder = tmp_path / "lora"
    model.save_pretrained(str(folder))
    return folder


def _session(tiny_models):
    from studio.core.inference import InferenceSession

    session = InferenceSession(str(tiny_models("llama")), task="causal_lm", device="cpu")
    session.load()
    return session


def test_a_malicious_adapter_bin_never_runs(tmp_path, lora_folder, tiny_models):
    from studio.core.inference import resolve_adapter

    (lora_folder / "adapter_model.safetensors").unlink()
    marker = tmp_path / "pwned"
    malicious_zip(lora_folder / "adapter_model.bin", marker)
    session = _session(tiny_models)
    source = resolve_adapter(lora_folder)
    with pytest.raises(weightsafety.PickleWeightsRefusedError, match=r"adapter_model\.safetensors"):
        session.add_adapter("evil", source)
    weightsafety.allow_pickle(True)
    with pytest.raises(StudioError, match=r"io\.open"):
        session.add_adapter("evil", source)
    assert not marker.exists()


def test_a_legitimate_adapter_bin_loads_with_consent(tmp_path, lora_folder, tiny_models,
                                                     runtime):
    from studio.core.inference import resolve_adapter

    pickled = tmp_path / "lora-bin"
    shutil.copytree(lora_folder, pickled)
    torch_save(pickled / "adapter_model.safetensors", pickled / "adapter_model.bin")
    (pickled / "adapter_model.safetensors").unlink()
    session = _session(tiny_models)
    session.add_adapter("safe", resolve_adapter(lora_folder))
    session.use("safe")
    expected = _logits(session.peft, runtime)
    weightsafety.allow_pickle(True)
    fresh = _session(tiny_models)
    fresh.add_adapter("pickled", resolve_adapter(pickled))
    fresh.use("pickled")
    assert np.array_equal(_logits(fresh.peft, runtime), expected)


# ---- before anything loads: validate and the command line -----------------------------
@pytest.fixture
def pickle_only_run(tmp_path, tokenizer_dir):
    import yaml

    model = tmp_path / "model"
    shutil.copytree(tokenizer_dir, model)
    (model / "config.json").write_text('{"model_type": "llama", "hidden_size": 16, '
                                       '"num_hidden_layers": 1, "num_attention_heads": 2}')
    malicious_zip(model / "pytorch_model.bin", tmp_path / "pwned")
    (tmp_path / "d.txt").write_text("hello world\nhow are you\n" * 8)
    run = {"model": str(model), "dataset": str(tmp_path / "d.txt"),
           "training": {"max_steps": 1}}
    (tmp_path / "run.yaml").write_text(yaml.safe_dump(run))
    return tmp_path / "run.yaml"


def test_validate_refuses_a_pickle_only_model_unless_allowed(pickle_only_run):
    from studio.core import config
    from studio.core.validate import validate

    run = config.load(pickle_only_run)
    refused = [p for p in validate(run) if "only as pickle files" in p.message]
    assert [p.field for p in refused] == ["model"]
    run.allow_pickle_weights = True
    assert not [p for p in validate(run) if "pickle" in p.message]


def test_train_on_the_command_line_refuses_it_before_loading(pickle_only_run, tmp_path):
    done = subprocess.run([sys.executable, "-m", "studio", "train", str(pickle_only_run),
                           "--events", "json"], capture_output=True, text=True, check=False,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 2
    errors = [e for e in map(json.loads, done.stdout.splitlines())
              if e.get("event") == "error"]
    assert any("only as pickle files" in e["message"] and "--allow-pickle-weights" in e["message"]
               for e in errors)
    assert not (tmp_path / "pwned").exists()
