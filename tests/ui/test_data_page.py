"""The Data page: detection and editable column mapping, the preview model, label chart,
problems with their rows, the emitted DatasetConfig, and token lengths from a child process."""

from __future__ import annotations

import json

import pytest
from factories import write_classification_dataset, write_instruction_dataset, write_token_dataset
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog

from studio.core.config import DatasetConfig
from studio.ui.data import tokens
from studio.ui.data.page import PREVIEW_ROWS, DataPage
from studio.ui.data.problems import ROWS_ROLE, explain, rows_of


@pytest.fixture
def page(qtbot):
    widget = DataPage()
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    yield widget
    widget.shutdown()


def open_path(qtbot, page, path) -> DatasetConfig:
    with qtbot.waitSignal(page.sig_dataset_changed, timeout=10000) as blocker:
        page.set_path(str(path))
    return blocker.args[0]


def change(qtbot, page, action) -> DatasetConfig:
    with qtbot.waitSignal(page.sig_dataset_changed, timeout=10000) as blocker:
        action()
    return blocker.args[0]


def test_csv_classification(qtbot, qtmodeltester, page, tmp_path):
    path = write_classification_dataset(tmp_path / "cls.csv", n=300)
    cfg = open_path(qtbot, page, path)
    assert cfg == DatasetConfig(path=str(path))
    assert page.detected_format() == "classification"
    assert page.form.detected_label.text() == "classification"
    model = page.preview_model
    qtmodeltester.check(model)
    assert model.rowCount() == PREVIEW_ROWS and model.columns() == ["text", "label"]
    assert model.headerData(0, Qt.Orientation.Vertical) == "2"  # line 2: after the header
    assert model.headerData(1, Qt.Orientation.Horizontal) == "label [label]"
    assert model.index(0, 1).data() == "positive"
    assert page.label_chart.bars() == {"negative": 100.0, "neutral": 100.0, "positive": 100.0}
    assert "300 rows" in page.summary.text() and "the first 200 shown" in page.summary.text()
    assert page.problem_list.problem_count() == 0
    assert page.problems_box.title() == "Problems (0)"
    visible = [r for r, c in page.form.column_combos.items()
               if page.form.columns_form.isRowVisible(c)]
    assert visible == ["text", "label"]


def test_columns_and_format_are_editable(qtbot, page, tmp_path):
    path = tmp_path / "reviews.csv"
    path.write_text("review,sentiment,mood\n" + "".join(
        f"text {i},{'pos' if i % 3 else 'neg'},{'happy' if i % 2 else 'sad'}\n"
        for i in range(40)))
    open_path(qtbot, page, path)
    assert page.inspection()["columns"] == {"text": "review", "label": "sentiment"}
    combo = page.form.column_combos["label"]
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "(automatic: sentiment)", "review", "sentiment", "mood"]
    cfg = change(qtbot, page, lambda: combo.setCurrentIndex(combo.findData("mood")))
    assert cfg.label_column == "mood" and cfg.text_column is None
    assert page.label_chart.bars() == {"happy": 20.0, "sad": 20.0}
    assert page.preview_model.headerData(2, Qt.Orientation.Horizontal) == "mood [label]"
    fmt = page.form.format_combo
    cfg = change(qtbot, page, lambda: fmt.setCurrentIndex(fmt.findData("text")))
    assert cfg.format == "text" and cfg.label_column is None  # a label means nothing to text
    assert page.detected_format() == "text"
    assert page.label_chart.bars() == {}
    assert not page.form.columns_form.isRowVisible(page.form.column_combos["label"])


def test_jsonl_instruction_data(qtbot, page, tmp_path):
    path = write_instruction_dataset(tmp_path / "inst.jsonl", n=10)
    open_path(qtbot, page, path)
    assert page.detected_format() == "instruction"
    visible = {r for r, c in page.form.column_combos.items()
               if page.form.columns_form.isRowVisible(c)}
    assert visible == {"instruction", "input", "output", "system", "history"}
    assert page.preview_model.rowCount() == 10
    assert page.preview_model.columns() == ["instruction", "input", "output"]


def test_chat_data_and_a_row_without_an_answer(qtbot, qtmodeltester, page, tmp_path):
    rows = [{"messages": [{"role": "user", "content": f"hi {i}"},
                          {"role": "assistant", "content": "hello"}]} for i in range(5)]
    rows.insert(3, {"messages": [{"role": "user", "content": "no reply"}]})
    path = tmp_path / "chat.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    open_path(qtbot, page, path)
    assert page.detected_format() == "chat"
    qtmodeltester.check(page.preview_model)
    assert page.preview_model.index(0, 0).data() == "user: hi 0 ▸ assistant: hello"
    item = page.problem_list.item(0)
    assert "no assistant message" in item.text() and "line 4" in item.text()
    assert "assistant reply to learn from" in item.text()  # the plain explanation
    assert item.data(ROWS_ROLE) == [4]
    assert page.preview_model.index(3, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    page.problem_list.itemDoubleClicked.emit(item)
    assert page.preview.selectionModel().selectedRows()[0].row() == 3


def test_malformed_csv_lists_problems_with_rows(qtbot, page, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("text,label\ngood,pos\n,pos\nbad,neg\nfine,\nok,neg\n  ,neg\n")
    open_path(qtbot, page, path)
    texts = [page.problem_list.item(i).text() for i in range(page.problem_list.count())]
    assert page.problem_list.problem_count() == 2
    assert any("empty value in column 'text' at lines 3, 7" in t for t in texts)
    assert any("empty or non-scalar label" in t and "line 5" in t for t in texts)
    assert all("→ " in t for t in texts)  # each has a plain explanation
    rows = sorted(r for i in range(page.problem_list.count())
                  for r in page.problem_list.item(i).data(ROWS_ROLE))
    assert rows == [3, 5, 7]


def test_unreadable_file_is_a_problem_with_its_line(qtbot, page, tmp_path):
    path = tmp_path / "broken.jsonl"
    path.write_text('{"text": "a"}\n{"text": "b"}\n{"text": oops}\n')
    with qtbot.waitSignal(page.sig_inspected, timeout=10000) as blocker:
        page.set_path(str(path))
    assert blocker.args == [None] and page.detected_format() is None
    assert page.preview_model.rowCount() == 0
    item = page.problem_list.item(0)
    assert "line 3" in item.text() and item.data(ROWS_ROLE) == [3]
    assert "could not be read" in item.text()
    assert "line 3" in page.message_text()


def test_token_classification_tag_chart(qtbot, page, tmp_path):
    open_path(qtbot, page, write_token_dataset(tmp_path / "tok.jsonl", n=4))
    assert page.detected_format() == "token_cls"
    assert page.label_chart.bars() == {"ANIMAL": 4.0, "O": 10.0, "ORG": 2.0}
    assert page.label_chart.title.text().startswith("Tag distribution")


def test_options_emit_without_reading_again(qtbot, page, tmp_path):
    path = write_classification_dataset(tmp_path / "cls.csv", n=12)
    open_path(qtbot, page, path)
    with qtbot.assertNotEmitted(page.sig_inspected, wait=400):
        cfg = change(qtbot, page, lambda: page.form.split_spin.setValue(0.25))
    assert cfg.validation_split == 0.25
    cfg = change(qtbot, page, lambda: page.form.max_spin.setValue(8))
    assert cfg.max_samples == 8
    page.form.labels_edit.setText("neutral, negative, positive")
    cfg = change(qtbot, page, page.form.labels_edit.editingFinished.emit)
    assert cfg.labels == ["neutral", "negative", "positive"]
    assert list(page.label_chart.bars()) == ["neutral", "negative", "positive"]


def test_delimiter_option(qtbot, page, tmp_path):
    path = tmp_path / "phrases.txt"
    path.write_text("profit rose@positive\nloss fell@negative\nsales flat@neutral\n")
    page.form.delimiter_combo.setCurrentIndex(page.form.delimiter_combo.findData("@"))
    cfg = open_path(qtbot, page, path)
    assert cfg.delimiter == "@" and page.detected_format() in ("classification", "seq2seq")
    assert page.preview_model.columnCount() == 2


def test_validation_file_problems(qtbot, page, tmp_path):
    train = write_classification_dataset(tmp_path / "train.csv", n=9)
    val = tmp_path / "val.csv"
    val.write_text("text,label\nsomething,positive\nelse,surprised\n")
    page.form.validation_edit.setText(str(val))
    open_path(qtbot, page, train)
    texts = [page.problem_list.item(i).text() for i in range(page.problem_list.count())]
    assert any("surprised" in t and "not in the training data" in t for t in texts)


def test_set_dataset_config_state_round_trip(qtbot, page, tmp_path):
    path = tmp_path / "pairs.csv"
    path.write_text("a,b,c\nx,1,y\nz,2,w\nq,1,e\n")
    cfg = DatasetConfig(path=str(path), format="classification", text_column="a",
                        label_column="b", validation_split=0.2, seed=7, max_samples=100,
                        labels=["1", "2"], system_prompt="Be brief.", pack=False)
    with qtbot.waitSignal(page.sig_dataset_changed, timeout=10000) as blocker:
        page.set_dataset_config(cfg)
    assert blocker.args[0] == cfg and page.dataset_config() == cfg
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    page.save_state(settings)
    settings.sync()
    again = DataPage()
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.sig_dataset_changed, timeout=10000) as blocker:
        again.restore_state(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert blocker.args[0] == cfg and again.detected_format() == "classification"


def test_open_file_dialog(qtbot, page, tmp_path, monkeypatch):
    path = write_classification_dataset(tmp_path / "picked.csv", n=6)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    cfg = change(qtbot, page, page._open_file)
    assert cfg.path == str(path)


def test_explanations_and_row_numbers():
    assert rows_of({"message": "empty value at rows 3, 12 and 4 more of x.csv"}) == [3, 12]
    assert rows_of({"message": "cannot tell", "row": 9}) == [9]
    assert rows_of({"message": "classification needs at least 2 distinct labels"}) == []
    assert "two different labels" in explain({"field": "dataset.label_column",
                                              "message": "needs at least 2 distinct labels"})
    assert explain({"field": "dataset.format", "message": ""}).startswith("The format")


def test_child_arguments_carry_the_mapping():
    cfg = DatasetConfig(path="d.csv", format="classification", text_column="review",
                        delimiter="\t", labels=["a", "b"])
    args = tokens.inspect_args(cfg, "/tok")
    assert args[:6] == ["-m", "studio", "data", "inspect", "d.csv", "--json"]
    assert args[args.index("--tokenizer"):args.index("--tokenizer") + 2] == ["--tokenizer", "/tok"]
    for flag, value in (("--format", "classification"), ("--text-column", "review"),
                        ("--delimiter", "\t"), ("--labels", "a,b"), ("--samples", "0")):
        assert args[args.index(flag) + 1] == value


def test_a_missing_tokenizer_folder_is_explained(qtbot, page, tmp_path):
    open_path(qtbot, page, write_classification_dataset(tmp_path / "c.csv", n=6))
    page.set_tokenizer_source("org/not-downloaded")
    assert "local tokenizer folder" in page.length_chart.note.text()
    assert not page.token_job.is_running()


@pytest.mark.slow
def test_token_lengths_come_from_a_child_process(qtbot, page, tmp_path, tokenizer_dir):
    path = write_classification_dataset(tmp_path / "cls.csv", n=30)
    open_path(qtbot, page, path)
    with qtbot.waitSignal(page.sig_token_lengths, timeout=180000) as blocker:
        page.set_tokenizer_source(str(tokenizer_dir))
    result = blocker.args[0]
    assert result is not None and result["token_lengths"]["count"] == 30
    stats = page.length_chart.stats
    assert 0 < stats["min"] <= stats["median"] <= stats["max"]
    assert len(page.length_chart.bars()) in (5, len(result.get("token_length_histogram", {})
                                                    .get("counts", [])))
    assert "30 rows tokenised" in page.length_chart.note.text()
    page.show()
    qtbot.wait(50)
    assert page.grab().save(str(tmp_path / "shot-data.png"))


@pytest.mark.slow
def test_token_counter_failure_is_shown(qtbot, page, tmp_path):
    open_path(qtbot, page, write_classification_dataset(tmp_path / "cls.csv", n=6))
    empty = tmp_path / "not-a-tokenizer"
    empty.mkdir()
    with qtbot.waitSignal(page.sig_token_lengths, timeout=180000) as blocker:
        page.set_tokenizer_source(str(empty))
    assert blocker.args == [None]
    assert "Token lengths unavailable" in page.length_chart.note.text()


def test_length_chart_draws_a_histogram_when_given_one(qtbot):
    from studio.ui.data.plots import LengthChart

    chart = LengthChart()
    qtbot.addWidget(chart)
    stats = {"count": 10, "min": 3, "mean": 7.5, "median": 7, "p95": 12, "max": 13}
    chart.show_lengths({"token_lengths": stats})
    assert list(chart.bars()) == ["min", "median", "mean", "95 %", "max"]
    chart.show_lengths({"token_lengths": stats, "token_length_histogram": {
        "edges": [3, 6, 9, 12, 15], "counts": [2, 3, 4, 1]}})
    assert chart.bars() == {"3–5": 2.0, "6–8": 3.0, "9–11": 4.0, "12–14": 1.0}
    assert "10 rows tokenised" in chart.note.text()


def test_a_dataset_info_folder_offers_its_datasets_by_name(qtbot, page, tmp_path):
    (tmp_path / "a.json").write_text(json.dumps([{"instruction": "q", "output": "a"}]))
    (tmp_path / "b.jsonl").write_text(json.dumps(
        {"conversations": [{"from": "human", "value": "hi"}, {"from": "gpt", "value": "yo"}]}))
    (tmp_path / "dataset_info.json").write_text(json.dumps(
        {"first": {"file_name": "a.json"},
         "second": {"file_name": "b.jsonl", "formatting": "sharegpt"}}))
    cfg = open_path(qtbot, page, tmp_path)
    combo = page.form.name_combo
    assert page.form._format_form.isRowVisible(combo)
    assert [combo.itemText(i) for i in range(combo.count())] == ["first", "second"]
    assert cfg.name == "first" and page.detected_format() == "instruction"
    cfg = change(qtbot, page, lambda: combo.setCurrentIndex(1))
    assert cfg.name == "second" and page.detected_format() == "chat"
    assert page.inspection()["path"] == str(tmp_path / "b.jsonl")
    assert tokens.inspect_args(cfg, "/tok")[-2:] == ["--name", "second"]
    open_path(qtbot, page, tmp_path / "a.json")
    assert not page.form._format_form.isRowVisible(combo)
    assert page.dataset_config().name is None


def test_render_html_greys_what_carries_no_loss():
    from studio.ui.data.render import LOSS_COLOUR, MASKED_COLOUR, render_html

    text = render_html({"spans": [{"text": "<|im_start|>user\nhi", "loss": False},
                                  {"text": "yo</s>", "loss": True}]})
    assert f'<span style="color:{MASKED_COLOUR}">&lt;|im_start|&gt;user\nhi</span>' in text
    assert text.index('<a name="first-loss">') < text.index(LOSS_COLOUR)
    assert f'<span style="color:{LOSS_COLOUR}; font-weight:700">yo&lt;/s&gt;</span>' in text


@pytest.mark.slow
def test_the_selected_row_is_rendered_as_training_sees_it(qtbot, page, tmp_path,
                                                          tokenizer_dir):
    rows = [{"messages": [{"role": "user", "content": f"question {i}"},
                          {"role": "assistant", "content": f"answer {i}"}]} for i in (1, 2)]
    path = tmp_path / "chat.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    open_path(qtbot, page, path)
    with qtbot.waitSignal(page.sig_rendered, timeout=180000) as blocker:
        page.set_tokenizer_source(str(tokenizer_dir))
    render = blocker.args[0]
    assert render["row"] == 1 and render["chat_template"] == "fallback"
    assert [s["text"] for s in render["spans"] if s["loss"]] == ["answer 1</s>"]
    info = page.render_view.info.text()
    assert info.startswith("Line 1") and f"{render['tokens']} tokens" in info
    assert "answer 1" in page.render_view.text.toPlainText()
    with qtbot.waitSignal(page.sig_rendered, timeout=180000) as blocker:
        page.preview.selectRow(1)
    assert blocker.args[0]["row"] == 2 and "question 2" in page.render_view.text.toPlainText()
    with qtbot.waitSignal(page.sig_rendered, timeout=180000) as blocker:
        page.set_max_length(8)
    assert blocker.args[0]["dropped"] and "skips this row" in page.render_view.info.text()
