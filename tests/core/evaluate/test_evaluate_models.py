"""Evaluation on trained tiny models: a classifier (LoRA on BERT) and a chat generator (LoRA
on Llama), in process and through ``peft-studio eval``; batched results equal one-at-a-time
results (greedy); the predictions file and the store record; two targets compared."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from factories import (
    train_colours,
    train_ok,
    write_chat_dataset,
    write_classification_dataset,
    write_run_file,
    write_text_dataset,
)

from studio.cli import main
from studio.core import evaluate as ev
from studio.core.evaluate import predictions
from studio.core.inference import GenerationSettings, InferenceSession, resolve_adapter
from studio.core.store import RunStore

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return tmp_path_factory.mktemp("eval-home")


@pytest.fixture()
def in_home(home, monkeypatch):
    """The module's studio home (its store holds the trained runs) for this test."""
    monkeypatch.setenv("PEFT_STUDIO_HOME", str(home))
    return home


@pytest.fixture(scope="module")
def classifier(home, tiny_models):
    root = home / "cls"
    root.mkdir()
    data = write_classification_dataset(root / "train.csv", n=60)
    run_file = write_run_file(root / "run.yaml", tiny_models("bert", init_range=0.2), data,
                              training={"epochs": 8, "learning_rate": 3e-2},
                              output_dir=str(root / "out"), name="sentiment")
    with RunStore(home / "data" / "runs.sqlite") as store:
        train_ok(run_file, store)
    test = write_classification_dataset(root / "test.csv", n=15)
    source = resolve_adapter(str(root / "out"))
    session = InferenceSession(source.base_model, task="seq_cls",
                               label_names=list(source.label_names))
    session.load()
    session.add_adapter("sentiment", source)
    return {"session": session, "source": source, "test": test}


@pytest.fixture(scope="module")
def generator(home, tiny_models):
    (home / "chat").mkdir()
    made = train_colours(home / "chat", tiny_models("llama", init_range=0.2))
    target = home / "data" / "runs.sqlite"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(made["store"], target)
    else:  # the classifier's store is there: add the run to it
        with RunStore(made["store"]) as other, RunStore(target) as store:
            run = other.list_runs()[0]
            store.create_run(run.config, name=run.name, output_dir=run.output_dir,
                             status="completed", run_id=run.id)
    source = resolve_adapter(str(made["out"]))
    session = InferenceSession(made["model"])
    session.load()
    session.add_adapter("colours", source)
    test = write_chat_dataset(home / "chat-test.jsonl", n=6)
    return {**made, "session": session, "source": source, "test": test}


def test_classifier_batched_equals_one_at_a_time(classifier):
    session, source = classifier["session"], classifier["source"]
    held = ev.read_heldout(classifier["test"], "seq_cls", ev.training_settings(source),
                           list(source.label_names))
    assert held.kind == "classify" and len(held.rows) == 15
    steps: list[ev.Progress] = []
    batched = ev.evaluate(session, held, "sentiment", batch_size=4, progress=steps.append)
    single = ev.evaluate(session, held, "sentiment", batch_size=1)
    assert [p.prediction for p in batched.predictions] == \
        [p.prediction for p in single.predictions]
    assert np.allclose([p.score for p in batched.predictions],
                       [p.score for p in single.predictions], atol=1e-5)
    # the Playground's one-row classify agrees
    for row, prediction in zip(held.rows, batched.predictions):
        ranked = session.classify(row.input, adapter="sentiment")
        assert ranked[0][0] == prediction.prediction
        assert dict(ranked)[row.reference] == pytest.approx(prediction.score, abs=1e-5)
    metrics = batched.metrics
    assert metrics["accuracy"] == pytest.approx(
        np.mean([p.correct for p in batched.predictions]))
    assert metrics["accuracy"] >= 0.8                    # the cue words were learned
    assert sum(map(sum, metrics["confusion"]["matrix"])) == 15
    assert [s.done for s in steps] == [4, 8, 12, 15] and steps[-1].eta_s == 0
    assert all(s.rows_per_s > 0 and s.tokens_per_s is None for s in steps)


def test_generator_batched_equals_one_at_a_time(generator):
    session, source = generator["session"], generator["source"]
    held = ev.read_heldout(generator["test"], "causal_lm", ev.training_settings(source))
    assert held.kind == "generate" and held.rows[0].reference == "blue"
    settings = GenerationSettings(greedy=True, max_new_tokens=4)
    batched = ev.evaluate(session, held, "colours", settings, batch_size=3)
    single = ev.evaluate(session, held, "colours", settings, batch_size=1)
    texts = [p.prediction for p in batched.predictions]
    assert texts == [p.prediction for p in single.predictions]
    for row, text in zip(held.rows, texts):   # the Playground's streaming answer agrees
        answer = session.stream_chat([{"role": "user", "content": row.input}], settings,
                                     adapter="colours").read()
        assert answer.strip() == text
    assert batched.metrics["exact_match"] == pytest.approx(
        np.mean([p.correct for p in batched.predictions]))
    assert all(t.startswith(r.reference) for t, r in zip(texts, held.rows))
    assert batched.generated_tokens == 6 * 4 and batched.metrics["exact_match"] == 0.0
    # the tiny model never learned to stop: one token is exactly the colour
    one = ev.evaluate(session, held, "colours", GenerationSettings(greedy=True,
                                                                   max_new_tokens=1), 4)
    assert one.metrics["exact_match"] == 1.0 and one.metrics["chrf"] == pytest.approx(100.0)
    assert one.metrics["rouge_l"] == 1.0 and one.generated_tokens == 6


def test_cancel_stops_between_batches(classifier):
    import threading

    session, source = classifier["session"], classifier["source"]
    held = ev.read_heldout(classifier["test"], "seq_cls", ev.training_settings(source),
                           list(source.label_names))
    stop = threading.Event()
    seen: list[int] = []

    def progress(step: ev.Progress) -> None:
        seen.append(step.done)
        stop.set()

    with pytest.raises(ev.Cancelled):
        ev.evaluate(session, held, "sentiment", batch_size=5, progress=progress, stop=stop)
    assert seen == [5]


def test_cli_compares_a_run_and_the_base_and_records_both(generator, in_home, capsys):
    out = in_home / "preds.csv"
    code = main(["eval", "colours", "--data", str(generator["test"]), "--with-base",
                 "--max-new-tokens", "1", "--batch-size", "4", "--out", str(out), "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    result = json.loads(captured.out)
    assert result["data_sha256"] == ev.file_sha256(generator["test"])
    by_target = {e["target"]: e for e in result["evaluations"]}
    assert set(by_target) == {"base", "colours"}
    assert by_target["colours"]["metrics"]["exact_match"] == 1.0
    assert by_target["base"]["metrics"]["exact_match"] < 1.0
    # one predictions file per target, CSV, one row per example
    path = Path(by_target["colours"]["predictions_path"])
    assert path == in_home / "preds-colours.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["reference"] for r in rows] == ["blue", "red"] * 3
    assert all(r["prediction"] == r["reference"] and r["correct"] == "True" for r in rows)
    assert [p.prediction for p in predictions.read(path)] == [r["prediction"] for r in rows]
    # the store: both evaluations on the same file, found by its content hash
    with RunStore() as store:
        found = store.evaluations(data_sha256=result["data_sha256"])
        run = store.find_run("colours")
    assert {e.target for e in found} == {"base", "colours"}
    ours = next(e for e in found if e.target == "colours")
    assert ours.run_id == run.id and ours.adapter_path == str(generator["out"])
    assert ours.kind == "generate" and ours.rows == 6 and ours.task == "causal_lm"
    assert ours.settings["batch_size"] == 4 and ours.settings["greedy"] is True
    assert ours.predictions_path == str(path) and ours.metrics["exact_match"] == 1.0
    assert next(e for e in found if e.target == "base").run_id is None


def test_cli_adapter_folder_target_extra_adapter_and_sampling(generator, in_home, capsys):
    """TARGET as an adapter folder, --adapter for a second target on the same base, and
    --sample: the settings are recorded and a seed makes the sampled answers repeat."""
    args = ["eval", str(generator["out"]), "--data", str(generator["test"]), "--adapter",
            "colours@latest", "--max-new-tokens", "1", "--batch-size", "4", "--json",
            "--no-record"]
    assert main(args) == 0
    found = json.loads(capsys.readouterr().out)["evaluations"]
    assert len(found) == 2 and found[0]["target"] != found[1]["target"]
    assert found[0]["adapter_path"] == str(generator["out"]) and found[0]["step"] is None
    assert found[1]["step"] is not None and "checkpoints" in found[1]["adapter_path"]
    assert found[0]["metrics"]["exact_match"] == 1.0   # as when it is named by its run
    sampled = []
    for _ in range(2):
        assert main([*args[:4], "--sample", "--temperature", "1.5", "--top-k", "0",
                     "--seed", "3", "--max-new-tokens", "3", "--json", "--no-record",
                     "--out", str(in_home / "sampled.jsonl")]) == 0
        result = json.loads(capsys.readouterr().out)["evaluations"][0]
        sampled.append([p.prediction for p in predictions.read(result["predictions_path"])])
    settings = result["settings"]
    assert settings["greedy"] is False and settings["temperature"] == 1.5
    assert settings["seed"] == 3 and settings["top_k"] == 0
    assert sampled[0] == sampled[1]


def test_cli_classifier_writes_jsonl_under_the_run_by_default(classifier, in_home, capsys):
    code = main(["eval", "sentiment", "--data", str(classifier["test"]), "--max-samples", "9",
                 "--batch-size", "4"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "accuracy" in captured.out and "macro_f1" in captured.out
    with RunStore() as store:
        record = store.evaluations(store.find_run("sentiment").id)[0]
    path = Path(record.predictions_path)
    assert path.parent == Path(classifier["source"].path) / "evaluations"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 9 == record.rows and set(rows[0]) == set(predictions.FIELDS)
    assert record.metrics["confusion"]["labels"] == list(classifier["source"].label_names)
    assert "9 rows" in captured.err or "9/9" in captured.err
    # a checkpoint: RUN@latest, recorded with its step
    assert main(["eval", "sentiment@latest", "--data", str(classifier["test"]),
                 "--max-samples", "3", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)["evaluations"][0]
    assert found["step"] is not None and found["target"] == f"sentiment@{found['step']}"
    assert "checkpoints" in found["adapter_path"] and found["rows"] == 3


def test_cli_perplexity_of_a_base_model_matches_the_training_loss(tiny_models, tmp_path,
                                                                  capsys):
    from studio.core.data import Encoder, collate
    from studio.core.evaluation import evaluate as training_eval

    base = tiny_models("llama", init_range=0.2)
    text = write_text_dataset(tmp_path / "text.txt", n=5)
    code = main(["eval", str(base), "--data", str(text), "--json", "--no-record",
                 "--batch-size", "2"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    found = json.loads(captured.out)["evaluations"][0]
    assert found["kind"] == "perplexity" and found["id"] is None
    session = InferenceSession(base)
    session.load()
    encoder = Encoder(session.tokenizer, 512)
    docs = [encoder.causal_text(line) for line in text.read_text().splitlines()]
    expected = training_eval(session.base, [collate(docs, session.tokenizer.pad_token_id,
                                                    "causal_lm")], "causal_lm")
    assert found["metrics"]["loss"] == pytest.approx(expected["eval_loss"], rel=1e-4)
    assert found["metrics"]["perplexity"] == pytest.approx(expected["perplexity"], rel=1e-4)


def test_cli_refuses_bad_input_clearly(classifier, in_home, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("text,label\nprofit rose,positive\nwhat,unheard\n")
    assert main(["eval", "sentiment", "--data", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "unheard" in err and "Traceback" not in err
    assert main(["eval", "sentiment", "--data", str(classifier["test"]),
                 "--out", str(tmp_path / "p.txt")]) == 2
    assert ".jsonl or .csv" in capsys.readouterr().err
    assert main(["eval", "no-such-run", "--data", str(classifier["test"])]) == 2


def test_seq2seq_label_words_are_read_as_labels(tiny_models, tmp_path):
    """The MindNLP Financial PhraseBank setup: T5 trained to answer the label word."""
    data = write_classification_dataset(tmp_path / "train.csv", n=30)
    run_file = write_run_file(tmp_path / "run.yaml", tiny_models("t5"), data,
                              training={"epochs": 2}, task="seq2seq",
                              output_dir=str(tmp_path / "out"))
    with RunStore(tmp_path / "store.sqlite") as store:
        train_ok(run_file, store)
    source = resolve_adapter(str(tmp_path / "out"))
    assert source.task == "seq2seq" and source.data_format == "classification"
    session = InferenceSession(source.base_model, task="seq2seq")
    session.load()
    session.add_adapter("words", source)
    held = ev.read_heldout(write_classification_dataset(tmp_path / "test.csv", n=9), "seq2seq",
                           ev.training_settings(source), list(source.label_names))
    assert held.kind == "label_words"
    settings = GenerationSettings(greedy=True, max_new_tokens=3)
    batched = ev.evaluate(session, held, "words", settings, batch_size=4)
    single = ev.evaluate(session, held, "words", settings, batch_size=1)
    texts = [p.prediction for p in batched.predictions]
    assert texts == [p.prediction for p in single.predictions]
    for row, text in zip(held.rows, texts):   # the Playground's seq2seq answer agrees
        assert session.generate_text(row.input, settings, adapter="words").strip() == text
    found = batched.metrics
    hits = [t.strip().casefold() == r.reference for t, r in zip(texts, held.rows)]
    assert found["label_accuracy"] == pytest.approx(sum(hits) / 9)
    assert found["confusion"]["labels"][:3] == list(source.label_names)
    assert sum(map(sum, found["confusion"]["matrix"])) == 9
    assert {"exact_match", "rouge_l", "bleu", "chrf"} <= set(found)


@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
def test_sigterm_cancels_the_cli_after_its_batch_and_records_nothing(generator, in_home):
    """What the window's Cancel does: SIGTERM, the child stops after the current batch."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               PEFT_STUDIO_HOME=str(in_home))
    proc = subprocess.Popen(
        [sys.executable, "-m", "studio", "eval", "colours", "--data", str(generator["test"]),
         "--batch-size", "1", "--max-new-tokens", "48", "--events", "json",
         "--out", str(in_home / "cancelled.jsonl")],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    events = []
    assert proc.stdout is not None
    for line in proc.stdout:
        events.append(json.loads(line))
        if events[-1]["event"] == "eval_progress":
            proc.send_signal(signal.SIGTERM)
            break
    rest = [json.loads(line) for line in proc.stdout]
    assert proc.wait(timeout=120) == 130, proc.stderr.read() if proc.stderr else ""
    kinds = [e["event"] for e in events + rest]
    assert kinds[0] == "eval_started" and kinds[-1] == "eval_cancelled"
    assert "eval_finished" not in kinds
    assert not (in_home / "cancelled.jsonl").exists()
    with RunStore() as store:
        assert not [e for e in store.evaluations() if "cancelled" in (e.predictions_path or "")]


def test_a_full_fine_tune_is_evaluated_as_its_run(home, in_home, tiny_models, capsys):
    root = home / "full"
    root.mkdir()
    data = write_classification_dataset(root / "train.csv", n=24)
    run_file = write_run_file(root / "run.yaml", tiny_models("bert", init_range=0.2), data,
                              method="full", training={"epochs": 1},
                              output_dir=str(root / "out"), name="whole")
    with RunStore() as store:
        train_ok(run_file, store)
    test = write_classification_dataset(root / "test.csv", n=6)
    assert main(["eval", "whole", "--data", str(test), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)["evaluations"]
    assert [e["target"] for e in found] == ["whole"]
    with RunStore() as store:
        run = store.find_run("whole")
    assert found[0]["run_id"] == run.id and found[0]["kind"] == "classify"
    assert Path(found[0]["predictions_path"]).parent == root / "out" / "evaluations"


def test_a_decoder_only_classifier_batched_equals_one_at_a_time(tiny_models, tmp_path):
    """Llama as a classifier: rows of different lengths in one batch are padded (and pooled
    at their last real token); each row's probabilities equal those it gets alone."""
    session = InferenceSession(tiny_models("llama", task="seq_cls", num_labels=3,
                                           init_range=0.2), task="seq_cls",
                               label_names=["negative", "neutral", "positive"])
    session.load()
    held = ev.read_heldout(write_classification_dataset(tmp_path / "test.csv", n=10),
                           "seq_cls", labels=session.label_names)
    lengths = {len(session.tokenizer(r.input)["input_ids"]) for r in held.rows}
    assert len(lengths) > 1   # padding really happens
    batched = ev.evaluate(session, held, batch_size=4)
    single = ev.evaluate(session, held, batch_size=1)
    assert [p.prediction for p in batched.predictions] == \
        [p.prediction for p in single.predictions]
    np.testing.assert_allclose([p.score for p in batched.predictions],
                               [p.score for p in single.predictions], rtol=1e-4, atol=1e-6)
    assert batched.metrics == single.metrics
