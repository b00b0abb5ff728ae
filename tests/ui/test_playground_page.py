"""The Playground page: it opens without the inference stack, then (slow) a tiny LoRA trained
once per module is loaded through the page: chat streams in order and matches the session's
greedy answer, stop ends early, compare shows base and adapter columns, a classifier shows
every label's probability, an incompatible adapter is refused before loading, and a
conversation is saved and reopened.

Set SCREENSHOT_DIR to keep 1280x800 screenshots of the chat, compare and classify views."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import ClassVar

import pytest
from factories import train_colours, train_ok, write_classification_dataset, write_run_file
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea

from studio.core.playground import AdapterEntry, Conversation, Turn
from studio.core.store import RunStore
from studio.ui.playground import jobs
from studio.ui.playground.page import MODES, PlaygroundPage

ROOT = Path(__file__).resolve().parents[2]
LOAD_MS = 180_000
ANSWER_MS = 120_000


def screenshot(widget, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


@pytest.fixture(scope="module")
def trained(tmp_path_factory, tiny_models):
    """factories.train_colours: a LoRA that learned cat -> blue, dog -> red in chat form."""
    return train_colours(tmp_path_factory.mktemp("playground-run"),
                         tiny_models("llama", init_range=0.2))


@pytest.fixture
def page(qtbot, tmp_path):
    widget = PlaygroundPage(store_path=tmp_path / "store.sqlite")
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    yield widget
    widget.shutdown()


def loaded_page(qtbot, trained) -> PlaygroundPage:
    widget = PlaygroundPage(store_path=trained["store"])
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitSignal(widget.sig_runs_loaded, timeout=10_000)
    widget.set_base(str(trained["model"]))
    with qtbot.waitSignal(widget.sig_adapter_checked, timeout=30_000) as checked:
        widget.add_adapter(str(trained["out"]))
    assert checked.args == [True]
    with qtbot.waitSignal(widget.sig_loaded, timeout=LOAD_MS):
        widget.load()
    return widget


def reference_answer(trained, max_new_tokens: int = 6) -> str:
    from studio.core.inference import GenerationSettings, InferenceSession, resolve_adapter

    session = InferenceSession(trained["model"])
    session.load()
    session.add_adapter("colours", resolve_adapter(str(trained["out"])))
    settings = GenerationSettings(greedy=True, max_new_tokens=max_new_tokens)
    return session.stream_chat([{"role": "user", "content": "colour of cat"}], settings,
                               adapter="colours").read()


# ---- without a model ---------------------------------------------------------------------


def test_page_module_does_not_import_the_inference_stack():
    code = ("import sys, studio.ui.playground.page as p; "
            "print(any(m.startswith(('mindnlp', 'mindspore', 'torch', 'studio.core.inference')) "
            "for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, check=True)
    assert out.stdout.strip() == "False"


def test_nothing_loaded_disables_answers_and_says_why(page):
    assert not page.send_button.isEnabled() and not page.compare_button.isEnabled()
    assert page.mode_note.text() == "Load a base model to start."
    page.send("hello")
    assert page.last_error_box is not None and "Load a base model" in \
        page.last_error_box.text()
    assert page.conversation.turns == []


def test_ctrl_return_in_the_input_sends(page, qtbot):
    sent = []
    page.send = lambda *a: sent.append(page.chat_input.toPlainText())  # type: ignore
    page.chat_input.sig_submit.disconnect()
    page.chat_input.sig_submit.connect(page.send)
    page.chat_input.setPlainText("hi")
    qtbot.keyClick(page.chat_input, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert sent == ["hi"]


def test_conversation_saved_and_reopened(page, qtbot):
    page.conversation = Conversation([Turn("user", "colour of cat"),
                                      Turn("assistant", "blue", "colours")])
    page.chat_view.show_turns(page.conversation.turns)
    page.sampling.greedy.setChecked(True)
    with qtbot.waitSignal(page.sig_conversation_saved, timeout=10_000) as saved:
        page.save_conversation()
    page.clear_conversation()
    page.sampling.greedy.setChecked(False)
    assert page.conversation.turns == [] and page.chat_view.toPlainText() == ""
    with qtbot.waitSignal(page.sig_conversation_opened, timeout=10_000):
        page.open_conversation(saved.args[0])
    assert [t.content for t in page.conversation.turns] == ["colour of cat", "blue"]
    text = page.chat_view.toPlainText()
    assert "colour of cat" in text and "blue" in text and "colours" in text
    assert page.sampling.greedy.isChecked() and page.conversation.id == saved.args[0]


LONG_PATH = "/home/someone/" + "/".join(["a-rather-long-folder-name"] * 8) + "/qwen2-tiny"
LONG_NAME = "support-chat-lora-r16-alpha32-all-linear-lr3e-2-seed7-epochs12@1200-2"


class FakeSession:
    """What the page reads from a loaded session, with long paths and names in it."""

    task = "causal_lm"
    requested_device = "auto"
    base_path = LONG_PATH
    adapters: ClassVar[list[str]] = [LONG_NAME]

    def info(self) -> dict:
        return {"base": LONG_PATH, "task": self.task, "device": "cpu", "dtype": "float32",
                "parameters": 51_500, "adapter_parameters": 1_790, "memory_bytes": 213_000,
                "adapters": [{"name": LONG_NAME, "method_name": "LoRA", "parameters": 1_790}]}


def test_long_answers_and_paths_do_not_widen_the_window(qtbot):
    """Whatever the playground shows (a long streamed answer, its stats, long adapter names and
    paths, many compare columns) stays inside a 1280 px window: the window's minimum width
    is set by its widest page, and the playground must not be the one that grows."""
    from studio.ui.mainwindow import PAGES, MainWindow

    window = MainWindow(probe_devices=False)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.show_page(PAGES.index("playground"))
    page = window.playground_page
    qtbot.waitExposed(window)
    assert window.minimumSizeHint().width() <= 1100

    page.set_base(LONG_PATH)
    page.runs = []
    page.base_combo.addItem(LONG_PATH + "/" + LONG_NAME)
    page.session = FakeSession()
    page._update_info()
    page._update_modes()
    page.adapters.append(AdapterEntry(LONG_NAME, LONG_PATH, SimpleNamespace(
        path=LONG_PATH, method="lora", kind="peft", step=None)))
    page._update_adapter_list()
    page.progress_label.setText("loading " + LONG_PATH)
    page.chat_view.add_message("user", "x" * 400)
    page.chat_view.begin_answer(LONG_NAME)
    for _ in range(300):
        page.chat_view.append_piece("word" * 3)
    page.chat_view.end_answer()
    page._on_piece(("done", "length", 123456.7), "chat")
    page.compare_columns.set_models([None, LONG_NAME, LONG_NAME + "-2", LONG_NAME + "-3"])
    page.compare_columns.append(LONG_NAME, "y" * 500)
    page._on_classified([(LONG_NAME, 0.5), ("negative", 0.3), ("neutral", 0.2)])
    for mode in MODES:
        page.tabs.setCurrentIndex(MODES.index(mode))
        qtbot.wait(20)
        width = window.minimumSizeHint().width()
        assert width <= 1100, (mode, width)
    assert window.width() == 1280
    # and the side panel is not cut off on the right (it scrolls down, never sideways)
    scroll = page.findChild(QScrollArea)
    assert scroll.widget().minimumSizeHint().width() <= scroll.viewport().width()
    assert page.chat_stats.text() in page.chat_stats.toolTip()
    page.session = None
    page._update_modes()
    window.shutdown()


def test_the_chosen_device_goes_to_the_session(page, monkeypatch):
    started = []
    monkeypatch.setattr(page, "_start", lambda fn, *args, **kw: started.append((fn, args)))
    page.set_devices({"mindspore": "2.7.0", "cpu": True, "gpu": False, "ascend": False})
    usable = [page.device_combo.model().item(i).isEnabled()
              for i in range(page.device_combo.count())]
    assert [page.device_combo.itemData(i) for i in range(page.device_combo.count())] == [
        "auto", "ascend", "gpu", "cpu"] and usable == [True, False, False, True]
    assert page.device() == "auto"
    page.device_combo.setCurrentIndex(3)
    page.set_base("/models/tiny")
    page.load()
    fn, args = started[-1]
    assert fn is jobs.load and args[0] is None and args[1] == "/models/tiny" and "cpu" in args
    page._loading = False
    page.device_combo.setCurrentIndex(2)   # a GPU that went away: back to automatic
    page.set_devices({"cpu": True})
    assert page.device() == "auto"


# ---- with a tiny trained adapter -----------------------------------------------------------


@pytest.mark.slow
def test_chat_streams_compare_and_stop(qtbot, trained):
    page = loaded_page(qtbot, trained)
    info = page.info_label.text()
    assert "LoRA" in info and "colours" in info and page.tabs.isTabEnabled(MODES.index("chat"))
    assert not page.tabs.isTabEnabled(MODES.index("classify"))
    assert page.adapter_choice.currentData() == "colours"
    page.sampling.greedy.setChecked(True)
    page.sampling.max_new_tokens.setValue(6)

    lengths: list[int] = []
    view = page.chat_view
    original = view.append_piece

    def record(piece: str) -> None:
        original(piece)
        lengths.append(len(view.toPlainText()))

    view.append_piece = record   # type: ignore[method-assign]
    page.chat_input.setPlainText("colour of cat")
    with qtbot.waitSignal(page.sig_answer_finished, timeout=ANSWER_MS):
        page.send()
    expected = reference_answer(trained)
    assert page.pieces and "".join(page.pieces) == expected
    assert lengths == sorted(lengths) and len(set(lengths)) == len(lengths)
    assert page.conversation.to_dicts()[-1] == {"role": "assistant", "content": expected,
                                                "adapter": "colours"}
    assert view.toPlainText().rstrip().endswith(expected.strip())
    page.chat_input.setPlainText("colour of dog")
    with qtbot.waitSignal(page.sig_answer_finished, timeout=ANSWER_MS):
        page.send()
    screenshot(page, "playground-chat")

    # stop: the base model rambles; stop after the first piece
    page.set_adapter(None)
    page.sampling.greedy.setChecked(False)
    page.sampling.seed.setValue(0)
    page.sampling.max_new_tokens.setValue(300)

    def stop_at_once(piece: str) -> None:
        original(piece)
        page.stop()

    view.append_piece = stop_at_once   # type: ignore[method-assign]
    page.chat_input.setPlainText("tell me a story")
    with qtbot.waitSignal(page.sig_answer_finished, timeout=ANSWER_MS) as finished:
        page.send()
    assert finished.args == ["stopped"] and 0 < len(page.pieces) < 300
    assert page.send_button.isEnabled() and not page.stop_button.isEnabled()
    view.append_piece = original   # type: ignore[method-assign]

    # compare: base and adapter columns for one prompt
    page.sampling.greedy.setChecked(True)
    page.sampling.max_new_tokens.setValue(6)
    page.tabs.setCurrentIndex(MODES.index("compare"))
    page.compare_input.setPlainText("colour of cat")
    with qtbot.waitSignal(page.sig_compare_finished, timeout=ANSWER_MS):
        page.run_compare()
    texts = page.compare_columns.texts()
    assert list(texts) == [None, "colours"]
    assert texts["colours"] == expected and texts[None] and texts[None] != expected
    screenshot(page, "playground-compare")


@pytest.mark.slow
def test_classifier_shows_every_label_and_refuses_a_mismatched_adapter(qtbot, tmp_path,
                                                                       tiny_models, trained):
    store_path = tmp_path / "cls.sqlite"
    data = write_classification_dataset(tmp_path / "data.csv", n=24)
    with RunStore(store_path) as store:
        train_ok(write_run_file(tmp_path / "run.yaml", tiny_models("bert", init_range=0.2), data,
                                training={"max_steps": 2}, output_dir=str(tmp_path / "out"),
                                name="sentiment"), store)
    page = PlaygroundPage(store_path=store_path)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    with qtbot.waitSignal(page.sig_adapter_checked, timeout=30_000) as checked:
        page.add_adapter(str(tmp_path / "out"))   # the base comes from the adapter
    assert checked.args == [True] and page.base()
    with qtbot.waitSignal(page.sig_loaded, timeout=LOAD_MS):
        page.load()
    assert page.tabs.currentIndex() == MODES.index("classify")
    assert not page.tabs.isTabEnabled(MODES.index("chat"))
    assert "causal" in page.tabs.tabToolTip(MODES.index("chat"))
    page.classify_input.setPlainText("profit rose strong good")
    with qtbot.waitSignal(page.sig_classified, timeout=ANSWER_MS):
        page.classify()
    labels = [label for label, _ in page.chart.data]
    assert sorted(labels) == ["negative", "neutral", "positive"]
    assert abs(sum(p for _, p in page.chart.data) - 1) < 1e-5
    assert labels[0] in page.classify_result.text()
    screenshot(page, "playground-classify")

    # the chat LoRA (tiny llama, text generation) does not fit the BERT classifier
    before = list(page.session.adapters)
    with qtbot.waitSignal(page.sig_adapter_checked, timeout=30_000) as checked:
        page.add_adapter(str(trained["out"]))
    assert checked.args == [False]
    assert "does not fit" in page.last_error_box.windowTitle()
    assert len(page.adapters) == 1 and page.session.adapters == before


@pytest.mark.slow
def test_seq2seq_base_selects_its_tab_and_matches_generate_text(qtbot, tmp_path, tiny_models):
    from studio.core.inference import GenerationSettings, InferenceSession

    model = tiny_models("t5", init_range=0.2)
    page = PlaygroundPage(store_path=tmp_path / "store.sqlite")
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    page.set_base(str(model))
    with qtbot.waitSignal(page.sig_loaded, timeout=LOAD_MS):
        page.load()
    assert page.tabs.currentIndex() == MODES.index("seq2seq")
    assert not page.tabs.isTabEnabled(MODES.index("chat"))
    assert "causal" in page.tabs.tabToolTip(MODES.index("chat"))
    assert page.tabs.isTabEnabled(MODES.index("seq2seq"))
    page.sampling.greedy.setChecked(True)
    page.sampling.max_new_tokens.setValue(8)
    source = "translate the market report"
    page.text_input.setPlainText(source)
    with qtbot.waitSignal(page.sig_answer_finished, timeout=ANSWER_MS) as finished:
        page.generate()
    assert finished.args[0] in ("eos", "length")

    session = InferenceSession(model)
    session.load()
    expected = session.generate_text(source, GenerationSettings(greedy=True, max_new_tokens=8))
    assert page.pieces and "".join(page.pieces) == expected
    assert page.text_output.toPlainText() == expected
    page.shutdown()


SECOND_MODEL = """
import sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from studio.ui.playground.page import MODES, PlaygroundPage
chat_base, chat_adapter, classifier = sys.argv[1:4]
page = PlaygroundPage(store_path=Path(sys.argv[4]))
page.show()

def wait(signal, start, what):
    done = []
    signal.connect(lambda *a: done.append(a))
    start()
    end = time.monotonic() + 120
    while not done:
        app.processEvents()
        time.sleep(0.01)
        if time.monotonic() > end:
            print("TIMEOUT", what, flush=True)
            sys.exit(3)
    assert page.last_error_box is None, page.last_error_box.text()
    return done[0]

def load(base, adapter):
    page.set_base(base)
    assert wait(page.sig_adapter_checked, lambda: page.add_adapter(adapter), "check") == (True,)
    wait(page.sig_loaded, page.load, "load")

load(chat_base, chat_adapter)
page.sampling.greedy.setChecked(True)
page.sampling.max_new_tokens.setValue(6)
for prompt in ("colour of cat", "colour of dog"):
    wait(page.sig_answer_finished, lambda: page.send(prompt), "chat")
page.tabs.setCurrentIndex(MODES.index("compare"))
page.compare_input.setPlainText("colour of cat")
wait(page.sig_compare_finished, page.run_compare, "compare")
page.adapter_list.setCurrentRow(0)
page.remove_selected_adapter()
load("", classifier)
page.classify_input.setPlainText("profit rose strong good")
wait(page.sig_classified, page.classify, "classify")
print("classified", len(page.chart.data), round(sum(p for _, p in page.chart.data), 5), flush=True)
"""


@pytest.mark.slow
def test_a_second_model_loads_and_answers_after_chat_and_compare(trained, tiny_models, tmp_path,
                                                                  runtime):
    """Regression: in a fresh window process (mindnlp first imported by a pool job), loading
    a classifier after chatting and comparing hung for good in ``assign_value`` (or crashed):
    pooled threads get a new Python thread state per job and MindSpore kept using the first
    one. The model now lives in an inference child, whose main thread runs every job."""
    import transformers
    from peft import LoraConfig, get_peft_model

    classifier = get_peft_model(
        transformers.AutoModelForSequenceClassification.from_pretrained(
            str(tiny_models("bert", "seq_cls", num_labels=3, init_range=0.2))),
        LoraConfig(r=4, target_modules=["query", "value"], task_type="SEQ_CLS",
                   init_lora_weights=False))
    classifier.save_pretrained(str(tmp_path / "classifier"))
    script = tmp_path / "second_model.py"
    script.write_text(SECOND_MODEL)
    try:
        out = subprocess.run(
            [sys.executable, str(script), str(trained["model"]), str(trained["out"]),
             str(tmp_path / "classifier"), str(trained["store"])],
            cwd=ROOT, capture_output=True, text=True, timeout=240,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
                 "PYTHONPATH": str(ROOT), "PYTHONFAULTHANDLER": "1"})
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"the window process hung: {exc.stdout}")
    assert out.returncode == 0, out.stdout + out.stderr[-3000:]
    assert "classified 3 1.0" in out.stdout


def test_serve_asks_for_the_chosen_base_and_adapters(page, qtbot, tmp_path):
    with qtbot.waitSignal(page.sig_message, timeout=2000) as note:
        page.serve_button.click()
    assert "serve" in note.args[0]
    page.set_base(tmp_path / "models" / "tiny")
    with qtbot.waitSignal(page.sig_serve_requested, timeout=2000) as asked:
        page.serve_button.click()
    assert asked.args == [[], [], str(tmp_path / "models" / "tiny")]


_CHAT_IN_A_WINDOW = """
import json, sys, time
from PySide6.QtWidgets import QApplication
app = QApplication([])
from studio.ui.playground.page import PlaygroundPage
page = PlaygroundPage(store_path=sys.argv[2])
done = []
page.sig_answer_finished.connect(done.append)
page.sig_load_failed.connect(lambda: done.append("load failed"))
page.set_base(sys.argv[1])
page.load()
def wait(condition):
    end = time.monotonic() + 300
    while not condition() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
wait(lambda: page.session is not None or done)
page.sampling.greedy.setChecked(True)
page.sampling.max_new_tokens.setValue(4)
page.send("hello")
wait(lambda: done)
stack = sorted({m.split(".")[0] for m in sys.modules} & {"mindnlp", "mindspore", "torch"})
print(json.dumps({"finished": done, "answer": page.conversation.turns[-1].content, "stack": stack}))
page.shutdown()
"""


@pytest.mark.slow
def test_a_chat_leaves_the_window_process_without_the_stack(tmp_path, tiny_models):
    base = tiny_models("llama")
    out = subprocess.run([sys.executable, "-c", _CHAT_IN_A_WINDOW, str(base),
                          str(tmp_path / "store.sqlite")], cwd=ROOT, capture_output=True,
                         text=True, timeout=600, env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
                                                      "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["finished"] == ["length"] and result["answer"]
    assert result["stack"] == []


@pytest.fixture
def random_lora(tmp_path, tiny_models):
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    base = tiny_models("llama")
    folder = tmp_path / "demo"
    get_peft_model(AutoModelForCausalLM.from_pretrained(str(base)),
                   LoraConfig(r=4, target_modules=["q_proj", "v_proj"],
                              init_lora_weights=False)).save_pretrained(str(folder))
    return base, folder


@pytest.mark.slow
def test_a_killed_model_process_keeps_the_conversation_and_reload_restores_it(
        qtbot, tmp_path, random_lora):
    base, adapter = random_lora
    page = PlaygroundPage(store_path=tmp_path / "store.sqlite")
    qtbot.addWidget(page)
    page.set_base(base)
    with qtbot.waitSignal(page.sig_adapter_checked, timeout=60_000):
        page.add_adapter(str(adapter))
    with qtbot.waitSignal(page.sig_loaded, timeout=300_000):
        page.load()
    pid = page.session.pid
    page.set_adapter(None)   # the base: a long answer (no end-of-text from a random model)
    page.sampling.greedy.setChecked(True)
    page.sampling.max_new_tokens.setValue(240)
    with qtbot.waitSignal(page.sig_crashed, timeout=120_000) as crashed:
        page.send("hello")
        qtbot.waitUntil(lambda: bool(page.pieces), timeout=120_000)
        os.kill(pid, signal.SIGKILL)   # the model's process dies mid-answer
    assert "killed by signal 9" in crashed.args[0]
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=30_000)
    assert page.conversation.to_dicts()[0] == {"role": "user", "content": "hello"}
    assert page.conversation.turns[1].role == "assistant" and page.conversation.turns[1].content
    assert "ended unexpectedly" in page.progress_label.text()
    assert page.load_button.text() == "Reload" and not page.send_button.isEnabled()
    with qtbot.waitSignal(page.sig_loaded, timeout=300_000):
        page.load_button.click()
    assert page.session.pid != pid and page.session.base_path == str(base)
    assert page.session.adapters == ["demo"] and page.load_button.text() == "Load"
    assert len(page.conversation.turns) == 2   # the conversation is still there
    page.sampling.max_new_tokens.setValue(3)
    with qtbot.waitSignal(page.sig_answer_finished, timeout=120_000) as finished:
        page.send("again")
    assert finished.args == ["length"] and len(page.conversation.turns) == 4


def test_runs_arriving_after_a_base_was_chosen_keep_that_base(page, qtbot, tmp_path):
    """The run list loads in the background; when it lands in an empty base list, the first
    run's model must not replace the base the user (or Open in Playground) already chose."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "adapter_config.json").write_text("{}")   # a finished run with a result on disk
    with RunStore(tmp_path / "store.sqlite") as store:
        store.create_run({"model": "/models/llama", "method": {"name": "lora"}},
                         name="colours", output_dir=str(out), status="completed")
    page.base_combo.clear()
    page.set_base("/models/other")
    with qtbot.waitSignal(page.sig_runs_loaded, timeout=10000):
        page.refresh_runs()
    assert page.base() == "/models/other"
    assert "/models/llama" in [page.base_combo.itemText(i)
                               for i in range(page.base_combo.count())]
