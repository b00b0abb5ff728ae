"""The whole window with the real trainer: fill the forms for a tiny local model and dataset,
Start, see chart points arrive, Stop, Resume, let it finish, and find the run with its curves
on the Runs page. Slow: the training child imports mindnlp and trains."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from studio.core.config import DatasetConfig
from studio.ui.mainwindow import MainWindow

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
TRAIN_MS = 300_000


def build_model(folder: Path) -> Path:
    # In a child process: this test process, like the window, never imports mindnlp.
    subprocess.run([sys.executable, "-c",
                    "import sys; sys.path[:0] = sys.argv[2:]; from factories import make_model;"
                    "make_model(sys.argv[1], 'llama', init_range=0.2)",
                    str(folder), str(ROOT / "tests"), str(ROOT)], check=True, timeout=300)
    return folder


def test_forms_train_stop_resume_and_runs_page(qtbot, tmp_path):
    from factories import write_text_dataset

    model = build_model(tmp_path / "tiny-llama")
    data = write_text_dataset(tmp_path / "lines.txt", n=64)

    def stop_child(win: MainWindow) -> None:   # never leave a trainer behind
        if win.is_training():
            win.worker.kill()
            win.worker.detach()

    window = MainWindow(probe_devices=False)
    qtbot.addWidget(window, before_close_func=stop_child)
    window.resize(1280, 800)
    window.show()
    train = window.train_page

    # Model and Data pages: the Train page hears of both through the window.
    with qtbot.waitSignal(window.model_page.sig_model_changed, timeout=60_000):
        window.model_page.set_model(str(model))
    window.data_page.set_dataset_config(DatasetConfig(path=str(data)))
    qtbot.waitUntil(lambda: train.build_config().dataset.path == str(data), timeout=60_000)
    assert train.build_config().model == str(model)

    # Train page: the forms.
    train.method_combo.setCurrentIndex(train.method_combo.findData("lora"))
    train.method_form.field("r").editor.setValue(4)
    form = train.training_form
    form.max_steps.setValue(24)
    form.batch_size.setValue(2)
    form.max_length.setValue(32)
    form.save_steps.setValue(2)
    form.eval_steps.setValue(8)
    form.learning_rate.setValue(1e-2)
    train.device_combo.setCurrentIndex(train.device_combo.findData("cpu"))
    train.name_edit.setText("end-to-end")
    qtbot.waitUntil(lambda: train.problems() == [] and train.can_start(), timeout=60_000)

    qtbot.mouseClick(train.start_button, Qt.MouseButton.LeftButton)
    assert train.is_running()
    qtbot.waitUntil(lambda: train.charts.points >= 3, timeout=TRAIN_MS)
    loss = train.charts.loss
    assert loss.point_count(train.charts.train_name) >= 3
    run_id = train.run_id()
    assert run_id

    with qtbot.waitSignal(window.worker.sig_finished, timeout=TRAIN_MS) as stopped:
        qtbot.mouseClick(train.stop_button, Qt.MouseButton.LeftButton)
    assert stopped.args[0]["status"] == "stopped", stopped.args[0]
    assert train.resume_button.isEnabled() and not train.is_running()
    stopped_at = train.progress.value()
    assert stopped_at < 24

    with qtbot.waitSignal(window.worker.sig_finished, timeout=TRAIN_MS) as finished:
        qtbot.mouseClick(train.resume_button, Qt.MouseButton.LeftButton)
    assert finished.args[0]["status"] == "completed", finished.args[0]
    assert finished.args[0]["run_id"] == run_id
    steps, _ = loss.series(train.charts.train_name)
    assert steps[-1] == 24 and len(steps) == len(set(steps))   # resumed, not restarted
    assert "finished (completed)" in train.log_view.toPlainText()

    # Runs page: the run, completed, with its curves.
    runs = window.runs_page
    window.show_page(3)
    with qtbot.waitSignal(runs.sig_selection_loaded, timeout=60_000):
        runs.select_run(run_id)
    record = runs.current_run()
    assert record is not None and record.id == run_id and record.status == "completed"
    assert record.name == "end-to-end"
    curves = runs.compare.curves()
    assert [c.run_id for c in curves] == [run_id]
    assert len(curves[0].series["train/loss"][0]) == 24


def test_sigkill_of_the_trainer_leaves_the_window_up_and_resume_finishes(qtbot, tmp_path):
    """The training child dies outright (as in an out-of-memory kill): the window survives,
    the run is marked failed with a readable error, and Resume finishes it."""
    import os
    import signal

    from factories import write_run_file, write_text_dataset

    from studio.core.store import RunStore

    model = build_model(tmp_path / "tiny-llama")
    data = write_text_dataset(tmp_path / "lines.txt", n=64)
    run_file = write_run_file(tmp_path / "run.yaml", model, data,
                              training={"max_steps": 16, "batch_size": 2, "save_steps": 2,
                                        "max_length": 32},
                              output_dir=str(tmp_path / "out"), name="to-be-killed")

    window = MainWindow(probe_devices=False)
    qtbot.addWidget(window, before_close_func=lambda win: win.worker.kill()
                    if win.is_training() else None)
    window.show()
    train = window.train_page
    window.open_run_file(str(run_file))
    qtbot.waitUntil(lambda: train.problems() == [] and train.can_start(), timeout=60_000)
    qtbot.mouseClick(train.start_button, Qt.MouseButton.LeftButton)
    # Wait for a checkpoint, then kill the child the hard way.
    qtbot.waitUntil(lambda: "checkpoint" in train.log_view.toPlainText(), timeout=TRAIN_MS)
    run_id = train.run_id()
    with qtbot.waitSignal(window.worker.sig_finished, timeout=60_000) as died:
        os.kill(window.worker.pid, signal.SIGKILL)
    outcome = died.args[0]
    assert outcome["status"] == "failed" and "SIGKILL" in outcome["error"]
    qtbot.waitUntil(lambda: window.last_error_box is not None, timeout=10_000)
    assert window.isVisible() and not train.is_running()
    qtbot.waitUntil(lambda: RunStore().get_run(run_id).status == "failed", timeout=10_000)

    window.last_error_box.close()
    assert train.resume_button.isEnabled()
    with qtbot.waitSignal(window.worker.sig_finished, timeout=TRAIN_MS) as finished:
        qtbot.mouseClick(train.resume_button, Qt.MouseButton.LeftButton)
    assert finished.args[0]["status"] == "completed", finished.args[0]
    record = RunStore().get_run(run_id)
    assert record.status == "completed" and record.last_step == 16
    steps = [p.step for p in RunStore().metric_series(run_id)["train/loss"]]
    assert steps == list(range(1, 17))
