"""The Serve panel with a real ``peft-studio serve`` child: start, the address and examples,
a request in the log, stop; and which runs the Runs page can serve together."""

from __future__ import annotations

from types import SimpleNamespace

import openai
import pytest
from factories import free_port
from PySide6.QtGui import QGuiApplication

from studio.ui.runs.actions import servable
from studio.ui.serve.panel import ServePanel, ServeRequest


def _run(name: str, model: str = "base-a", method: str = "lora", status: str = "completed"):
    return SimpleNamespace(name=name, model=model, method=method, status=status,
                           output_dir=f"/runs/{name}")


def test_runs_on_one_base_are_served_together_and_a_full_fine_tune_as_the_base():
    assert servable([_run("a"), _run("b")]) == (["/runs/a", "/runs/b"], ["a", "b"], "base-a")
    assert servable([_run("f", method="full")]) == ([], [], "/runs/f")
    assert servable([_run("a"), _run("b", model="base-b")]) is None   # two bases
    assert servable([_run("a"), _run("f", method="full")]) is None
    assert servable([_run("a", status="running")]) is None
    assert servable([]) is None


@pytest.mark.slow
def test_the_panel_starts_a_real_server_logs_requests_and_stops(qtbot, tiny_models):
    base = tiny_models("llama")
    panel = ServePanel()
    qtbot.addWidget(panel)
    assert not panel.start_button.isEnabled()   # nothing chosen yet
    panel.set_request(ServeRequest([], [], str(base)))
    assert base.name in panel.what_label.text()
    assert panel.curl_view.placeholderText() and not panel.curl_view.toPlainText()
    port = free_port()
    panel.port_spin.setValue(port)
    panel.queue_spin.setValue(0)   # one request at a time: a second one at once is refused
    with qtbot.waitSignal(panel.worker.sig_ready, timeout=180_000):
        panel.start_button.click()
        assert not panel.start_button.isEnabled() and panel.stop_button.isEnabled()
        assert not panel.queue_spin.isEnabled()
    url = f"http://127.0.0.1:{port}/v1"
    assert panel.url_edit.text() == url and panel.status_label.text()
    assert f"curl {url}/chat/completions" in panel.curl_view.toPlainText()
    assert f"base_url={url!r}" in panel.python_view.toPlainText()
    assert f"model={base.name!r}" in panel.python_view.toPlainText()
    panel.copy_url_button.click()
    assert QGuiApplication.clipboard().text() == url

    client = openai.OpenAI(base_url=url, api_key="unused", max_retries=0, timeout=120)
    reply = client.chat.completions.create(model=base.name, max_tokens=3,
                                           messages=[{"role": "user", "content": "hi"}])
    assert reply.usage.completion_tokens == 3
    qtbot.waitUntil(lambda: panel.log_view.topLevelItemCount() == 1, timeout=10_000)
    row = panel.log_view.topLevelItem(0)
    assert row.text(1) == "POST /v1/chat/completions" and row.text(2) == base.name
    assert row.text(3) == "200" and row.text(4) == f"{reply.usage.prompt_tokens} + 3"
    assert row.text(5).endswith(" ms") or row.text(5).endswith(" s")
    assert panel.log_label.text() == "Requests: 1"

    # the queue size reached the server: while a long answer runs, another is refused
    stream = client.chat.completions.create(model=base.name, max_tokens=200, stream=True,
                                            messages=[{"role": "user", "content": "hi"}])
    chunks = iter(stream)
    next(chunks)
    next(chunks)
    with pytest.raises(openai.InternalServerError):
        client.chat.completions.create(model=base.name, max_tokens=2,
                                       messages=[{"role": "user", "content": "hi"}])
    stream.close()
    qtbot.waitUntil(lambda: panel.log_view.topLevelItemCount() == 3, timeout=60_000)
    refused = next(panel.log_view.topLevelItem(n) for n in range(3)
                   if panel.log_view.topLevelItem(n).text(3) == "503")
    assert "queue was full" in refused.toolTip(3)
    assert panel.log_label.text() == "Requests: 3, errors: 2"   # the 503 and the 499

    with qtbot.waitSignal(panel.worker.sig_finished, timeout=30_000) as finished:
        panel.stop_button.click()
    assert finished.args[0]["status"] == "stopped" and finished.args[0]["exit_code"] == 0
    assert panel.start_button.isEnabled() and not panel.stop_button.isEnabled()
    assert panel.url_edit.text() == "" and not panel.worker.is_running()


@pytest.mark.slow
def test_a_server_that_cannot_start_says_why(qtbot, tmp_path):
    panel = ServePanel()
    qtbot.addWidget(panel)
    panel.set_request(ServeRequest([str(tmp_path / "missing")], ["missing"], None))
    with qtbot.waitSignal(panel.worker.sig_finished, timeout=60_000) as finished:
        panel.start_button.click()
    assert finished.args[0]["status"] == "failed"
    assert "missing" in panel.status_label.text() and panel.start_button.isEnabled()
