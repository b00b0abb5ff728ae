"""The Runs page against a real (tmp) run store: table model, sorting and filtering, curve
overlay, details tabs, rename/delete/resume/export/open folder, polling, empty state."""

from __future__ import annotations

import math
import os
import shutil
import time
from pathlib import Path

import pytest
import yaml
from PySide6.QtCore import QPersistentModelIndex, Qt, QThreadPool
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QApplication

from studio.core import config as run_config
from studio.core import ownership
from studio.core.config import DatasetConfig, MethodConfig, RunConfig
from studio.core.store import RunStore
from studio.ui.common import dialogs
from studio.ui.runs import actions as actions_module
from studio.ui.runs import dialogs as run_dialogs
from studio.ui.runs.jobs import DeletePlan, plan_delete
from studio.ui.runs.model import Column, RunsFilterProxy, RunsTableModel
from studio.ui.runs.page import RunsPage

QWEN = "/models/Qwen2-0.5B"
BERT = "/models/tiny-bert"
T0 = 1_767_000_000.0


def _config(name: str, model: str, method: str, task: str, out: Path) -> dict:
    params = {"r": 8, "lora_alpha": 16} if method == "lora" else {}
    return RunConfig(model=model, name=name, task=task, output_dir=str(out),
                     method=MethodConfig(method, params),
                     dataset=DatasetConfig(path="/data/train.jsonl")).to_dict()


def _loss(n: int, start: float = 2.5, scale: float = 1.0) -> list[float]:
    return [start * scale * math.exp(-i / (n / 2)) + 0.05 * math.sin(i) for i in range(n)]


@pytest.fixture
def runs(tmp_path):
    """Four runs: completed (lora, qwen), failed (ia3, bert), stopped (prefix, qwen) and one
    still running (lora, bert, this process as its pid)."""
    made = {}
    with RunStore() as store:
        specs = [("qwen-lora", QWEN, "lora", "causal_lm", "completed", 40),
                 ("bert-ia3", BERT, "ia3", "seq_cls", "failed", 16),
                 ("qwen-prefix", QWEN, "prefix_tuning", "causal_lm", "stopped", 24),
                 ("bert-live", BERT, "lora", "seq_cls", "running", 8)]
        for i, (name, model, method, task, status, steps) in enumerate(specs):
            out = tmp_path / "outputs" / name
            (out / "checkpoint-1").mkdir(parents=True)
            (out / "adapter_model.safetensors").write_bytes(b"x" * 2048)
            run = store.create_run(_config(name, model, method, task, out), output_dir=out,
                                   status="running" if status == "running" else "pending")
            ownership.mark(out, ownership.RUN, run_id=run.id)     # as `train` does
            loss = _loss(steps, scale=1 + i / 3)
            points = [(s + 1, "train", "loss", v) for s, v in enumerate(loss)]
            points += [(s + 1, "train", "lr", 1e-3 * (1 - s / steps)) for s in range(steps)]
            for e in range(4, steps + 1, 4):
                points.append((e, "eval", "eval_loss", loss[e - 1] + 0.2))
                if task == "causal_lm":
                    points.append((e, "eval", "perplexity", math.exp(loss[e - 1] + 0.2)))
                else:
                    points.append((e, "eval", "accuracy", 0.5 + e / (3 * steps)))
            store.add_metrics(run.id, points)
            store.add_checkpoint(run.id, steps // 2, str(out / f"checkpoint-{steps // 2}"))
            final = {"eval_loss": loss[-1] + 0.2}
            if task == "seq_cls":
                final["accuracy"] = 0.5 + 1 / 3
            store.update_run(run.id, created_at=T0 + i * 3600, total_steps=steps,
                             last_step=steps if status == "completed" else steps // 2,
                             final_metrics=final if status in ("completed", "stopped") else None,
                             pid=os.getpid() if status == "running" else None,
                             trainable_params=540_672, total_params=494_573_440)
            if status == "failed":
                store.set_status(run.id, "failed",
                                 error="out of memory at step 8\nTraceback (most recent call "
                                       "last):\n  File \"engine.py\", line 1\nMemoryError")
            elif status != "running":
                store.set_status(run.id, status)
            started = T0 + i * 3600 + 5 if status != "running" else time.time() - 8 * 60
            store.update_run(run.id, started_at=started,
                             finished_at=None if status == "running" else started + 60 * steps)
            made[name] = store.get_run(run.id)
        store.add_export(made["qwen-lora"].id, "merged", "/exports/qwen-lora-merged",
                         dtype="float16", size_bytes=3 * 1024 ** 2, verified=True)
    return made


@pytest.fixture(autouse=True)
def errors(monkeypatch):
    """Error dialogs are recorded instead of shown (a modal dialog would block the test)."""
    shown: list[tuple[str, str]] = []

    def fake_show_error(parent, title, message, details=None, modal=True):
        shown.append((title, message))

    monkeypatch.setattr(dialogs, "show_error", fake_show_error)
    return shown


@pytest.fixture
def page(qtbot):
    widget = RunsPage()
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    yield widget
    QThreadPool.globalInstance().waitForDone(10_000)
    QApplication.processEvents()


def show_loaded(qtbot, page: RunsPage) -> None:
    with qtbot.waitSignal(page.sig_runs_loaded, timeout=10_000):
        page.show()
    qtbot.waitExposed(page)


def select(qtbot, page: RunsPage, *run_ids: str) -> None:
    with qtbot.waitSignal(page.sig_selection_loaded, timeout=10_000):
        page.view.clearSelection()
        page.select_run(run_ids[0])
        for run_id in run_ids[1:]:
            index = page.proxy.mapFromSource(page.model.index(page.model.row_of(run_id), 0))
            page.view.selectionModel().select(
                index, page.view.selectionModel().SelectionFlag.Select
                | page.view.selectionModel().SelectionFlag.Rows)
    qtbot.waitUntil(lambda: not page._selection_timer.isActive(), timeout=5000)
    QThreadPool.globalInstance().waitForDone(10_000)
    qtbot.wait(50)


def column(page: RunsPage, col: Column) -> list[str]:
    return [page.proxy.index(r, col).data() for r in range(page.proxy.rowCount())]


# --- the table model ----------------------------------------------------------------------

def test_table_model_passes_qt_model_tester(qtmodeltester, runs):
    model = RunsTableModel()
    model.set_runs(list(runs.values()))
    qtmodeltester.check(model, force_py=True)
    proxy = RunsFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(Column.METRIC, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(proxy, force_py=True)


def test_table_cells(runs):
    model = RunsTableModel()
    model.set_runs([runs["qwen-lora"], runs["bert-ia3"]])
    row = model.row_of(runs["qwen-lora"].id)
    cell = {c: model.index(row, c).data() for c in Column}
    assert cell[Column.NAME] == "qwen-lora"
    assert cell[Column.STATUS] == "completed"
    assert cell[Column.MODEL] == "Qwen2-0.5B"
    assert model.index(row, Column.MODEL).data(Qt.ItemDataRole.ToolTipRole) == QWEN
    assert cell[Column.METHOD] == "lora" and cell[Column.TASK] == "causal_lm"
    assert cell[Column.STEPS] == "40 / 40"
    assert cell[Column.METRIC].startswith("eval_loss ")
    assert cell[Column.DURATION]
    assert model.index(row, Column.STATUS).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.flags(model.index(row, Column.NAME)) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(row, Column.MODEL)) & Qt.ItemFlag.ItemIsEditable


def test_set_runs_updates_in_place(runs):
    model = RunsTableModel()
    model.set_runs(list(runs.values()))
    kept = model.index(model.row_of(runs["qwen-lora"].id), 0)
    persistent = QPersistentModelIndex(kept)
    renamed = runs["qwen-lora"]
    renamed.name = "renamed"
    model.set_runs([renamed, runs["bert-ia3"]])
    assert model.rowCount() == 2
    assert persistent.isValid() and persistent.data() == "renamed"


# --- the page: list, sort, filter ---------------------------------------------------------

def test_lists_runs_newest_first_and_sorts(qtbot, page, runs):
    show_loaded(qtbot, page)
    assert page.stack.currentIndex() == 1
    assert column(page, Column.NAME) == ["bert-live", "qwen-prefix", "bert-ia3", "qwen-lora"]
    page.view.sortByColumn(Column.NAME, Qt.SortOrder.AscendingOrder)
    assert column(page, Column.NAME) == ["bert-ia3", "bert-live", "qwen-lora", "qwen-prefix"]
    page.view.sortByColumn(Column.STEPS, Qt.SortOrder.DescendingOrder)
    assert column(page, Column.STEPS)[0] == "40 / 40"
    # runs without a final metric go last, in both directions
    values = {}
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        page.view.sortByColumn(Column.METRIC, order)
        cells = column(page, Column.METRIC)
        assert cells[2:] == ["", ""] and all(c.startswith("eval_loss ") for c in cells[:2])
        values[order] = [float(c.split()[1]) for c in cells[:2]]
    assert values[Qt.SortOrder.AscendingOrder] == sorted(values[Qt.SortOrder.DescendingOrder])
    assert values[Qt.SortOrder.AscendingOrder][0] < values[Qt.SortOrder.AscendingOrder][1]
    assert "4 runs" in page.filters.count_label.text()


def test_filters(qtbot, page, runs):
    show_loaded(qtbot, page)
    bar = page.filters
    bar.status_combo.setCurrentIndex(bar.status_combo.findData("failed"))
    assert column(page, Column.NAME) == ["bert-ia3"]
    assert "1 of 4" in bar.count_label.text()
    bar.status_combo.setCurrentIndex(0)
    assert [bar.model_combo.itemText(i) for i in range(bar.model_combo.count())][1:] == [
        "Qwen2-0.5B", "tiny-bert"]
    bar.model_combo.setCurrentIndex(bar.model_combo.findData(QWEN))
    assert sorted(column(page, Column.NAME)) == ["qwen-lora", "qwen-prefix"]
    bar.method_combo.setCurrentIndex(bar.method_combo.findData("lora"))
    assert column(page, Column.NAME) == ["qwen-lora"]
    bar.clear()
    bar.search.setText("IA3")
    assert column(page, Column.NAME) == ["bert-ia3"]
    bar.search.setText(runs["qwen-prefix"].id[:17])   # id prefix (date and time)
    assert "qwen-prefix" in column(page, Column.NAME)


def test_empty_state(qtbot, page):
    show_loaded(qtbot, page)
    assert page.stack.currentIndex() == 0
    assert "No runs yet" in page.empty_label.text()
    assert "peft-studio train" in page.empty_label.text()
    page.grab().save("/tmp/shot-runs-empty.png")


def test_unreadable_store_shows_one_error(qtbot, page, errors):
    from studio import paths

    paths.store_path().parent.mkdir(parents=True, exist_ok=True)
    paths.store_path().write_bytes(b"this is not a database" * 100)
    page._poll_timer.setInterval(50)
    page.show()
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    qtbot.wait(300)   # several poll intervals: polling has stopped, no dialog storm
    QThreadPool.globalInstance().waitForDone(5000)
    assert len(errors) == 1 and errors[0][0] == "Could not read the run history"
    assert not page._poll_timer.isActive()


# --- selection: curves and details --------------------------------------------------------

def test_selection_overlays_curves(qtbot, page, runs):
    show_loaded(qtbot, page)
    select(qtbot, page, runs["qwen-lora"].id, runs["bert-ia3"].id)
    charts = page.compare
    names = sorted(["qwen-lora", "bert-ia3"])
    assert sorted(charts.train_chart.curve_names()) == names
    assert charts.train_chart.point_count("qwen-lora") == 40
    assert charts.train_chart.point_count("bert-ia3") == 16
    assert sorted(charts.eval_chart.curve_names()) == names
    assert charts.eval_chart.point_count("qwen-lora") == 10
    keys = [charts.metric_combo.itemData(i) for i in range(charts.metric_combo.count())]
    assert keys == ["eval/accuracy", "eval/perplexity", "train/lr"]
    assert charts.extra_chart.point_count("bert-ia3") == 4        # accuracy
    assert charts.extra_chart.point_count("qwen-lora") == 0       # has none: empty slot
    charts.set_extra_key("train/lr")
    assert charts.extra_chart.point_count("qwen-lora") == 40
    colors = {c.label: c.color.name() for c in charts.curves()}
    assert len(set(colors.values())) == 2
    # one run only: one curve
    select(qtbot, page, runs["qwen-prefix"].id)
    assert charts.train_chart.curve_names() == ["qwen-prefix"]
    assert charts.extra_key() == "train/lr"   # the choice survives a new selection


def test_config_and_metrics_tabs(qtbot, page, runs):
    show_loaded(qtbot, page)
    run = runs["qwen-lora"]
    select(qtbot, page, run.id)
    details = page.details
    text = details.config_text.toPlainText()
    assert yaml.safe_load(text) == run.config
    assert "model: /models/Qwen2-0.5B" in text
    assert details.config_text.isReadOnly()
    assert details.config_text.font().styleHint() == QFont.StyleHint.Monospace
    rows = {r[0]: r for r in details.metrics_model.rows()}
    assert rows["eval/eval_loss"][1] == f"{run.final_metrics['eval_loss']:.4g}"
    assert rows["train/loss"][2] and rows["train/loss"][3]   # best value and its step
    assert rows["train/lr"][2] == ""                         # no "best" learning rate
    assert details.checkpoints_model.rows()[0][:2] == ("20", str(
        Path(run.output_dir) / "checkpoint-20"))
    export = details.exports_model.rows()[0]
    assert export[:4] == ("merged", "/exports/qwen-lora-merged", "float16", "3.0 MB")
    assert not details.tabs.isTabVisible(details.error_index)
    assert run.name in details.summary.text()


def test_failed_run_shows_its_error(qtbot, page, runs):
    show_loaded(qtbot, page)
    select(qtbot, page, runs["bert-ia3"].id)
    details = page.details
    assert details.tabs.isTabVisible(details.error_index)
    assert details.tabs.currentIndex() == details.error_index   # shown first
    assert "out of memory at step 8" in details.error_text.toPlainText()
    assert "MemoryError" in details.error_text.toPlainText()
    assert page.view.currentIndex().siblingAtColumn(Column.STATUS).data(
        Qt.ItemDataRole.ToolTipRole) == "out of memory at step 8"


def test_a_failed_runs_error_reads_in_chinese(qtbot, chinese, page, tmp_path):
    """The store keeps the error's code: the status tooltip and the Error tab say it in the
    window's language; the traceback behind it follows, untranslated. A run stored before
    errors had codes shows its English as it is."""
    from studio.core.messages import msg

    with RunStore() as store:
        oom = store.create_run(_config("oom", BERT, "lora", "seq_cls", tmp_path / "a"))
        store.set_status(oom.id, "failed", error=msg(
            "data.at_row", where="d.csv", row=3, detail=msg("value.file_not_found")),
            detail="Traceback (most recent call last):\nFileNotFoundError: d.csv")
        old = store.create_run(_config("old", BERT, "lora", "seq_cls", tmp_path / "b"))
        store.db.conn.execute("UPDATE runs SET status = 'failed', error = ? WHERE id = ?",
                              ["exit code 3\nsomething English", old.id])  # as version 4 left it
        store.db.conn.commit()
    show_loaded(qtbot, page)
    select(qtbot, page, oom.id)
    tooltip = page.view.currentIndex().siblingAtColumn(Column.STATUS).data(
        Qt.ItemDataRole.ToolTipRole)
    assert tooltip == "d.csv，第 3 行：找不到文件"
    text = page.details.error_text.toPlainText()
    assert text == ("d.csv，第 3 行：找不到文件\n\n技术细节（用于报告问题）：\n"
                    "Traceback (most recent call last):\nFileNotFoundError: d.csv")
    select(qtbot, page, old.id)
    assert page.details.error_text.toPlainText() == "exit code 3\nsomething English"
    assert page.view.currentIndex().siblingAtColumn(Column.STATUS).data(
        Qt.ItemDataRole.ToolTipRole) == "exit code 3"


# --- actions ------------------------------------------------------------------------------

def test_resume_emits_the_run_id(qtbot, page, runs):
    show_loaded(qtbot, page)
    select(qtbot, page, runs["qwen-lora"].id)
    assert not page.resume_action.isEnabled()           # completed
    select(qtbot, page, runs["bert-live"].id)
    assert not page.resume_action.isEnabled()           # running
    select(qtbot, page, runs["qwen-prefix"].id, runs["bert-ia3"].id)
    assert not page.resume_action.isEnabled()           # two runs
    select(qtbot, page, runs["qwen-prefix"].id)
    assert page.resume_action.isEnabled()
    assert "step 12" in page.resume_action.toolTip()
    with qtbot.waitSignal(page.sig_resume_requested, timeout=2000) as blocker:
        page.resume_action.trigger()
    assert blocker.args == [runs["qwen-prefix"].id]


def test_rename_inline_writes_the_store(qtbot, page, runs):
    show_loaded(qtbot, page)
    run = runs["qwen-prefix"]
    select(qtbot, page, run.id)
    page.activateWindow()
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_F2)
    assert page.view.state() == QAbstractItemView.State.EditingState
    qtbot.keyClick(page.view, Qt.Key.Key_Escape)
    index = page.view.currentIndex().siblingAtColumn(Column.NAME)
    with qtbot.waitSignal(page.sig_runs_loaded, timeout=10_000):
        assert page.proxy.setData(index, "  prefix, take two ")
    with RunStore() as store:
        assert store.get_run(run.id).name == "prefix, take two"
    assert "prefix, take two" in column(page, Column.NAME)
    assert not page.proxy.setData(index, "   ")          # empty names are refused
    assert page.current_run().id == run.id               # selection survives the refresh


def test_delete_lists_what_goes_and_removes_run_and_folder(qtbot, page, runs, monkeypatch):
    show_loaded(qtbot, page)
    run = runs["bert-ia3"]
    seen: list[list[DeletePlan]] = []

    def confirm(parent, plans):
        seen.append(plans)
        return True   # with the output folder

    monkeypatch.setattr(run_dialogs, "confirm_delete", confirm)
    select(qtbot, page, run.id)
    page.activateWindow()
    page.view.setFocus()
    with qtbot.waitSignal(page.sig_runs_loaded, timeout=10_000):
        qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    plan = seen[0][0]
    assert plan.run.id == run.id and plan.checkpoints == 1 and plan.metric_points > 16
    assert plan.folder_exists and plan.folder_bytes >= 2048
    assert page.model.row_of(run.id) is None
    assert not Path(run.output_dir).exists()
    with RunStore() as store:
        assert run.id not in {r.id for r in store.list_runs()}


def test_delete_cancelled_or_kept_folder(qtbot, page, runs, monkeypatch):
    show_loaded(qtbot, page)
    answers = [None, False]
    monkeypatch.setattr(run_dialogs, "confirm_delete", lambda parent, plans: answers.pop(0))
    run = runs["qwen-prefix"]
    select(qtbot, page, run.id)
    page.delete_action.trigger()
    QThreadPool.globalInstance().waitForDone(10_000)
    qtbot.waitUntil(lambda: answers == [False], timeout=5000)
    qtbot.wait(100)
    assert page.model.row_of(run.id) is not None
    with qtbot.waitSignal(page.sig_runs_loaded, timeout=10_000):
        page.delete_action.trigger()
    assert page.model.row_of(run.id) is None
    assert Path(run.output_dir).is_dir()                 # folder kept by default


def test_delete_refused_for_a_running_run(qtbot, page, runs, monkeypatch, errors):
    show_loaded(qtbot, page)
    monkeypatch.setattr(run_dialogs, "confirm_delete",
                        lambda parent, plans: pytest.fail("must not ask"))
    select(qtbot, page, runs["bert-live"].id, runs["qwen-lora"].id)
    page.delete_action.trigger()
    assert errors and "Stop it first" in errors[0][1]
    with RunStore() as store:
        assert store.get_run(runs["bert-live"].id)


def test_delete_job_checks_again_that_the_run_is_not_training(runs):
    from studio.core.errors import StudioError
    from studio.ui.runs.jobs import delete_runs

    run = runs["qwen-prefix"]
    plan_delete(None, [run.id])
    with RunStore() as other:   # resumed meanwhile, e.g. from a terminal
        other.set_status(run.id, "running")
    with pytest.raises(StudioError, match="still training"):
        delete_runs(None, [run.id], with_files=True)
    assert Path(run.output_dir).is_dir()


def test_context_menu_offers_the_actions(qtbot, page, runs, monkeypatch):
    show_loaded(qtbot, page)
    select(qtbot, page, runs["qwen-lora"].id)
    shown = []
    monkeypatch.setattr(actions_module.QMenu, "popup",
                        lambda menu, pos, *a: shown.append([x.text() for x in menu.actions()]))
    rect = page.view.visualRect(page.view.currentIndex())
    page.run_actions.context_menu(rect.center())
    assert shown == [["Resume", "Rename", "Delete…", "Open output folder", "Export run file…",
                      "Export…", "Open in Playground", "Evaluate…", "Serve…"]]


def test_serve_runs_on_one_base_together(qtbot, page, runs):
    """Finished runs on one base model are served together (their output folders, names and
    the base); a failed run, or runs on two bases, cannot be."""
    show_loaded(qtbot, page)
    action = page.run_actions.serve
    select(qtbot, page, runs["bert-ia3"].id)
    assert not action.isEnabled()
    select(qtbot, page, runs["qwen-lora"].id, runs["bert-live"].id)
    assert not action.isEnabled()
    select(qtbot, page, runs["qwen-lora"].id, runs["qwen-prefix"].id)
    assert action.isEnabled()
    with qtbot.waitSignal(page.sig_serve_requested, timeout=2000) as blocker:
        action.trigger()
    folders, names, base = blocker.args
    assert sorted(names) == ["qwen-lora", "qwen-prefix"] and base == QWEN
    assert sorted(folders) == sorted(runs[n].output_dir for n in names)


def test_open_in_playground_for_a_finished_run(qtbot, page, runs):
    """A finished or stopped run (its adapter on disk) asks for the Playground with its id
    and base model; a failed or running one, or two at once, cannot."""
    show_loaded(qtbot, page)
    action = page.run_actions.playground
    for name in ("bert-ia3", "bert-live"):
        select(qtbot, page, runs[name].id)
        assert not action.isEnabled(), name
    select(qtbot, page, runs["qwen-lora"].id, runs["qwen-prefix"].id)
    assert not action.isEnabled()
    select(qtbot, page, runs["qwen-lora"].id)
    assert action.isEnabled()
    with qtbot.waitSignal(page.sig_playground_requested, timeout=2000) as blocker:
        action.trigger()
    assert blocker.args == [runs["qwen-lora"].id, QWEN]


def test_open_in_playground_for_a_full_fine_tune(qtbot, page, runs, tmp_path):
    """A full fine-tune has no adapter: its output folder goes to the Playground as a model."""
    out = tmp_path / "outputs" / "qwen-full"
    out.mkdir(parents=True)
    with RunStore() as store:
        run = store.create_run(_config("qwen-full", QWEN, "full", "causal_lm", out),
                               output_dir=out, status="completed")
    show_loaded(qtbot, page)
    select(qtbot, page, run.id)
    assert page.run_actions.playground.isEnabled()
    with qtbot.waitSignal(page.sig_playground_model_requested, timeout=2000) as blocker:
        page.run_actions.playground.trigger()
    assert blocker.args == [str(out)]


def test_delete_dialog(qtbot, runs):
    plans = plan_delete(None, [runs["qwen-lora"].id, runs["bert-ia3"].id])
    dialog = run_dialogs.DeleteRunsDialog(plans)
    qtbot.addWidget(dialog)
    text = dialog.listing.text()
    assert "qwen-lora" in text and "bert-ia3" in text and "100 metric point(s)" in text
    assert "kept on disk" in text
    assert not dialog.files_box.isChecked() and not dialog.with_files()
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.grab().save("/tmp/shot-runs-delete.png")
    dialog.files_box.setChecked(True)
    assert "deleted" in dialog.listing.text() and dialog.with_files()
    assert dialog.windowTitle() == "Delete runs"
    assert not dialog.delete_button.isDefault()     # Enter cancels


def test_a_folder_the_studio_did_not_make_is_shown_kept_and_kept(qtbot, runs):
    """A run whose output folder is not its own (no marker of that run): the dialog says
    the folder stays, and deleting the run with its files leaves the folder alone."""
    from studio.ui.runs.jobs import delete_runs

    run = runs["qwen-lora"]
    (Path(run.output_dir) / ownership.MARKER).unlink()
    (Path(run.output_dir) / "thesis.tex").write_text("years of work")
    plans = plan_delete(None, [run.id])
    assert "no .peft-studio marker" in plans[0].folder_refusal
    dialog = run_dialogs.DeleteRunsDialog(plans)
    qtbot.addWidget(dialog)
    assert "PEFT Studio did not make this folder" in dialog.listing.text()
    assert not dialog.files_box.isEnabled() and not dialog.with_files()
    assert delete_runs(None, [run.id], with_files=True) == [run.id]
    assert (Path(run.output_dir) / "thesis.tex").read_text() == "years of work"
    with RunStore() as store:
        assert run.id not in {r.id for r in store.list_runs()}


def test_export_run_file_round_trips(qtbot, page, runs, monkeypatch, tmp_path):
    show_loaded(qtbot, page)
    run = runs["qwen-lora"]
    target = tmp_path / "exported"
    monkeypatch.setattr(actions_module.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    select(qtbot, page, run.id)
    with qtbot.waitSignal(page.sig_message, timeout=10_000):
        page.export_action.trigger()
    written = target.with_suffix(".yaml")
    assert "peft-studio train" in written.read_text(encoding="utf-8").splitlines()[1]
    loaded = run_config.load(written)
    assert loaded.model == QWEN and loaded.method.name == "lora"
    assert loaded.method.params == {"r": 8, "lora_alpha": 16}
    assert loaded.task == "causal_lm" and loaded.name == "qwen-lora"
    assert loaded.output_dir is None     # a new run gets a fresh folder


def test_exporting_over_a_run_file_that_fails_keeps_the_old_one(runs, monkeypatch, tmp_path):
    import errno

    from studio.core.errors import StudioError
    from studio.ui.runs import jobs

    target = tmp_path / "kept.yaml"
    target.write_text("model: the old run file\n")

    def replace(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(os, "replace", replace)
        with pytest.raises(StudioError, match="Could not write"):
            jobs.export_run_file(runs["qwen-lora"], target)
    assert target.read_text() == "model: the old run file\n"
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".yaml" or "tmp" in p.name] \
        == ["kept.yaml"]


def test_open_output_folder(qtbot, page, runs, monkeypatch, errors):
    show_loaded(qtbot, page)
    opened = []
    monkeypatch.setattr(actions_module.QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url.toLocalFile()) or True))
    run = runs["qwen-lora"]
    select(qtbot, page, run.id)
    page.open_action.trigger()
    assert opened == [run.output_dir]
    shutil.rmtree(run.output_dir)
    page.open_action.trigger()
    assert len(opened) == 1 and errors and "does not exist" in errors[0][1]


# --- polling ------------------------------------------------------------------------------

def test_polling_picks_up_runs_from_another_connection(qtbot, page, runs, tmp_path):
    page._poll_timer.setInterval(100)
    show_loaded(qtbot, page)
    with RunStore() as other:       # like a headless `peft-studio train` in a terminal
        new = other.create_run(_config("headless", QWEN, "lora", "causal_lm", tmp_path / "h"),
                               status="running")
        other.update_run(new.id, pid=os.getpid())
    qtbot.waitUntil(lambda: page.model.row_of(new.id) is not None, timeout=10_000)
    select(qtbot, page, new.id)
    with RunStore() as other:
        other.add_metrics(new.id, [(1, "train", "loss", 2.0), (2, "train", "loss", 1.5)])
        other.update_run(new.id, last_step=2, total_steps=10)
    qtbot.waitUntil(lambda: page.compare.train_chart.curve_names() == ["headless"]
                    and page.compare.train_chart.point_count("headless") == 2, timeout=10_000)
    with RunStore() as other:
        other.set_status(new.id, "completed")
    row = lambda: page.model.row_of(new.id)  # noqa: E731
    qtbot.waitUntil(lambda: page.model.index(row(), Column.STATUS).data() == "completed",
                    timeout=10_000)
    assert page.model.index(row(), Column.STEPS).data() == "2 / 10"


def test_polling_stops_when_hidden(qtbot, page, runs):
    show_loaded(qtbot, page)
    assert page._poll_timer.isActive()
    page.hide()
    assert not page._poll_timer.isActive()


def test_select_run_not_loaded_yet_and_filtered_out(qtbot, page, runs):
    show_loaded(qtbot, page)
    page.filters.status_combo.setCurrentIndex(page.filters.status_combo.findData("failed"))
    with RunStore() as other:
        new = other.create_run(_config("late", QWEN, "lora", "causal_lm", Path("/tmp/x")),
                               status="completed")
    with qtbot.waitSignal(page.sig_runs_loaded, timeout=10_000):
        page.select_run(new.id)
    qtbot.waitUntil(lambda: page.current_run() is not None
                    and page.current_run().id == new.id, timeout=5000)
    assert page.filters.status_combo.currentIndex() == 0


def test_change_stamp_moves(runs):
    with RunStore() as store:
        before = store.change_stamp()
        store.add_checkpoint(runs["qwen-lora"].id, 99, "/x")
        after_checkpoint = store.change_stamp()
        time.sleep(0.01)
        store.rename_run(runs["qwen-lora"].id, "again")
        assert len({before, after_checkpoint, store.change_stamp()}) == 3


# --- screenshot ---------------------------------------------------------------------------

def test_screenshot(qtbot, page, runs):
    show_loaded(qtbot, page)
    select(qtbot, page, runs["qwen-lora"].id, runs["bert-ia3"].id, runs["qwen-prefix"].id)
    page.compare.set_extra_key("eval/perplexity")
    qtbot.wait(300)   # the charts redraw on their timer
    image = page.grab()
    assert image.width() == 1280 and image.height() == 800
    image.save("/tmp/shot-runs.png")
    page.details.tabs.setCurrentIndex(1)
    page.grab().save("/tmp/shot-runs-metrics.png")
    select(qtbot, page, runs["bert-ia3"].id)
    qtbot.wait(300)
    page.grab().save("/tmp/shot-runs-failed.png")


def test_a_data_parallel_run_shows_its_workers_and_hosts(qtbot, page, tmp_path):
    config = _config("spread", QWEN, "lora", "causal_lm", tmp_path / "spread")
    config["distributed"] = {"workers": 16, "hosts": ["10.0.0.1", "10.0.0.2"],
                             "node_rank": None, "master_addr": None, "master_port": 29500}
    with RunStore() as store:
        run = store.create_run(config, output_dir=tmp_path / "spread", status="pending")
        store.set_status(run.id, "completed")
    show_loaded(qtbot, page)
    select(qtbot, page, run.id)
    summary = page.details.summary.text()
    assert "16 workers on 2 hosts (10.0.0.1, 10.0.0.2, port 29500)" in summary
    shown = yaml.safe_load(page.details.config_text.toPlainText())
    assert shown["distributed"]["workers"] == 16
