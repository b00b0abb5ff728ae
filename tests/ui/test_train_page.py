"""The Train page: the method form generated from the registry, the training form, the run
config it builds, validation gating Start, and live events (progress, charts, log)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox

from studio.core import methods
from studio.core.config import DatasetConfig, MethodConfig, RunConfig, TrainingConfig, from_dict
from studio.core.modelinfo import inspect
from studio.ui import settings as settings_mod
from studio.ui.train.page import TrainPage
from studio.ui.train.widgets import SciSpinBox, parse_modules

LLAMA = {"model_type": "llama", "architectures": ["LlamaForCausalLM"], "hidden_size": 32,
         "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 64,
         "vocab_size": 512}
GPT2 = {"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "n_embd": 32, "n_layer": 2,
        "n_head": 4, "vocab_size": 512}


def make_model(folder: Path, config: dict) -> Path:
    """A model folder validation accepts: config.json and tokenizer files (no weights)."""
    from factories import make_tokenizer

    make_tokenizer(folder)
    (folder / "config.json").write_text(json.dumps(config))
    return folder


def make_data(path: Path, rows: int = 40) -> Path:
    path.write_text("\n".join(json.dumps({"text": f"hello world number {i}"})
                              for i in range(rows)) + "\n")
    return path


@pytest.fixture
def page(qtbot):
    widget = TrainPage()
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    return widget


@pytest.fixture
def ready_page(page, qtbot, tmp_path):
    """A page with a valid model and dataset, validated and ready to start."""
    model = make_model(tmp_path / "llama", LLAMA)
    page.set_model(str(model), inspect(str(model)))
    page.set_dataset(DatasetConfig(path=str(make_data(tmp_path / "data.jsonl"))))
    qtbot.waitUntil(lambda: page.problems() == [] and page.can_start(), timeout=10000)
    return page


def pick(page: TrainPage, method_id: str) -> None:
    page.method_combo.setCurrentIndex(page.method_combo.findData(method_id))
    assert page.method_form.spec().id == method_id


# ---- the generated method form -------------------------------------------------------------
EDITOR_TYPES = {"int": QSpinBox, "float": QDoubleSpinBox, "bool": QCheckBox,
                "choice": QComboBox, "str": QLineEdit, "list": QLineEdit, "modules": QLineEdit}


@pytest.mark.parametrize("spec", methods.all_methods(), ids=lambda s: s.id)
def test_method_form_matches_the_registry(page, spec):
    pick(page, spec.id)
    form = page.method_form
    for p in spec.params:
        field = form.field(p.name)
        assert field is not None, p.name
        assert isinstance(field.editor, EDITOR_TYPES[p.type]), p.name
        assert field.get() == p.default, p.name
        assert form.advanced.body.isAncestorOf(field.editor) == p.advanced, p.name
        if p.help:
            assert p.name in field.editor.toolTip()
        if p.type == "int" and p.default is not None:
            spin = field.editor
            assert spin.minimum() == (p.min if p.min is not None else spin.minimum())
            if p.max is not None:
                assert spin.maximum() == p.max
        if p.type == "choice":
            combo = field.editor
            assert [combo.itemData(i) for i in range(combo.count())] == list(p.choices)
    assert set(form.all_values()) == {p.name for p in spec.params}
    # The defaults the form produces are valid parameters for the method.
    values = page.build_config().method.params
    assert values == {p.name: p.default for p in spec.params
                      if p.default is not None and form._applies(p.name)}
    _, problems = methods.resolve_params(MethodConfig(spec.id, values), "llama", "causal_lm")
    assert problems == []


def test_changing_method_rebuilds_the_form(page, qtbot):
    pick(page, "lora")
    assert page.method_form.field("lora_alpha") is not None
    with qtbot.waitSignal(page.sig_method_changed, timeout=3000) as blocker:
        pick(page, "prefix_tuning")
    method, training = blocker.args
    assert method.name == "prefix_tuning" and isinstance(training, TrainingConfig)
    assert page.method_form.field("lora_alpha") is None
    assert {"num_virtual_tokens", "prefix_projection"} <= set(page.method_form.all_values())
    assert "prefix_tuning" in page.method_description.text().lower() or \
        page.method_description.text()


def test_fields_that_do_not_apply_are_hidden_and_left_out(page):
    pick(page, "prefix_tuning")
    form = page.method_form
    hidden = form.field("encoder_hidden_size")
    assert not hidden.editor.isVisibleTo(page) and "encoder_hidden_size" not in form.values()
    form.field("prefix_projection").editor.setChecked(True)
    assert hidden.editor.isVisibleTo(page) or hidden.form.isRowVisible(hidden.editor)
    assert form.values()["encoder_hidden_size"] == 256

    pick(page, "prompt_tuning")
    form = page.method_form
    text = form.field("init_text")
    assert not text.form.isRowVisible(text.editor)
    form.field("init").set("text")
    text.editor.setText("classify the sentiment")
    assert text.form.isRowVisible(text.editor)
    assert form.values()["init_text"] == "classify the sentiment"


def test_method_values_survive_switching_methods(page):
    pick(page, "lora")
    page.method_form.field("r").editor.setValue(32)
    pick(page, "ia3")
    pick(page, "lora")
    assert page.method_form.values()["r"] == 32


def test_target_modules_hint_lists_and_regex(page, tmp_path):
    model = make_model(tmp_path / "llama", LLAMA)
    page.set_model(str(model), inspect(str(model)))
    pick(page, "lora")
    edit = page.method_form.field("target_modules").editor
    assert edit.placeholderText() == "default for llama: q_proj, v_proj"
    edit.setText("q_proj, k_proj v_proj")
    assert page.build_config().method.params["target_modules"] == ["q_proj", "k_proj", "v_proj"]
    edit.setText(r".*\.(q|v)_proj")
    assert page.build_config().method.params["target_modules"] == r".*\.(q|v)_proj"
    page.set_target_modules(["o_proj"])   # from the Model page's tree
    assert edit.text() == "o_proj"
    pick(page, "ia3")   # a method picked later starts from the chosen targets too
    assert page.method_form.values()["target_modules"] == ["o_proj"]
    assert parse_modules("") is None


def test_methods_that_do_not_fit_the_model_are_disabled(page, tmp_path):
    model = make_model(tmp_path / "gpt2", GPT2)
    page.set_model(str(model), inspect(str(model)))
    items = page.method_combo.model()
    row = page.method_combo.findData("loha")
    assert not items.item(row).isEnabled()
    assert "Conv1D" in items.item(row).toolTip()
    assert items.item(page.method_combo.findData("lora")).isEnabled()
    llama = make_model(tmp_path / "llama", LLAMA)
    page.set_model(str(llama), inspect(str(llama)))
    assert items.item(row).isEnabled()
    bitfit = page.method_combo.findData("bitfit")
    assert not items.item(bitfit).isEnabled()   # LLaMA has no biases


# ---- the run config ------------------------------------------------------------------------
def test_build_config_round_trips(page, qtbot, tmp_path):
    pick(page, "dora")
    page.method_form.field("r").editor.setValue(16)
    page.method_form.field("target_modules").editor.setText("q_proj, v_proj")
    t = page.training_form
    t.max_steps.setValue(20)
    t.learning_rate.lineEdit().setText("5e-4")
    t.learning_rate.interpretText()
    t.eval_steps.setValue(5)
    t.patience.setValue(2)
    page.name_edit.setText("demo run")
    page.device_combo.setCurrentIndex(page.device_combo.findData("cpu"))
    page.set_model("org/some-model", None)
    page.set_dataset(DatasetConfig(path=str(tmp_path / "d.jsonl"), format="text"))
    config = page.build_config()
    assert config.method == MethodConfig("dora", {"r": 16, "lora_alpha": 16,
                                                  "lora_dropout": 0.05,
                                                  "target_modules": ["q_proj", "v_proj"],
                                                  "bias": "none"})
    assert (config.training.max_steps, config.training.learning_rate) == (20, 5e-4)
    assert (config.training.eval_steps, config.training.early_stopping_patience) == (5, 2)
    assert (config.device, config.name, config.task) == ("cpu", "demo run", None)
    assert from_dict(yaml.safe_load(config.dump_yaml())) == config

    other = TrainPage()
    qtbot.addWidget(other)
    other.task_combo.setCurrentIndex(other.task_combo.findData("seq_cls"))
    other.set_config(config)
    assert other.build_config() == config


def test_set_config_on_the_same_method_takes_its_values(page):
    pick(page, "lora")
    config = page.build_config()
    config.method = MethodConfig("lora", {"r": 32, "lora_dropout": 0.1})
    page.set_config(config)
    assert page.build_config().method.params == {"r": 32, "lora_alpha": 16,
                                                 "lora_dropout": 0.1, "bias": "none"}


def test_training_form_round_trips_every_field(qtbot):
    from studio.ui.train.training_form import TrainingForm

    form = TrainingForm()
    qtbot.addWidget(form)
    wanted = TrainingConfig(epochs=1.5, max_steps=None, batch_size=4,
                            gradient_accumulation_steps=2, learning_rate=2e-5,
                            weight_decay=0.01, scheduler="cosine", warmup_steps=0,
                            warmup_ratio=0.1, max_grad_norm=None, max_length=256, seed=7,
                            logging_steps=5, eval_steps=50, save_steps=100,
                            save_total_limit=None, early_stopping_patience=3,
                            early_stopping_metric="perplexity", early_stopping_threshold=0.01,
                            eval_batch_size=16, dtype="float16")
    form.set_config(wanted)
    assert form.config() == wanted
    assert form.config() != TrainingConfig()


def test_run_file_tab_shows_yaml_and_command(page, qtbot, tmp_path):
    page.name_edit.setText("my run")
    qtbot.waitUntil(lambda: "name: my run" in page.run_file.yaml_view.toPlainText())
    assert page.run_file.command.text() == "peft-studio train my-run.yaml"
    page.run_file.copy_command.click()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == "peft-studio train my-run.yaml"
    target = tmp_path / "saved.yaml"
    saved = page.save_run_file(target)
    assert from_dict(yaml.safe_load(target.read_text())) == saved
    assert page.run_file.command.text() == f"peft-studio train {target}"


def test_saving_over_a_run_file_that_fails_keeps_the_old_one(page, tmp_path, monkeypatch):
    import errno
    import os

    target = tmp_path / "saved.yaml"
    target.write_text("model: the old run file\n")
    page.name_edit.setText("my run")

    def replace(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(os, "replace", replace)
        with pytest.raises(OSError):
            page.save_run_file(target)
    assert target.read_text() == "model: the old run file\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith("yaml") or "tmp" in p.name] \
        == ["saved.yaml"]


# ---- validation ----------------------------------------------------------------------------
def test_problems_disable_start(page, qtbot):
    qtbot.waitUntil(lambda: page.problems() is not None, timeout=5000)
    fields = {p.field for p in page.problems()}
    assert {"model", "dataset.path"} <= fields
    assert not page.start_button.isEnabled()
    assert page.problems_list.count() == len(page.problems())
    with qtbot.assertNotEmitted(page.sig_start_requested):
        page.request_start()


def test_valid_config_enables_start_and_emits_it(ready_page, qtbot):
    page = ready_page
    assert page.problems_list.isHidden()
    with qtbot.waitSignal(page.sig_start_requested, timeout=3000) as blocker:
        qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    config = blocker.args[0]
    assert isinstance(config, RunConfig) and config.method.name == "lora"
    # A bad value brings a problem back and Start goes off again.
    page.training_form.learning_rate.setValue(0.999)
    pick(page, "bitfit")   # the llama family has no biases
    qtbot.waitUntil(lambda: bool(page.problems()), timeout=5000)
    assert not page.start_button.isEnabled()
    assert any(p.field == "method.name" for p in page.problems())


def test_set_devices_disables_what_is_missing(page):
    page.device_combo.setCurrentIndex(page.device_combo.findData("gpu"))
    page.set_devices({"cpu": True, "gpu": False, "ascend": False, "mindspore": "2.7.0"})
    items = page.device_combo.model()
    gpu = items.item(page.device_combo.findData("gpu"))
    assert not gpu.isEnabled() and gpu.toolTip() == "not available on this machine"
    assert items.item(page.device_combo.findData("cpu")).isEnabled()
    assert page.device_combo.currentData() == "auto"
    page.set_devices({"error": "no mindspore"})
    assert gpu.isEnabled()


# ---- a run's events ------------------------------------------------------------------------
def feed_run(page: TrainPage, steps: int = 5, total: int = 10) -> None:
    page.on_event({"event": "run_started", "run_id": "r1", "total_steps": total,
                   "start_step": 0, "task": "causal_lm", "method": "lora", "device": "cpu",
                   "trainable_params": 10, "total_params": 100, "output_dir": "/tmp/x"})
    for step in range(1, steps + 1):
        page.on_event({"event": "step", "step": step, "total_steps": total,
                       "epoch": step / total, "loss": 3.0 - step * 0.1, "lr": 1e-3,
                       "grad_norm": 1.0, "tokens_per_second": 1000.0 + step,
                       "elapsed": step, "eta": 65.0})
    page.on_event({"event": "eval", "step": steps, "epoch": steps / total,
                   "metrics": {"eval_loss": 2.5, "perplexity": 12.2}})
    page.on_event({"event": "checkpoint", "step": steps, "path": "/tmp/x/checkpoint-5"})


def test_events_update_progress_charts_and_log(page, qtbot):
    assert page.charts.stack.currentWidget() is page.charts.placeholder
    feed_run(page)
    assert page.charts.stack.currentWidget() is not page.charts.placeholder
    assert page.problems_label.isHidden() and page.problems_list.isHidden()
    assert page.is_running() and page.stop_button.isEnabled()
    assert not page.start_button.isEnabled()
    assert not page.method_combo.isEnabled() or not page.method_combo.isEnabledTo(page)
    assert (page.progress.value(), page.progress.maximum()) == (5, 10)
    assert page.progress.format() == "step 5 / 10 · epoch 0.50 · ETA 0:01:05"
    charts = page.charts
    assert charts.loss.point_count(charts.train_name) == 5
    assert charts.loss.point_count(charts.eval_name) == 1
    assert charts.perplexity.point_count(charts.eval_name) == 1
    assert charts.perplexity.point_count(charts.train_name) == 5
    assert charts.lr.curve_names() and charts.tokens.curve_names()
    log = page.log_view.toPlainText()
    assert "eval @ step 5" in log and "checkpoint @ step 5" in log and "run r1" in log
    assert "loss 2.5000" in page.live_label.text()

    with qtbot.waitSignal(page.sig_stop_requested):
        page.stop_button.click()
    page.on_event({"event": "finished", "status": "stopped", "step": 5, "output_dir": "/x"})
    page.on_run_finished({"status": "stopped", "run_id": "r1", "exit_code": 0, "error": None,
                          "stderr_tail": ""})
    assert not page.is_running() and page.resume_button.isEnabled()
    with qtbot.waitSignal(page.sig_resume_requested) as blocker:
        page.resume_button.click()
    assert blocker.args == ["r1"]
    page.on_run_finished({"status": "completed", "run_id": "r1"})
    assert not page.resume_button.isEnabled()


def test_smoothing_slider_reaches_the_metric_charts(page):
    page.charts.smoothing.setValue(30)
    charts = page.charts
    assert all(abs(c.smoothing() - 0.3) < 1e-9
               for c in (charts.loss, charts.perplexity, charts.tokens))
    assert charts.lr.smoothing() == 0   # the schedule is drawn as it is


def test_log_pane_is_bounded(page):
    for i in range(50):
        page.append_log(f"line {i}")
    page.log_view.setMaximumBlockCount(20)
    page.append_log("last")
    assert page.log_view.blockCount() <= 20


def test_resumed_run_draws_its_earlier_curve(page, qtbot):
    from studio.core.store import RunStore

    with RunStore() as store:
        run_id = store.new_run_id()
        store.create_run(RunConfig(model="m").to_dict(), run_id=run_id, name="r",
                         model="m", method="lora", status="stopped")
        store.add_metrics(run_id, [(s, "train", "loss", 3.0 - s / 10) for s in range(1, 9)])
    page.on_event({"event": "run_started", "run_id": run_id, "total_steps": 10,
                   "start_step": 6, "task": "causal_lm"})
    page.on_event({"event": "step", "step": 7, "total_steps": 10, "loss": 1.0})
    name = page.charts.train_name
    qtbot.waitUntil(lambda: page.charts.loss.point_count(name) == 7, timeout=5000)
    steps, values = page.charts.loss.series(name)
    assert list(steps) == [1, 2, 3, 4, 5, 6, 7] and values[-1] == 1.0


def test_state_persists_between_pages(page, qtbot):
    pick(page, "dora")
    page.method_form.field("r").editor.setValue(4)
    page.training_form.batch_size.setValue(2)
    page.device_combo.setCurrentIndex(page.device_combo.findData("cpu"))
    page.save_state(settings_mod.settings())
    other = TrainPage()
    qtbot.addWidget(other)
    other.restore_state(settings_mod.settings())
    assert other.method_id() == "dora"
    assert other.build_config() == page.build_config()


def test_sci_spinbox_accepts_scientific_notation_and_steps_nicely(qtbot):
    box = SciSpinBox(1e-8, 0.999, log_steps=True)
    qtbot.addWidget(box)
    box.setValue(1e-3)
    assert box.text() == "0.001"
    box.lineEdit().setText("5e-5")
    box.interpretText()
    assert box.value() == pytest.approx(5e-5)
    assert box.text() == "5e-5"
    box.stepBy(1)
    assert box.value() == pytest.approx(1e-4)
    box.stepBy(-2)
    assert box.value() == pytest.approx(2e-5)


def test_tab_order_follows_the_page_after_a_method_change(page):
    pick(page, "prefix_tuning")
    pick(page, "lora")
    order, widget = [], page.method_combo
    while len(order) < 6:
        widget = widget.nextInFocusChain()
        inner = widget.objectName() == "qt_spinbox_lineedit"   # part of the box before it
        if widget.focusPolicy() != Qt.FocusPolicy.NoFocus and widget.isEnabled() and not inner:
            order.append(widget.objectName())
    assert order[:4] == ["param_r", "param_lora_alpha", "param_lora_dropout",
                         "param_target_modules"]


def test_workers_and_hosts_round_trip_and_are_validated(page, qtbot, tmp_path):
    from studio.core.config import DistributedConfig

    d = page.distributed_form
    assert page.build_config().distributed == DistributedConfig()
    assert not d.hosts_section.body.isVisibleTo(d)   # hosts sit under "Several hosts"
    d.workers.setValue(4)
    d.hosts.setText("10.0.0.1, 10.0.0.2 ;")
    d.master_port.setValue(29500)
    config = page.build_config()
    assert config.distributed == DistributedConfig(workers=4, hosts=["10.0.0.1", "10.0.0.2"],
                                                   master_port=29500)
    other = TrainPage()
    qtbot.addWidget(other)
    other.set_config(config)
    assert other.build_config().distributed == config.distributed
    assert other.distributed_form.hosts_section.body.isVisibleTo(other.distributed_form)

    d.hosts.clear()
    d.workers.setValue(3)   # the batch size of 8 cannot be split across 3 workers
    model = make_model(tmp_path / "llama", LLAMA)
    page.set_model(str(model), inspect(str(model)))
    page.set_dataset(DatasetConfig(path=str(make_data(tmp_path / "data.jsonl"))))
    qtbot.waitUntil(lambda: any("multiple of 3" in str(p) for p in page.problems() or []),
                    timeout=10000)
    assert not page.can_start()


def test_each_workers_state_is_shown(page):
    feed_run(page)
    assert page.monitor.workers_label.isHidden()
    page.on_event({"event": "workers", "workers": [
        {"rank": 0, "host": "vm", "pid": 11, "state": "running"},
        {"rank": 1, "host": "vm", "pid": 12, "state": "failed"}]})
    text = page.monitor.workers_label.text()
    assert not page.monitor.workers_label.isHidden()
    assert "worker 0: running" in text and "worker 1: failed" in text
    assert "#dc2626" in text   # the failed one in red
    assert '"event"' not in page.log_view.toPlainText()
