"""Core messages carry a stable code and parameters (studio/core/messages.py), and every
text the core hands to a person is made from one, so the window can translate it."""

from __future__ import annotations

import ast
import builtins
import json
import pickle
import re
from pathlib import Path

import pytest
from conftest import ROOT

from studio.core import events
from studio.core.catalog import CATALOG
from studio.core.errors import ConfigError, DatasetError, Problem, StudioError
from studio.core.messages import Message, msg, one_of, placeholders

CORE = ROOT / "studio" / "core"
# The core, and what hands its messages on to a person: the command line and the window's
# child process owners.
SCANNED = (CORE, ROOT / "studio" / "cli", ROOT / "workers")

# Modules allowed to hand the user free English for now: added to main by other work while
# messages got codes, not converted yet. The test below fails when an unlisted module
# raises, reports or logs a sentence without a code, and when a listed module no longer
# needs to be here.
REMAINING: set[str] = set()


def test_a_message_is_its_english_text_with_its_code_and_params():
    m = msg("task.not_for_model", family="t5", kind="encoder-decoder", task="seq_cls")
    assert m == "this model (t5, encoder-decoder) cannot do seq_cls"
    assert (m.code, m.params) == ("task.not_for_model",
                                  {"family": "t5", "kind": "encoder-decoder", "task": "seq_cls"})
    assert "cannot do" in m and isinstance(m, str)


def test_a_message_survives_pickle_and_json():
    inner = msg("value.file_not_found")
    m = msg("data.at_row", where="d.csv", row=3, detail=inner)
    assert pickle.loads(pickle.dumps(m)).params["detail"].code == "value.file_not_found"
    back = Message.from_dict(json.loads(json.dumps(m.to_dict())))
    assert back == m and back.code == m.code and back.params["detail"].code == inner.code


def test_parameters_are_plain_values():
    m = msg("file.cannot_read", error=OSError(13, "Permission denied"))
    assert m.params == {"error": "[Errno 13] Permission denied"}
    json.dumps(m.to_dict())


def test_an_unknown_code_or_a_missing_parameter_is_a_bug_at_the_raise_site():
    with pytest.raises(KeyError):
        msg("no.such.code")
    with pytest.raises(ValueError, match="needs"):
        msg("task.not_for_model", family="t5")


def test_from_dict_refuses_what_this_version_cannot_render():
    assert Message.from_dict({"code": "no.such.code", "params": {}}) is None
    assert Message.from_dict({"code": "task.not_for_model", "params": {}}) is None
    assert Message.from_dict("text") is None


def test_every_template_uses_one_placeholder_style():
    """{name} only: no %1, %s or positional {} (a translation could not reorder those)."""
    for code, template in CATALOG.items():
        assert not re.search(r"%\d|%s|%d|\{\}|\{\d", template), code
        assert re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)+", code), code
        for name in placeholders(template):
            assert re.fullmatch(r"[a-z_]+", name), (code, name)


def test_problem_and_errors_read_as_before():
    p = Problem("method.r", msg("value.at_least", low="1"), found="0")
    assert str(p) == "method.r: must be >= 1 (found 0)"
    assert str(Problem("a", "b", expected="c")) == "a: b (expected c)"
    assert str(Problem("a", "b", expected="c", found="d")) == "a: b (expected c, found d)"
    assert p.to_dict()["code"] == "value.at_least"
    err = DatasetError(msg("value.file_not_found"), "d.csv", 4, "text")
    assert str(err) == "d.csv, row 4, column 'text': file not found"
    assert err.message.code == "data.at_row_column"
    assert str(DatasetError("x")) == "dataset: x"
    assert str(ConfigError([p])) == str(p)
    assert StudioError(msg("method.unknown")).message.code == "method.unknown"
    assert one_of(["a", "b"]) == "one of a, b"


def test_events_carry_the_code_of_their_messages():
    line = events.encode("error", message=msg("method.unknown"), kind="known")
    event = events.parse(line)
    assert event["message"] == "unknown method"
    assert Message.from_dict(event["messages"]["message"]).code == "method.unknown"


# ---- every text for people has a code ------------------------------------------------------
# Our error types (a name ending in Error that is not a Python builtin) and their helpers.
ERROR_CALLS = {"IncompatibleAdapter", "TreeUnavailable", "located_error"}
BUILTINS = set(dir(builtins))
SENTENCE = re.compile(r"[A-Za-z]{2,}[ ,;:]+[A-Za-z]{2,}")


def _literal_text(node: ast.AST) -> str | None:
    """The literal words of a free-text expression ("...", f"...", "..." + x, str(exc))."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return " ".join(_literal_text(v) or "{}" for v in node.values)
    if isinstance(node, ast.BinOp):
        parts = [_literal_text(node.left), _literal_text(node.right)]
        return " ".join(p for p in parts if p) or None
    if isinstance(node, ast.IfExp):
        parts = [_literal_text(node.body), _literal_text(node.orelse)]
        return " ".join(p for p in parts if p) or None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "str":
        return "str of an error"   # str(exc): loses the code of a coded message
    return None


def _name(func: ast.AST | None) -> str:
    return func.id if isinstance(func, ast.Name) else \
        func.attr if isinstance(func, ast.Attribute) else ""


def free_texts(path: Path) -> list[str]:
    """Texts for people in this module that are not Messages: "line: text"."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name, texts = _name(node.func), []
        ours = name in ERROR_CALLS or (name.endswith("Error") and name not in BUILTINS)
        if ours and node.args:
            texts.append(node.args[0])
        elif name == "Problem":
            texts += node.args[1:3] + [k.value for k in node.keywords
                                       if k.arg in ("message", "expected")]
        elif name == "append" and _name(getattr(node.func, "value", None)) in ("problems",
                                                                               "faults"):
            texts += node.args[:1]   # reasons collected for an error (adapter, model checks)
        elif name == "add" and _name(getattr(node.func, "value", None)) == "faults":
            texts += node.args[2:4]   # the data checks' findings: message, expected
        elif name == "report" and len(node.args) > 1:
            texts.append(node.args[1])   # export progress
        elif name == "say" and node.args:
            texts.append(node.args[0])   # loading progress in the Playground
        elif name in ("emit", "event", "out") and node.args \
                and isinstance(node.args[0], ast.Constant) \
                and node.args[0].value in ("log", "error"):
            texts += [k.value for k in node.keywords if k.arg == "message"]
        elif name == "__init__" and node.args and isinstance(node.func, ast.Attribute) \
                and _name(getattr(node.func.value, "func", None)) == "super":
            texts.append(node.args[0])   # an error type's own message
        elif name == "fail" and node.args:
            texts.append(node.args[0])   # the server's refusals
        for text in texts:
            literal = _literal_text(text)
            if literal is not None and (SENTENCE.search(literal) or literal.startswith("str ")):
                found.append(f"{node.lineno}: {literal[:60]}")
    return found


def test_core_texts_for_people_have_codes():
    offenders = {}
    for path in sorted(p for folder in SCANNED for p in folder.rglob("*.py")):
        module = str(path.relative_to(ROOT))
        texts = free_texts(path)
        if texts and module not in REMAINING:
            offenders[module] = texts
    assert offenders == {}, ("give these texts a code in studio/core/catalog.py and raise "
                             f"them with msg(...): {offenders}")


def test_the_remaining_list_is_current():
    done = sorted(m for m in REMAINING if not free_texts(ROOT / m))
    assert done == [], f"converted: take these off REMAINING: {done}"


def test_a_refused_document_keeps_its_code_inside_the_error_that_reports_it(tmp_path):
    from studio.core.config import load as load_run_file
    from studio.core.parsing import ParseError, load_json

    with pytest.raises(ParseError) as caught:
        load_json('{"a": 1,\n "a": 2}', unique_keys=True)
    assert caught.value.message.code == "parse.key_twice_object_lines"
    assert str(caught.value) == ("the key 'a' is given twice in one object, on line 1 and on "
                                 "line 2; keep one of them")
    run = tmp_path / "run.json"
    run.write_text('{"a": 1,\n "a": 2}', encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_run_file(run)
    error = refused.value.problems[0].message.params["error"]
    assert error.code == "data.at_line_only"
    assert error.params["detail"].code == "parse.key_twice_object_lines"
