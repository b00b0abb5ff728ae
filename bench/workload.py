"""One benchmark workload, measured in this (fresh) process and printed as one JSON line:

    python -m bench.workload train_lora_llama_tiny --backend studio --models DIR --json

Backends: ``studio`` runs the studio's own engine and inference code (MindSpore through
mindnlp); ``pytorch`` runs the same work with the real PyTorch + transformers + peft and must
never import mindnlp. Both read the same model folders, the same data (prepared by the studio's
data code) and the same PEFT configs (built by the studio's method code).

Workload names: ``train_lora_FAMILY_SIZE``, ``train_prompt_FAMILY_SIZE`` (prompt tuning;
``bert`` trains its 3-label sequence classifier), ``generate_FAMILY_SIZE`` (at 0.5b: greedy
with the LoRA only, plus the model's load time), ``classify_FAMILY_SIZE``,
``eval_FAMILY_SIZE`` (batched held-out evaluation: classification rows/s and generation
tokens/s), ``ipc_FAMILY_SIZE`` (the Playground's process boundary, ``bench/ipc.py``),
``startup`` and ``gui_lag`` (the last three studio only).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from bench.models import words

# Work per measurement: (full run, --quick). Training steps include the first (warm-up) step,
# which is timed separately; tokens/s comes from the steps after it.
TRAIN = {"tiny": {"batch": 8, "length": 128, "steps": 5},
         "100m": {"batch": 2, "length": 128, "steps": 3},
         "minilm": {"batch": 16, "length": 64, "steps": 6},    # the MindNLP tutorial's shape
         "0.5b": {"batch": 2, "length": 256, "steps": 3}}
TRAIN_QUICK = {"batch": 2, "length": 32, "steps": 2}
NEW_TOKENS = {"tiny": 32, "100m": 16, "0.5b": 16}   # per generation; 4 per workload (0.5b: 1)
NEW_TOKENS_QUICK = 3
ROWS = {"tiny": 16, "100m": 4}                # classification rows, one at a time
ROWS_QUICK = 3
# Batched evaluation: (rows, batch size) for classification, (rows, batch, new tokens) for
# generation
EVAL_CLS = {"tiny": (64, 16), "100m": (16, 8)}
EVAL_GEN = {"tiny": (16, 8, 16), "100m": (8, 8, 8)}
EVAL_CLS_QUICK, EVAL_GEN_QUICK = (8, 4), (4, 2, 3)
PROMPT = " ".join(words(24, 7))
LAG_SECONDS, LAG_QUICK = 4.0, 1.0             # GUI lag: how long the fake child streams

LORA_TARGETS = {"llama": ["q_proj", "k_proj", "v_proj", "o_proj"], "gpt2": ["c_attn"],
                "qwen2": ["q_proj", "k_proj", "v_proj", "o_proj"], "bert": ["query", "value"]}
CLASSIFIERS = {"bert"}   # families benchmarked as sequence classifiers (training included)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # KiB on Linux


def write_text(path: Path, tokens: int) -> Path:
    """Plain text with about 2x the tokens needed (packed into max_length blocks)."""
    vocab = words(6000, 1)
    lines, n = [], 0
    import random

    rng = random.Random(3)
    while n < 2 * tokens + 2000:
        lines.append(" ".join(rng.choices(vocab, k=40)))
        n += 60
    path.write_text("\n".join(lines) + "\n")
    return path


def write_rows(path: Path, rows: int) -> Path:
    """A 3-label classification CSV; each text has more words than max_length keeps, so every
    row fills the batch's width (16 x 64 tokens, as in the tutorial's padded batches)."""
    from bench.models import LABELS

    vocab = words(6000, 1)
    import random

    rng = random.Random(4)
    path.write_text("text,label\n" + "".join(
        f"{' '.join(rng.choices(vocab, k=70))},{LABELS[i % len(LABELS)]}\n" for i in range(rows)))
    return path


# ---- training ---------------------------------------------------------------------------------
def task_of(family: str) -> str:
    return "seq_cls" if family in CLASSIFIERS else "causal_lm"


def _run_config(model: Path, family: str, method: str, work: dict, tmp: Path):
    from studio.core.config import from_dict

    if task_of(family) == "seq_cls":
        data, fmt = write_rows(tmp / "data.csv", work["batch"] * (work["steps"] + 1)), "auto"
    else:
        data = write_text(tmp / "data.txt", work["batch"] * work["length"] * (work["steps"] + 1))
        fmt = "text"
    spec = ({"name": "lora", "r": 8, "lora_alpha": 16, "target_modules": LORA_TARGETS[family]}
            if method == "lora" else {"name": "prompt_tuning", "num_virtual_tokens": 16})
    return from_dict({
        "model": str(model), "task": task_of(family), "device": "cpu",
        "dataset": {"path": str(data), "format": fmt, "validation_split": 0.0},
        "method": spec, "output_dir": str(tmp / "out"),
        "training": {"max_steps": work["steps"], "batch_size": work["batch"],
                     "max_length": work["length"], "learning_rate": 1e-3, "scheduler": "linear",
                     "max_grad_norm": 1.0}})


def _train_result(marks: list[tuple[float, int]], spawned: float, rows: int,
                  classifier: bool = False) -> dict:
    """marks: (perf_counter at the end of each optimizer step, tokens in that step); rows:
    examples per step (a classifier also reports rows/s: examples are its unit of work)."""
    (t1, _), rest = marks[0], marks[1:]
    timed = sum(tokens for _, tokens in rest)
    seconds = rest[-1][0] - t1 if rest else None
    out = {"tokens_per_s": timed / seconds if seconds else None,
           "first_step_s": time.time() - spawned - (time.perf_counter() - t1),
           "peak_rss_mb": peak_rss_mb()}
    if classifier:
        out["rows_per_s"] = rows * len(rest) / seconds if seconds else None
    if len(marks) > 1:   # one step's wall time: the unit the 0.5B table reports
        out["step_s"] = seconds / len(rest)
    return out


def train_studio(model: Path, family: str, method: str, work: dict, spawned: float) -> dict:
    from studio.core.engine import Trainer

    marks: list[tuple[float, int]] = []
    seen = [0.0]

    def emit(event: str, **fields) -> None:
        if event == "step":   # tokens_per_second is cumulative: tokens seen / elapsed
            total = fields["tokens_per_second"] * fields["elapsed"]
            marks.append((time.perf_counter(), round(total - seen[0])))
            seen[0] = total
        elif event == "error":
            raise RuntimeError(fields.get("message"))

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        config = _run_config(model, family, method, work, Path(tmp))
        trainer = Trainer(config, "bench", Path(tmp) / "out", emit)
        trainer.setup()
        trainer.run()
        return _train_result(marks, spawned, work["batch"], family in CLASSIFIERS)


def train_pytorch(model: Path, family: str, method: str, work: dict, spawned: float) -> dict:
    """The textbook loop (what the engine does, with loss.backward()) on the real PyTorch."""
    import numpy as np
    import torch
    from transformers import get_scheduler

    from studio.core import data
    from studio.core.modeling import apply_method, load_base_model, load_tokenizer

    torch.manual_seed(42)
    task = task_of(family)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        cfg = _run_config(model, family, method, work, Path(tmp))
        tr = cfg.training
        tokenizer = load_tokenizer(str(model), task)
        prepared = data.prepare(cfg.dataset, task, tokenizer, tr.max_length)
        base = load_base_model(str(model), task, tokenizer, label_names=prepared.label_names)
        net, _ = apply_method(base, cfg.method, task, family, str(model),
                              total_steps=tr.max_steps)
        net.train()
        params = [p for p in net.parameters() if p.requires_grad]
        optimizer = torch.optim.AdamW(params, lr=tr.learning_rate, weight_decay=0.0)
        scheduler = get_scheduler("linear", optimizer, num_warmup_steps=0,
                                  num_training_steps=tr.max_steps)
        order = np.random.RandomState(tr.seed).permutation(len(prepared.train))
        marks: list[tuple[float, int]] = []
        for step in range(tr.max_steps):
            picked = order[step * tr.batch_size:(step + 1) * tr.batch_size]
            rows = [prepared.train[i] for i in picked]
            batch = data.collate(rows, tokenizer.pad_token_id, task)
            tensors = {k: torch.tensor(batch[k]) for k in ("input_ids", "attention_mask", "labels")}
            loss = net(**tensors).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, tr.max_grad_norm)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            float(loss.item())
            marks.append((time.perf_counter(), int(batch["attention_mask"].sum())))
        return _train_result(marks, spawned, tr.batch_size, family in CLASSIFIERS)


# ---- generation -------------------------------------------------------------------------------
def _settings(kind: str, n: int):
    from studio.core.inference import GenerationSettings

    return GenerationSettings(max_new_tokens=n, greedy=kind == "greedy", temperature=0.7,
                              top_p=0.9, top_k=50, seed=0)


def generate_studio(model: Path, n: int, full: bool = True) -> dict:
    """full=False (the 0.5B model): greedy with the LoRA only, no merged copy (memory)."""
    from studio.core.export.merged import export_merged
    from studio.core.inference import InferenceSession, resolve_adapter

    out: dict[str, float] = {}

    def measure(session, label: str) -> None:
        # warm-up: two tokens, so the second comes from the decode step (compiled once)
        session.stream_completion(PROMPT, _settings("greedy", 2)).read()
        for kind in ("greedy", "sampled") if full else ("greedy",):
            stream = session.stream_completion(PROMPT, _settings(kind, n))
            start, first = time.perf_counter(), None
            for _ in stream:
                first = first or time.perf_counter() - start
            out[f"{kind}_{label}_tokens_per_s"] = stream.tokens_per_second
            out[f"{kind}_{label}_first_token_s"] = first

    session = InferenceSession(model, task="causal_lm", device="cpu")
    start = time.perf_counter()
    session.load()   # tokenizer and base model, after the imports (bootstrap ran before)
    out["load_s"] = time.perf_counter() - start
    session.add_adapter("bench", resolve_adapter(model / "adapter"))
    session.use("bench")
    measure(session, "adapter")
    del session
    if not full:
        out["peak_rss_mb"] = peak_rss_mb()
        return out
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        export_merged(model / "adapter", Path(tmp) / "merged", verify=False)  # merge_and_unload
        merged = InferenceSession(Path(tmp) / "merged", task="causal_lm", device="cpu")
        merged.load()
        measure(merged, "merged")
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def generate_pytorch(model: Path, n: int, full: bool = True) -> dict:
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.generation.streamers import BaseStreamer

    class Clock(BaseStreamer):
        def __init__(self):
            self.start, self.times = time.perf_counter(), []

        def put(self, value):
            self.times.append(time.perf_counter())

        def end(self):
            pass

    out: dict[str, float] = {}
    start = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(str(model))
    base = AutoModelForCausalLM.from_pretrained(str(model)).eval()
    out["load_s"] = time.perf_counter() - start
    ids = torch.tensor([tokenizer(PROMPT)["input_ids"]])

    def measure(net, label: str) -> None:
        with torch.no_grad():   # warm-up
            net.generate(input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=2,
                         pad_token_id=tokenizer.pad_token_id)
        for kind in ("greedy", "sampled") if full else ("greedy",):
            config = _settings(kind, n).generation_config(net.generation_config, tokenizer)
            torch.manual_seed(0)
            clock = Clock()
            with torch.no_grad():
                result = net.generate(input_ids=ids, attention_mask=torch.ones_like(ids),
                                      generation_config=config, streamer=clock)
            elapsed = time.perf_counter() - clock.start
            new = result.shape[1] - ids.shape[1]
            out[f"{kind}_{label}_tokens_per_s"] = new / elapsed
            out[f"{kind}_{label}_first_token_s"] = clock.times[1] - clock.start  # [0]: the prompt

    net = PeftModel.from_pretrained(base, str(model / "adapter")).eval()
    measure(net, "adapter")
    if full:
        measure(net.merge_and_unload().eval(), "merged")
    out["peak_rss_mb"] = peak_rss_mb()
    return out


# ---- classification ---------------------------------------------------------------------------
def _texts(rows: int) -> list[str]:
    return [" ".join(words(20, 100 + i)) for i in range(rows)]


def classify_studio(model: Path, rows: int) -> dict:
    from studio.core.inference import InferenceSession

    session = InferenceSession(model, task="seq_cls", device="cpu")
    session.load()
    texts = _texts(rows)
    for text in texts[:2]:   # warm-up: the first calls pay one-off costs
        session.classify(text)
    start = time.perf_counter()
    for text in texts:
        session.classify(text)
    return {"rows_per_s": rows / (time.perf_counter() - start), "peak_rss_mb": peak_rss_mb()}


def classify_pytorch(model: Path, rows: int) -> dict:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(model))
    net = AutoModelForSequenceClassification.from_pretrained(str(model)).eval()

    def one(text: str) -> None:
        ids = torch.tensor([tokenizer(text)["input_ids"]])
        with torch.no_grad():
            torch.softmax(net(input_ids=ids, attention_mask=torch.ones_like(ids)).logits[0],
                          -1).numpy().tolist()

    texts = _texts(rows)
    for text in texts[:2]:   # warm-up
        one(text)
    start = time.perf_counter()
    for text in texts:
        one(text)
    return {"rows_per_s": rows / (time.perf_counter() - start), "peak_rss_mb": peak_rss_mb()}


# ---- batched evaluation -------------------------------------------------------------------------
def _eval_files(tmp: Path, rows: int, labels: list[str]) -> tuple[Path, Path]:
    """A classification CSV and an instruction JSONL, ``rows`` rows each."""
    texts = _texts(rows)
    cls = tmp / "cls.csv"
    cls.write_text("text,label\n" + "".join(f"{t},{labels[i % len(labels)]}\n"
                                             for i, t in enumerate(texts)))
    gen = tmp / "gen.jsonl"
    gen.write_text("".join(json.dumps({"instruction": t, "output": "ok"}) + "\n"
                           for t in texts))
    return cls, gen


def eval_studio(cls_model: Path, model: Path, work: dict) -> dict:
    from studio.core import evaluate as ev
    from studio.core.inference import GenerationSettings, InferenceSession, resolve_adapter

    cls_rows, cls_batch = work["cls"]
    gen_rows, gen_batch, new_tokens = work["gen"]
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-eval-") as tmp:
        session = InferenceSession(cls_model, task="seq_cls", device="cpu")
        session.load()
        cls_file, _ = _eval_files(Path(tmp), cls_rows, session.label_names)
        held = ev.read_heldout(cls_file, "seq_cls", labels=session.label_names)
        ev.evaluate(session, held, batch_size=cls_batch)   # warm-up: one-off costs
        done = ev.evaluate(session, held, batch_size=cls_batch)
        out["classify_rows_per_s"] = cls_rows / done.seconds
        del session
        session = InferenceSession(model, task="causal_lm", device="cpu")
        session.load()
        session.add_adapter("bench", resolve_adapter(model / "adapter"))
        _, gen_file = _eval_files(Path(tmp), gen_rows, ["x"])
        held = ev.read_heldout(gen_file, "causal_lm")
        settings = GenerationSettings(greedy=True, max_new_tokens=new_tokens)
        ev.evaluate(session, ev.read_heldout(gen_file, "causal_lm", max_samples=gen_batch),
                    "bench", GenerationSettings(greedy=True, max_new_tokens=2), gen_batch)
        done = ev.evaluate(session, held, "bench", settings, gen_batch)
        out["generate_tokens_per_s"] = done.generated_tokens / done.seconds
        out["generate_rows_per_s"] = gen_rows / done.seconds
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def eval_pytorch(cls_model: Path, model: Path, work: dict) -> dict:
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoModelForSequenceClassification, AutoTokenizer

    from studio.core.data.templates import render_prompt

    cls_rows, cls_batch = work["cls"]
    gen_rows, gen_batch, new_tokens = work["gen"]
    out: dict[str, float] = {}
    tokenizer = AutoTokenizer.from_pretrained(str(cls_model))
    net = AutoModelForSequenceClassification.from_pretrained(str(cls_model)).eval()
    texts = _texts(cls_rows)

    def classify(rows: list[str]) -> None:
        for i in range(0, len(rows), cls_batch):
            batch = tokenizer(rows[i:i + cls_batch], padding=True, return_tensors="pt",
                              return_token_type_ids=False)
            with torch.no_grad():
                torch.softmax(net(**batch).logits, -1).numpy()

    classify(texts)   # warm-up
    start = time.perf_counter()
    classify(texts)
    out["classify_rows_per_s"] = cls_rows / (time.perf_counter() - start)
    tokenizer = AutoTokenizer.from_pretrained(str(model))
    tokenizer.padding_side = "left"
    base = AutoModelForCausalLM.from_pretrained(str(model)).eval()
    lora = PeftModel.from_pretrained(base, str(model / "adapter")).eval()
    prompts = [render_prompt(t) for t in _texts(gen_rows)]

    def generate(rows: list[str], n: int) -> int:
        made = 0
        for i in range(0, len(rows), gen_batch):
            batch = tokenizer(rows[i:i + gen_batch], padding=True, return_tensors="pt",
                              return_token_type_ids=False)
            with torch.no_grad():
                result = lora.generate(**batch, max_new_tokens=n, do_sample=False,
                                       pad_token_id=tokenizer.pad_token_id)
            made += int((result[:, batch["input_ids"].shape[1]:]
                         != tokenizer.pad_token_id).sum())
        return made

    generate(prompts[:gen_batch], 2)   # warm-up
    start = time.perf_counter()
    made = generate(prompts, new_tokens)
    elapsed = time.perf_counter() - start
    out["generate_tokens_per_s"] = made / elapsed
    out["generate_rows_per_s"] = gen_rows / elapsed
    out["peak_rss_mb"] = peak_rss_mb()
    return out


# ---- the window -------------------------------------------------------------------------------
def startup() -> dict:
    """One round of bench/startup.py: a fresh process opens the window."""
    from bench import startup as window

    r = window.one_round(probe=True)
    return {"first_paint_s": r["since_spawn"], "heavy_imports": len(r["heavy"])}


FAKE_CHILD = """
import json, sys, time
def emit(event, **f):
    print(json.dumps({"event": event, "time": time.time(), **f}), flush=True)
seconds, total = float(sys.argv[1]), int(float(sys.argv[1]) * 100)
emit("run_started", run_id="bench", name="bench", output_dir="", total_steps=total,
     start_step=0, epochs=1, steps_per_epoch=total, trainable_params=1, total_params=2,
     device="CPU", method="lora", task="causal_lm", train_examples=8, eval_examples=0)
for step in range(1, total + 1):
    emit("step", step=step, total_steps=total, epoch=step / total, loss=1 / step, lr=1e-3,
         grad_norm=1.0, tokens_per_second=600.0, elapsed=step * 0.01, eta=(total - step) * 0.01)
    if step % 10 == 0:
        emit("log", level="info", message=f"step {step}")
    time.sleep(0.01)
emit("finished", status="completed", step=total, output_dir="", metrics={}, run_id="bench")
"""


def gui_lag(seconds: float) -> dict:
    """The main window's event loop while a TrainingWorker streams ~100 events/s from a fake
    child into the Train page: how late a 10 ms QTimer tick fires (max and p95, ms)."""
    from PySide6.QtCore import Qt, QTimer

    from studio.app import setup_application
    from studio.ui.mainwindow import MainWindow
    from workers.training import TrainingWorker

    app = setup_application(["peft-studio"])
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        script = Path(tmp) / "fake_child.py"
        script.write_text(FAKE_CHILD)
        window = MainWindow(probe_devices=False, worker_factory=lambda parent: TrainingWorker(
            parent, command_prefix=[sys.executable, str(script), str(seconds)]))
        window.show()
        worker = window._ensure_worker()
        lags: list[float] = []
        last = [0.0]

        def tick() -> None:
            now = time.perf_counter()
            if last[0]:
                lags.append((now - last[0]) * 1000 - 10)
            last[0] = now

        timer = QTimer()
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.setInterval(10)
        timer.timeout.connect(tick)
        events = [0]

        def on_event(ev: dict) -> None:   # ticks count from the first event to the last
            events[0] += 1
            if ev.get("event") == "run_started":
                timer.start()
            elif ev.get("event") == "finished":
                timer.stop()

        worker.sig_event.connect(on_event)
        worker.sig_finished.connect(lambda _: QTimer.singleShot(100, app.quit))
        QTimer.singleShot(int(seconds * 1000) + 60000, app.quit)   # never hang
        worker.start_run("bench")
        window.train_page.set_running(True)
        app.exec()
        timer.stop()
        window.close()
    lags.sort()
    return {"lag_max_ms": max(lags), "lag_p95_ms": lags[int(0.95 * (len(lags) - 1))],
            "ticks": len(lags), "events": events[0]}


# ---- entry ------------------------------------------------------------------------------------
def run(name: str, backend: str, models: Path, quick: bool, spawned: float) -> dict:
    if name == "startup":
        return startup()
    if name == "gui_lag":
        return gui_lag(LAG_QUICK if quick else LAG_SECONDS)
    kind, *parts = name.split("_")
    family, size = parts[-2], parts[-1]
    folder = models / f"{family}-{size}{'-cls' if family in CLASSIFIERS else ''}"
    if kind == "ipc":   # the window's side: the stack stays in the inference child
        from bench import ipc

        return ipc.measure(folder, **(ipc.QUICK if quick else {}))
    studio = backend == "studio"
    from studio.core import runtime

    if studio:
        runtime.bootstrap()
    else:   # the real PyTorch is the stack here: the studio's code must not import mindnlp
        import torch

        assert "mindtorch" not in torch.__file__
        runtime._done = True
    if kind == "train":
        work = TRAIN_QUICK if quick else TRAIN[size]
        fn = train_studio if studio else train_pytorch
        return {**fn(folder, family, parts[0], work, spawned), **work}
    if kind == "generate":
        n = NEW_TOKENS_QUICK if quick else NEW_TOKENS[size]
        fn = generate_studio if studio else generate_pytorch
        return {**fn(folder, n, full=size != "0.5b"), "new_tokens": n}
    if kind == "classify":
        rows = ROWS_QUICK if quick else ROWS[size]
        fn = classify_studio if studio else classify_pytorch
        return {**fn(models / f"{family}-{size}-cls", rows), "rows": rows}
    if kind == "eval":
        work = {"cls": EVAL_CLS_QUICK if quick else EVAL_CLS[size],
                "gen": EVAL_GEN_QUICK if quick else EVAL_GEN[size]}
        fn = eval_studio if studio else eval_pytorch
        return {**fn(models / f"{family}-{size}-cls", folder, work),
                "rows": work["cls"][0] + work["gen"][0], "new_tokens": work["gen"][2]}
    raise SystemExit(f"unknown workload {name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="one benchmark workload")
    parser.add_argument("name")
    parser.add_argument("--backend", choices=("studio", "pytorch"), default="studio")
    parser.add_argument("--models", type=Path, required=True)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--spawned", type=float, default=None, help="parent's time.time()")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON line")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.backend == "studio":
        from studio.core.runtime import quiet_environment

        quiet_environment()
    result = run(args.name, args.backend, args.models, args.quick, args.spawned or time.time())
    if args.backend == "pytorch" and "mindnlp" in sys.modules:
        raise SystemExit("the PyTorch workload imported mindnlp")
    line = json.dumps({"workload": args.name, "backend": args.backend, "metrics": result})
    print(line if args.json else json.dumps(json.loads(line), indent=2), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
