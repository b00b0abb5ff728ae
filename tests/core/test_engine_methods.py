"""Every method the registry offers trains through the engine (the same path as
``peft-studio train``) on a tiny model, with the loss going down, and writes its result."""

from __future__ import annotations

import json

import numpy as np
import pytest
from factories import write_run_file, write_text_dataset

from studio.core import methods

pytestmark = pytest.mark.slow

# method id -> (family, extra method params, learning rate)
PLAN: dict[str, tuple[str, dict, float]] = {
    "lora": ("llama", {}, 3e-2),
    "dora": ("llama", {}, 3e-2),
    "rslora": ("llama", {}, 3e-2),
    "adalora": ("llama", {"init_r": 8, "target_r": 4, "tinit": 1, "tfinal": 2, "deltaT": 1}, 3e-2),
    "ia3": ("llama", {}, 5e-2),
    "loha": ("llama", {}, 3e-2),
    "lokr": ("llama", {}, 3e-2),
    "oft": ("llama", {}, 3e-2),
    "boft": ("llama", {}, 3e-2),
    "vera": ("llama", {"r": 16}, 5e-2),
    "fourierft": ("llama", {"n_frequency": 64}, 5e-2),
    "ln_tuning": ("llama", {}, 3e-2),
    "prefix_tuning": ("llama", {}, 3e-2),
    "prompt_tuning": ("llama", {}, 1e-1),
    "p_tuning": ("llama", {}, 3e-2),
    "adaption_prompt": ("llama", {"adapter_len": 4}, 5e-2),
    "bitfit": ("gpt2", {}, 3e-2),
    "full": ("llama", {}, 1e-2),
}
VARIANTS = [("prompt_tuning", {"init": "text", "init_text": "the market"}),
            ("p_tuning", {"encoder_type": "LSTM"})]


def test_plan_covers_the_registry():
    assert set(PLAN) == set(methods.ids())


CASES = [(m, {}) for m in PLAN] + VARIANTS


def _case_id(method: str, variant: dict) -> str:
    return method + ("-" + "-".join(str(v) for v in variant.values()) if variant else "")


@pytest.mark.parametrize("method,variant", CASES, ids=[_case_id(m, v) for m, v in CASES])
def test_method_trains_through_the_engine(tmp_path, tiny_models, method, variant):
    from studio.core import runner
    from studio.core.store import RunStore
    from studio.core.validate import load_and_validate

    family, params, lr = PLAN[method]
    data = write_text_dataset(tmp_path / "lines.txt", n=8)  # one fixed batch
    out = tmp_path / "out"
    run_file = write_run_file(
        tmp_path / "run.yaml", tiny_models(family, init_range=0.2), data,
        method={"name": method, **params, **variant},
        training={"max_steps": 8, "batch_size": 8, "learning_rate": lr, "max_length": 24},
        dataset_options={"validation_split": 0.0, "pack": False}, output_dir=str(out))
    losses: list[float] = []
    errors: list[str] = []

    def emit(event, **fields):
        if event == "step":
            losses.append(fields["loss"])
        elif event == "error":
            errors.append(fields["message"] + (fields.get("traceback") or ""))

    assert runner.start(load_and_validate(run_file), emit, RunStore()) == 0, errors
    assert len(losses) == 8
    assert np.mean(losses[-2:]) < np.mean(losses[:2]) - 0.05, losses
    if method == "full":
        assert (out / "model.safetensors").is_file()
    elif method == "bitfit":
        assert (out / "bitfit_model.safetensors").is_file()
    else:
        config = json.loads((out / "adapter_config.json").read_text())
        assert config["peft_type"] == methods.get(method).peft_type
        assert (out / "adapter_model.safetensors").is_file()
