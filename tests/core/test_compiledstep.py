"""The compiled training step (fastpaths ``compiled_train_step``, opt-in) trains a BERT
classifier with LoRA as the plain path does: the same losses, gradient norms and trained
weights (dropout off, so both are deterministic), with gradient accumulation and clipping;
it is chosen on CPU when enabled and not when disabled; its adapter reloads with the same
logits; a stopped run resumes exactly; what it does not cover runs the plain step."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from factories import (
    Recorder,
    train,
    write_classification_dataset,
    write_instruction_dataset,
    write_run_file,
    write_text_dataset,
)

from studio.core import compiledstep, fastpaths

pytestmark = pytest.mark.slow
LORA = {"name": "lora", "lora_dropout": 0.0, "target_modules": ["query", "value"]}


@pytest.fixture(scope="module")
def bert(tiny_models, tmp_path_factory):
    """The tiny BERT classifier without dropout (both paths then compute the same thing)."""
    folder = tmp_path_factory.mktemp("bert") / "model"
    shutil.copytree(tiny_models("bert", num_labels=3, init_range=0.2), folder)
    config = json.loads((folder / "config.json").read_text())
    config.update(hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)
    (folder / "config.json").write_text(json.dumps(config))
    return folder


@pytest.fixture(autouse=True)
def enabled(monkeypatch):
    """The compiled step is opt-in: these tests turn it on (runs select paths again)."""
    monkeypatch.setenv("PEFT_STUDIO_FAST_ENABLE", compiledstep.NAME)
    yield
    monkeypatch.delenv("PEFT_STUDIO_FAST_ENABLE")
    if "mindspore" in __import__("sys").modules:
        fastpaths.use("cpu")


@pytest.fixture
def calls(monkeypatch):
    """How many micro-steps went through the compiled step."""
    counted = [0]
    micro = compiledstep.CompiledStep.micro

    def counting(self, *args, **kwargs):
        counted[0] += 1
        return micro(self, *args, **kwargs)

    monkeypatch.setattr(compiledstep.CompiledStep, "micro", counting)
    return counted


def _run(tmp_path, bert, tag, training, method=LORA, on_step=None, data=None):
    data = data or write_classification_dataset(tmp_path / "cls.csv", n=40)
    out = tmp_path / f"out-{tag}"
    run_file = write_run_file(tmp_path / f"{tag}.yaml", bert, data, method=method,
                              training=training, output_dir=str(out))
    code, rec, store = train(run_file, Recorder(on_step=on_step))
    assert code == 0, rec.of("error")
    return rec, out, store


def _weights(out):
    from safetensors.numpy import load_file

    return load_file(str(out / "adapter_model.safetensors"))


@pytest.mark.parametrize("training", [
    {"epochs": 2, "batch_size": 8, "learning_rate": 1e-2, "max_grad_norm": 0.05,
     "weight_decay": 0.01},
    {"epochs": 2, "batch_size": 6, "gradient_accumulation_steps": 2, "learning_rate": 1e-2,
     "max_grad_norm": 0.0, "warmup_steps": 2},
], ids=["clipped", "accumulated"])
def test_losses_and_weights_equal_the_plain_path(runtime, tmp_path, bert, calls, training,
                                                 monkeypatch):
    fast, fast_out, _ = _run(tmp_path, bert, "fast", training)
    used = calls[0]
    monkeypatch.setenv("PEFT_STUDIO_FAST_DISABLE", compiledstep.NAME)   # the run selects again
    plain, plain_out, _ = _run(tmp_path, bert, "plain", training)
    monkeypatch.delenv("PEFT_STUDIO_FAST_DISABLE")
    assert used > 0 and calls[0] == used      # the first run compiled, the second did not
    for key in ("loss", "grad_norm", "lr"):
        np.testing.assert_allclose([e[key] for e in fast.of("step")],
                                   [e[key] for e in plain.of("step")], rtol=1e-4, atol=1e-7)
    fast_w, plain_w = _weights(fast_out), _weights(plain_out)
    assert set(fast_w) == set(plain_w) and any("classifier" in k for k in fast_w)
    for name, value in plain_w.items():
        assert np.abs(value).max() > 0, name
        # AdamW divides by sqrt(v): where a gradient is ~0, float noise moves a weight by up
        # to ~lr * 1e-3; compare to the tensor's own scale
        np.testing.assert_allclose(fast_w[name], value, rtol=1e-4,
                                   atol=2e-4 * np.abs(value).max(), err_msg=name)


DECODER_LORA = {"name": "lora", "lora_dropout": 0.0,
                "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj"]}


@pytest.mark.parametrize("family", ["llama", "qwen2"])
@pytest.mark.parametrize("training", [
    {"epochs": 2, "batch_size": 8, "learning_rate": 1e-2, "max_grad_norm": 0.05,
     "weight_decay": 0.01},
    {"epochs": 2, "batch_size": 5, "gradient_accumulation_steps": 2, "learning_rate": 1e-2,
     "max_grad_norm": 0.0, "warmup_steps": 1},
], ids=["text-clipped", "instructions-accumulated"])
def test_decoder_losses_and_weights_equal_the_plain_path(runtime, tmp_path, tiny_models, calls,
                                                         family, training, monkeypatch):
    """Llama and Qwen2 (grouped-query attention, Qwen2's q/k/v biases) causal LMs: the same
    losses, gradient norms and trained LoRA weights as the plain path. Packed text, and
    instruction rows of different lengths whose prompts carry no labels (padded keys,
    unlabelled positions; batch size 5 leaves a short last batch padded with filler rows)."""
    model = tiny_models(family)
    data = (write_text_dataset(tmp_path / "text.txt", n=40) if training["batch_size"] == 8
            else write_instruction_dataset(tmp_path / "rows.jsonl", n=32))
    fast, fast_out, _ = _run(tmp_path, model, "fast", training, DECODER_LORA, data=data)
    used = calls[0]
    monkeypatch.setenv("PEFT_STUDIO_FAST_DISABLE", compiledstep.NAME)
    plain, plain_out, _ = _run(tmp_path, model, "plain", training, DECODER_LORA, data=data)
    monkeypatch.delenv("PEFT_STUDIO_FAST_DISABLE")
    assert used > 0 and calls[0] == used
    for key in ("loss", "grad_norm", "lr"):
        np.testing.assert_allclose([e[key] for e in fast.of("step")],
                                   [e[key] for e in plain.of("step")], rtol=1e-4, atol=1e-7)
    fast_w, plain_w = _weights(fast_out), _weights(plain_out)
    assert set(fast_w) == set(plain_w) and any("gate_proj" in k for k in fast_w)
    for name, value in plain_w.items():
        assert np.abs(value).max() > 0, name
        np.testing.assert_allclose(fast_w[name], value, rtol=1e-4,
                                   atol=2e-4 * np.abs(value).max(), err_msg=name)


def test_chosen_on_cpu_when_enabled_and_not_when_disabled(runtime, monkeypatch):
    assert compiledstep.NAME in fastpaths.PATHS
    assert fastpaths.PATHS[compiledstep.NAME].devices == ("cpu",)
    assert compiledstep.NAME in fastpaths.use("cpu")
    assert compiledstep.NAME not in fastpaths.use("gpu")
    monkeypatch.setenv("PEFT_STUDIO_FAST_DISABLE", compiledstep.NAME)
    assert compiledstep.NAME not in fastpaths.use("cpu")
    monkeypatch.delenv("PEFT_STUDIO_FAST_DISABLE")
    monkeypatch.delenv("PEFT_STUDIO_FAST_ENABLE")
    assert compiledstep.NAME not in fastpaths.use("cpu")    # opt-in: off by default
    assert not fastpaths.is_active(compiledstep.NAME)
    monkeypatch.setenv("PEFT_STUDIO_FAST_ENABLE", compiledstep.NAME)


def test_adapter_reloads_with_the_trained_logits(runtime, tmp_path, bert, calls):
    torch = runtime
    from peft import PeftModel
    from transformers import AutoModelForSequenceClassification

    from studio.core.config import RunConfig
    from studio.core.engine import Trainer

    data = write_classification_dataset(tmp_path / "cls.csv", n=24)
    run_file = write_run_file(tmp_path / "run.yaml", bert, data, method=LORA,
                              training={"epochs": 2, "batch_size": 8},
                              output_dir=str(tmp_path / "out"))
    from studio.core.validate import load_and_validate

    config: RunConfig = load_and_validate(run_file)
    trainer = Trainer(config, "t", tmp_path / "out", Recorder())
    trainer.setup()
    assert trainer._compiled is not None
    trainer.run()
    assert calls[0] > 0
    ids = torch.tensor([[5, 17, 42, 99, 5, 63, 8, 11]])
    trained = trainer.loaded.model.eval()
    reloaded = PeftModel.from_pretrained(
        AutoModelForSequenceClassification.from_pretrained(str(bert)), str(tmp_path / "out"))
    with torch.no_grad():
        expected = trained(input_ids=ids).logits.numpy()
        got = reloaded.eval()(input_ids=ids).logits.numpy()
        base = AutoModelForSequenceClassification.from_pretrained(str(bert)).eval()(
            input_ids=ids).logits.numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    assert np.abs(got - base).max() > 1e-3


def test_a_stopped_run_resumes_exactly(runtime, tmp_path, bert, calls):
    """Weights, AdamW moments and step count, schedule and data order carry over (dropout
    off: the graph's dropout draws anew after a resume)."""
    from studio.core import runner
    from studio.core.store import RunStore

    method = LORA
    training = {"epochs": 3, "batch_size": 8, "save_steps": 100, "max_grad_norm": 0.1}
    straight, _, _ = _run(tmp_path, bert, "straight", training, method=method)
    expected = [e["loss"] for e in straight.of("step")]
    out = tmp_path / "out-stopped"

    def stop_at_4(ev):
        if ev["step"] == 4:
            (out / "STOP").touch()

    first, _, store = _run(tmp_path, bert, "stopped", training, method=method,
                           on_step=stop_at_4)
    assert first.of("finished")[0]["status"] == "stopped"
    rest = Recorder()
    assert runner.resume(store.list_runs()[0].id, rest, RunStore()) == 0
    resumed = [e["loss"] for e in first.of("step") + rest.of("step")]
    assert len(resumed) == len(expected) > 6
    np.testing.assert_allclose(resumed, expected, rtol=1e-5)
    assert calls[0] == 2 * len(expected)     # every step of the three runs compiled


def test_what_it_does_not_cover_runs_the_plain_step(runtime, tmp_path, bert, tiny_models,
                                                     calls):
    _run(tmp_path, bert, "ia3", {"epochs": 1, "batch_size": 8}, method="ia3")
    _run(tmp_path, tiny_models("gpt2", task="seq_cls", num_labels=3), "gpt2",
         {"epochs": 1, "batch_size": 8}, method="lora")
    assert calls[0] == 0


def test_dropout_runs_in_the_graph_and_trains(runtime, tmp_path, tiny_models, bert,
                                                    calls):
    """With the model's dropout on, the compiled step trains (the loss falls) and its losses
    are not the dropout-free model's. (MindSpore's Dropout keeps its random state per
    operator: two runs in one process are not guaranteed the same draws.)"""
    training = {"epochs": 4, "batch_size": 8, "learning_rate": 3e-2}
    noisy = tiny_models("bert", num_labels=3, init_range=0.2)
    method = {**LORA, "lora_dropout": 0.1}
    runs = [[e["loss"] for e in _run(tmp_path, model, tag, training, method=method)[0].of("step")]
            for model, tag in ((noisy, "noisy"), (bert, "clean"))]
    assert calls[0] == 2 * len(runs[0]) > 0
    assert np.mean(runs[0][-3:]) < np.mean(runs[0][:3])
    assert np.abs(np.array(runs[0]) - np.array(runs[1])).max() > 1e-4
