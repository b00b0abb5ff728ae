"""validate_dataset: problems (never raises), with the field and the rows at fault."""

from __future__ import annotations

from studio.core.data import validate_dataset

CHAT = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]


def fields(problems):
    return [p.field for p in problems]


def test_clean_data_has_no_problems(write, cfg):
    path = write("d.csv", "text,label\ngood,pos\nbad,neg\n")
    assert validate_dataset(cfg(path), "seq_cls") == []
    assert validate_dataset(cfg(path), "seq2seq") == []
    assert validate_dataset(cfg(path), None) == []


def test_unreadable_file_is_a_path_problem(cfg, tmp_path):
    problems = validate_dataset(cfg(tmp_path / "missing.csv"), "seq_cls")
    assert fields(problems) == ["dataset.path"] and "file not found" in problems[0].message
    assert fields(validate_dataset(cfg(""), None)) == ["dataset.path"]


def test_missing_mapped_column(write, cfg):
    path = write("d.csv", "text,label\ngood,pos\nbad,neg\n")
    problems = validate_dataset(cfg(path, label_column="sentiment"), "seq_cls")
    assert fields(problems) == ["dataset.label_column"]
    assert problems[0].found == "sentiment" and "text, label" in problems[0].expected


def test_empty_values_name_the_rows(write, cfg):
    path = write("d.jsonl", [{"text": "good", "label": "pos"}, {"text": "", "label": "neg"},
                             {"text": "ok", "label": None}, {"text": "fine", "label": "pos"}])
    problems = validate_dataset(cfg(path), "seq_cls")
    by_field = {p.field: p.message for p in problems}
    assert "empty value in column 'text' at line 2 of d.jsonl" in by_field["dataset.text_column"]
    assert "line 3" in by_field["dataset.label_column"]


def test_unknown_label(write, cfg):
    path = write("d.csv", "text,label\ngood,positive\nbad,negative\nhm,postive\n")
    problems = validate_dataset(cfg(path, labels=["negative", "positive"]), "seq_cls")
    assert fields(problems) == ["dataset.labels"]
    assert "unknown label 'postive'" in problems[0].message
    assert "line 4" in problems[0].message and problems[0].found == "postive"


def test_integer_labels_index_declared_names(write, cfg):
    path = write("d.jsonl", [{"text": "a", "label": 0}, {"text": "b", "label": 1}])
    assert validate_dataset(cfg(path, labels=["neg", "pos"]), "seq_cls") == []


def test_single_label_is_not_enough(write, cfg):
    path = write("d.csv", "text,label\ngood,pos\nfine,pos\n")
    problems = validate_dataset(cfg(path), "seq_cls")
    assert fields(problems) == ["dataset.label_column"] and "at least 2" in problems[0].message


def test_format_must_fit_task(write, cfg):
    chat = write("c.jsonl", [{"messages": CHAT}])
    problems = validate_dataset(cfg(chat), "seq_cls")
    assert fields(problems) == ["task"] and "chat data does not fit task seq_cls" in \
        problems[0].message
    cls = write("d.csv", "text,label\ngood,pos\nbad,neg\n")
    assert fields(validate_dataset(cfg(cls), "causal_lm")) == ["task"]
    assert validate_dataset(cfg(chat), "causal_lm") == []


def test_chat_rows_checked(write, cfg):
    path = write("c.jsonl", [{"messages": CHAT},
                             {"messages": [{"role": "user", "content": "only a question"}]},
                             {"messages": [{"role": "wizard", "content": "?"}, CHAT[1]]}])
    problems = validate_dataset(cfg(path), "causal_lm")
    messages = [p.message for p in problems]
    assert any("no assistant message" in m and "line 2" in m for m in messages)
    assert any("role 'wizard'" in m and "line 3" in m for m in messages)


def test_token_rows_checked(write, cfg):
    path = write("t.jsonl", [{"tokens": ["a", "b"], "tags": ["O", "B"]},
                             {"tokens": ["a", "b"], "tags": ["O"]},
                             {"tokens": ["c"], "tags": ["X"]}])
    problems = validate_dataset(cfg(path, labels=["O", "B"]), "token_cls")
    by_field = {p.field: p.message for p in problems}
    assert "one tag per word" in by_field["dataset.tags_column"]
    assert "line 2" in by_field["dataset.tags_column"]
    assert "unknown tag 'X'" in by_field["dataset.labels"]


def test_settings_ranges(write, cfg):
    path = write("d.csv", "text,label\ngood,pos\nbad,neg\n")
    problems = validate_dataset(cfg(path, validation_split=1.5, max_samples=0), "seq_cls")
    assert set(fields(problems)) == {"dataset.validation_split", "dataset.max_samples"}


def test_validation_file_checked(write, cfg):
    train = write("train.csv", "text,label\ngood,pos\nbad,neg\n")
    val = write("val.csv", "text,label\nnice,pos\nmeh,meh\n")
    problems = validate_dataset(cfg(train, validation_path=str(val)), "seq_cls")
    assert fields(problems) == ["dataset.labels"]
    assert "unknown label 'meh'" in problems[0].message and "val.csv" in problems[0].message
    other = write("val.jsonl", [{"messages": CHAT}])
    problems = validate_dataset(cfg(train, validation_path=str(other)), "seq_cls")
    assert fields(problems) == ["dataset.validation_path"]
    missing = validate_dataset(cfg(train, validation_path=str(train) + ".nope"), "seq_cls")
    assert fields(missing) == ["dataset.validation_path"]


def test_many_bad_rows_are_summarised(write, cfg):
    rows = [{"text": "", "label": "a"} for _ in range(8)] + [{"text": "x", "label": "b"}]
    problems = validate_dataset(cfg(write("d.jsonl", rows)), "seq_cls")
    assert "lines 1, 2, 3, 4, 5 and 3 more" in problems[0].message
