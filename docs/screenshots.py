"""Screenshots of every page, in English and in Simplified Chinese, with next to no training.

    python docs/screenshots.py                    # -> docs/screenshots/<page>-<lang>.png
    python docs/screenshots.py --language zh_CN --out /tmp/shots

What is shown is built, not trained: a tiny random Qwen2-style model folder and a LoRA adapter
for it (made in a child process, since making them imports the compute stack), an instruction
dataset with one faulty row, a run store under a temporary ``PEFT_STUDIO_HOME`` with a few
finished runs and their curves, and synthetic training events fed to the Train page so its
charts show a run midway. Pages: Model, Data (also ``data-render``: a tool-calling chat as the
model sees it), Train (mid-run), Runs (three runs overlaid), the
Runs page's Evaluations tab (``evaluations-<lang>.png``: two sentiment classifiers and their
base scored on one held-out file, predictions drawn from a fixed seed), and
Export (the LoRA run as a merged model) and Playground (nothing loaded) where the window has
them. For the Playground's chat, compare and classify views (``playground-<view>-<lang>.png``,
with ``--playground-views``) two adapters are trained in a child process (a chat LoRA on a
tiny Qwen2, a classifier LoRA on a tiny BERT; a few minutes), then loaded and driven through
the page. Each language is
shot in its own process (the catalog is installed when the application starts, as in the
real window). Pictures are 1280x800 PNGs taken with ``QWidget.grab()``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
LANGUAGES = ("en", "zh_CN")
SIZE = (1280, 800)
# Fixed clock for the run history, so the pictures do not change with the day they are taken.
T0 = time.mktime((2026, 3, 2, 9, 30, 0, 0, 0, -1))

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# ---- content (parent process) ----------------------------------------------------------------
_MAKE_MODEL = """
import sys
from pathlib import Path
sys.path.insert(0, "tests")
from factories import make_model
folder, adapter = Path(sys.argv[1]), Path(sys.argv[2])
make_model(folder, "qwen2")
import peft, transformers
model = transformers.AutoModelForCausalLM.from_pretrained(str(folder))
config = peft.LoraConfig(r=8, lora_alpha=16, target_modules=["q_proj", "v_proj"],
                         task_type="CAUSAL_LM")
peft.get_peft_model(model, config).save_pretrained(str(adapter))
"""


_TRAIN_PLAYGROUND = """
import json, sys
from pathlib import Path
sys.path.insert(0, "tests")
from factories import make_model, write_classification_dataset, write_run_file
from studio.core import runner
from studio.core.store import RunStore
from studio.core.validate import load_and_validate
root = Path(sys.argv[1])
# Short answers, learned well enough in a minute by a LoRA on every linear layer of a tiny
# Qwen2 with wide random weights (a narrow start barely moves in that time).
chats = [("How do I reset my password?", "Open Settings, then Reset."),
         ("Where is my order?", "It arrives on Friday."),
         ("Can I change the delivery address?", "Yes, until it ships.")]
rows = [{"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}]}
        for q, a in chats * 8]
(root / "chat.jsonl").write_text("\\n".join(json.dumps(r) for r in rows) + "\\n")
chat_model = make_model(root / "qwen2-chat", "qwen2", init_range=0.2)
bert = make_model(root / "bert-tiny", "bert", init_range=0.2)
every_linear = {"name": "lora", "r": 16, "lora_alpha": 32,
                "target_modules": ".*(q|k|v|o|gate|up|down)_proj"}
runs = [(chat_model, root / "chat.jsonl", "support-chat", every_linear,
         {"max_steps": 3000, "batch_size": 8, "learning_rate": 1e-2, "max_length": 64}),
        (bert, write_classification_dataset(root / "sentiment.csv", n=48), "sentiment", "lora",
         {"max_steps": 12, "learning_rate": 3e-2})]
with RunStore(root / "store.sqlite") as store:
    for model, data, name, method, training in runs:
        run_file = write_run_file(root / f"{name}.yaml", model, data, method, training=training,
                                  output_dir=str(root / name), name=name)
        errors = []
        code = runner.start(load_and_validate(run_file),
                            lambda event, **f: errors.append(f) if event == "error" else None,
                            store)
        assert code == 0, errors
"""


def train_playground(root: Path) -> None:
    """Two adapters trained in a child process (training imports the compute stack), about
    three minutes on a CPU: a chat LoRA on a tiny Qwen2 (``root/support-chat``, its base in
    ``root/qwen2-chat``) and a LoRA classifier on a tiny BERT (``root/sentiment``, its base
    in ``root/bert-tiny``)."""
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-c", _TRAIN_PLAYGROUND, str(root)],
                   cwd=ROOT, check=True)


def make_model(folder: Path, adapter: Path) -> Path:
    """A tiny random Qwen2 model with a tokenizer (tests/factories.py) and a LoRA adapter for
    it, made in a child process: it bootstraps mindnlp, which the window never imports."""
    subprocess.run([sys.executable, "-c", _MAKE_MODEL, str(folder), str(adapter)], cwd=ROOT,
                   check=True)
    return folder


_TASKS = [
    ("Summarise the customer's message in one sentence.",
     "My order arrived two days late and the box was damaged, but the headphones work fine.",
     "The order was late and the box damaged, but the product works."),
    ("Classify the sentiment as positive, negative or neutral.",
     "Operating profit rose to EUR 13.1 mn from EUR 8.7 mn a year earlier.", "positive"),
    ("Translate into French.", "Where is the nearest train station?",
     "Où est la gare la plus proche ?"),
    ("Write a polite reply declining the meeting.", "Can we meet on Friday at 3 pm?",
     "Thank you for the invitation. Unfortunately I am not available on Friday afternoon; "
     "could we find another time next week?"),
    ("Extract the company names.", "Nokia and Ericsson signed a supply deal with Telia.",
     "Nokia, Ericsson, Telia"),
    ("Answer the question briefly.", "What does LoRA train instead of the full weights?",
     "Two small low-rank matrices per adapted layer, added to the frozen weights."),
    ("Rewrite the sentence in plain English.",
     "The aforementioned parameters shall be adjusted forthwith.",
     "Those settings will be changed right away."),
    ("Give the opposite of the word.", "increase", "decrease"),
]


def make_dataset(path: Path, rows: int = 480) -> Path:
    """Instruction data (instruction / input / output) with one row missing its output."""
    rng = random.Random(7)
    lines = []
    for i in range(rows):
        instruction, text, answer = _TASKS[i % len(_TASKS)]
        if rng.random() < 0.35:
            text = text + " " + rng.choice(["Please be brief.", "Thanks!", "(urgent)",
                                            "This is the second time this happened."])
        lines.append({"instruction": instruction, "input": text,
                      "output": "" if i == 41 else answer})
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in lines) + "\n",
                    encoding="utf-8")
    return path


_ORDER = {"type": "function", "function": {
    "name": "order_status", "description": "Where an order is",
    "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}},
                   "required": ["order_id"]}}}


def make_tool_dataset(path: Path) -> Path:
    """Tool-calling chats in OpenAI's fine-tuning format (tools, tool_calls, the tool role,
    an assistant message with weight 0), one in Chinese."""
    def chat(question: str, order: str, found: str, answer: str) -> dict:
        call = {"id": "call_1", "type": "function", "function": {
            "name": "order_status", "arguments": json.dumps({"order_id": order})}}
        return {"messages": [
            {"role": "system", "content": "You are the support assistant of a web shop."},
            {"role": "user", "content": question},
            {"role": "assistant", "content": "Let me check.", "weight": 0},
            {"role": "assistant", "content": None, "tool_calls": [call]},
            {"role": "tool", "tool_call_id": "call_1", "content": found},
            {"role": "assistant", "content": answer}], "tools": [_ORDER]}

    rows = [chat("Where is my order A1042?", "A1042", '{"status": "shipped", "eta": "Friday"}',
                 "Order A1042 has shipped and should arrive on Friday."),
            chat("我的订单 B77 到哪里了？", "B77", '{"status": "packing"}',  # noqa: RUF001
                 "订单 B77 正在打包，很快就会发货。")]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def _curve(steps: int, start: float, floor: float, speed: float, seed: int) -> list[float]:
    rng = random.Random(seed)
    return [floor + (start - floor) * math.exp(-s / speed) + rng.gauss(0, 0.045)
            for s in range(1, steps + 1)]


def _throughput(step: int) -> float:
    """Steady, a little noisy, slower on the steps right after an evaluation."""
    noise = random.Random(step).gauss(0, 28)
    return 2080 + noise - (260 if step % 50 in (1, 2) else 0)


def _lr(step: int, total: int, peak: float, warmup: int) -> float:
    if step < warmup:
        return peak * step / warmup
    return peak * 0.5 * (1 + math.cos(math.pi * (step - warmup) / max(1, total - warmup)))


def _training(learning_rate: float):
    from studio.core.config import TrainingConfig

    return TrainingConfig(epochs=3, batch_size=8, learning_rate=learning_rate, max_length=256,
                          scheduler="cosine", warmup_steps=30, eval_steps=50, save_steps=100)


def make_store(model: Path, dataset: Path, outputs: Path, adapter: Path) -> None:
    """Finished, stopped and failed runs with curves, in the store of ``PEFT_STUDIO_HOME``."""
    from studio.core.config import DatasetConfig, MethodConfig, RunConfig
    from studio.core.messages import msg
    from studio.core.store import RunStore

    runs = [  # name, method, params, status, steps, (start, floor, speed), lr, hours ago
        ("qwen2-lora-r8", "lora", {"r": 8, "lora_alpha": 16}, "completed", 600,
         (2.9, 1.05, 140), 2e-4, 30),
        ("qwen2-dora-r16", "dora", {"r": 16, "lora_alpha": 32}, "completed", 600,
         (2.9, 0.98, 120), 2e-4, 26),
        ("qwen2-ia3", "ia3", {}, "completed", 600, (2.9, 1.32, 200), 3e-3, 22),
        ("qwen2-prefix", "prefix_tuning", {"num_virtual_tokens": 20}, "stopped", 600,
         (2.9, 1.6, 260), 1e-2, 8),
        ("qwen2-full", "full", {}, "failed", 600, (2.9, 1.0, 90), 1e-5, 4),
    ]
    with RunStore() as store:
        for i, (name, method, params, status, total, shape, peak, ago) in enumerate(runs):
            done = {"completed": total, "stopped": 260, "failed": 35}[status]
            out = outputs / name
            out.mkdir(parents=True, exist_ok=True)
            if method == "lora":   # its result, for the Export page
                shutil.copytree(adapter, out, dirs_exist_ok=True)
            config = RunConfig(model=str(model), name=name, task="causal_lm",
                               output_dir=str(out), method=MethodConfig(method, params),
                               dataset=DatasetConfig(path=str(dataset), validation_split=0.1),
                               training=_training(peak))
            run = store.create_run(config.to_dict(), output_dir=out, device="cpu")
            loss = _curve(done, *shape, seed=i)
            points = [(s, "train", "loss", v) for s, v in enumerate(loss, 1)]
            points += [(s, "train", "lr", _lr(s, total, peak, 30)) for s in range(1, done + 1)]
            points += [(s, "train", "tokens_per_second", _throughput(s) - 60 * i)
                       for s in range(1, done + 1)]
            points += [(s, "train", "grad_norm", 0.4 + 2.2 * math.exp(-s / 80))
                       for s in range(1, done + 1)]
            for s in range(50, done + 1, 50):
                eval_loss = sum(loss[s - 10:s]) / 10 + 0.08
                points += [(s, "eval", "eval_loss", eval_loss),
                           (s, "eval", "perplexity", math.exp(eval_loss))]
            store.add_metrics(run.id, points)
            for s in range(100, done + 1, 100):
                store.add_checkpoint(run.id, s, str(out / f"checkpoint-{s}"))
            final = None
            if status != "failed":
                last = [v for s, split, key, v in points if key == "eval_loss"][-1]
                final = {"eval_loss": last, "perplexity": math.exp(last)}
            started = T0 - ago * 3600
            store.update_run(run.id, created_at=started - 5, total_steps=total, last_step=done,
                             final_metrics=final, trainable_params=540_672 // (1 + i % 3),
                             total_params=2_100_000)
            if status == "failed":
                store.set_status(run.id, "failed", error=msg("engine.out_of_memory"),
                                 detail="Traceback (most recent call last):\n  ...\nMemoryError")
            else:
                store.set_status(run.id, status)
            store.update_run(run.id, started_at=started, finished_at=started + 1.7 * done)
        make_evaluations(store, outputs)


_SENTENCES = {
    "positive": ("Operating profit rose to EUR {n} million from a year earlier",
                 "Net sales increased by {n} percent in the third quarter",
                 "The company expects its order intake to grow strongly in {y}"),
    "negative": ("Operating loss widened to EUR {n} million in the period",
                 "Sales fell by {n} percent as demand weakened",
                 "The bank cut its outlook for {y} after a weak quarter"),
    "neutral": ("The annual general meeting will be held on {n} March",
                "The company has {n} employees in Finland",
                "The report for {y} will be published in February"),
}
# How each evaluated target answers: the share of rows it gets right, per reference label
_SKILL = {"bert-sentiment-lora": {"positive": 0.93, "negative": 0.9, "neutral": 0.85},
          "bert-sentiment-ia3": {"positive": 0.85, "negative": 0.7, "neutral": 0.8},
          "tiny-bert": {"positive": 0.45, "negative": 0.3, "neutral": 0.6}}


def make_evaluations(store, outputs: Path) -> None:
    """Two sentiment classifiers and their base evaluated on one held-out file: predictions
    drawn from a fixed seed, scored with the real metric functions."""
    from studio.core.config import MethodConfig, RunConfig
    from studio.core.database import write_transaction
    from studio.core.evaluate import metrics, predictions
    from studio.core.evaluate.runner import Prediction

    labels = ["negative", "neutral", "positive"]
    rng = random.Random(7)
    rows = []
    for i in range(90):
        label = labels[i % 3]
        text = rng.choice(_SENTENCES[label]).format(n=rng.randint(2, 90), y=2024 + i % 3)
        rows.append((text, label))
    data = outputs / "sentiment-test.csv"
    data.parent.mkdir(parents=True, exist_ok=True)
    data.write_text("text,label\n" + "\n".join(f"{t},{lab}" for t, lab in rows) + "\n")
    for i, target in enumerate(_SKILL):
        run_id = None
        if target != "tiny-bert":
            out = outputs / target
            out.mkdir(parents=True, exist_ok=True)
            config = RunConfig(model="models/tiny-bert", name=target, task="seq_cls",
                               output_dir=str(out),
                               method=MethodConfig(target.rsplit("-", 1)[-1]))
            run = store.create_run(config.to_dict(), output_dir=out, device="cpu")
            started = T0 - (3 - i) * 3600
            store.set_status(run.id, "completed")   # first: it stamps finished_at "now"
            store.update_run(run.id, created_at=started - 5, total_steps=300, last_step=300,
                             started_at=started, finished_at=started + 420,
                             final_metrics={"eval_loss": 0.3 + 0.1 * i,
                                            "accuracy": 0.9 - 0.07 * i})
            run_id = run.id
        answers = []
        for text, label in rows:
            right = rng.random() < _SKILL[target][label]
            guess = label if right else rng.choice([x for x in labels if x != label])
            sure = rng.uniform(0.55, 0.98) if right else rng.uniform(0.05, 0.4)
            answers.append(Prediction(len(answers) + 1, text, label, guess, round(sure, 4),
                                      right))
        path = predictions.write(outputs / "evaluations" / f"{target}.jsonl", answers)
        store.add_evaluation(
            target=target, kind="classify", data_path=str(data),
            data_sha256="demo-sentiment-test", rows=len(rows), run_id=run_id,
            metrics=metrics.classification([a.reference for a in answers],
                                           [a.prediction for a in answers], labels),
            settings={"batch_size": 16}, base_model="models/tiny-bert", task="seq_cls",
            predictions_path=str(path), seconds=4.2 + i)
    with write_transaction(store.db):   # a fixed clock, as for the runs
        store.db.conn.execute("UPDATE evaluations SET created_at = ? + id * 60", [T0 - 3600])


# ---- shooting (one child process per language) -----------------------------------------------
def _wait(app, condition, timeout: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        app.processEvents()
        time.sleep(0.02)


def _settle(app, seconds: float = 0.6) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def _widest(widget, depth: int = 0, limit: int = 12) -> list[str]:
    """The chain of visible widgets with the widest minimum size, for a failed size check:
    the culprit is the deepest one that is still wide."""
    lines = [f"{'  ' * depth}{type(widget).__name__} {widget.objectName()!r}: "
             f"minimumSizeHint {widget.minimumSizeHint().width()}, "
             f"minimumWidth {widget.minimumWidth()}, width {widget.width()}"]
    from PySide6.QtWidgets import QWidget

    children = [c for c in widget.findChildren(QWidget, options=_direct()) if c.isVisible()]
    if children and depth < limit:
        wide = max(children, key=lambda c: max(c.minimumSizeHint().width(), c.minimumWidth()))
        lines += _widest(wide, depth + 1, limit)
    return lines


def _direct():
    from PySide6.QtCore import Qt

    return Qt.FindChildOption.FindDirectChildrenOnly


def _training_events(total: int = 600, upto: int = 372) -> list[dict]:
    """What the training child would have printed up to step ``upto`` of a LoRA run."""
    now = T0
    events = [{"event": "run_started", "time": now, "run_id": "20260302-0930-qwen2-lora",
               "name": "qwen2-lora-r8", "output_dir": "runs/qwen2-lora-r8",
               "total_steps": total, "start_step": 0, "epochs": 3,
               "trainable_params": 540_672, "total_params": 2_100_000, "device": "CPU",
               "method": "lora", "task": "causal_lm"}]
    loss = _curve(upto, 2.9, 1.05, 140, seed=11)
    for step in range(1, upto + 1):
        events.append({"event": "step", "time": now + 0.45 * step, "step": step,
                       "epoch": round(1 + 3 * (step - 1) / total, 2), "loss": loss[step - 1],
                       "lr": _lr(step, total, 2e-4, 30), "grad_norm": 0.5,
                       "tokens_per_second": _throughput(step),
                       "samples_per_second": 16.0, "elapsed": 0.45 * step,
                       "eta": 0.45 * (total - step), "total_steps": total})
        if step % 50 == 0:
            eval_loss = sum(loss[step - 10:step]) / 10 + 0.08
            events.append({"event": "eval", "time": now + 0.45 * step, "step": step,
                           "epoch": round(3 * step / total, 2),
                           "metrics": {"eval_loss": eval_loss,
                                       "perplexity": math.exp(eval_loss)}})
        if step % 100 == 0:
            events.append({"event": "checkpoint", "time": now + 0.45 * step, "step": step,
                           "path": f"runs/qwen2-lora-r8/checkpoint-{step}"})
    return events


def shoot_playground(app, window, grab, page, trained: Path) -> None:
    from studio.ui.playground.page import MODES

    def load(base: Path | None, adapter: Path) -> None:
        if base is not None:
            page.set_base(base)
        checked = []
        page.sig_adapter_checked.connect(checked.append)
        page.add_adapter(str(adapter))
        _wait(app, lambda: checked, what="the adapter check")
        page.sig_adapter_checked.disconnect(checked.append)
        assert checked == [True], page.last_error_box and page.last_error_box.text()
        loaded = []
        page.sig_loaded.connect(lambda *a: loaded.append(True))
        page.load()
        _wait(app, lambda: loaded or page.last_error_box is not None, timeout=300,
              what="the model")
        assert page.session is not None, "the playground did not load"

    def answer(signal, start) -> None:
        done = []
        signal.connect(lambda *a: done.append(True))
        start()
        _wait(app, lambda: done, timeout=180, what="the answer")
        _settle(app, 0.3)

    # The classifier first (its base comes from its adapter), then the chat model: switching
    # models in one window is covered by tests/ui/test_playground_page.py.
    page.set_base("")
    load(None, trained / "sentiment")
    page.classify_input.setPlainText("Operating profit rose, a strong and good quarter.")
    answer(page.sig_classified, page.classify)
    grab("playground", "classify")

    page.adapter_list.setCurrentRow(0)
    page.remove_selected_adapter()   # the loaded base goes with it
    load(trained / "qwen2-chat", trained / "support-chat")
    page.sampling.greedy.setChecked(True)
    page.sampling.max_new_tokens.setValue(12)
    page.sampling.system_prompt.setPlainText("You are a helpful support assistant.")
    for prompt in ("Where is my order?", "How do I reset my password?"):
        page.chat_input.setPlainText(prompt)
        answer(page.sig_answer_finished, page.send)
    page.chat_input.setPlainText("Can I change the delivery address?")
    grab("playground", "chat")

    page.tabs.setCurrentIndex(MODES.index("compare"))
    page.compare_input.setPlainText("Where is my order?")
    answer(page.sig_compare_finished, page.run_compare)
    grab("playground", "compare")


def shoot_playground_tools(app, grab, page) -> None:
    """The Tools editor with a get_weather function, and a conversation (as a saved one is
    reopened) whose last answer called it: the call shown as a call, the tool result typed."""
    from studio.core.playground import Conversation

    page.tools_editor.insert_example()
    conversation = Conversation(tools=page.conversation.tools)
    conversation.add_user("What is the weather in Paris?")
    conversation.add_answer('<tool_call>\n{"name": "get_weather", "arguments": {"city": '
                            '"Paris"}}\n</tool_call>', "support-chat")
    page.conversation = conversation
    page.chat_view.show_turns(conversation.turns)
    page._update_call_note()
    page._update_modes()
    page.chat_input.setPlainText('{"temperature": 21, "sky": "sunny"}')
    page.side.ensureWidgetVisible(page.tools_editor)
    _settle(app, 0.3)
    grab("playground", "tools")
    page.clear_conversation()
    page.tools_editor.set_tools([])
    page.chat_input.clear()
    page.side.verticalScrollBar().setValue(0)   # the next views show the panel from its top


def shoot_download(app, window, model: Path, out: Path, language: str) -> Path:
    """The Model page's download dialog, stopped two thirds through a file: a local stand-in
    for the hub (tests/hubserver.py) serves the tiny model and stalls."""
    sys.path.insert(0, str(ROOT / "tests"))
    from hubserver import FakeHub

    from studio.core import hub

    os.environ["HF_HUB_CACHE"] = str(Path(os.environ["PEFT_STUDIO_HOME"]) / "hf-cache")
    repo = Path(os.environ["PEFT_STUDIO_HOME"]) / "hub-repo"
    shutil.copytree(model, repo, dirs_exist_ok=True)
    big = repo / "model.safetensors"
    import numpy as np
    from safetensors.numpy import save_file  # the client writes 10 MiB chunks: a larger file

    save_file({"w": np.random.default_rng(0).standard_normal((2000, 2000), np.float32)},
              str(big))
    page = window.model_page
    with FakeHub({"acme/tiny-chat": repo}) as server:
        server.stall[big.name] = 11 * 1024 * 1024
        window.apply_hub(hub.choice("mirror", server.url))
        window.show_page(0)
        page.set_model("acme/tiny-chat")
        _wait(app, page.download_button.isVisible, what="the hub id")
        dialog = page.download()
        _wait(app, lambda: dialog.bar.value() > 0 and "·" in dialog.details.text(),
              what="the download's progress")
        _settle(app)
        path = out / f"download-{language}.png"
        dialog.grab().save(str(path), "PNG", 0)
        dialog.reject()
        _wait(app, lambda: not page._download_worker.is_running(), what="the cancel")
    window.apply_hub(hub.HubChoice())
    print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def _serve_events(url: str, models: list[str]) -> list[dict]:
    """What a server prints while three clients use it (``peft-studio serve`` events)."""
    start = time.time() - 90
    rows = [("/v1/models", "", 200, None, 0.002), ("/v1/chat/completions", models[1], 200,
            (38, 64, "stop"), 2.41), ("/v1/chat/completions", models[2], 200, (41, 128, "length"),
            4.87), ("/v1/chat/completions", "gpt-4o", 404, None, 0.001),
            ("/v1/chat/completions", models[1], 499, (36, 17, "cancelled"), 0.66),
            ("/v1/completions", models[0], 200, (12, 32, "length"), 1.02),
            ("/v1/chat/completions", models[3], 503, None, 0.001)]
    events = [{"event": "ready", "time": start, "url": url, "models": models,
               "task": "causal_lm", "api_key": False}]
    for n, (path, model, status, tokens, seconds) in enumerate(rows):
        event = {"event": "request", "time": start + 9 * n + 4, "method":
                 "GET" if path == "/v1/models" else "POST", "path": path, "model": model,
                 "status": status, "stream": n == 4, "seconds": seconds}
        if tokens:
            event.update(prompt_tokens=tokens[0], completion_tokens=tokens[1],
                         finish_reason=tokens[2])
        events.append(event)
    return events


def shoot_serve(app, window, runs, out: Path, language: str) -> Path:
    """The Serve panel for the selected runs, fed the events of a server in use."""
    runs.run_actions.serve.trigger()
    panel = window.serve_panel()
    ready, *requests = _serve_events("http://127.0.0.1:8000/v1",
                                     ["qwen2-tiny", *panel.request.names])
    panel._on_ready(ready)
    for event in requests:
        panel._on_request(event)
    panel.resize(820, 680)
    _settle(app, 0.8)
    path = out / f"serve-{language}.png"
    panel.grab().toImage().save(str(path), "PNG", 0)
    print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    panel.hide()
    window.statusBar().clearMessage()   # its "listening" note must not reach later pictures
    return path


def shoot(language: str, fixtures: Path, out: Path, playground_views: bool = False) -> list[Path]:
    os.environ["PEFT_STUDIO_HOME"] = str(fixtures / f"home-{language}")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    model, dataset = fixtures / "models" / "qwen2-tiny", fixtures / "data" / "support.jsonl"
    make_store(model, dataset, fixtures / f"outputs-{language}",
               fixtures / "adapters" / "lora")

    from PySide6.QtCore import QItemSelectionModel, Qt

    from studio.app import setup_application
    from studio.ui import settings as settings_mod

    settings_mod.set_language(language)
    app = setup_application(["peft-studio"])
    from studio.ui.mainwindow import PAGES, MainWindow

    window = MainWindow(probe_devices=False)
    window.resize(*SIZE)
    window.show()
    _settle(app)
    # What `peft-studio devices --json` reports on a CPU machine.
    window.train_page.set_devices({"mindspore": "2.7.0", "cpu": True, "gpu": False,
                                   "ascend": False})
    window.devices_label.setText(window.tr("MindSpore %1 · %2").replace("%1", "2.7.0")
                                 .replace("%2", "CPU"))

    shots: list[Path] = []

    def grab(page: str, view: str = "", name: str = "") -> None:
        window.show_page(PAGES.index(page))
        _settle(app, 0.8)
        path = out / f"{name or page + ('-' + view if view else '')}-{language}.png"
        image = window.grab().toImage()
        assert (image.width(), image.height()) == SIZE, "\n".join(
            [f"{image.width()}x{image.height()} instead of {SIZE}:", *_widest(window)])
        image.save(str(path), "PNG", 0)   # 0: smallest file (strongest compression)
        shots.append(path)
        print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")

    # Model: inspected in a pool thread; the module tree and the estimate follow.
    window.model_page.set_model(str(model))
    _wait(app, lambda: window.model_page.model_info() is not None, what="the model")
    _settle(app)
    grab("model")

    # Data: read in a pool thread, token lengths in a child process.
    window.data_page.set_path(str(dataset))
    _wait(app, lambda: window.data_page.inspection() is not None, what="the dataset")
    _wait(app, lambda: not window.data_page.token_job.is_running(), timeout=120,
          what="the token lengths")
    _settle(app)
    grab("data")

    # What the model sees: a tool-calling chat rendered by the model's tokenizer.
    data_page = window.data_page
    data_page.set_max_length(1024)  # the tools' schemas alone take a few hundred tokens
    data_page.set_path(str(fixtures / "data" / "tools.jsonl"))
    _wait(app, lambda: (data_page.inspection() or {}).get("path", "").endswith("tools.jsonl"),
          timeout=120, what="the tool-calling chats")
    _wait(app, lambda: "spans" in (data_page.rendered() or {}), timeout=120,
          what="the rendered row")
    if language != "en":  # the chat in Chinese, on line 2
        data_page.preview.selectRow(1)
        _wait(app, lambda: (data_page.rendered() or {}).get("row") == 2, timeout=120,
              what="the rendered second row")
    _wait(app, lambda: not data_page.token_job.is_running(), timeout=120,
          what="the token lengths")
    _settle(app)
    grab("data", "render")

    # Train: a LoRA run two thirds of the way through.
    train = window.train_page
    train._select_method("lora")
    train.training_form.set_config(_training(2e-4))
    train.name_edit.setText("qwen2-lora-r8")
    _settle(app)
    train.set_running(True)
    for event in _training_events():
        train.on_event(event)
    _settle(app, 1.2)
    grab("train")

    # Runs: three finished runs overlaid.
    runs = window.runs_page
    window.show_page(PAGES.index("runs"))
    runs.refresh()
    _wait(app, lambda: runs.model.rowCount() >= 5, what="the run history")
    wanted = {"qwen2-lora-r8", "qwen2-dora-r16", "qwen2-ia3"}
    selection = runs.view.selectionModel()
    first = True
    for row in range(runs.proxy.rowCount()):
        index = runs.proxy.index(row, 0)
        if index.data() in wanted:
            flags = QItemSelectionModel.SelectionFlag.Rows | (
                QItemSelectionModel.SelectionFlag.ClearAndSelect if first
                else QItemSelectionModel.SelectionFlag.Select)
            selection.setCurrentIndex(index, flags)
            first = False
    _wait(app, lambda: len(runs.selected_runs()) == 3, what="the selection")
    _settle(app, 1.5)
    grab("runs")
    shots.append(shoot_serve(app, window, runs, out, language))

    # Evaluations: two sentiment classifiers and their base compared on one held-out file.
    wanted = {"bert-sentiment-lora", "bert-sentiment-ia3"}
    first = True
    for row in range(runs.proxy.rowCount()):
        index = runs.proxy.index(row, 0)
        if index.data() in wanted:
            flags = QItemSelectionModel.SelectionFlag.Rows | (
                QItemSelectionModel.SelectionFlag.ClearAndSelect if first
                else QItemSelectionModel.SelectionFlag.Select)
            selection.setCurrentIndex(index, flags)
            first = False
    runs.bottom_tabs.setCurrentIndex(runs.evaluations_index)
    runs.splitter.setSizes([150, 650])
    runs.bottom_splitter.setSizes([1100, 0])   # the details folded away: the tab gets the width
    evaluations = runs.evaluations
    _wait(app, lambda: evaluations.comparison.rowCount() == 3, what="the evaluations")
    evaluations.comparison_view.sortByColumn(4, Qt.SortOrder.DescendingOrder)
    evaluations.comparison_view.selectRow(0)
    _wait(app, lambda: evaluations.predictions.rowCount() > 0, what="the predictions")
    _settle(app, 1.5)
    grab("runs", name="evaluations")

    # Export (when the window has that page): the LoRA run as a merged model.
    if "export" in PAGES:
        from studio.core.store import RunStore

        with RunStore() as store:
            lora = next(r for r in store.list_runs() if r.name == "qwen2-lora-r8")
        export = window.pages[PAGES.index("export")]
        window.show_page(PAGES.index("export"))
        export.refresh()
        _settle(app, 1.0)
        export.select_run(lora.id)
        export.set_mode("merged")
        export.set_output_dir(fixtures / "exports" / "qwen2-lora-r8-merged")
        _settle(app, 1.5)
        grab("export")

    # Playground (when the window has it): the base model chosen, nothing loaded; then the
    # adapters trained for a few steps are loaded and the chat, compare and classify views shot.
    if "playground" in PAGES:
        playground = window.pages[PAGES.index("playground")]
        playground.set_base(model)
        grab("playground")
        shoot_playground_tools(app, grab, playground)
        if playground_views:
            shoot_playground(app, window, grab, playground, fixtures / "playground")

    shots.append(shoot_download(app, window, model, out, language))
    train.set_running(False)
    window.shutdown()
    window.close()
    return shots


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", choices=LANGUAGES, action="append",
                        help="one language (repeatable); default: all")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--fixtures", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--shoot", choices=LANGUAGES, help=argparse.SUPPRESS)
    parser.add_argument("--playground-views", action="store_true",
                        help="also shoot the playground's chat, compare and classify views")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.shoot:   # the child: one language
        shoot(args.shoot, args.fixtures, args.out.resolve(), args.playground_views)
        return 0
    # A plain path: the pages show it.
    fixtures = Path(tempfile.gettempdir()) / "peft-studio-demo"
    shutil.rmtree(fixtures, ignore_errors=True)
    fixtures.mkdir()
    try:
        print("making a tiny model and a dataset …")
        make_model(fixtures / "models" / "qwen2-tiny", fixtures / "adapters" / "lora")
        (fixtures / "data").mkdir()
        make_dataset(fixtures / "data" / "support.jsonl")
        make_tool_dataset(fixtures / "data" / "tools.jsonl")
        if args.playground_views:
            print("training two tiny adapters for the playground …")
            train_playground(fixtures / "playground")
        for language in args.language or LANGUAGES:
            print(f"{language}:")
            env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM",
                                                                   "offscreen")}
            subprocess.run([sys.executable, str(Path(__file__).resolve()), "--shoot", language,
                            "--fixtures", str(fixtures), "--out", str(args.out.resolve())]
                           + (["--playground-views"] if args.playground_views else []),
                           cwd=ROOT, env=env, check=True)
    finally:
        shutil.rmtree(fixtures, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
