"""The main window: pages and navigation, what it imports, the wiring between pages and the
training worker (a fake one here), closing during training, settings and window state."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QProcess, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from studio import paths
from studio.app import CrashHandler, install_translators, load_stylesheet
from studio.core.config import DatasetConfig, MethodConfig, RunConfig, TrainingConfig
from studio.core.playground import AdapterEntry
from studio.ui import settings as settings_mod
from studio.ui.data import tokens
from studio.ui.mainwindow import PAGES, MainWindow

ROOT = Path(__file__).resolve().parents[2]


class FakeWorker(QObject):
    """Stands in for workers.training.TrainingWorker (same signals and methods)."""

    sig_event = Signal(dict)
    sig_log = Signal(str)
    sig_started = Signal(str)
    sig_finished = Signal(dict)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.calls: list[tuple[Any, ...]] = []
        self.running = False

    def start_run(self, run_file: Path) -> None:
        self.calls.append(("start", Path(run_file)))
        self.running = True

    def resume_run(self, ref: str) -> None:
        self.calls.append(("resume", ref))
        self.running = True

    def stop(self, timeout_s: float = 30.0) -> None:
        self.calls.append(("stop",))

    def kill(self) -> None:
        self.calls.append(("kill",))

    def detach(self) -> None:
        self.calls.append(("detach",))
        self.running = False

    def is_running(self) -> bool:
        return self.running

    def finish(self, status: str, run_id: str = "r1", **extra: Any) -> None:
        self.running = False
        self.sig_finished.emit({"status": status, "run_id": run_id, "exit_code": 0,
                                "error": None, "stderr_tail": "", **extra})


@pytest.fixture
def fake_worker() -> dict[str, FakeWorker]:
    return {}


@pytest.fixture
def window(qtbot, fake_worker):
    def factory(parent):
        fake_worker["worker"] = FakeWorker(parent)
        return fake_worker["worker"]

    def idle(win: MainWindow) -> None:   # closing at teardown must not ask anything
        if win.worker is not None:
            win.worker.running = False

    win = MainWindow(probe_devices=False, worker_factory=factory)
    qtbot.addWidget(win, before_close_func=idle)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    return win


def a_config(tmp_path: Path) -> RunConfig:
    return RunConfig(model=str(tmp_path / "model"),
                     dataset=DatasetConfig(path=str(tmp_path / "data.jsonl")),
                     method=MethodConfig("lora", {"r": 4}), training=TrainingConfig(max_steps=3),
                     name="tiny run")


# ---- pages and navigation ------------------------------------------------------------------
def test_window_has_the_six_pages(window):
    assert window.stack.count() == 6
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == \
        ["Model", "Data", "Train", "Runs", "Export", "Playground"]
    assert window.stack.widget(2) is window.train_page
    window.nav.setCurrentRow(3)
    assert window.stack.currentWidget() is window.runs_page and window.current_page() == "runs"


def test_shortcuts_switch_pages(window, qtbot):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    for index, name in enumerate(PAGES):
        qtbot.keyClick(window, Qt.Key.Key_1 + index, Qt.KeyboardModifier.ControlModifier)
        assert window.current_page() == name
    shortcuts = {a.shortcut().toString() for a in window.page_actions}
    assert shortcuts == {"Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4", "Ctrl+5", "Ctrl+6"}
    assert window.start_action.shortcut().toString() == "Ctrl+Return"
    assert window.stop_action.shortcut().toString() == "Ctrl+."


def test_menus(window):
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["File", "Run", "View", "Settings", "Help"]
    assert set(window.language_actions) == {"en", "zh_CN"}


# The compute stack never enters the window process; what only background jobs need
# (sqlite_utils, and pandas/pyarrow through it, for the run store) is not imported by the GUI
# thread either: the first store read imports it, in a pool worker.
COMPUTE = ("mindspore", "mindnlp", "torch", "transformers", "peft", "datasets", "diffusers",
           "accelerate")
JOB_ONLY = ("pandas", "pyarrow", "sqlite_utils", "safetensors", "tokenizers",
            "huggingface_hub",
            # the charts' stack: built when a chart is first shown, preloaded by a pool job
            "numpy", "pyqtgraph")

SCRIPT = textwrap.dedent("""
    import json, sys, threading, time
    from PySide6.QtCore import QThreadPool
    from workers import pool

    # Pool jobs wait at a gate, so what the GUI thread imports is seen on its own.
    gate, run = threading.Event(), pool.FunctionWorker.run
    pool.FunctionWorker.run = lambda self: (gate.wait(), run(self))[1]

    def imported(names):
        return sorted({m.split(".")[0] for m in sys.modules} & set(names))

    def settle(app, seconds):   # start-up timers fire too
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    compute, job_only = json.loads(sys.argv[1]), json.loads(sys.argv[2])
    from studio.app import setup_application
    app = setup_application(["peft-studio"])
    from studio.ui.mainwindow import MainWindow
    window = MainWindow(probe_devices=False)
    window.show()
    settle(app, 1.5)
    gui = imported(compute + job_only)
    gate.set()
    settle(app, 1.5)
    QThreadPool.globalInstance().waitForDone(30000)
    settle(app, 0.2)
    jobs = imported(compute)
    window.close()
    QThreadPool.globalInstance().waitForDone(30000)
    print(json.dumps({"gui": gui, "jobs": jobs}))
""")


def open_window_in_child(home: Path) -> dict[str, Any]:
    env = dict(os.environ, PEFT_STUDIO_HOME=str(home), QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(COMPUTE),
                          json.dumps(JOB_ONLY)], cwd=ROOT, env=env, text=True,
                         capture_output=True, timeout=180)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_window_imports_no_compute_stack_and_no_job_only_packages(tmp_path):
    """In a fresh process, so imports made by other tests do not count. How long opening
    takes is measured by bench/startup.py, not asserted here (a shared test machine's wall
    time mostly measures the other processes)."""
    result = open_window_in_child(tmp_path / "home")
    assert result["gui"] == []    # the GUI thread, start-up timers included
    assert result["jobs"] == []   # nor do the jobs started while the window opens


def test_first_store_read_is_where_sqlite_utils_comes_in(tmp_path):
    """The lazy imports still work: a Runs page job reads the store in a fresh process."""
    script = textwrap.dedent("""
        import sys
        from studio.ui.runs import jobs
        assert "sqlite_utils" not in sys.modules
        print(len(jobs.load_runs(None).runs), "sqlite_utils" in sys.modules)
    """)
    env = dict(os.environ, PEFT_STUDIO_HOME=str(tmp_path / "home"),
               QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, text=True,
                         capture_output=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["0", "True"]


# ---- wiring --------------------------------------------------------------------------------
def test_dataset_and_model_reach_the_train_page(window, qtbot, tmp_path):
    config = DatasetConfig(path=str(tmp_path / "d.jsonl"), format="text")
    window.data_page.sig_dataset_changed.emit(config)
    assert window.train_page.build_config().dataset == config
    model = llama_folder(tmp_path / "llama")
    with qtbot.waitSignal(window.model_page.sig_model_changed, timeout=10000):
        window.model_page.set_model(str(model))
    built = window.train_page.build_config()
    assert built.model == str(model)
    assert window.train_page.method_form.field("target_modules").editor.placeholderText() \
        == "default for llama: q_proj, v_proj"


def test_start_writes_the_run_file_and_starts_the_worker(window, qtbot, fake_worker, tmp_path):
    window.show_page(0)
    window.start_run(a_config(tmp_path))
    worker = fake_worker["worker"]
    kind, run_file = worker.calls[0]
    assert kind == "start" and run_file.parent == paths.data_dir() / "runfiles"
    saved = yaml.safe_load(run_file.read_text())
    assert saved["name"] == "tiny run" and saved["method"] == {"name": "lora", "r": 4}
    assert Path(saved["output_dir"]).parent == paths.runs_dir()
    assert Path(saved["output_dir"]).name == run_file.stem
    assert window.current_page() == "train" and window.train_page.is_running()
    assert window.stop_action.isEnabled()

    worker.sig_event.emit({"event": "run_started", "run_id": "r1", "total_steps": 3,
                           "start_step": 0, "task": "causal_lm"})
    worker.sig_started.emit("r1")
    worker.sig_event.emit({"event": "step", "step": 1, "total_steps": 3, "loss": 2.0,
                           "lr": 1e-3, "tokens_per_second": 50.0, "epoch": 0.3, "eta": 4})
    worker.sig_log.emit("a line the child printed")
    assert window.train_page.progress.value() == 1
    assert "a line the child printed" in window.train_page.log_view.toPlainText()

    window.stop_action.trigger()
    assert ("stop",) in worker.calls
    worker.finish("stopped")
    assert not window.train_page.is_running()
    assert "stopped" in window.statusBar().currentMessage()
    assert window.resume_action.isEnabled()
    window.resume_action.trigger()
    assert worker.calls[-1] == ("resume", "r1")


def test_start_shortcut_shows_what_stands_in_the_way(window, qtbot, fake_worker):
    window.show_page(0)
    qtbot.waitUntil(lambda: window.train_page.problems() is not None, timeout=5000)
    window.start_action.trigger()   # Ctrl+Return from any page
    assert window.current_page() == "train"
    assert "problems" in window.statusBar().currentMessage()
    assert "worker" not in fake_worker


def test_second_start_while_training_is_refused(window, fake_worker, tmp_path):
    window.start_run(a_config(tmp_path))
    window.start_run(a_config(tmp_path))
    assert [c[0] for c in fake_worker["worker"].calls] == ["start"]
    assert "already" in window.statusBar().currentMessage()


def test_failed_run_shows_an_error_with_the_stderr_tail(window, fake_worker, tmp_path):
    window.start_run(a_config(tmp_path))
    fake_worker["worker"].finish("failed", error="the training process ended unexpectedly "
                                 "(killed by signal 9 (SIGKILL))", stderr_tail="Killed\nboom")
    box = window.last_error_box
    assert box is not None and box.isVisible()
    assert "SIGKILL" in box.text() and "boom" in box.detailedText()
    assert window.train_page.resume_button.isEnabled()
    box.close()


def test_resume_from_the_runs_page(window, fake_worker):
    window.runs_page.sig_resume_requested.emit("abc123")
    assert fake_worker["worker"].calls == [("resume", "abc123")]
    assert window.current_page() == "train" and window.train_page.is_running()


def test_export_from_the_runs_page(window, qtbot, tmp_path, monkeypatch):
    """Runs page "Export…" opens the Export page on that run; a finished export refreshes the
    Runs page (which lists the run's exports)."""
    from studio.core.store import RunStore

    out = tmp_path / "run"
    out.mkdir()
    (out / "adapter_config.json").write_text(json.dumps(
        {"peft_type": "PREFIX_TUNING", "base_model_name_or_path": "org/m",
         "task_type": "CAUSAL_LM", "num_virtual_tokens": 4}))
    with RunStore() as store:
        run = store.create_run({"model": "org/m", "method": {"name": "prefix_tuning"}},
                               name="done run", output_dir=str(out), status="completed")
    runs = window.runs_page
    with qtbot.waitSignal(runs.sig_runs_loaded, timeout=15000):
        window.show_page(PAGES.index("runs"))
    with qtbot.waitSignal(runs.sig_selection_loaded, timeout=15000):
        runs.select_run(run.id)
    action = runs.run_actions.export_model
    qtbot.waitUntil(action.isEnabled, timeout=5000)
    action.trigger()
    assert window.current_page() == "export"
    page = window.export_page
    qtbot.waitUntil(lambda: page.source.inspection() is not None
                    and page.source.current_ref() == run.id, timeout=15000)
    assert not page.modes.isTabEnabled(1)   # prefix tuning: the adapter only

    refreshed = []
    monkeypatch.setattr(runs, "refresh", lambda: refreshed.append(1))
    page.sig_export_finished.emit({"status": "exported", "result": None})
    assert refreshed == [1]
    # no store read may answer after the window is gone (the Runs page's callbacks are not
    # guarded against that)
    QThreadPool.globalInstance().waitForDone(10000)
    QApplication.processEvents()


def test_a_full_fine_tune_opens_in_the_playground_as_its_base(window, qtbot, tmp_path):
    page = window.playground_page
    page.adapters.append(AdapterEntry("old", "old", None, "old"))
    folder = llama_folder(tmp_path / "full-out")
    window.runs_page.sig_playground_model_requested.emit(str(folder))
    assert window.current_page() == "playground" and page.base() == str(folder)
    assert page.adapters == [] and page.adapter_list.count() == 0
    assert "Load" in page.progress_label.text()


def test_open_in_playground_from_the_runs_page(window, qtbot, tmp_path):
    """Runs page "Open in Playground" shows the Playground with the run's base model chosen
    and its adapter checked into the list (Load loads them); a run on another base replaces
    the list."""
    from studio.core.store import RunStore

    base = llama_folder(tmp_path / "llama")
    made = []
    for name in ("colours", "shapes"):
        out = tmp_path / name
        out.mkdir()
        (out / "adapter_config.json").write_text(json.dumps(
            {"peft_type": "LORA", "base_model_name_or_path": str(base), "task_type": "CAUSAL_LM",
             "r": 4, "lora_alpha": 8, "target_modules": ["q_proj", "v_proj"]}))
        (out / "adapter_model.safetensors").write_bytes(b"")   # files are checked, not read
        with RunStore() as store:
            made.append(store.create_run({"model": str(base), "method": {"name": "lora"}},
                                         name=name, output_dir=str(out), status="completed"))
    page = window.playground_page
    with qtbot.waitSignal(page.sig_adapter_checked, timeout=15000) as checked:
        window.runs_page.sig_playground_requested.emit(made[0].id, str(base))
    assert checked.args == [True], page.last_error_box and page.last_error_box.text()
    assert window.current_page() == "playground" and page.base() == str(base)
    assert [a.run_id for a in page.adapters] == [made[0].id]
    assert page.adapter_list.currentRow() == 0 and "colours" in page.adapter_list.item(0).text()

    other = llama_folder(tmp_path / "other")   # the same architecture: the adapter fits
    # the check's job ends just after its signal; a busy page refuses (and says so) instead
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=15000)
    with qtbot.waitSignal(page.sig_adapter_checked, timeout=15000) as checked:
        window.show_playground(made[1].id, str(other))
    assert checked.args == [True] and page.base() == str(other)
    assert [a.run_id for a in page.adapters] == [made[1].id]   # the first one went
    QThreadPool.globalInstance().waitForDone(10000)


def llama_folder(folder: Path) -> Path:
    from factories import make_tokenizer

    make_tokenizer(folder)
    (folder / "config.json").write_text(json.dumps({
        "model_type": "llama", "architectures": ["LlamaForCausalLM"], "hidden_size": 32,
        "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 64,
        "vocab_size": 512}))
    return folder


def test_open_run_file_fills_the_forms(window, qtbot, tmp_path):
    config = a_config(tmp_path)
    config.model = str(llama_folder(tmp_path / "llama"))
    config.method = MethodConfig("ia3", {"target_modules": ["k_proj", "v_proj"]})
    config.device = "cpu"
    path = tmp_path / "run.yaml"
    path.write_text(config.dump_yaml())
    with qtbot.waitSignal(window.model_page.sig_model_changed, timeout=10000):
        assert window.open_run_file(path) is not None
    built = window.train_page.build_config()
    assert (built.method.name, built.device, built.name) == ("ia3", "cpu", "tiny run")
    assert built.method.params["target_modules"] == ["k_proj", "v_proj"]
    assert built.training.max_steps == 3
    assert built.dataset.path == config.dataset.path
    assert built.model == config.model
    assert window.current_page() == "train"
    # the Model page shows the run file's targets, not its own default
    assert window.model_page.target_modules() == ["k_proj", "v_proj"]
    # (no weights in this folder: the tree lists the family's module names)
    assert sorted(window.model_page.tree_model.checked_names()) == ["k_proj", "v_proj"]


def test_a_run_files_regex_targets_fill_the_model_pages_regex_box(window, qtbot, tmp_path):
    config = a_config(tmp_path)
    config.model = str(llama_folder(tmp_path / "llama"))
    config.method = MethodConfig("lora", {"r": 4, "target_modules": r".*\.1\..*_proj"})
    path = tmp_path / "run.yaml"
    path.write_text(config.dump_yaml())
    window.model_page.set_target_regex(".*q_proj")   # the page's own choice before
    with qtbot.waitSignal(window.model_page.sig_model_changed, timeout=10000):
        window.open_run_file(path)
    page = window.model_page
    assert page.regex_edit.text() == r".*\.1\..*_proj" == page.target_modules()
    assert window.train_page.build_config().method.params["target_modules"] == \
        r".*\.1\..*_proj"


def test_open_bad_run_file_shows_problems(window, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("studio.ui.mainwindow.show_error",
                        lambda parent, title, message, details=None, **kw: shown.append(details))
    path = tmp_path / "bad.yaml"
    path.write_text("model: x\ntraining:\n  epoch: 3\n")
    assert window.open_run_file(path) is None
    assert shown and "training.epoch" in shown[0]


def test_devices_come_from_a_child_process(window, qtbot):
    info = {"cpu": True, "gpu": False, "ascend": False, "mindspore": "2.7.0"}
    window.probe_devices([sys.executable, "-c", f"print({json.dumps(json.dumps(info))})"])
    qtbot.waitUntil(lambda: "2.7.0" in window.devices_label.text(), timeout=15000)
    combo = window.train_page.device_combo
    assert not combo.model().item(combo.findData("gpu")).isEnabled()
    window.probe_devices([sys.executable, "-c", "import sys; sys.exit(3)"])
    qtbot.waitUntil(lambda: window.devices_label.text() == "Devices: unknown", timeout=15000)


SLEEP = ["-c", "import time; time.sleep(60)"]


def start_children(win: MainWindow, qtbot, monkeypatch) -> list[QProcess]:
    """The device probe, the token counter and the row renderer, all still running."""
    monkeypatch.setattr(tokens, "inspect_args", lambda cfg, tokenizer, extra=None: SLEEP)
    probe = win.probe_devices([sys.executable, *SLEEP])
    win.data_page.token_job.start(DatasetConfig(path="data.jsonl"), "/tokenizer")
    win.data_page.render_job.start(DatasetConfig(path="data.jsonl"), "/tokenizer",
                                   ["--render", "1"])
    counter = win.data_page.token_job._process
    renderer = win.data_page.render_job._process
    running = QProcess.ProcessState.Running
    qtbot.waitUntil(lambda: all(p.state() == running for p in (probe, counter, renderer)),
                    timeout=15000)
    return [probe, counter, renderer]


def test_closing_while_child_processes_run_ends_them_cleanly(qtbot, monkeypatch):
    """Closing used to leave the token counter running; deleting the window then killed it
    from QProcess's destructor, whose finished signal reached a slot reading the deleted
    process ("Internal C++ object already deleted"). pytest-qt fails the test on any
    exception raised in a slot."""
    win = MainWindow(probe_devices=False)
    qtbot.addWidget(win)
    win.show()
    children = start_children(win, qtbot, monkeypatch)
    pids = [c.processId() for c in children]
    assert win.close()
    assert not win.data_page.token_job.is_running()
    assert not win.data_page.render_job.is_running()
    win.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.wait(200)
    for pid in pids:
        assert not _pid_running(pid)


def test_deleting_the_window_with_child_processes_running_raises_nothing(qtbot, monkeypatch):
    """Without a close (the window destroyed at exit): the slots see the dying processes and
    leave them alone."""
    win = MainWindow(probe_devices=False)
    win.show()
    start_children(win, qtbot, monkeypatch)
    win.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.wait(200)


def test_a_new_probe_ends_the_previous_one(window, qtbot):
    first = window.probe_devices([sys.executable, *SLEEP])
    qtbot.waitUntil(lambda: first.state() == QProcess.ProcessState.Running, timeout=15000)
    pid = first.processId()
    window.probe_devices([sys.executable, "-c", "print('{}')"])
    assert not _pid_running(pid)


def _pid_running(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)   # reap it if it is our zombie
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


# ---- closing during training ---------------------------------------------------------------
@pytest.mark.parametrize("choice", ["cancel", "detach", "stop"])
def test_closing_during_training_asks(window, qtbot, fake_worker, tmp_path, monkeypatch,
                                      choice):
    window.start_run(a_config(tmp_path))
    worker = fake_worker["worker"]
    asked = []
    monkeypatch.setattr(window, "ask_close_choice", lambda: asked.append(1) or choice)
    closed = window.close()
    assert asked == [1]
    if choice == "cancel":
        assert not closed and window.isVisible() and worker.running
    elif choice == "detach":
        assert closed and not window.isVisible() and ("detach",) in worker.calls
    else:
        assert not closed and window.isVisible() and ("stop",) in worker.calls
        worker.finish("stopped")
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=3000)
        assert ("detach",) not in worker.calls


def test_closing_when_idle_does_not_ask(window, monkeypatch):
    monkeypatch.setattr(window, "ask_close_choice", lambda: pytest.fail("asked"))
    monkeypatch.setattr(window, "ask_close_during_export", lambda: pytest.fail("asked"))
    assert window.close()


@pytest.mark.parametrize("confirm", [False, True])
def test_closing_during_an_export_asks_first(window, monkeypatch, confirm):
    """Closing would cancel a running export: the window asks, and stays open on No."""
    shut: list[bool] = []
    monkeypatch.setattr(window.export_page, "is_exporting", lambda: True)
    monkeypatch.setattr(window.export_page, "shutdown", lambda: shut.append(True))
    asked: list[int] = []
    monkeypatch.setattr(window, "ask_close_during_export", lambda: asked.append(1) or confirm)
    closed = window.close()
    assert asked == [1] and closed is confirm and window.isVisible() is not confirm
    assert shut == ([True] if confirm else [])


def test_the_export_question_names_its_buttons(window, monkeypatch):
    seen: dict[str, object] = {}

    def answer(box):
        seen["title"] = box.windowTitle()
        seen["buttons"] = [b.text() for b in box.buttons()]
        box.button(QMessageBox.StandardButton.Cancel).click()

    monkeypatch.setattr(QMessageBox, "exec", lambda box: answer(box))
    assert window.ask_close_during_export() is False
    assert seen["title"] == "An export is running"
    assert "Cancel the export and close" in seen["buttons"]


# ---- settings and state --------------------------------------------------------------------
def test_settings_and_state_persist_across_windows(qtbot):
    first = MainWindow(probe_devices=False)
    qtbot.addWidget(first)
    first.resize(760, 560)   # the offscreen screen is 800 x 600
    first.show()
    first.show_page(2)
    page = first.train_page
    page.method_combo.setCurrentIndex(page.method_combo.findData("dora"))
    page.training_form.epochs.setValue(5)
    page.tabs.setCurrentIndex(2)
    size = first.size()   # at least the window's minimum size
    assert first.close()
    assert (paths.config_dir() / "settings.ini").is_file()
    assert (paths.config_dir() / "state.ini").is_file()

    second = MainWindow(probe_devices=False)
    qtbot.addWidget(second)
    assert second.current_page() == "train"
    assert second.train_page.method_id() == "dora"
    assert second.train_page.training_form.epochs.value() == 5
    assert second.train_page.tabs.currentIndex() == 2
    # The offscreen screen (800 x 600) clamps the width; the height is restored as saved.
    assert second.height() == size.height()
    assert not settings_mod.state().value("window/geometry").isEmpty()


def test_language_setting(window, monkeypatch):
    assert settings_mod.language() in settings_mod.LANGUAGES
    window.language_actions["zh_CN"].trigger()
    assert settings_mod.settings().value("ui/language") == "zh_CN"
    assert settings_mod.language() == "zh_CN"
    notice = window.findChild(QMessageBox, "languageNotice")
    assert notice is not None and "next time" in notice.text()
    notice.close()
    window.set_language("en")
    assert settings_mod.language() == "en"


def test_system_language_decides_by_default(monkeypatch):
    from PySide6.QtCore import QLocale

    monkeypatch.setattr(settings_mod.QLocale, "system",
                        staticmethod(lambda: QLocale("zh_CN")))
    assert settings_mod.language() == "zh_CN"
    monkeypatch.setattr(settings_mod.QLocale, "system",
                        staticmethod(lambda: QLocale("de_DE")))
    assert settings_mod.language() == "en"


def test_translators_and_styles(qapp):
    assert install_translators(qapp, "en") == []
    installed = install_translators(qapp, "zh_CN")   # Qt's own catalog at least, no error
    for translator in installed:
        qapp.removeTranslator(translator)
    assert "QListWidget#navList" in load_stylesheet()


def test_crash_handler_shows_the_traceback(qapp, qtbot, monkeypatch):
    handler = CrashHandler(qapp)
    shown = []
    monkeypatch.setattr(handler, "ask", lambda summary, details: shown.append(
        (summary, details)) or "continue")
    try:
        raise ValueError("boom")
    except ValueError as exc:
        handler(type(exc), exc, exc.__traceback__)
    qtbot.waitUntil(lambda: bool(shown), timeout=3000)
    summary, details = shown[0]
    assert summary == "ValueError: boom"
    assert "Traceback" in details and "test_crash_handler_shows_the_traceback" in details
    handler.install()
    assert sys.excepthook is handler
    handler.uninstall()
    assert sys.excepthook is not handler


def test_run_app_opens_the_window_and_quits_cleanly(tmp_path):
    """``peft-studio`` with no command: the real entry point, device probe included."""
    script = textwrap.dedent("""
        import sys
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        from studio.app import run_app
        app = QApplication(["peft-studio"])
        def check():
            windows = [w for w in app.topLevelWidgets() if w.objectName() == "mainWindow"]
            print("window" if windows and windows[0].isVisible() else "no window")
            print(app.styleSheet().count("navList") > 0)
            app.quit()
        QTimer.singleShot(500, check)
        sys.exit(run_app())
    """)
    env = dict(os.environ, PEFT_STUDIO_HOME=str(tmp_path / "home"),
               QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, text=True,
                         capture_output=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["window", "True"]
    assert (tmp_path / "home" / "config" / "state.ini").is_file()   # saved on quit
