"""The Export page: the source list from the store, what a source is, the three kinds of
export (a prefix-tuning run offers only the adapter), combination checks, the output folder
rule, the progress and result driven by worker events (a fake worker), and one slow test
with the real ``peft-studio export`` on a tiny trained adapter."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from studio import paths
from studio.core.store import RunStore
from studio.ui.export import request as request_mod
from studio.ui.export.page import ExportPage
from studio.ui.export.request import ExportRequest

BASE = "org/tiny-llama"
KEY = "base_model.model.model.layers.{i}.self_attn.{m}.lora_{ab}.weight"


def make_adapter(folder: Path, peft_type: str = "LORA", r: int = 4,
                 modules: tuple[str, ...] = ("q_proj", "v_proj")) -> Path:
    """Adapter files as PEFT writes them; the page reads only the config and the header."""
    from safetensors.numpy import save_file

    folder.mkdir(parents=True, exist_ok=True)
    config: dict[str, Any] = {"peft_type": peft_type, "base_model_name_or_path": BASE,
                              "task_type": "CAUSAL_LM"}
    if peft_type == "LORA":
        config.update(r=r, lora_alpha=2 * r, target_modules=list(modules))
        tensors = {}
        for i in range(2):
            for m in modules:
                tensors[KEY.format(i=i, m=m, ab="A")] = np.zeros((r, 8), np.float32)
                tensors[KEY.format(i=i, m=m, ab="B")] = np.zeros((8, r), np.float32)
    else:
        config.update(num_virtual_tokens=4, num_layers=2, token_dim=8)
        tensors = {"prompt_embeddings": np.zeros((4, 32), np.float32)}
    (folder / "adapter_config.json").write_text(json.dumps(config))
    save_file(tensors, str(folder / "adapter_model.safetensors"))
    return folder


@pytest.fixture
def runs(tmp_path) -> dict[str, Any]:
    """Runs in the test's store: LoRA rank 4 and 8, prefix tuning, a stopped LoRA run with
    only checkpoints, and one still training (not exportable)."""
    made = {}
    with RunStore() as store:
        specs = [("lora-a", "lora", "LORA", 4), ("lora-b", "lora", "LORA", 8),
                 ("prefix", "prefix_tuning", "PREFIX_TUNING", 0)]
        for name, method, peft_type, r in specs:
            out = make_adapter(tmp_path / "runs" / name, peft_type, r or 4)
            made[name] = store.create_run(
                {"model": BASE, "method": {"name": method}, "task": "causal_lm"}, name=name,
                output_dir=str(out), status="completed")
        out = tmp_path / "runs" / "stopped"
        stopped = store.create_run({"model": BASE, "method": {"name": "lora"},
                                    "task": "causal_lm"}, name="stopped",
                                   output_dir=str(out), status="stopped")
        for step in (1, 2):
            folder = out / "checkpoints" / f"step-{step:06d}"
            make_adapter(folder / "adapter")
            (folder / "trainer_state.json").write_text("{}")
            store.add_checkpoint(stopped.id, step, folder)
        made["stopped"] = stopped
        busy = make_adapter(tmp_path / "runs" / "busy")
        made["busy"] = store.create_run({"model": BASE, "method": {"name": "lora"}},
                                        name="busy", output_dir=str(busy), status="running")
    return made


class FakeExportWorker(QObject):
    """Stands in for workers.export.ExportWorker (same signals and methods)."""

    sig_progress = Signal(dict)
    sig_log = Signal(str)
    sig_finished = Signal(dict)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.calls: list[tuple[Any, ...]] = []
        self.running = False

    def start(self, args: list[str], out_dir: Any = None) -> None:
        self.calls.append(("start", list(args), out_dir))
        self.running = True

    def cancel(self, timeout_s: float = 10.0) -> None:
        self.calls.append(("cancel",))

    def shutdown(self) -> None:
        self.calls.append(("shutdown",))

    def is_running(self) -> bool:
        return self.running

    def finish(self, status: str, result: dict | None = None, **extra: Any) -> None:
        self.running = False
        self.sig_finished.emit({"status": status, "result": result, "error": None,
                                "kind": None, "traceback": None, "exit_code": 0,
                                "stderr_tail": "", **extra})


@pytest.fixture
def fake_worker() -> dict[str, FakeExportWorker]:
    return {}


@pytest.fixture
def page(qtbot, runs, fake_worker):
    def factory(parent):
        fake_worker["worker"] = FakeExportWorker(parent)
        return fake_worker["worker"]

    widget = ExportPage(worker_factory=factory)
    qtbot.addWidget(widget)
    widget.resize(1110, 760)
    with qtbot.waitSignal(widget.source.sig_runs_loaded, timeout=15000):
        widget.show()
    yield widget
    if widget.last_error_box is not None:
        widget.last_error_box.close()


def choose(qtbot, page: ExportPage, run_id: str, step: int | None = None) -> None:
    """Choose a run and wait until it is inspected and the settings are checked."""
    ref = f"{run_id}@{step}" if step is not None else run_id
    if page.source.current_ref() != ref:
        page.select_run(run_id, step)
    qtbot.waitUntil(lambda: page.source.current_ref() == ref
                    and page.source.inspection() is not None
                    and page.problems() is not None, timeout=15000)


def checked(qtbot, page: ExportPage, action=None) -> list[str]:
    with qtbot.waitSignal(page.sig_checked, timeout=15000):
        if action is not None:
            action()
    qtbot.waitUntil(lambda: page.problems() is not None, timeout=15000)
    return page.problems() or []


# ---- the source ----------------------------------------------------------------------------
def test_the_source_list_holds_the_finished_runs(page, runs):
    combo = page.source.run_combo
    ids = [combo.itemData(i) for i in range(combo.count())]
    assert set(ids) == {runs[n].id for n in ("lora-a", "lora-b", "prefix", "stopped")}
    assert runs["busy"].id not in ids
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert "lora-a · LoRA" in texts and "stopped · LoRA · stopped" in texts


def test_what_the_source_is(qtbot, page, runs):
    choose(qtbot, page, runs["lora-b"].id)
    values = {k: v.full_text() for k, v in page.source.values.items()}
    assert values["method"] == "LoRA  ·  rank 8"
    assert values["base"] == BASE
    assert values["task"] == "Causal language modelling"
    assert values["kind"] == "PEFT adapter (LORA)"
    assert values["folder"] == runs["lora-b"].output_dir
    assert page.modes.isTabEnabled(1) and not page.refusal.isVisible()
    assert page.problems() == [] and page.export_button.isEnabled()
    assert page.command_line() == (f"peft-studio export {runs['lora-b'].id} --adapter "
                                   f"{paths.data_dir() / 'exports' / 'lora-b-adapter'}")


def test_a_stopped_run_offers_its_checkpoints(qtbot, page, runs):
    run = runs["stopped"]
    choose(qtbot, page, run.id, 1)
    steps = page.source.step_combo
    assert [steps.itemText(i) for i in range(steps.count())] == \
        ["Checkpoint at step 2", "Checkpoint at step 1"]   # no final result to offer
    assert page.source.values["kind"].full_text().endswith("checkpoint at step 1")
    assert page.source.current_label() == "stopped @ step 1"
    assert page.output_dir().endswith("stopped-step1-adapter")
    assert f"{run.id}@1 --adapter" in page.command_line()


def test_a_folder_outside_the_store(qtbot, page, tmp_path):
    folder = make_adapter(tmp_path / "elsewhere" / "my-prefix", "PREFIX_TUNING")
    with qtbot.waitSignal(page.source.sig_inspected, timeout=15000):
        page.set_source_folder(folder)
    assert page.source.run_combo.currentText() == "Folder: my-prefix"
    assert not page.source.step_combo.isEnabled()
    inspection = page.source.inspection()
    assert inspection is not None and inspection.source.run is None
    assert page.source.values["method"].full_text() == "Prefix tuning"


def test_an_unreadable_source_says_why(qtbot, page, tmp_path):
    folder = tmp_path / "not-an-adapter"
    folder.mkdir()
    with qtbot.waitSignal(page.source.sig_inspected, timeout=15000):
        page.set_source_folder(folder)
    assert page.source.error_label.isVisible()
    assert "holds neither an adapter" in page.source.error_label.text()
    assert not page.export_button.isEnabled()


# ---- the kinds of export -------------------------------------------------------------------
def test_prefix_tuning_offers_only_the_adapter(qtbot, page, runs):
    choose(qtbot, page, runs["lora-a"].id)
    page.set_mode("merged")
    choose(qtbot, page, runs["prefix"].id)
    assert not page.modes.isTabEnabled(1)
    assert page.modes.mode() == "adapter"          # moved off the disabled tab
    assert page.refusal.isVisible()
    text = page.refusal_label.text()
    assert "Prefix tuning cannot be merged into the model" in text
    assert "Export the adapter instead" in text
    assert "cannot be merged" in page.modes.tabToolTip(1)
    assert page.export_button.isEnabled() and "--adapter" in page.command_line()
    page.set_mode("combine")
    assert not page.refusal.isVisible()   # the combination's own check speaks there
    page.set_mode("adapter")
    assert page.refusal.isVisible()


def test_a_bitfit_result_offers_only_the_merged_model(qtbot, page, tmp_path):
    folder = tmp_path / "bitfit"
    folder.mkdir()
    (folder / "bitfit_config.json").write_text(json.dumps({"base_model_name_or_path": BASE}))
    page.set_mode("adapter")
    with qtbot.waitSignal(page.source.sig_inspected, timeout=15000):
        page.set_source_folder(folder)
    assert not page.modes.isTabEnabled(0) and page.modes.mode() == "merged"
    assert page.refusal.isVisible() and "BitFit result is a patch of bias values" in \
        page.refusal_label.text()


def test_merged_settings_reach_the_command(qtbot, page, runs):
    choose(qtbot, page, runs["lora-a"].id)
    modes = page.modes
    page.set_mode("merged")
    modes.dtype_combo.setCurrentIndex(modes.dtype_combo.findData("bfloat16"))
    problems = checked(qtbot, page, lambda: modes.shard_edit.setText("500MB"))
    assert problems == []
    out = paths.data_dir() / "exports" / "lora-a-merged-bfloat16"
    assert page.output_dir() == str(out)
    assert page.command_line() == (f"peft-studio export {runs['lora-a'].id} --merged {out} "
                                   f"--dtype bfloat16 --shard-size 500MB")
    problems = checked(qtbot, page, lambda: modes.shard_edit.setText("huge"))
    assert any("'huge' is not a size" in p for p in problems)
    assert not page.export_button.isEnabled()
    assert "is not a size" in page.problems_label.text() and page.problems_label.isVisible()


def test_combining_checks_the_adapters(qtbot, page, runs):
    modes = page.modes
    page.set_mode("combine")
    assert "Add the LoRA adapters" in " ".join(checked(qtbot, page))
    for name in ("lora-a", "lora-b"):
        choose(qtbot, page, runs[name].id)
        page.add_current_to_combination()
    assert modes.combine_table.pairs() == [(runs["lora-a"].id, 0.5), (runs["lora-b"].id, 0.5)]
    qtbot.waitUntil(lambda: modes.combine_problem.isVisible(), timeout=15000)
    assert "linear combination needs equal ranks" in modes.combine_problem.text()
    assert "ranks 4, 8" in modes.combine_problem.text()
    assert not page.export_button.isEnabled()
    assert "equal ranks" not in page.problems_label.text()   # shown once, in the tab

    problems = checked(qtbot, page, lambda: modes.combination_combo.setCurrentIndex(
        modes.combination_combo.findData("svd")))
    assert problems == [] and not modes.combine_problem.isVisible()
    checked(qtbot, page, lambda: modes.svd_rank.setValue(6))
    assert page.export_button.isEnabled()
    assert page.output_dir().endswith("lora-a+lora-b-combined")
    assert page.command_line().startswith(
        f"peft-studio export --combine {runs['lora-a'].id}:0.5 {runs['lora-b'].id}:0.5 --out ")
    assert page.command_line().endswith("--combination svd --svd-rank 6")

    choose(qtbot, page, runs["prefix"].id)
    page.add_current_to_combination()
    qtbot.waitUntil(lambda: "only LoRA adapters" in modes.combine_problem.text(),
                    timeout=15000)
    modes.combine_table.selectRow(2)
    problems = checked(qtbot, page, modes.combine_table.remove_selected)
    assert problems == [] and modes.combine_table.rowCount() == 2


# ---- the output folder ---------------------------------------------------------------------
def test_a_folder_of_the_users_is_refused_even_with_overwrite(qtbot, page, runs, fake_worker,
                                                              tmp_path):
    choose(qtbot, page, runs["lora-a"].id)
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    problems = checked(qtbot, page, lambda: page.set_output_dir(busy))
    assert any("already holds files" in p for p in problems)
    assert "did not export" in page.folder_hint.text()
    assert page.folder_hint.property("state") == "bad"
    problems = checked(qtbot, page, lambda: page.overwrite_check.setChecked(True))
    assert any("PEFT Studio did not export into it" in p for p in problems)
    assert page.folder_hint.property("state") == "bad"
    assert not page.export_button.isEnabled()
    assert page.request_export() is False            # checked when Export is pressed too
    box = page.last_error_box
    assert box is not None and box.isVisible() and "did not export" in box.text()
    assert "worker" not in fake_worker
    assert [p.name for p in busy.iterdir()] == ["notes.txt"]
    box.close()


def test_an_earlier_export_is_refused_unless_overwrite(qtbot, page, runs, fake_worker,
                                                       tmp_path):
    from studio.core import ownership

    choose(qtbot, page, runs["lora-a"].id)
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "adapter_model.safetensors").write_text("an earlier export")
    ownership.mark(busy, ownership.EXPORT)
    problems = checked(qtbot, page, lambda: page.set_output_dir(busy))
    assert any("already holds files" in p for p in problems)
    assert "earlier export" in page.folder_hint.text()
    assert page.folder_hint.property("state") == "bad"
    assert not page.export_button.isEnabled()
    assert page.request_export() is False            # checked when Export is pressed too
    box = page.last_error_box
    assert box is not None and box.isVisible() and "tick Overwrite" in box.text()
    assert "worker" not in fake_worker
    box.close()

    problems = checked(qtbot, page, lambda: page.overwrite_check.setChecked(True))
    assert problems == [] and page.folder_hint.property("state") == "warn"
    assert page.command_line().endswith("--overwrite")
    assert page.request_export() is True
    kind, args, out_dir = fake_worker["worker"].calls[0]
    assert args == [runs["lora-a"].id, "--adapter", str(busy), "--overwrite"]
    assert (kind, out_dir) == ("start", str(busy))


def test_verify_can_be_switched_off(qtbot, page, runs):
    choose(qtbot, page, runs["lora-a"].id)
    assert page.verify_check.isChecked()
    page.verify_check.setChecked(False)
    assert page.command_line().endswith("--no-verify")


def test_the_suggested_folder_follows_until_one_is_chosen(qtbot, page, runs, tmp_path):
    choose(qtbot, page, runs["lora-a"].id)
    taken = paths.data_dir() / "exports" / "lora-b-adapter"
    taken.mkdir(parents=True)
    (taken / "x").write_text("an earlier export")
    choose(qtbot, page, runs["lora-b"].id)
    assert page.output_dir() == str(taken) + "-2"    # never a folder that holds files
    page.set_output_dir(tmp_path / "mine")
    choose(qtbot, page, runs["lora-a"].id)
    assert page.output_dir() == str(tmp_path / "mine")


# ---- running -------------------------------------------------------------------------------
VERIFIED = {"passed": True, "max_abs_diff": 3.1e-7, "tolerance": 1.2e-4, "dtype": "float32",
            "samples": 4, "seconds": 5.5, "error": None}


def result(out: str, verification: dict | None = VERIFIED, **extra: Any) -> dict[str, Any]:
    return {"event": "export_finished", "kind": "merged", "path": out, "dtype": "float32",
            "size_bytes": 2_500_000, "files": ["README.md", "config.json", "model.safetensors"],
            "verification": verification, "run_ids": ["r"], "export_ids": [1], "details": {},
            "ok": verification is None or verification["passed"], **extra}


def start(qtbot, page: ExportPage, runs, fake_worker, mode: str = "merged"):
    choose(qtbot, page, runs["lora-a"].id)
    page.set_mode(mode)
    qtbot.waitUntil(page.export_button.isEnabled, timeout=15000)
    page.export_button.click()
    return fake_worker["worker"]


def test_progress_follows_the_events_and_the_result_shows_the_verification(
        qtbot, page, runs, fake_worker):
    worker = start(qtbot, page, runs, fake_worker)
    assert page.is_exporting() and page.cancel_button.isEnabled()
    assert not page.export_button.isEnabled() and not page.source.isEnabled()
    assert not page.modes.isEnabled() and not page.out_edit.isEnabled()
    assert page.progress.isVisible() and page.progress.value() == 0
    values = []
    for stage, message, current, total in [
            ("checking", "looking up r", 0, 0), ("loading", "loading lora-a", 0, 0),
            ("merging", "merging the lora adapter into the weights", 0, 0),
            ("writing", "writing shard 1/3 (model-00001-of-00003.safetensors)", 1, 3),
            ("writing", "writing shard 2/3 (model-00002-of-00003.safetensors)", 2, 3),
            ("writing", "writing shard 3/3 (model-00003-of-00003.safetensors)", 3, 3),
            ("verifying", "reloading the export in a fresh process", 0, 0)]:
        worker.sig_progress.emit({"event": "export_progress", "stage": stage,
                                  "message": message, "current": current, "total": total})
        values.append(page.progress.value())
        if stage == "writing" and current == 2:
            assert page.progress.text() == "Writing 2 of 3"
            assert page.stage_label.text() == \
                "Writing shard 2/3 (model-00002-of-00003.safetensors)"
    assert values == sorted(values) and values[0] == 0 and values[-1] == 85
    assert values[3] < values[4] < values[5]

    out = page.output_dir()
    with qtbot.waitSignal(page.sig_export_finished) as finished:
        worker.finish("exported", result(out))
    assert finished.args[0]["status"] == "exported"
    assert not page.is_exporting()
    assert page.source.isEnabled() and not page.cancel_button.isEnabled()
    assert page.progress.value() == 100
    panel = page.result
    assert panel.isVisible() and panel.path() == Path(out)
    assert panel.headline.text() == "Merged model exported (float32)"
    assert panel.size_label.text() == "2.4 MB"   # 2,500,000 bytes, as the Runs page says
    assert panel.files_label.text() == "README.md, config.json, model.safetensors"
    assert panel.verification_state() == "passed"
    assert "Passed: max |logit difference| 3.1e-07 ≤ tolerance 0.00012" in \
        panel.verification_label.text()
    assert page.stage_label.text() == f"Exported to {out}."


def test_a_failed_verification_shows_in_red(qtbot, page, runs, fake_worker):
    worker = start(qtbot, page, runs, fake_worker)
    failed = {**VERIFIED, "passed": False, "max_abs_diff": 0.5}
    worker.finish("verification_failed", result(page.output_dir(), failed))
    assert page.result.verification_state() == "failed"
    assert "FAILED: max |logit difference| 0.5 > tolerance 0.00012" in \
        page.result.verification_label.text()
    assert "verification failed" in page.stage_label.text()


def test_an_unverified_export(qtbot, page, runs, fake_worker):
    worker = start(qtbot, page, runs, fake_worker, "adapter")
    worker.finish("exported", result(page.output_dir(), None, kind="adapter", dtype=None))
    assert page.result.verification_state() == "skipped"
    assert page.result.headline.text() == "Adapter exported"


def test_a_failed_export_shows_the_error(qtbot, page, runs, fake_worker):
    worker = start(qtbot, page, runs, fake_worker)
    worker.finish("failed", None, error="not enough free disk space in /x", kind="known",
                  stderr_tail="some stderr")
    box = page.last_error_box
    assert box is not None and box.isVisible()
    assert box.text() == "not enough free disk space in /x"
    assert "some stderr" in box.detailedText()
    assert not page.result.isVisible() and page.progress.text() == "Failed"
    box.close()


def test_cancel(qtbot, page, runs, fake_worker):
    worker = start(qtbot, page, runs, fake_worker)
    page.cancel_button.click()
    assert worker.calls[-1] == ("cancel",)
    assert page.stage_label.text() == "Cancelling…" and not page.cancel_button.isEnabled()
    worker.finish("cancelled")
    assert page.stage_label.text() == "Export cancelled; nothing was written."
    assert not page.is_exporting()
    page.shutdown()
    assert worker.calls[-1] == ("cancel",)   # nothing running: nothing to shut down


def test_cancel_during_verification_says_the_files_are_there(qtbot, page, runs, fake_worker):
    worker = start(qtbot, page, runs, fake_worker)
    out = page.output_dir()
    worker.sig_progress.emit({"event": "export_progress", "stage": "verifying",
                              "message": "reloading", "current": 0, "total": 0})
    page.cancel()
    worker.finish("cancelled", last_stage="verifying")
    assert page.stage_label.text() == (f"Verification cancelled: the files in {out} are "
                                       f"complete but not verified, and not recorded with "
                                       f"the run.")


# ---- the request (Qt-free) -----------------------------------------------------------------
def test_the_page_constants_match_the_export_layer():
    from studio.core import export

    assert request_mod.DTYPES == export.DTYPES
    assert request_mod.COMBINATIONS == export.COMBINATIONS
    assert request_mod.STAGES == export.STAGES


def test_request_arguments():
    adapter = ExportRequest("adapter", "r1@20", "/out x", base_model_name="org/base")
    assert adapter.args() == ["r1@20", "--adapter", "/out x", "--base-model-name", "org/base"]
    assert adapter.command_line() == \
        "peft-studio export r1@20 --adapter '/out x' --base-model-name org/base"
    merged = ExportRequest("merged", "r1", "/o", dtype="float16", base_model_name="ignored",
                           verify=False, overwrite=True)
    assert merged.args() == ["r1", "--merged", "/o", "--dtype", "float16", "--overwrite",
                             "--no-verify"]
    combine = ExportRequest("combine", out="/c", sources=[("a", 0.7), ("b@3", 0.3)],
                            combination="cat", svd_rank=4)
    assert combine.args() == ["--combine", "a:0.7", "b@3:0.3", "--out", "/c",
                              "--combination", "cat"]
    assert ExportRequest("adapter").command_line() == "peft-studio export RUN --adapter OUT"


# ---- the real thing ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def trained(tmp_path_factory, tiny_models):
    """One LoRA run on a tiny Llama, in a studio home of its own."""
    from factories import write_run_file, write_text_dataset

    from studio.core import runner
    from studio.core.validate import load_and_validate

    home = tmp_path_factory.mktemp("export-page")
    data = write_text_dataset(home / "lines.txt", n=16)
    run_file = write_run_file(home / "run.yaml", tiny_models("llama", init_range=0.2), data,
                              training={"epochs": 1, "batch_size": 4, "max_steps": 2},
                              output_dir=str(home / "run"), name="page-lora")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PEFT_STUDIO_HOME", str(home / "studio"))
        with RunStore() as store:
            assert runner.start(load_and_validate(run_file), lambda *a, **k: None, store) == 0
            run = store.find_run("page-lora")
    return home / "studio", run


@pytest.mark.slow
def test_end_to_end_with_the_real_export(qtbot, trained, monkeypatch, tmp_path):
    home, run = trained
    monkeypatch.setenv("PEFT_STUDIO_HOME", str(home))
    page = ExportPage()
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.source.sig_runs_loaded, timeout=15000):
        page.show()
    choose(qtbot, page, run.id)
    out = tmp_path / "exported-adapter"
    page.set_output_dir(out)
    qtbot.waitUntil(page.export_button.isEnabled, timeout=15000)
    stages = []
    with qtbot.waitSignal(page.sig_export_finished, timeout=300_000) as finished:
        page.export_button.click()
        page.worker.sig_progress.connect(lambda e: stages.append(e["stage"]))
    payload = finished.args[0]
    assert payload["status"] == "exported", payload
    for stage in ("loading", "writing", "verifying", "done"):
        assert stage in stages, stages
    assert page.result.verification_state() == "passed"
    assert page.result.path() == out.resolve()
    assert "adapter_model.safetensors" in page.result.files_label.text()
    assert {"adapter_config.json", "adapter_model.safetensors", "README.md"} <= \
        {p.name for p in out.iterdir()}
    with RunStore() as store:
        exports = store.exports(run.id)
    assert [(e.kind, e.path, e.verified) for e in exports] == \
        [("adapter", str(out.resolve()), True)]
    assert exports[0].max_abs_diff is not None and exports[0].max_abs_diff <= \
        payload["result"]["verification"]["tolerance"]
    QApplication.processEvents()
