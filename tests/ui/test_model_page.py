"""The Model page: inspection off the GUI thread, module tree with checkboxes, regex targets,
family defaults, recent models, drag and drop, and the estimate panel."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog
from safetensors.numpy import save_file

from studio.core import modelinfo
from studio.core.config import MethodConfig, TrainingConfig
from studio.ui.model.page import ModelPage
from studio.ui.model.treemodel import ModuleTreeModel

LLAMA = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 32,
         "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
         "num_key_value_heads": 2, "vocab_size": 512, "tie_word_embeddings": False}
Q_V = ["model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj",
       "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj"]


def write_llama(folder, dtype=np.float32):
    """A llama-shaped folder like tests/factories.make_model writes, without the stack."""
    shapes = {"model.embed_tokens.weight": (512, 32), "model.norm.weight": (32,),
              "lm_head.weight": (512, 32)}
    for i in range(2):
        p = f"model.layers.{i}."
        shapes.update({p + "self_attn.q_proj.weight": (32, 32), p + "self_attn.k_proj.weight":
                       (16, 32), p + "self_attn.v_proj.weight": (16, 32),
                       p + "self_attn.o_proj.weight": (32, 32), p + "mlp.gate_proj.weight":
                       (64, 32), p + "mlp.up_proj.weight": (64, 32), p + "mlp.down_proj.weight":
                       (32, 64), p + "input_layernorm.weight": (32,),
                       p + "post_attention_layernorm.weight": (32,)})
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(LLAMA))
    (folder / "tokenizer.json").write_text("{}")
    save_file({k: np.zeros(v, dtype=dtype) for k, v in shapes.items()},
              str(folder / "model.safetensors"))
    return folder


@pytest.fixture
def page(qtbot):
    widget = ModelPage()
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    return widget


def load(qtbot, page, path) -> None:
    with qtbot.waitSignal(page.sig_model_changed, timeout=10000) as blocker:
        page.set_model(str(path))
    assert blocker.args == [str(path)]


def info_text(page, key: str) -> str:
    return page.info_panel.values[key].text()


def test_tiny_model_info_tree_targets_and_estimate(qtbot, qtmodeltester, page, tiny_models):
    folder = tiny_models("llama")
    load(qtbot, page, folder)
    assert page.model_path() == str(folder) and page.model_info().family == "llama"
    assert info_text(page, "architecture") == "LlamaForCausalLM"
    assert (info_text(page, "family"), info_text(page, "layers"), info_text(page, "hidden"),
            info_text(page, "vocab"), info_text(page, "dtype")) == (
        "llama", "2", "32", "512", "float32")
    assert info_text(page, "parameters") == "51,360"
    assert "causal LM" in info_text(page, "tasks")
    qtmodeltester.check(page.tree_model)
    assert "model.layers.1.mlp.down_proj" in page.tree_model.leaf_names()
    assert page.tree_model.checked_names() == Q_V   # LoRA's llama default, shown checked
    assert page.target_modules() is None
    assert page.default_button.text() == "Use default for llama"
    assert page.estimate_panel.trainable.text().startswith("1,792 ")
    assert page.estimate_panel.total.text() == "53,152"
    assert "q_proj, v_proj" in page.targets_label.text()


def test_regex_checks_matching_modules_live(qtbot, page, tmp_path):
    load(qtbot, page, write_llama(tmp_path / "m"))
    with qtbot.waitSignal(page.sig_targets_changed) as blocker:
        page.set_target_regex(r".*\.0\.mlp\..*")
    assert blocker.args == [r".*\.0\.mlp\..*"]
    assert page.tree_model.checked_names() == ["model.layers.0.mlp.down_proj",
                                               "model.layers.0.mlp.gate_proj",
                                               "model.layers.0.mlp.up_proj"]
    assert page.estimate_panel.estimate.trainable_params == 8 * 3 * (32 + 64)
    with qtbot.assertNotEmitted(page.sig_targets_changed):
        page.set_target_regex("(unclosed")
    assert "Not a valid regular expression" in page.message_text()
    assert page.target_modules() == r".*\.0\.mlp\..*"
    page.set_target_regex(r".*q_proj")
    assert page.message_text() == "" and len(page.tree_model.checked_names()) == 2


def _index(model: ModuleTreeModel, full_name: str):
    index = model.index(0, 0)
    parent = index.parent()
    for part in full_name.split("."):
        rows = [model.index(r, 0, parent) for r in range(model.rowCount(parent))]
        index = next(i for i in rows if i.data() == part)
        parent = index
    return index


def test_checkboxes_give_compact_targets_and_tristate_parents(qtbot, page, tmp_path):
    load(qtbot, page, write_llama(tmp_path / "m"))
    model = page.tree_model
    q0 = _index(model, "model.layers.0.self_attn.q_proj")
    with qtbot.waitSignal(page.sig_targets_changed) as blocker:
        model.setData(q0, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert blocker.args == [["layers.1.self_attn.q_proj", "v_proj"]]
    assert _index(model, "model.layers.0.self_attn").data(
        Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.PartiallyChecked
    mlp = _index(model, "model.layers.1.mlp")
    model.setData(mlp, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert page.target_modules() == ["layers.1.mlp.down_proj", "layers.1.mlp.gate_proj",
                                     "layers.1.mlp.up_proj", "layers.1.self_attn.q_proj",
                                     "v_proj"]
    assert mlp.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    layers = _index(model, "model.layers")
    model.setData(layers, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.checked_names() == [] and page.target_modules() is None
    assert layers.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked


def test_default_button_and_method_change(qtbot, page, tmp_path):
    load(qtbot, page, write_llama(tmp_path / "m"))
    page.set_target_regex(".*down_proj")
    with qtbot.waitSignal(page.sig_targets_changed) as blocker:
        page.default_button.click()
    assert blocker.args == [None] and page.regex_edit.text() == ""
    assert page.tree_model.checked_names() == Q_V
    page.set_estimate_inputs(MethodConfig("ia3"), TrainingConfig(batch_size=2, max_length=16))
    assert len(page.tree_model.checked_names()) == 6  # k_proj, v_proj, down_proj x 2 layers
    assert page.estimate_panel.estimate.trainable_params == 2 * (16 + 16 + 64)
    assert "IA³ · batch 2 · length 16" in page.estimate_panel.setup.text()
    page.set_estimate_inputs(MethodConfig("prompt_tuning", {"num_virtual_tokens": 10}),
                             TrainingConfig())
    assert not page.tree_model.is_checkable() and not page.regex_edit.isEnabled()
    q0 = _index(page.tree_model, "model.layers.0.self_attn.q_proj")
    assert not page.tree_model.flags(q0) & Qt.ItemFlag.ItemIsUserCheckable
    assert page.estimate_panel.estimate.trainable_params == 10 * 32
    assert "does not use target modules" in page.targets_label.text()


def test_estimate_uses_the_pages_targets_over_the_method_params(qtbot, page, tmp_path):
    load(qtbot, page, write_llama(tmp_path / "m"))
    page.set_target_regex(r".*\.1\.self_attn\.q_proj")
    page.set_estimate_inputs(MethodConfig("lora", {"r": 2, "target_modules": ["v_proj"]}),
                             TrainingConfig(dtype="float16"))
    est = page.estimate_panel.estimate
    assert est.trainable_params == 2 * 64 and est.weights_bytes == 2 * 51360 + 4 * 128
    assert page.estimate_panel.sizes["optimizer"].text() == "1 KiB"


def test_hub_id_is_accepted_with_a_download_note(qtbot, page, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    load(qtbot, page, "some-org/some-model")
    assert page.model_info().remote
    assert "downloaded before training or loading starts" in page.message_text()
    assert page.download_button.isVisibleTo(page)
    assert page.tree_model.leaf_names() == [] and page.tree_note.isVisibleTo(page)
    assert page.estimate_panel.estimate is None
    assert "downloaded" in page.estimate_panel.setup.text()


def test_a_missing_folder_is_an_inline_error(qtbot, page, tmp_path):
    with qtbot.assertNotEmitted(page.sig_model_changed, wait=300):
        page.set_model(str(tmp_path / "no" / "such" / "folder"))
        qtbot.waitUntil(lambda: "does not exist" in page.message_text(), timeout=5000)
    assert page.model_info() is None and page.model_path() == ""


def test_bin_checkpoint_falls_back_to_family_names(qtbot, page, tmp_path):
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps(LLAMA))
    (folder / "pytorch_model.bin").write_bytes(b"pickle")
    load(qtbot, page, folder)
    assert set(page.tree_model.leaf_names()) == modelinfo.MODULE_NAMES["llama"]
    assert "pytorch_model.bin" in page.tree_note.text()
    assert page.tree_model.checked_names() == ["q_proj", "v_proj"]
    assert not page.estimate_panel.estimate.exact
    assert page.estimate_panel.trainable.text().startswith("about ")
    q = _index(page.tree_model, "k_proj")
    page.tree_model.setData(q, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert page.target_modules() == ["k_proj", "q_proj", "v_proj"]


def test_recent_models_and_state_round_trip(qtbot, page, tmp_path):
    first, second = write_llama(tmp_path / "a"), write_llama(tmp_path / "b", np.float16)
    load(qtbot, page, first)
    load(qtbot, page, second)
    assert page.recent_models() == [str(second), str(first)]
    assert [page.path_box.itemText(i) for i in range(page.path_box.count())] == [
        str(second), str(first)]
    assert info_text(page, "dtype") == "float16"
    page.set_target_regex(".*o_proj")
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    page.save_state(settings)
    settings.sync()
    again = ModelPage()
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.sig_model_changed, timeout=10000):
        again.restore_state(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert again.model_path() == str(second) and again.recent_models() == page.recent_models()
    assert again.target_modules() == ".*o_proj" and again.regex_edit.text() == ".*o_proj"
    assert len(again.tree_model.checked_names()) == 2
    with qtbot.waitSignal(again.sig_model_changed, timeout=10000):
        again.path_box.activated.emit(1)  # pick the older model from the recent list
    assert again.model_path() == str(first)


def test_targets_that_do_not_fit_a_new_model_go_back_to_default(qtbot, page, tmp_path):
    load(qtbot, page, write_llama(tmp_path / "a"))
    page.set_target_regex(".*gate_proj")
    folder = tmp_path / "bert"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps(
        {"architectures": ["BertModel"], "model_type": "bert", "hidden_size": 8,
         "num_hidden_layers": 1, "num_attention_heads": 2, "vocab_size": 10}))
    save_file({"encoder.layer.0.attention.self.query.weight": np.zeros((8, 8), np.float32),
               "encoder.layer.0.attention.self.value.weight": np.zeros((8, 8), np.float32)},
              str(folder / "model.safetensors"))
    with qtbot.waitSignal(page.sig_targets_changed) as blocker:
        load(qtbot, page, folder)
    assert blocker.args == [None] and page.regex_edit.text() == ""
    assert len(page.tree_model.checked_names()) == 2  # bert's query, value


def test_dropping_a_folder_loads_it(qtbot, page, tmp_path):
    folder = write_llama(tmp_path / "dropped")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder / "config.json"))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(page.sig_model_changed, timeout=10000) as blocker:
        page.dropEvent(event)
    assert blocker.args == [str(folder)]


def test_browse_opens_a_folder_dialog(qtbot, page, tmp_path, monkeypatch):
    folder = write_llama(tmp_path / "picked")
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    with qtbot.waitSignal(page.sig_model_changed, timeout=10000):
        page.browse_button.click()
    assert page.model_path() == str(folder)


def test_screenshot(qtbot, page, tiny_models, tmp_path):
    page.show()
    load(qtbot, page, tiny_models("gpt2"))
    page.set_estimate_inputs(MethodConfig("lora", {"r": 8}),
                             TrainingConfig(batch_size=8, max_length=256))
    qtbot.wait(50)
    image = page.grab()
    assert (image.width(), image.height()) == (1280, 800)
    assert image.save(str(tmp_path / "shot-model.png"))


def test_the_pages_never_import_the_compute_stack():
    code = ("import sys; import studio.ui.model.page, studio.ui.data.page; "
            "bad = [m for m in ('mindnlp', 'mindspore', 'torch', 'transformers', 'peft') "
            "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
                          cwd=str(__import__("pathlib").Path(__file__).resolve().parents[2]))
    assert done.returncode == 0, done.stdout + done.stderr


def test_targets_set_from_outside_show_without_a_signal(qtbot, page, tmp_path):
    """A run file's target_modules (the window passes them on): checked in the tree or put
    in the regex box, without sig_targets_changed going back to the Train page."""
    load(qtbot, page, write_llama(tmp_path / "m"))
    page.set_estimate_inputs(MethodConfig("lora", {"r": 2}), TrainingConfig())
    with qtbot.assertNotEmitted(page.sig_targets_changed):
        page.set_target_modules(["k_proj", "o_proj"])
    assert page.target_modules() == ["k_proj", "o_proj"] and page.regex_edit.text() == ""
    assert sorted(page.tree_model.checked_names()) == [
        f"model.layers.{i}.self_attn.{m}" for i in (0, 1) for m in ("k_proj", "o_proj")]
    assert "k_proj, o_proj" in page.targets_label.text()
    assert page.estimate_panel.estimate.trainable_params == 2 * (2 * 48 + 2 * 64)

    with qtbot.assertNotEmitted(page.sig_targets_changed):
        page.set_target_modules(r".*\.1\.mlp\.up_proj")
    assert page.regex_edit.text() == r".*\.1\.mlp\.up_proj"
    assert page.tree_model.checked_names() == ["model.layers.1.mlp.up_proj"]
    assert page.target_modules() == r".*\.1\.mlp\.up_proj"

    with qtbot.assertNotEmitted(page.sig_targets_changed):
        page.set_target_modules(None)
    assert page.target_modules() is None and page.regex_edit.text() == ""
    assert sorted(page.tree_model.checked_names()) == Q_V
    page.set_target_regex(".*down_proj")   # the user's own edits still announce themselves
    assert page.target_modules() == ".*down_proj"


def test_targets_set_while_the_model_loads_win_over_the_saved_choice(qtbot, page, tmp_path):
    first = write_llama(tmp_path / "a")
    load(qtbot, page, first)
    page.set_target_regex(".*gate_proj")
    with qtbot.waitSignal(page.sig_model_changed, timeout=10000):
        page.set_model(str(write_llama(tmp_path / "b")))
        page.set_target_modules(["v_proj"])   # before the new model is read
    assert page.target_modules() == ["v_proj"] and page.regex_edit.text() == ""
    assert sorted(page.tree_model.checked_names()) == [
        "model.layers.0.self_attn.v_proj", "model.layers.1.self_attn.v_proj"]
