"""Core messages in the window's language: every template of studio/core/catalog.py has a
finished Simplified Chinese translation with the same placeholders, and what the window
shows of validation problems, known errors and the training child's error events is Chinese,
not the core's English."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT
from PySide6.QtCore import QTranslator

from studio.core import events
from studio.core.catalog import CATALOG
from studio.core.config import DatasetConfig, MethodConfig, RunConfig, TrainingConfig
from studio.core.errors import ConfigError, DatasetError, Problem, StudioError
from studio.core.messages import CONTEXT, msg, placeholders
from studio.core.validate import validate
from studio.ui.common import dialogs
from studio.ui.common.messages import (
    error_text,
    event_text,
    message_text,
    outcome_error_text,
    problem_text,
)
from workers.training import ChildState, decide_outcome

CJK = re.compile(r"[\u4e00-\u9fff]")
# Three English words in a row: a sentence the user would read in English.
ENGLISH = re.compile(r"\b[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}\b")


def _words(template: str) -> str:
    return re.sub(r"\{[a-z_]+\}", "", template)


def test_every_core_message_has_a_finished_translation():
    translator = QTranslator()
    assert translator.load(str(ROOT / "resources" / "translations" / "peft_studio_zh_CN.qm"))
    for code, template in CATALOG.items():
        chinese = translator.translate(CONTEXT, template)
        assert chinese, f"{code}: no translation of {template!r}"
        assert placeholders(chinese) == placeholders(template), (code, chinese)
        if re.search(r"[A-Za-z]{3,}", _words(template)):
            assert CJK.search(chinese), (code, chinese)


def test_validation_problems_read_in_chinese(chinese, tmp_path):
    config = RunConfig(model="", task="poetry", dataset=DatasetConfig(path="", format="odd"),
                       method=MethodConfig("lora", {"r": 0, "rank": 4, "bias": "most"}),
                       training=TrainingConfig(learning_rate=5.0, scheduler="sawtooth",
                                               warmup_ratio=2.0, dtype="float8"),
                       device="tpu")
    problems = validate(config)
    assert len(problems) >= 10
    for problem in problems:
        text = problem_text(problem)
        assert CJK.search(text) and not ENGLISH.search(text), text
        assert text != str(problem)


def test_known_errors_read_in_chinese(chinese, qtbot):
    errors = [DatasetError(msg("value.file_not_found"), "d.csv", 3, "text"),
              ConfigError([Problem(msg("config.run_file"), msg("value.file_not_found"),
                                   found="run.yaml")]),
              StudioError(msg("method.unknown_id", method="qlora", known="lora, dora"))]
    for exc in errors:
        text = error_text(exc)
        assert CJK.search(text) and not ENGLISH.search(text), text
    box = dialogs.show_exception(None, errors[-1], modal=False)
    qtbot.addWidget(box)
    assert box.text() == "未知方法“qlora”。已知方法：lora, dora。"


def test_the_training_childs_error_reads_in_chinese(chinese):
    """The child sends code and parameters with its English text; the window translates."""
    line = events.encode("error", message=StudioError(msg("method.unknown_id", method="x",
                                                          known="lora")).message,
                         kind="known", traceback=None)
    event = events.parse(line)
    assert event_text(event) == "未知方法“x”。已知方法：lora。"
    state = ChildState()
    state.feed(event)
    payload, store = decide_outcome(state, 1, False, "")
    assert outcome_error_text(payload) == "未知方法“x”。已知方法：lora。"
    assert store == ("failed", "Unknown method 'x'. Known methods: lora.", None)
    assert store[1].code == "method.unknown_id"   # the store keeps the code with the English
    state.feed(events.parse(events.encode("error", message=msg("engine.out_of_memory"))))
    _, store = decide_outcome(state, 1, False, "")
    assert message_text(store[1]) == ("未知方法“x”。已知方法：lora。\n"
                                      "内存不足：请尝试减小批大小或 max_length")


def test_plain_text_passes_through(chinese):
    assert event_text({"event": "log", "message": "hello"}) == "hello"
    assert outcome_error_text({"error": "exit code 9"}) == "exit code 9"


def test_data_problems_read_in_chinese(chinese, qtbot, tmp_path):
    from studio.core.data import validate_dataset
    from studio.ui.data.problems import ProblemList

    path = tmp_path / "d.csv"
    path.write_text("text,label\ngood,pos\n,neg\nfine,pos\n", encoding="utf-8")
    problems = validate_dataset(DatasetConfig(path=str(path), labels=["pos", "pos"]))
    assert len(problems) >= 2
    view = ProblemList()
    qtbot.addWidget(view)
    view.set_problems([p.to_dict() for p in problems])
    texts = [view.item(i).text().split("\n")[0] for i in range(view.count())]
    assert all(CJK.search(t) and not ENGLISH.search(t) for t in texts), texts


def test_the_training_log_reads_in_chinese(chinese):
    """The Train page's log lines are events.human(...) of the child's events, translated."""
    started = events.parse(events.encode(
        "run_started", run_id="r1", method="lora", task="causal_lm", device="cpu",
        trainable_params=1234, total_params=56789, total_steps=10, output_dir="/runs/r1"))
    log = events.parse(events.encode("log", level="info",
                                     message=msg("engine.loading", model="m", task="causal_lm")))
    lines = [message_text(events.human(e)) for e in (started, log)]
    assert lines == ["运行 r1（lora，causal_lm）在 cpu 上：56,789 个参数中有 1,234 个可训练，"
                     "共 10 步 -> /runs/r1", "正在为 causal_lm 加载 m"]
    assert events.human(started).startswith("run r1 (lora, causal_lm) on cpu: 1,234 of 56,789")


def test_a_child_that_died_reads_in_chinese(chinese):
    from workers.child import describe_exit

    error = describe_exit(-9, "training")
    assert str(error) == ("the training process ended unexpectedly (killed by signal 9 "
                          "(SIGKILL); the system may have run out of memory)")
    assert outcome_error_text({"error": error}) == ("训练进程意外结束（被信号 9（SIGKILL）终止；"
                                                    "系统可能已内存不足）")


def test_the_token_counters_failure_reads_in_chinese(chinese, tmp_path, capsys):
    """The Data page's token counter runs ``data inspect --json`` in a child; its JSON error
    carries the code, so the page says it in Chinese."""
    from studio.cli import main
    from studio.ui.data.tokens import TokenLengthJob

    assert main(["data", "inspect", str(tmp_path / "missing.jsonl"), "--json"]) == 2
    captured = capsys.readouterr()
    reason = TokenLengthJob()._failure(captured.out, captured.err, 2)
    assert reason == f"{tmp_path / 'missing.jsonl'}：找不到文件"


def test_the_playgrounds_errors_keep_their_codes_across_the_inference_process(chinese, capsys):
    """The inference child sends code and parameters with its error reply; the window's
    RemoteSession raises errors made of the same Messages, so the Playground translates."""
    import json

    from studio.core.inference.child import _Out
    from studio.core.inference.switching import IncompatibleAdapter
    from workers.inference import RemoteIncompatible, _raise

    def crossed(exc: StudioError) -> StudioError:
        problems = getattr(exc, "problems", None)
        _Out()(7, "error", message=exc.message, problems=list(problems) if problems else None,
               kind="incompatible" if problems is not None else "known")
        event = json.loads(capsys.readouterr().out)
        try:
            _raise(event)
        except StudioError as raised:
            return raised
        raise AssertionError("no error raised")

    known = crossed(StudioError(msg("inference.no_model_loaded")))
    assert str(known) == "no model is loaded in the inference process"   # English as before
    assert error_text(known) == "推理进程中没有加载模型"
    refused = crossed(IncompatibleAdapter("a1", [msg("value.file_not_found")]))
    assert isinstance(refused, RemoteIncompatible)
    assert refused.problems[0].code == "value.file_not_found"
    text = error_text(refused)
    assert CJK.search(text) and not ENGLISH.search(text), text


def test_a_crashed_inference_process_is_told_in_the_users_language(chinese):
    """How the model's process ended (signal, exit code, last stderr lines) reaches the
    Playground as a Message, not an English sentence glued together."""
    import queue
    import threading

    from workers.inference import InferenceCrashedError, _Child, _raise

    child = object.__new__(_Child)   # its reader's end of the story, without a process
    child.pending, child.lock, child.ended = {}, threading.Lock(), None
    box: queue.Queue = queue.Queue()
    child.pending[1] = box
    child.stderr_tail = lambda: "Traceback ...\nMemoryError"
    child.on_exit(-9)
    event = box.get_nowait()
    assert "killed by signal 9" in event["message"]          # English for logs, as before
    with pytest.raises(InferenceCrashedError) as raised:
        _raise(event)
    text = error_text(raised.value)
    assert CJK.search(text) and "SIGKILL" in text, text
    assert not ENGLISH.search(text.replace("SIGKILL", "")), text


def test_the_inference_childs_own_replies_have_codes(chinese, qtbot, monkeypatch, capsys):
    """What the child says of itself (a command it does not know, a bug inside it) carries a
    code: the Playground's dialog says it in the user's language, the child's traceback in
    its details."""
    import io
    import json
    import sys

    from studio.core.inference.child import Server
    from workers.inference import InferenceBugError, _raise

    server = Server()
    server.session = object()   # asked to switch adapters, it fails: a bug in the child
    monkeypatch.setattr(sys, "stdin", io.StringIO(
        '{"id": 1, "op": "teleport"}\n{"id": 2, "op": "use", "name": "a"}\n'))
    server.serve()
    replies = {e["id"]: e for e in map(json.loads, capsys.readouterr().out.splitlines())}
    unknown, bug = replies[1], replies[2]
    assert unknown["message"] == ("the inference process does not know the command 'teleport' "
                                  "(is it from another version of PEFT Studio?)")
    assert (unknown["kind"], bug["kind"]) == ("bug", "bug")
    assert bug["message"].startswith("internal error: AttributeError:")
    assert "Traceback (most recent call last)" in bug["traceback"]
    with pytest.raises(InferenceBugError) as raised:
        _raise(unknown)
    assert error_text(raised.value) == ("推理进程不认识命令 'teleport'（它是否来自另一个版本的 "
                                        "PEFT Studio？）")  # noqa: RUF001
    with pytest.raises(InferenceBugError) as raised:
        _raise(bug)
    box = dialogs.show_exception(None, raised.value, modal=False)
    qtbot.addWidget(box)
    assert box.text().startswith("内部错误：AttributeError: 'object' object has no attribute")
    assert box.detailedText() == bug["traceback"]   # the child's, where the bug happened


def test_how_a_dead_worker_ended_reads_in_chinese(chinese, tmp_path):
    from studio.core.distributed import Topology
    from studio.core.launcher import _Watch, _Worker

    watch = _Watch(Topology(2, 2, 0, "127.0.0.1", 8118, 1), tmp_path, tmp_path, emit=None,
                   relay_rank=None)
    assert message_text(watch.why(_Worker(1, pid=42, returncode=-9))) == (
        f"工作进程 1（进程 42）被 SIGKILL 终止（内存不足，或被人终止）；其他工作进程均已停止"
        f"（日志：{tmp_path}）")


@pytest.mark.parametrize("argv, outcome", [
    (["serve", "--host", "0.0.0.0", "--adapter", "anything"], "serving"),
    (["eval", "20990101-000000-zzzz", "--data", "d.jsonl", "--events", "json"], "evaluation"),
    (["download", "org/not-cached", "--events", "json"], "download"),
])
def test_the_command_lines_refusals_reach_the_window_in_chinese(chinese, capsys, monkeypatch,
                                                                argv, outcome):
    """The window runs these commands as child processes: their error events carry codes,
    and the worker's outcome keeps them, so the Serve panel, the Evaluations tab and the
    download dialog say why in the user's language."""
    from studio.cli import main
    from workers import download, evaluation, serving

    monkeypatch.delenv("PEFT_STUDIO_API_KEY", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert main(argv) == 2
    event = events.parse(capsys.readouterr().out.strip().splitlines()[-1])
    assert event["event"] == "error" and "messages" in event
    if outcome == "serving":
        payload = serving.decide_outcome([events.message_of(event)], 2, False, "")
    elif outcome == "evaluation":
        payload = evaluation.decide_outcome([], [event], 2, False, "")
    else:
        payload = download.decide_outcome(None, [event], 2, False, "")
    text = outcome_error_text(payload)
    commands = re.sub(r"`[^`]*`", "", text)   # a command to type stays as it is
    assert CJK.search(text) and not ENGLISH.search(commands), text


def test_damaged_records_and_refused_run_names_read_in_chinese(chinese):
    """The Runs page's "some runs could not be read" and a refused rename, in Chinese."""
    from studio.core.records import RunRecord
    from studio.core.store import RunStore

    with RunStore() as store:
        run = store.create_run({"model": "m"}, name="good")
        with pytest.raises(StudioError) as refused:
            store.rename_run(run.id, "a\x1bb")
        with store.db.conn:
            store.db.conn.execute("UPDATE runs SET final_metrics = '[' WHERE id = ?", [run.id])
        damaged = store.damaged_runs()[0]
    assert str(refused.value).startswith("Cannot rename the run: a run name cannot contain")
    assert error_text(refused.value) == ("无法重命名该运行：运行名称不能包含控制字符；此名称在第 2 "
                                         "个位置有 U+001B（控制字符）。")
    assert f"run {run.id} (good) is damaged" in str(damaged)
    text = error_text(damaged)
    assert text.startswith(f"运行 {run.id}（good）的存储记录已损坏："
                           "其 final_metrics 不是可读的 JSON")
    assert text.endswith(f"其他运行不受影响；`peft-studio runs delete {run.id}` 可删除这一个。")
    with pytest.raises(StudioError) as wrong:
        RunRecord.from_row({**run.to_dict(), "config": "[1]", "final_metrics": None})
    assert "是 list，而不是对象" in error_text(wrong.value)


def test_an_unusable_model_config_reads_in_chinese(chinese, tmp_path):
    """Every fault found in a config.json is coded, so the Model page's error is Chinese."""
    import json

    from studio.core.modelinfo import inspect

    (tmp_path / "config.json").write_text(json.dumps({
        "architectures": "LlamaForCausalLM", "model_type": 7, "is_encoder_decoder": "no",
        "num_attention_heads": 0}), encoding="utf-8")
    with pytest.raises(StudioError) as refused:
        inspect(str(tmp_path))
    assert "architectures must be a list of class names" in str(refused.value)
    text = error_text(refused.value)
    assert text.count("实际为") == 3 and "必须是至少为 1 的整数" in text, text
    assert not ENGLISH.search(text), text


def test_the_pickle_refusal_and_the_module_trees_notes_read_in_chinese(chinese, tmp_path):
    from studio.core import modeltree, weightsafety

    (tmp_path / "pytorch_model.bin").write_bytes(b"x")
    with pytest.raises(weightsafety.PickleWeightsRefusedError) as refused:
        weightsafety.check_folder(tmp_path)
    assert "holds its weights only as pickle files (pytorch_model.bin)" in str(refused.value)
    text = error_text(refused.value)
    assert "仅以 pickle 文件（pytorch_model.bin）保存其权重" in text, text
    assert "torch.load('pytorch_model.bin'" in text   # the command to run stays as it is
    assert message_text(modeltree.BIN_NOTE).startswith("该模型保存为 pytorch_model.bin")
    assert message_text(modeltree.NOT_DOWNLOADED) == "模型下载之前无法得知模块树。"


def test_a_failed_verification_reads_in_chinese(chinese, qtbot, tmp_path):
    """The export child sends its verification as JSON: the error's code goes with it, so
    the Export page's result panel says why in the user's language."""

    from studio.core.export.verify import Verification
    from studio.ui.export.result import ResultPanel

    failed = Verification(False, None, 1e-4, "float32", 4, 2.0, msg(
        "verify.does_not_load", reason="OSError: no file named model.safetensors"))
    sent = events.parse(events.encode("export_finished", kind="merged", path=str(tmp_path),
                                      verification=failed.to_dict()))
    assert sent["verification"]["error"].startswith("the exported folder does not load")
    panel = ResultPanel()
    qtbot.addWidget(panel)
    panel.show_result(sent)
    assert panel.verification_state() == "failed"
    assert ("导出的文件夹无法在新进程中加载：OSError: no file named model.safetensors"
            in panel.verification_label.text()), panel.verification_label.text()


def test_a_store_in_the_way_reads_in_chinese(chinese, tmp_path):
    from studio.core.database import StoreError
    from studio.core.store import RunStore

    (tmp_path / "runs.sqlite").mkdir()
    with pytest.raises(StoreError) as refused:
        RunStore(tmp_path / "runs.sqlite")
    assert "is a folder, so it cannot hold the run history" in str(refused.value)
    assert "是一个文件夹，因此无法保存运行历史" in error_text(refused.value)
