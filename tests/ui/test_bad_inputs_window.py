"""Bad inputs where the window shows them: the Data page's problems and the run store the
Runs page reads on start-up. Each shows the core's message (naming the file, line or run);
none is a bug dialog with a traceback, and the good runs are still listed."""

from __future__ import annotations

import json
import os

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from studio import paths
from studio.core.config import RunConfig
from studio.core.store import RunStore
from studio.ui.common import dialogs
from studio.ui.data.page import DataPage
from studio.ui.runs.page import RunsPage


@pytest.fixture(autouse=True)
def dialogs_shown(monkeypatch):
    """Every dialog the pages open, recorded instead of shown: (title, message, is_bug)."""
    shown: list[tuple[str, str, bool]] = []

    def fake_show_error(parent, title, message, details=None, modal=True):
        shown.append((title, message, details is not None))

    monkeypatch.setattr(dialogs, "show_error", fake_show_error)
    return shown


@pytest.fixture
def data_page(qtbot):
    widget = DataPage()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    yield widget
    widget.token_job.cancel()


@pytest.fixture
def runs_page(qtbot):
    widget = RunsPage()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    yield widget
    QThreadPool.globalInstance().waitForDone(10_000)
    QApplication.processEvents()


def _fifo(tmp_path):
    path = tmp_path / "pipe.csv"
    os.mkfifo(path)
    return path, ["pipe.csv", "not a regular file"]


def _deep(tmp_path):
    path = tmp_path / "deep.jsonl"
    path.write_text('{"text": "a"}\n{"text": ' + "[" * 5000 + "]" * 5000 + "}\n")
    return path, ["deep.jsonl", "line 2", "nested more than 100 levels"]


def _quotes(tmp_path):
    path = tmp_path / "quotes.csv"
    path.write_text('""\n""\n')
    return path, ["quotes.csv", "no data rows"]


def _split_outside(tmp_path):
    folder = tmp_path / "ds"
    folder.mkdir()
    (folder / "dataset_dict.json").write_text(json.dumps({"splits": ["../../etc"]}))
    return folder, ["dataset_dict.json names the split", "not a plain name"]


@pytest.mark.parametrize("make", [_fifo, _deep, _quotes, _split_outside],
                         ids=["fifo", "deep json line", "only quotes", "split outside"])
def test_data_page_shows_the_message(qtbot, data_page, dialogs_shown, tmp_path, make):
    path, expected = make(tmp_path)
    with qtbot.waitSignal(data_page.sig_inspected, timeout=10_000) as blocker:
        data_page.set_path(str(path))
    assert blocker.args == [None]
    shown = data_page.message_text()
    problem = data_page.problem_list.item(0).text()
    for part in expected:
        assert part in shown and part in problem, (part, shown)
    assert dialogs_shown == []   # a known error: no bug dialog


def test_data_page_lists_nan_labels_with_their_rows(qtbot, data_page, tmp_path):
    path = tmp_path / "nan.jsonl"
    path.write_text('{"text": "a", "label": NaN}\n{"text": "b", "label": 1}\n'
                    '{"text": "c", "label": 0}\n')
    with qtbot.waitSignal(data_page.sig_inspected, timeout=10_000):
        data_page.set_path(str(path))
    texts = [data_page.problem_list.item(i).text()
             for i in range(data_page.problem_list.count())]
    assert any("NaN or infinite label" in t and "line 1 of nan.jsonl" in t for t in texts)


def test_runs_page_lists_the_good_runs_and_names_the_damaged_one(qtbot, runs_page,
                                                                 dialogs_shown):
    with RunStore() as store:
        good = store.create_run(RunConfig(model="m", name="good").to_dict(),
                                run_id="20260101-000000-aaaa")
        bad = store.create_run(RunConfig(model="m", name="bad").to_dict(),
                               run_id="20260101-000000-bbbb")
        with store.db.conn:
            store.db.conn.execute("UPDATE runs SET final_metrics = '[' WHERE id = ?", [bad.id])
    with qtbot.waitSignal(runs_page.sig_runs_loaded, timeout=10_000):
        runs_page.show()
    assert runs_page.model.rowCount() == 1 and runs_page.model.row_of(good.id) == 0
    assert len(dialogs_shown) == 1
    title, message, is_bug = dialogs_shown[0]
    assert title == "Some runs could not be read" and not is_bug
    assert f"run {bad.id} (bad) is damaged" in message and "final_metrics" in message
    with qtbot.waitSignal(runs_page.sig_runs_loaded, timeout=10_000):
        runs_page.refresh()
    assert len(dialogs_shown) == 1   # told once, not on every reload


def test_runs_page_with_a_store_that_is_a_folder(qtbot, runs_page, dialogs_shown):
    paths.store_path().mkdir(parents=True)
    runs_page.show()
    qtbot.waitUntil(lambda: bool(dialogs_shown), timeout=10_000)
    QThreadPool.globalInstance().waitForDone(5000)
    title, message, is_bug = dialogs_shown[0]
    assert title == "Could not read the run history" and not is_bug
    assert "is a folder" in message and str(paths.store_path()) in message


def test_runs_page_shows_control_characters_escaped(qtbot, runs_page):
    with RunStore() as store:
        run = store.create_run(RunConfig(model="m").to_dict(), name="plain")
        with store.db.conn:
            store.db.conn.execute("UPDATE runs SET name = ? WHERE id = ?",
                                  ["two\nlines\u202e", run.id])
    with qtbot.waitSignal(runs_page.sig_runs_loaded, timeout=10_000):
        runs_page.show()
    shown = runs_page.model.index(0, 0).data()
    assert shown == "two\\nlines\\u202e"
