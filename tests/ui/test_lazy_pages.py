"""Start-up: pages and charts built when first shown, and wired or drawn as if they had been
built with the window (studio/ui/pagestack.py, studio/ui/common/lazyplot.py)."""

from __future__ import annotations

import json
import sys

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from studio.ui.common.charts import MetricChart
from studio.ui.data.plots import LabelChart
from studio.ui.mainwindow import PAGES, MainWindow
from studio.ui.pagestack import PageStack

LAZY = ("runs", "export", "playground")


@pytest.fixture
def window(qtbot):
    win = MainWindow(probe_devices=False)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    return win


# ---- the page stack ------------------------------------------------------------------------
def test_a_lazy_page_is_built_once_when_first_shown(qtbot):
    stack = PageStack()
    qtbot.addWidget(stack)
    made: list[QLabel] = []

    def factory() -> QLabel:
        made.append(QLabel("built"))
        return made[-1]

    first = QLabel("first")
    stack.add_page(first)
    assert stack.add_lazy_page(factory) == 1
    stack.add_page(QLabel("third"))
    built: list[tuple[int, QWidget]] = []
    stack.sig_page_built.connect(lambda index, page: built.append((index, page)))
    stack.show()
    assert made == [] and not stack.is_built(1) and stack.built(1) is None
    stack.show_index(2)
    assert made == [] and stack.currentIndex() == 2
    stack.show_index(1)
    assert len(made) == 1 and built == [(1, made[0])]
    assert stack.currentWidget() is made[0] and stack.widget(1) is made[0]
    assert stack.count() == 3 and stack.widget(2).text() == "third"
    stack.show_index(0)
    stack.show_index(1)
    assert stack.page(1) is made[0] and len(made) == 1 and len(built) == 1


def test_asking_for_a_page_builds_it_without_showing_it(qtbot):
    stack = PageStack()
    qtbot.addWidget(stack)
    stack.add_page(QLabel("first"))
    stack.add_lazy_page(lambda: QLabel("second"))
    page = stack.page(1)
    assert page.text() == "second" and stack.built(1) is page
    assert stack.currentIndex() == 0


# ---- the window ----------------------------------------------------------------------------
def test_the_window_opens_without_the_lazy_pages(window):
    assert [name for name in PAGES if not window.page_built(name)] == list(LAZY)
    assert window.current_page() == "model"


def test_a_page_is_built_when_first_shown_and_then_wired(window, qtbot):
    window.show_page(PAGES.index("runs"))
    assert window.page_built("runs") and window.stack.currentWidget() is window.runs_page
    assert not window.page_built("export") and not window.page_built("playground")
    window.runs_page.sig_message.emit("hello from the Runs page")
    assert window.statusBar().currentMessage() == "hello from the Runs page"
    # the Runs page's Export… action shows the Export page, built for it
    window.runs_page.sig_export_requested.emit("no-such-run")
    assert window.current_page() == "export" and window.page_built("export")
    window.export_page.sig_message.emit("from Export")
    assert window.statusBar().currentMessage() == "from Export"


def test_wired_once_however_often_shown(window, qtbot):
    messages: list[str] = []
    window.statusBar().messageChanged.connect(lambda text: text and messages.append(text))
    for _ in range(3):
        window.show_page(PAGES.index("playground"))
        window.show_page(0)
    window.playground_page.sig_message.emit("once")
    assert messages == ["once"]


def test_devices_probed_before_the_playground_is_built_reach_it(window, qtbot):
    info = {"cpu": True, "gpu": False, "ascend": False, "mindspore": "2.7.0"}
    window.probe_devices([sys.executable, "-c", f"print({json.dumps(json.dumps(info))})"])
    qtbot.waitUntil(lambda: "2.7.0" in window.devices_label.text(), timeout=15000)
    assert not window.page_built("playground")
    window.show_page(PAGES.index("playground"))
    combo = window.playground_page.side.device_combo
    assert not combo.model().item(combo.findData("gpu")).isEnabled()
    assert combo.model().item(combo.findData("cpu")).isEnabled()


def test_closing_builds_no_page(window, qtbot):
    window.close()
    assert [name for name in LAZY if window.page_built(name)] == []


def test_the_device_probe_starts_after_the_first_paint(qtbot, monkeypatch):
    probes: list[bool] = []
    monkeypatch.setattr(MainWindow, "probe_devices", lambda self: probes.append(True))
    win = MainWindow(probe_devices=True)
    qtbot.addWidget(win)
    qtbot.wait(50)   # not shown: nothing painted, no probe yet
    assert probes == []
    win.show()
    qtbot.waitUntil(lambda: probes == [True], timeout=5000)


# ---- charts --------------------------------------------------------------------------------
def test_a_chart_given_points_before_it_was_shown_draws_them(qtbot):
    chart = MetricChart(title="loss")
    qtbot.addWidget(chart)
    chart.resize(400, 300)
    for step, value in enumerate([3.0, 2.0, 1.5], start=1):
        chart.append("train/loss", step, value)
    chart.set_series("eval/loss", [1, 3], [2.5, 1.8], dashed=True)
    assert not chart.is_built() and chart.legend_visible()
    chart.show()
    qtbot.waitUntil(chart.is_built, timeout=5000)   # built right after its first paint
    _raw, main = chart._curves["train/loss"]
    xs, ys = main.getOriginalDataset()
    assert xs.tolist() == [1, 2, 3] and ys.tolist() == [3.0, 2.0, 1.5]
    assert chart._curves["eval/loss"][1].getOriginalDataset()[1].tolist() == [2.5, 1.8]
    assert chart._legend.isVisible() and not chart.is_dirty()
    chart.append("train/loss", 4, 1.0)   # and goes on drawing as a built chart does
    qtbot.waitUntil(lambda: len(main.getOriginalDataset()[0]) == 4, timeout=5000)


def test_a_hidden_chart_is_not_built_by_its_points(qtbot):
    chart = MetricChart()
    qtbot.addWidget(chart)
    for step in range(50):
        chart.append("loss", step, 1.0 / (step + 1))
    qtbot.wait(150)   # past the redraw interval: nothing to redraw on
    assert not chart.is_built() and chart.point_count("loss") == 50


def test_settings_given_before_the_build_apply_to_the_plot(qtbot):
    chart = MetricChart()
    qtbot.addWidget(chart)
    chart.set_log_y(True)
    chart.set_y_label("tokens/s")
    chart.set_title("Throughput")
    item = chart.plot_item()
    assert item.ctrl.logYCheck.isChecked()
    assert item.getAxis("left").labelText == "tokens/s"
    assert "Throughput" in item.titleLabel.text


def test_bars_given_before_the_data_chart_is_shown_are_drawn(qtbot):
    chart = LabelChart()
    qtbot.addWidget(chart)
    chart.show_counts({"happy": 3, "sad": 1})
    assert not chart.lazy.is_built() and chart.bars() == {"happy": 3.0, "sad": 1.0}
    chart.resize(400, 300)
    chart.show()
    qtbot.waitUntil(chart.lazy.is_built, timeout=5000)
    ticks = chart.plot.getAxis("bottom")._tickLevels
    assert [label for _, label in ticks[0]] == ["happy", "sad"]
    assert chart._bars is not None and list(chart._bars.opts["height"]) == [3.0, 1.0]
