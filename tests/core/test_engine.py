"""The training engine, in process, on tiny models: it learns, it records, it resumes."""

from __future__ import annotations

import json

import numpy as np
import pytest
from factories import Recorder, train, write_run_file, write_text_dataset

pytestmark = pytest.mark.slow


def test_lora_llama_learns_and_writes_standard_files(tmp_path, tiny_models):
    data = write_text_dataset(tmp_path / "lines.txt", n=32)
    run_file = write_run_file(tmp_path / "run.yaml", tiny_models("llama", init_range=0.2), data,
                              training={"epochs": 4, "eval_steps": 4, "batch_size": 4,
                                        "learning_rate": 3e-2},
                              output_dir=str(tmp_path / "out"))
    code, rec, store = train(run_file)
    assert code == 0, rec.of("error")
    losses = [e["loss"] for e in rec.of("step")]
    total = rec.of("run_started")[0]["total_steps"]
    assert len(losses) == total >= 10
    assert np.mean(losses[-3:]) < np.mean(losses[:3]) - 0.5
    evals = rec.of("eval")
    assert evals and evals[-1]["metrics"]["eval_loss"] < evals[0]["metrics"]["eval_loss"]
    assert "perplexity" in evals[-1]["metrics"]

    out = tmp_path / "out"
    for name in ("adapter_config.json", "adapter_model.safetensors", "tokenizer.json", "run.yaml"):
        assert (out / name).is_file(), name
    adapter_cfg = json.loads((out / "adapter_config.json").read_text())
    assert adapter_cfg["peft_type"] == "LORA" and adapter_cfg["r"] == 8

    run = store.list_runs()[0]
    assert run.status == "completed" and run.last_step == total
    series = store.metric_series(run.id)
    assert [p.step for p in series["train/loss"]] == list(range(1, total + 1))
    assert "eval/eval_loss" in series
    assert [c.step for c in store.checkpoints(run.id)][-1] == total


def test_adapter_weights_change_and_reload_identically(tmp_path, tiny_models, runtime):
    torch = runtime
    from peft import PeftModel
    from safetensors.numpy import load_file
    from transformers import AutoModelForCausalLM

    model_dir = tiny_models("llama", init_range=0.2)
    data = write_text_dataset(tmp_path / "lines.txt", n=16)
    run_file = write_run_file(tmp_path / "run.yaml", model_dir, data,
                              training={"epochs": 1}, output_dir=str(tmp_path / "out"))
    assert train(run_file)[0] == 0
    saved = load_file(str(tmp_path / "out" / "adapter_model.safetensors"))
    lora_b = [v for k, v in saved.items() if "lora_B" in k]
    assert lora_b and all(np.abs(v).max() > 0 for v in lora_b)  # B starts at zero: it trained
    ids = torch.tensor([[5, 6, 7, 8, 9]])
    model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(str(model_dir)),
                                      str(tmp_path / "out"))
    model.eval()
    base = AutoModelForCausalLM.from_pretrained(str(model_dir)).eval()
    with torch.no_grad():
        tuned, plain = model(input_ids=ids).logits.numpy(), base(input_ids=ids).logits.numpy()
    assert np.abs(tuned - plain).max() > 1e-4


def test_stop_file_checkpoints_and_resume_continues_exactly(tmp_path, tiny_models):
    """Stop at step 5, resume: the same losses as a run never interrupted (data order,
    optimizer, scheduler and dropout RNG all restored)."""
    from studio.core import runner
    from studio.core.store import RunStore

    model = tiny_models("gpt2", init_range=0.2)   # GPT-2 has dropout: the RNG must carry over
    data = write_text_dataset(tmp_path / "lines.txt", n=32)
    training = {"epochs": 3, "save_steps": 100, "batch_size": 2}
    _, straight, _ = train(write_run_file(tmp_path / "a.yaml", model, data, training=training,
                                          output_dir=str(tmp_path / "a")))
    expected = [e["loss"] for e in straight.of("step")]

    out = tmp_path / "out"
    run_file = write_run_file(tmp_path / "run.yaml", model, data, training=training,
                              output_dir=str(out))

    def stop_at_5(ev):
        if ev["step"] == 5:
            (out / "STOP").touch()

    code, rec, store = train(run_file, Recorder(on_step=stop_at_5))
    assert code == 0
    assert rec.of("finished")[0]["status"] == "stopped"
    assert [e["step"] for e in rec.of("step")] == [1, 2, 3, 4, 5]
    assert rec.of("checkpoint")[-1]["step"] == 5
    assert not (out / "adapter_model.safetensors").exists()  # unfinished: no final result
    run_id = store.list_runs()[0].id
    assert store.get_run(run_id).status == "stopped"

    rec2 = Recorder()
    assert runner.resume(run_id, rec2, RunStore()) == 0
    started = rec2.of("run_started")[0]
    total = started["total_steps"]
    assert started["start_step"] == 5 and total == len(expected) > 8
    assert [e["step"] for e in rec2.of("step")] == list(range(6, total + 1))
    assert rec2.of("finished")[0]["status"] == "completed"
    resumed = [e["loss"] for e in rec.of("step") + rec2.of("step")]
    np.testing.assert_allclose(resumed, expected, rtol=1e-5)
    series = RunStore().metric_series(run_id)
    assert [p.step for p in series["train/loss"]] == list(range(1, total + 1))
    assert (out / "adapter_model.safetensors").is_file()


def test_gradient_accumulation_counts_optimizer_steps(tmp_path, tiny_models):
    data = write_text_dataset(tmp_path / "lines.txt", n=40)
    run_file = write_run_file(tmp_path / "run.yaml", tiny_models("llama", init_range=0.2), data,
                              training={"epochs": 1, "batch_size": 4,
                                        "gradient_accumulation_steps": 3,
                                        "scheduler": "cosine", "warmup_steps": 2},
                              dataset_options={"validation_split": 0.1, "pack": False})
    code, rec, _ = train(run_file)
    assert code == 0, rec.of("error")
    # 36 training rows -> 9 micro-batches -> 3 optimizer steps
    assert [e["step"] for e in rec.of("step")] == [1, 2, 3]
    lrs = [e["lr"] for e in rec.of("step")]
    assert lrs[0] < lrs[1]  # warm-up


def test_early_stopping_keeps_best_weights(tmp_path, tiny_models):
    data = write_text_dataset(tmp_path / "lines.txt", n=32)
    run_file = write_run_file(tmp_path / "run.yaml", tiny_models("llama", init_range=0.2), data,
                              training={"epochs": 10, "eval_steps": 1,
                                        "early_stopping_patience": 2,
                                        "early_stopping_threshold": 100.0},
                              output_dir=str(tmp_path / "out"))
    code, rec, store = train(run_file)
    assert code == 0
    finished = rec.of("finished")[0]
    assert finished["status"] == "early_stopped" and finished["step"] == 3
    assert store.list_runs()[0].status == "early_stopped"
    assert (tmp_path / "out" / "adapter_model.safetensors").is_file()


def test_failure_is_recorded_with_a_message(tmp_path, tiny_models):
    import shutil

    from studio.core import runner
    from studio.core.store import RunStore
    from studio.core.validate import load_and_validate

    model = tmp_path / "model"
    shutil.copytree(tiny_models("llama", init_range=0.2), model)
    data = write_text_dataset(tmp_path / "lines.txt")
    config = load_and_validate(write_run_file(tmp_path / "run.yaml", model, data))
    (model / "model.safetensors").unlink()  # the weights vanish after validation
    rec = Recorder()
    store = RunStore()
    assert runner.start(config, rec, store) == 1
    error = rec.of("error")[0]
    assert error["kind"] == "known" and str(model) in error["message"]
    run = store.list_runs()[0]
    assert run.status == "failed" and str(model) in run.error
    # The code the event carried is stored too (the Runs page translates it); no traceback.
    assert run.error.code == error["message"].code and run.error_detail is None
