"""read_rows: every file type, header rules, and the malformed-input errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from studio.core.data import read_rows
from studio.core.errors import DatasetError

ROOT = Path(__file__).resolve().parents[3]


def test_csv_with_header_keeps_line_numbers(write, cfg):
    path = write("d.csv", "text,label\nthe market rose,positive\n\n\"a, quoted\",negative\n")
    table = read_rows(cfg(path))
    assert table.columns == ["text", "label"]
    assert table.rows == [{"text": "the market rose", "label": "positive"},
                          {"text": "a, quoted", "label": "negative"}]
    assert table.numbers == [2, 4] and table.unit == "line" and table.file_type == "csv"


def test_tsv_and_sniffed_semicolon(write, cfg):
    tsv = read_rows(cfg(write("d.tsv", "sentence\tsentiment\nprofit up\tpositive\n")))
    assert tsv.rows == [{"sentence": "profit up", "sentiment": "positive"}]
    semi = read_rows(cfg(write("s.csv", "text;label\nloss, big;negative\nok;neutral\n")))
    assert semi.rows[0] == {"text": "loss, big", "label": "negative"}


def test_headerless_delimited_with_comments(write, cfg):
    path = write("pb.txt", "# a comment\n# another\n\nProfit rose sharply .@positive\n"
                           "Sales fell .@negative\nThe plant opened .@positive\n")
    table = read_rows(cfg(path, file_type="csv", delimiter="@"))
    assert table.columns == ["text", "label"]
    assert table.rows[0] == {"text": "Profit rose sharply .", "label": "positive"}
    assert table.numbers == [4, 5, 6]
    # a .txt file with a delimiter set is read as delimited even with file_type auto
    assert read_rows(cfg(path, delimiter="@")).rows == table.rows


def test_headerless_label_first_and_wide(write, cfg):
    table = read_rows(cfg(write("a.csv", "pos,good stock\npos,great year\nneg,bad loss\n")))
    assert table.columns == ["label", "text"]
    wide = read_rows(cfg(write("w.csv", "1,2,3\n4,5,6\n")))
    assert wide.columns == ["column_1", "column_2", "column_3"]


def test_header_detected_by_known_name(write, cfg):
    table = read_rows(cfg(write("h.csv", "Review Text,label\ngood,1\nbad,0\n")))
    assert table.columns == ["Review Text", "label"]
    mapped = read_rows(cfg(write("m.csv", "Review Text,Stars\ngood,1\nbad,0\n"),
                           text_column="review text"))
    assert mapped.columns == ["Review Text", "Stars"]


def test_declared_labels_mark_first_line_as_data(write, cfg):
    path = write("toy.csv", "good,pos\nbad,neg\n")
    assert read_rows(cfg(path)).columns == ["good", "pos"]  # looks like a header
    table = read_rows(cfg(path, labels=["neg", "pos"]))
    assert table.columns == ["text", "label"] and len(table) == 2


def test_csv_inconsistent_columns(write, cfg):
    path = write("bad.csv", "text,label\nok,positive\ntoo,many,fields\n")
    with pytest.raises(DatasetError) as err:
        read_rows(cfg(path))
    assert err.value.row == 3
    assert "line 3" in str(err.value) and "3 fields where 2" in str(err.value)


def test_json_list_wrapped_and_single_object(write, cfg):
    rows = [{"text": "a", "label": "x"}, {"text": "b", "label": "y"}]
    assert read_rows(cfg(write("l.json", rows))).rows == rows
    wrapped = read_rows(cfg(write("w.json", {"version": 1, "data": rows})))
    assert wrapped.rows == rows and wrapped.numbers == [1, 2] and wrapped.unit == "row"
    assert read_rows(cfg(write("x.json", {"version": 1, "examples_v2": rows}))).rows == rows
    chat = {"messages": [{"role": "user", "content": "hi"}]}
    assert read_rows(cfg(write("one.json", chat))).rows == [chat]


def test_jsonl_and_json_lines_in_json_file(write, cfg):
    rows = [{"text": "a"}, {"text": "b"}]
    table = read_rows(cfg(write("d.jsonl", rows)))
    assert table.rows == rows and table.numbers == [1, 2] and table.file_type == "jsonl"
    assert read_rows(cfg(write("d.json", "".join(json.dumps(r) + "\n" for r in rows)))).rows == rows


def test_bad_json_line_names_line_number(write, cfg):
    path = write("bad.jsonl", '{"text": "a"}\n\n{"text": "b",}\n')
    with pytest.raises(DatasetError) as err:
        read_rows(cfg(path))
    assert err.value.row == 3
    message = str(err.value)
    assert "bad.jsonl" in message and "line 3" in message and "not valid JSON" in message
    assert "Expecting property name" in message


def test_bad_json_file_names_line(write, cfg):
    with pytest.raises(DatasetError, match="line 2: not valid JSON"):
        read_rows(cfg(write("bad.json", '[{"text": "a"},\n {"text" "b"}]')))


def test_non_object_rows(write, cfg):
    with pytest.raises(DatasetError, match=r"line 2: is str .*expected a JSON object"):
        read_rows(cfg(write("s.jsonl", '{"text": "a"}\n"just a string"\n')))
    with pytest.raises(DatasetError, match=r"row 1: is list"):
        read_rows(cfg(write("l.json", [[1, 2]])))


def test_inconsistent_json_columns(write, cfg):
    with pytest.raises(DatasetError, match=r"line 2: inconsistent columns"):
        read_rows(cfg(write("m.jsonl", [{"text": "a"}, {"question": "q", "answer": "b"}])))


def test_json_without_rows(write, cfg):
    with pytest.raises(DatasetError, match="list of objects"):
        read_rows(cfg(write("o.json", {"a": 1})))


def test_missing_and_empty_files(write, cfg, tmp_path):
    with pytest.raises(DatasetError, match="file not found") as err:
        read_rows(cfg(tmp_path / "nope.csv"))
    assert err.value.path.endswith("nope.csv")
    with pytest.raises(DatasetError, match="the file is empty"):
        read_rows(cfg(write("e.jsonl", "\n  \n")))
    with pytest.raises(DatasetError, match="only blank or comment"):
        read_rows(cfg(write("c.csv", "# only a comment\n")))
    with pytest.raises(DatasetError, match="header line but no data rows"):
        read_rows(cfg(write("h.csv", "text,label\n")))
    with pytest.raises(DatasetError, match=re.escape("dataset.path is empty")):
        read_rows(cfg(""))


def test_wrong_encoding_says_which_and_suggests_field(write, cfg):
    path = write("l1.csv", "text,label\nok,positive\ncafé,neutral\n", encoding="latin-1")
    with pytest.raises(DatasetError) as err:
        read_rows(cfg(path))
    message = str(err.value)
    assert "utf-8" in message and "dataset.encoding" in message and "line 3" in message
    assert read_rows(cfg(path, encoding="latin-1")).rows[1]["text"] == "café"
    with pytest.raises(DatasetError, match="unknown encoding"):
        read_rows(cfg(path, encoding="klingon"))


def test_utf8_bom_is_ignored(write, cfg):
    path = write("bom.csv", b"\xef\xbb\xbftext,label\na,b\nc,d\n")
    assert read_rows(cfg(path)).columns == ["text", "label"]


def test_plain_text(write, cfg):
    table = read_rows(cfg(write("t.txt", "first line\n\nsecond line\n")))
    assert table.rows == [{"text": "first line"}, {"text": "second line"}]
    assert table.numbers == [1, 3]


def test_unknown_extension_sniffed(write, cfg):
    assert read_rows(cfg(write("d.data", '[{"text": "a"}]'))).file_type == "json"
    assert read_rows(cfg(write("d.raw", "hello\n"))).file_type == "text"


def test_parquet(tmp_path, cfg):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "d.parquet"
    pq.write_table(pa.table({"text": ["a", "b"], "label": [0, 1]}), path)
    table = read_rows(cfg(path))
    assert table.rows == [{"text": "a", "label": 0}, {"text": "b", "label": 1}]
    assert table.unit == "row" and table.numbers == [1, 2]
    (tmp_path / "bad.parquet").write_text("not parquet")
    with pytest.raises(DatasetError, match="not a readable Parquet file"):
        read_rows(cfg(tmp_path / "bad.parquet"))


def test_save_to_disk_folders(tmp_path, cfg):
    import datasets

    features = datasets.Features({"text": datasets.Value("string"),
                                  "label": datasets.ClassLabel(names=["neg", "pos"])})
    ds = datasets.Dataset.from_dict({"text": ["a", "b", "c"], "label": [1, 0, 1]},
                                    features=features)
    ds.save_to_disk(str(tmp_path / "single"))
    table = read_rows(cfg(tmp_path / "single"))
    assert table.file_type == "arrow"
    assert [r["label"] for r in table.rows] == ["pos", "neg", "pos"]
    assert table.class_names == {"label": ["neg", "pos"]}
    datasets.DatasetDict(train=ds, validation=ds.select([0])).save_to_disk(str(tmp_path / "dd"))
    assert len(read_rows(cfg(tmp_path / "dd", file_type="arrow"))) == 3
    assert len(read_rows(cfg(tmp_path / "dd" / "validation"))) == 1
    (tmp_path / "plain").mkdir()
    with pytest.raises(DatasetError, match="not a datasets save_to_disk folder"):
        read_rows(cfg(tmp_path / "plain"))


def test_token_tags_from_save_to_disk(tmp_path, cfg):
    import datasets

    features = datasets.Features({
        "tokens": datasets.Sequence(datasets.Value("string")),
        "ner_tags": datasets.Sequence(datasets.ClassLabel(names=["O", "B-ORG"]))})
    datasets.Dataset.from_dict({"tokens": [["Nokia", "rose"]], "ner_tags": [[1, 0]]},
                               features=features).save_to_disk(str(tmp_path / "tok"))
    table = read_rows(cfg(tmp_path / "tok"))
    assert table.rows[0]["ner_tags"] == ["B-ORG", "O"]
    assert table.class_names["ner_tags"] == ["O", "B-ORG"]


def test_reading_imports_no_compute_stack(tmp_path):
    (tmp_path / "d.csv").write_text("text,label\na,x\nb,y\n")
    code = (
        "import sys\n"
        "from studio.core.config import DatasetConfig\n"
        "from studio.core.data import read_rows, detect_format, validate_dataset, inspect\n"
        f"cfg = DatasetConfig(path={str(tmp_path / 'd.csv')!r})\n"
        "detect_format(read_rows(cfg), cfg); validate_dataset(cfg, 'seq_cls'); inspect(cfg)\n"
        "print(sorted(m for m in ('torch', 'transformers', 'mindnlp', 'mindspore', 'pandas')"
        " if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
