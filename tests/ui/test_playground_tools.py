"""The Playground's Tools editor: function definitions checked as they are typed (a clear
fault in the panel), kept with the conversation and saved with it, and (slow) passed through
the inference child so the prompt is the training text of the same conversation: the tools
in it, a reply that calls a tool shown as a call, and the user's tool result answered."""

from __future__ import annotations

import json
import shutil

import pytest
from factories import TOOL_CHAT_TEMPLATE

from studio.core.playground import ToolCall, Turn
from studio.ui.playground.page import PlaygroundPage

WEATHER = {"type": "function", "function": {
    "name": "get_weather", "description": "the weather in a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}
CALL = '<call>{"name": "get_weather", "arguments": {"city": "Paris"}}</call>'


@pytest.fixture
def page(qtbot, tmp_path):
    widget = PlaygroundPage(store_path=tmp_path / "store.sqlite")
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    yield widget
    widget.shutdown()


def test_the_tools_editor_names_the_fault_and_keeps_the_last_valid_tools(page):
    editor = page.tools_editor
    assert editor.status.text() == "No tools." and page.conversation.tools == []
    editor.insert_example()
    assert editor.error() == "" and editor.status.text() == "Valid: get_weather"
    assert [t["function"]["name"] for t in page.conversation.tools] == ["get_weather"]
    editor.edit.setPlainText('[{"name": "get_weather"}, {"name": "get_weather"}]')
    assert editor.error() == 'two tools are named "get_weather": each name must be unique'
    assert editor.status.text() == editor.error()
    assert editor.status.property("state") == "bad"
    assert [t["function"]["name"] for t in page.conversation.tools] == ["get_weather"]
    editor.edit.setPlainText('[{"name": "a",\n  "parameters": {"type": "object"},}]')
    assert editor.error().startswith("the tools are not valid JSON: ")
    assert editor.error().endswith("at line 2, column 36")
    editor.edit.setPlainText("")
    assert editor.error() == "" and page.conversation.tools == []
    editor.set_tools([WEATHER])   # in the order written: the prompt renders them so
    assert json.dumps(page.conversation.tools) == json.dumps([WEATHER])


def test_send_is_refused_while_the_tools_have_a_fault(page, monkeypatch):
    started = []
    monkeypatch.setattr(page, "_start", lambda *args, **kw: started.append(args))
    page.session = object()   # "loaded": what is checked before anything reaches it
    page.tools_editor.edit.setPlainText('[{"name": ""}]')
    page.chat_input.setPlainText("weather in Paris?")
    page.send()
    assert page.last_error_box.windowTitle() == "Check the tools"
    assert page.last_error_box.text() == 'tool 1 has no "name" (a non-empty string)'
    assert started == [] and page.conversation.turns == []
    assert page.chat_input.toPlainText() == "weather in Paris?"   # nothing lost
    page.session = None


def test_the_fault_is_named_in_the_users_language(chinese, page):
    page.tools_editor.edit.setPlainText('[{"name": "a", "parameters": [1]}]')
    assert page.tools_editor.status.text() == \
        '第 1 个工具（a）的 "parameters" 是列表：应为 JSON Schema 对象'


def test_a_tool_conversation_is_saved_and_reopened_with_its_tools(page, qtbot):
    page.tools_editor.set_tools([WEATHER])
    page.conversation.add_user("weather in Paris?")
    page.conversation.add_answer(CALL, None)
    page.conversation.add_tool_result("sunny")
    page.conversation.add_answer("it is sunny", None)
    page.chat_view.show_turns(page.conversation.turns)
    shown = page.chat_view.toPlainText()
    assert '→ calls get_weather({"city": "Paris"})' in shown and "Tool get_weather" in shown
    with qtbot.waitSignal(page.sig_conversation_saved, timeout=10_000) as saved:
        page.save_conversation()
    before = page.conversation.to_dicts()
    page.clear_conversation()
    page.tools_editor.set_tools([])
    with qtbot.waitSignal(page.sig_conversation_opened, timeout=10_000):
        page.open_conversation(saved.args[0])
    assert page.conversation.to_dicts() == before
    assert json.dumps(page.conversation.tools) == json.dumps([WEATHER])
    assert json.loads(page.tools_editor.edit.toPlainText()) == [WEATHER]
    assert '→ calls get_weather({"city": "Paris"})' in page.chat_view.toPlainText()


@pytest.fixture
def tool_model(tmp_path, tiny_models):
    """The tiny llama with a chat template that renders tools and tool calls."""
    folder = tmp_path / "tool-llama"
    shutil.copytree(tiny_models("llama"), folder)
    config_path = folder / "tokenizer_config.json"
    config = json.loads(config_path.read_text())
    config_path.write_text(json.dumps({**config, "chat_template": TOOL_CHAT_TEMPLATE}))
    return folder


def training_text(tmp_path, tool_model, messages, name):
    """What training renders for this conversation with WEATHER as its tools: the text
    before the last answer (rendering.py's spans) and the token ids before it (prepare)."""
    from transformers import AutoTokenizer

    from studio.core.config import DatasetConfig
    from studio.core.data import prepare
    from studio.core.data.rendering import render_row

    path = tmp_path / f"{name}.jsonl"
    path.write_text(json.dumps({"messages": messages, "tools": [WEATHER]}) + "\n")
    tokenizer = AutoTokenizer.from_pretrained(str(tool_model))
    render = render_row(DatasetConfig(path=str(path)), tokenizer, 1, 1024)
    assert render["chat_template"] == "model" and render["spans"][-1]["loss"]
    example = prepare(DatasetConfig(path=str(path), validation_split=0), "causal_lm",
                      tokenizer, 1024).train[0]
    answer = render["spans"][-1]["tokens"]
    return "".join(s["text"] for s in render["spans"][:-1]), example["input_ids"][:-answer]


@pytest.mark.slow
def test_tools_reach_the_prompt_as_in_training_and_a_tool_call_is_answered(
        qtbot, tmp_path, tool_model):
    page = PlaygroundPage(store_path=tmp_path / "store.sqlite")
    qtbot.addWidget(page)
    page.set_base(tool_model)
    with qtbot.waitSignal(page.sig_loaded, timeout=300_000):
        page.load()
    page.sampling.greedy.setChecked(True)
    page.sampling.max_new_tokens.setValue(3)
    page.tools_editor.set_tools([WEATHER])

    with qtbot.waitSignal(page.sig_answer_finished, timeout=120_000):
        page.send("weather in Paris?")
    text, ids = training_text(tmp_path, tool_model, [
        {"role": "user", "content": "weather in Paris?"},
        {"role": "assistant", "content": "x"}], "first")
    assert page.last_prompt["text"] == text and page.last_prompt["ids"] == ids
    assert json.dumps(WEATHER) in text and text.endswith("<|assistant|>")

    # Compare builds the same prompt, tools in it: the base's answer is the chat's (greedy);
    # without the tools it is another (else this check could not tell).
    answered = page.conversation.turns[-1].content
    page.tabs.setCurrentIndex(1)
    page.compare_input.setPlainText("weather in Paris?")
    with qtbot.waitSignal(page.sig_compare_finished, timeout=120_000):
        page.run_compare()
    assert page.compare_columns.texts()[None] == answered
    page.tools_editor.set_tools([])
    with qtbot.waitSignal(page.sig_compare_finished, timeout=120_000):
        page.run_compare()
    assert page.compare_columns.texts()[None] != answered
    page.tools_editor.set_tools([WEATHER])
    page.tabs.setCurrentIndex(0)

    # The reply is a call of get_weather (a tiny random model will not write one: the pieces
    # are fed through the same path a streamed answer takes).
    page.conversation.drop_answer()
    page.chat_view.show_turns(page.conversation.turns)
    assert not page.tool_result_button.isEnabled()
    page._answer, page._answer_adapter = "", None
    page._set_busy(True)
    page.chat_view.begin_answer(None)
    for piece in (CALL[:20], CALL[20:]):
        page._on_piece(("piece", piece), "chat")
    page._on_answer_done("chat")
    call = ToolCall("get_weather", {"city": "Paris"})
    assert page.conversation.turns[-1] == Turn("assistant", "", None, [call])
    assert '→ calls get_weather({"city": "Paris"})' in page.chat_view.toPlainText()
    assert page.tool_result_button.isEnabled() and "get_weather" in page.call_note.text()

    page.chat_input.setPlainText("sunny")
    with qtbot.waitSignal(page.sig_answer_finished, timeout=120_000):
        page.tool_result_button.click()
    assert [t.role for t in page.conversation.turns] == ["user", "assistant", "tool",
                                                         "assistant"]
    text, ids = training_text(tmp_path, tool_model, [
        {"role": "user", "content": "weather in Paris?"},
        {"role": "assistant", "content": None, "tool_calls": [
            {"type": "function", "function": {"name": "get_weather",
                                              "arguments": {"city": "Paris"}}}]},
        {"role": "tool", "name": "get_weather", "content": "sunny"},
        {"role": "assistant", "content": "it is sunny"}], "second")
    assert page.last_prompt["text"] == text and page.last_prompt["ids"] == ids
    assert text.endswith(f"{CALL}</s><|tool|>sunny</s><|assistant|>")
    assert not page.tool_result_button.isEnabled() and not page.call_note.isVisible()
    page.shutdown()


def test_a_reopened_pending_call_is_shown_and_clear_forgets_it(page, qtbot):
    page.tools_editor.set_tools([WEATHER])
    page.conversation.add_user("weather in Paris?")
    page.conversation.add_answer(CALL, None)
    with qtbot.waitSignal(page.sig_conversation_saved, timeout=10_000) as saved:
        page.save_conversation()
    page.clear_conversation()
    with qtbot.waitSignal(page.sig_conversation_opened, timeout=10_000):
        page.open_conversation(saved.args[0])
    assert not page.call_note.isHidden()
    assert 'get_weather({"city": "Paris"})' in page.call_note.text()
    assert not page.tool_result_button.isEnabled()   # nothing is loaded to answer it
    page.clear_conversation()
    assert page.call_note.isHidden() and page.conversation.tools == [WEATHER]
