"""The Runs page's Evaluations tab against a real store: the comparison of two runs and the
base on one file (sortable by any metric), per-class metrics and the confusion heat map, the
predictions wrong first and filterable, CSV export, and the Evaluate flow through the dialog
with a fake ``peft-studio eval`` child that records an evaluation like the real one."""

from __future__ import annotations

import csv
import json
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from studio.core.config import RunConfig
from studio.core.evaluate import metrics, predictions
from studio.core.evaluate.runner import Prediction
from studio.core.store import RunStore
from studio.ui.common import dialogs
from studio.ui.runs.evaldialog import EvalRequest
from studio.ui.runs.page import RunsPage

LABELS = ["negative", "neutral", "positive"]
REFS = ["positive", "negative", "neutral", "positive", "negative", "neutral"]


def _evaluate(store: RunStore, folder: Path, target: str, preds: list[str],
              run_id: str | None) -> None:
    rows = [Prediction(i + 1, f"sentence {i} about {r}", r, p, 0.9 if p == r else 0.2, p == r)
            for i, (r, p) in enumerate(zip(REFS, preds))]
    path = predictions.write(folder / f"{target}.jsonl", rows)
    store.add_evaluation(target=target, kind="classify", data_path="/data/test.csv",
                         data_sha256="sha-test", rows=len(rows), run_id=run_id,
                         metrics=metrics.classification(REFS, preds, LABELS),
                         predictions_path=path, base_model="/models/bert")


@pytest.fixture
def runs(tmp_path):
    made = {}
    with RunStore() as store:
        for name in ("lora", "ia3"):
            out = tmp_path / name
            out.mkdir()
            run = store.create_run(RunConfig(model="/models/bert", task="seq_cls").to_dict(),
                                   name=name, output_dir=out)
            store.set_status(run.id, "completed")
            store.add_checkpoint(run.id, 5, str(out / "checkpoints" / "step-000005"))
            made[name] = run
        _evaluate(store, tmp_path, "lora", [*REFS[:5], "positive"], made["lora"].id)
        _evaluate(store, tmp_path, "ia3", ["positive", "negative", "negative", "neutral",
                                           "negative", "neutral"], made["ia3"].id)
        _evaluate(store, tmp_path, "base", ["neutral"] * 6, None)
    return made


@pytest.fixture(autouse=True)
def errors(monkeypatch):
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "show_error",
                        lambda parent, title, message, details=None, modal=True:
                        shown.append((title, message)))
    return shown


@pytest.fixture
def page(qtbot, runs):
    widget = RunsPage()
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    with qtbot.waitSignal(widget.sig_runs_loaded, timeout=10_000):
        widget.show()
    yield widget
    widget.evaluations.shutdown()
    QThreadPool.globalInstance().waitForDone(10_000)
    QApplication.processEvents()


def _select(qtbot, page: RunsPage, *ids: str) -> None:
    page.select_run(ids[0])
    for run_id in ids[1:]:
        index = page.proxy.mapFromSource(page.model.index(page.model.row_of(run_id), 0))
        page.view.selectionModel().select(index, page.view.selectionModel().SelectionFlag.Select
                                          | page.view.selectionModel().SelectionFlag.Rows)


def _column(view, name: str) -> list[str]:
    model = view.evaluations.comparison_proxy
    col = next(c for c in range(model.columnCount())
               if model.headerData(c, Qt.Orientation.Horizontal) == name)
    return [model.index(r, col).data() for r in range(model.rowCount())]


def test_comparison_metrics_confusion_and_predictions(qtbot, page, runs, errors, tmp_path):
    view = page.evaluations
    page.bottom_tabs.setCurrentIndex(page.evaluations_index)
    _select(qtbot, page, runs["lora"].id, runs["ia3"].id)
    # both runs' evaluations and the base's on the same file
    qtbot.waitUntil(lambda: view.comparison.rowCount() == 3, timeout=10_000)
    view.comparison_view.sortByColumn(4, Qt.SortOrder.DescendingOrder)   # accuracy
    assert _column(page, "Target") == ["lora", "ia3", "base"]
    assert _column(page, "accuracy") == ["0.8333", "0.6667", "0.3333"]
    view.comparison_view.sortByColumn(
        view.comparison.FIXED + view.comparison.metric_columns().index("macro_f1"),
        Qt.SortOrder.AscendingOrder)
    assert _column(page, "Target")[0] == "base"
    # the chosen one: ia3 (row 1 by ascending macro F1: base, ia3, lora)
    view.comparison_view.selectRow(1)
    record = view.current_evaluation()
    assert record.target == "ia3"
    assert view.confusion.labels() == LABELS
    assert view.confusion.matrix().tolist() == record.metrics["confusion"]["matrix"]
    assert view.confusion.cell_texts()[:3] == ["2", "0", "0"]
    assert view.per_class.rows()[0][0] == "negative"
    qtbot.waitUntil(lambda: view.predictions.rowCount() == 6, timeout=10_000)
    proxy = view.predictions_proxy
    shown = [proxy.index(r, 5).data() for r in range(proxy.rowCount())]
    assert shown == ["no", "no", "yes", "yes", "yes", "yes"]            # wrong ones first
    assert "2 wrong" in view.predictions_label.text()
    view.wrong_check.setChecked(True)
    assert proxy.rowCount() == 2
    view.wrong_check.setChecked(False)
    view.filter_edit.setText("sentence 3")
    assert proxy.rowCount() == 1 and proxy.index(0, 1).data() == "sentence 3 about positive"
    # export the comparison as CSV
    target = tmp_path / "comparison.csv"
    with qtbot.waitSignal(view.sig_message, timeout=10_000):
        view.export_comparison(str(target))
    with target.open(encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert [r["Target"] for r in table] == ["base", "ia3", "lora"]
    assert table[2]["accuracy"] == "0.8333" and table[0]["Data file"] == "/data/test.csv"
    assert errors == []


FAKE_EVAL = textwrap.dedent('''
    """A fake ``peft-studio eval``: records an evaluation in the store, as the real one."""
    import json, sys, time
    from studio.core.evaluate import predictions
    from studio.core.evaluate.runner import Prediction
    from studio.core.store import RunStore

    args = sys.argv[2:]
    run_id, data = args[0].split("@")[0], args[args.index("--data") + 1]
    with open(data + ".argv", "w") as f:
        json.dump(args, f)

    def emit(event, **fields):
        print(json.dumps({"event": event, "time": time.time(), **fields}), flush=True)

    emit("eval_started", target="fresh", rows=2, kind="classify")
    emit("eval_progress", target="fresh", done=2, total=2, elapsed_s=1.0, rows_per_s=2.0,
         tokens_per_s=None, eta_s=0.0)
    path = predictions.write(data + ".pred.jsonl",
                             [Prediction(1, "a", "x", "x", 0.9, True),
                              Prediction(2, "b", "y", "x", 0.1, False)])
    with RunStore() as store:
        record = store.add_evaluation(
            target="fresh", kind="classify", data_path=data, data_sha256="sha-new", rows=2,
            run_id=run_id, predictions_path=str(path),
            metrics={"accuracy": 0.5, "confusion": {"labels": ["x", "y"],
                                                    "matrix": [[1, 0], [1, 0]]}})
    emit("eval_finished", **record.to_dict())
''')


def test_evaluate_flow_through_the_dialog(qtbot, page, runs, tmp_path):
    script = tmp_path / "fake_eval.py"
    script.write_text(FAKE_EVAL)
    data = tmp_path / "held-out.csv"
    data.write_text("text,label\na,x\nb,y\n")
    view = page.evaluations
    view.command_prefix = [sys.executable, str(script)]
    with qtbot.waitSignal(page.sig_selection_loaded, timeout=10_000):   # its checkpoints
        _select(qtbot, page, runs["ia3"].id)
    qtbot.waitUntil(lambda: page.run_actions.evaluate.isEnabled(), timeout=10_000)
    page.run_actions.evaluate.trigger()
    assert page.bottom_tabs.currentIndex() == page.evaluations_index
    dialog = view.dialog
    assert dialog is not None and dialog.isVisible()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.file_edit.setText(str(tmp_path / "missing.csv"))
    ok.click()
    assert dialog.isVisible() and "missing.csv" in dialog.problem.text()
    dialog.file_edit.setText(str(data))
    dialog.base_check.setChecked(True)
    dialog.samples_spin.setValue(50)
    assert [dialog.result_combo.itemData(i) for i in range(dialog.result_combo.count())] \
        == [None, 5]
    dialog.result_combo.setCurrentIndex(1)   # the checkpoint at step 5
    with qtbot.waitSignal(view.sig_evaluated, timeout=30_000) as finished:
        ok.click()
        assert (view.cancel_button.isVisible()
                and not page.run_actions.evaluate.isEnabled()) or finished.signal_triggered
    assert [e["target"] for e in finished.args[0]] == ["fresh"]
    argv = json.loads(Path(str(data) + ".argv").read_text())
    assert argv[:3] == [f"{runs['ia3'].id}@5", "--data", str(data)]
    assert "--with-base" in argv and argv[argv.index("--max-samples") + 1] == "50"
    # the new evaluation is listed and chosen, its predictions shown
    qtbot.waitUntil(lambda: view.current_evaluation() is not None
                    and view.current_evaluation().target == "fresh", timeout=10_000)
    qtbot.waitUntil(lambda: view.predictions.rowCount() == 2, timeout=10_000)
    assert "Evaluated: fresh" in view.status.text() and not view.cancel_button.isVisible()
    assert view.confusion.labels() == ["x", "y"]


def test_one_data_file_is_compared_at_a_time(qtbot, page, runs, tmp_path):
    view = page.evaluations
    with RunStore() as store:
        store.add_evaluation(target="lora", kind="classify", data_path="/data/other.csv",
                             data_sha256="sha-other", rows=2, run_id=runs["lora"].id,
                             metrics={"accuracy": 1.0})
    _select(qtbot, page, runs["lora"].id)
    qtbot.waitUntil(lambda: view.file_combo.count() == 2, timeout=10_000)
    # the newest evaluation's file first: only its one row
    assert view.file_combo.currentText() == "other.csv" and view.file_combo.isEnabled()
    assert _column(page, "Target") == ["lora"] and _column(page, "accuracy") == ["1.0000"]
    view.file_combo.setCurrentIndex(view.file_combo.findText("test.csv"))
    assert sorted(_column(page, "Target")) == ["base", "ia3", "lora"]
    # a page reload with nothing new keeps what is shown
    view.comparison_view.selectRow(2)
    chosen = view.current_evaluation().id
    with qtbot.waitSignal(page.sig_runs_loaded, timeout=10_000):
        page.refresh()
    QThreadPool.globalInstance().waitForDone(10_000)
    assert view.file_combo.currentText() == "test.csv"
    assert view.current_evaluation().id == chosen


def test_item_models_pass_the_model_tester_and_order_worst_first(qtmodeltester, tmp_path):
    from studio.ui.runs.evalmodels import ComparisonModel, PredictionsModel

    with RunStore() as store:
        _evaluate(store, tmp_path, "base", ["neutral"] * 6, None)
        records = store.evaluations()
    comparison = ComparisonModel()
    comparison.set_records(records)
    qtmodeltester.check(comparison)
    rows = PredictionsModel()
    rows.set_predictions([Prediction(1, "a", "", "", 12.0, None),
                          Prediction(2, "b", "", "", 80.5, None),
                          Prediction(3, "c", "", "", 3.1, None)])
    qtmodeltester.check(rows)
    # plain text: nothing is right or wrong; the highest perplexity first
    assert [p.number for p in rows.predictions()] == [2, 1, 3]
    rows.set_predictions([Prediction(1, "a", "x", "x", 0.9, True),
                          Prediction(2, "b", "x", "y", 0.4, False),
                          Prediction(3, "c", "x", "y", 0.1, False)])
    assert [p.number for p in rows.predictions()] == [3, 2, 1]


WAITING_EVAL = textwrap.dedent('''
    """A fake ``peft-studio eval`` that reports progress, then waits to be cancelled (SIGTERM),
    as the real one stops after its current batch: exit 130, nothing recorded."""
    import json, signal, sys, time

    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))

    def emit(event, **fields):
        print(json.dumps({"event": event, "time": time.time(), **fields}), flush=True)

    emit("eval_started", target="ia3", rows=40, kind="generate")
    emit("eval_progress", target="ia3", done=8, total=40, elapsed_s=2.0, rows_per_s=4.0,
         tokens_per_s=96.0, eta_s=8.0)
    while not stop:
        time.sleep(0.02)
    emit("eval_cancelled", target="ia3")
    sys.exit(130)
''')


def test_progress_shows_rows_tokens_and_eta_and_cancel_records_nothing(qtbot, page, runs,
                                                                         tmp_path):
    script = tmp_path / "waiting_eval.py"
    script.write_text(WAITING_EVAL)
    data = tmp_path / "held-out.jsonl"
    data.write_text('{"instruction": "a", "output": "b"}\n')
    view = page.evaluations
    view.command_prefix = [sys.executable, str(script)]
    with RunStore() as store:
        before = len(store.evaluations())
    page.bottom_tabs.setCurrentIndex(page.evaluations_index)
    _select(qtbot, page, runs["ia3"].id)
    qtbot.waitUntil(lambda: view.evaluate_button.isEnabled(), timeout=10_000)
    view.start_evaluation(runs["ia3"].id, EvalRequest(data=str(data), with_base=False,
                                                      max_samples=None, batch_size=8,
                                                      max_new_tokens=64))
    qtbot.waitUntil(lambda: view.progress.value() == 8, timeout=30_000)
    assert view.progress.maximum() == 40 and view.cancel_button.isVisible()
    assert not view.evaluate_button.isEnabled()   # one evaluation at a time
    text = view.status.text()
    assert "8/40 rows" in text and "4.0 rows/s" in text and "96 tokens/s" in text \
        and "8 s left" in text
    with qtbot.waitSignal(view.sig_running, timeout=30_000) as ended:
        view.cancel_button.click()
    assert ended.args == [False]
    assert view.status.text() == "Cancelled; nothing was recorded."
    assert not view.cancel_button.isVisible() and view.evaluate_button.isEnabled()
    with RunStore() as store:
        assert len(store.evaluations()) == before
