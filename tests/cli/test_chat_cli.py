"""``peft-studio chat``: a prompt streamed to stdout, an interactive session fed through stdin,
compare and classification output, and refusals (exit 2) before anything is loaded."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from studio.cli import main
from studio.core.config import RunConfig
from studio.core.inference import GenerationSettings, InferenceSession, resolve_adapter
from studio.core.store import RunStore

ROOT = Path(__file__).resolve().parents[2]


def studio(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "studio", *args], capture_output=True,
                          text=True, env=env, timeout=300, cwd=ROOT, input=stdin)


@pytest.fixture(scope="module")
def lora(tmp_path_factory, tiny_models):
    """A random (untrained, but not zero) LoRA adapter on the tiny llama, and the base."""
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    base = tiny_models("llama", init_range=0.2)
    folder = tmp_path_factory.mktemp("cli") / "demo-adapter"
    model = get_peft_model(AutoModelForCausalLM.from_pretrained(str(base)),
                           LoraConfig(r=4, target_modules=["q_proj", "v_proj"],
                                      init_lora_weights=False))
    model.save_pretrained(str(folder))
    session = InferenceSession(base)
    session.load()
    session.add_adapter("demo", resolve_adapter(str(folder)))
    return {"base": base, "folder": folder, "session": session}


def _register(folder: Path, base: Path, name: str = "demo") -> None:
    with RunStore() as store:
        store.create_run(RunConfig(model=str(base)).to_dict(), name=name, output_dir=folder,
                         status="completed")


@pytest.mark.slow
def test_prompt_streams_the_answer_and_exits(lora):
    expected = lora["session"].stream_chat([{"role": "user", "content": "hello"}],
                                           GenerationSettings(greedy=True, max_new_tokens=5),
                                           adapter="demo").read()
    done = studio("chat", "--base", str(lora["base"]), "--adapter", str(lora["folder"]),
                  "--greedy", "--max-new-tokens", "5", "hello")
    assert done.returncode == 0, done.stderr
    assert done.stdout == expected + "\n" and expected
    assert "[ready]" in done.stderr


@pytest.mark.slow
def test_interactive_session_keeps_the_conversation(lora):
    _register(lora["folder"], lora["base"])
    session = lora["session"]
    settings = GenerationSettings(greedy=True, max_new_tokens=4)
    hello = {"role": "user", "content": "hello"}
    first = session.stream_chat([hello], settings, adapter="demo").read()
    second = session.stream_chat([hello, {"role": "assistant", "content": first}, hello],
                                 settings, adapter=None).read()
    after_reset = session.stream_chat([{"role": "user", "content": "hi"}], settings,
                                      adapter=None).read()
    # the run's name as the adapter, and no --base: the adapter names its base folder
    done = studio("chat", "--adapter", "demo", "--greedy", "--max-new-tokens", "4",
                  stdin="hello\n/adapter base\nhello\n/adapters\n/reset\nhi\n/quit\nignored\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{first}\n{second}\n{after_reset}\n"
    assert "(now answering: base)" in done.stderr and "(conversation cleared)" in done.stderr
    assert " * base" in done.stderr


@pytest.mark.slow
def test_several_answers_go_under_headers(lora, capsys):
    _register(lora["folder"], lora["base"], name="demo")
    settings = GenerationSettings(greedy=True, max_new_tokens=3)
    answers = lora["session"].compare("hello", [None, "demo"], settings)
    code = main(["chat", "--adapter", "demo", "--with-base", "--greedy", "--max-new-tokens", "3",
                 "hello"])
    out = capsys.readouterr().out
    assert code == 0
    assert out == f"=== base ===\n{answers[None]}\n=== demo ===\n{answers['demo']}\n"


@pytest.mark.slow
def test_classifier_prints_label_probabilities(tmp_path, tiny_models, capsys):
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForSequenceClassification

    bert = tiny_models("bert", task="seq_cls", num_labels=3)
    model = AutoModelForSequenceClassification.from_pretrained(
        str(bert), id2label={0: "bad", 1: "meh", 2: "good"}, label2id={"bad": 0, "meh": 1,
                                                                        "good": 2})
    get_peft_model(model, LoraConfig(task_type="SEQ_CLS", r=4,
                                     target_modules=["query", "value"])).save_pretrained(
        str(tmp_path / "cls"))
    model.config.save_pretrained(str(tmp_path / "cls"))   # id2label travels with the adapter
    code = main(["chat", "--adapter", str(tmp_path / "cls"), "profit rose"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0 and len(lines) == 3
    assert sorted(line.split()[0] for line in lines) == ["bad", "good", "meh"]
    assert abs(sum(float(line.split()[1]) for line in lines) - 1) < 1e-3


# ---- refusals: exit 2 with a message, before the stack is imported -----------------------------


def _safetensors(path: Path, shapes: dict[str, tuple[int, ...]]) -> None:
    header, offset, blobs = {}, 0, []
    for name, shape in shapes.items():
        data = np.zeros(shape, dtype=np.float32).tobytes()
        header[name] = {"dtype": "F32", "shape": list(shape),
                        "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    raw = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + b"".join(blobs))


def _files_only(tmp_path: Path, hidden_base: int, hidden_adapter: int) -> tuple[Path, Path]:
    base, adapter = tmp_path / "base", tmp_path / "adapter"
    base.mkdir()
    adapter.mkdir()
    (base / "config.json").write_text(json.dumps({
        "model_type": "llama", "hidden_size": hidden_base, "num_hidden_layers": 1,
        "vocab_size": 512}))
    _safetensors(base / "model.safetensors",
                 {"model.layers.0.self_attn.q_proj.weight": (hidden_base, hidden_base)})
    (adapter / "adapter_config.json").write_text(json.dumps({
        "peft_type": "LORA", "task_type": "CAUSAL_LM", "base_model_name_or_path": "org/big"}))
    _safetensors(adapter / "adapter_model.safetensors", {
        "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight": (4, hidden_adapter),
        "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight": (hidden_adapter, 4)})
    return base, adapter


def test_bad_adapters_exit_2_with_a_message(tmp_path, capsys):
    base, adapter = _files_only(tmp_path, 32, 64)
    done = studio("chat", "--base", str(base), "--adapter", str(adapter), "hi")
    assert done.returncode == 2 and done.stdout == ""
    assert "trained on org/big (hidden 64); the chosen base is" in done.stderr
    assert "(hidden 32)" in done.stderr

    (tmp_path / "empty").mkdir()
    for args, message in ([["--adapter", str(adapter)], "not on this machine; give --base"],
                          [["--adapter", str(tmp_path / "missing")], "does not exist"],
                          [["--base", str(base), "--adapter", str(base)], "whole fine-tuned"],
                          [["--adapter", str(tmp_path / "empty")], "holds no adapter"],
                          [["--adapter", "no-such-run"], "No run matches 'no-such-run'"]):
        assert main(["chat", *args, "hi"]) == 2
        captured = capsys.readouterr()
        assert message in captured.err and captured.out == ""
