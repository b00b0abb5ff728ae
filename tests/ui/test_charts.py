"""MetricChart: buffers, smoothing, coalesced redraws."""

from __future__ import annotations

import math

import numpy as np
import pytest

from studio.ui.common.charts import INITIAL_CAPACITY, REDRAW_MS, MetricChart, Series, ema


def reference_ema(values, weight):
    """TensorBoard's smoothing, written the slow obvious way."""
    out, last, count = [], 0.0, 0
    for v in values:
        if not np.isfinite(v):
            out.append(v)
            continue
        last = last * weight + (1 - weight) * v
        count += 1
        out.append(last / (1 - weight ** count))
    return np.array(out)


@pytest.fixture
def chart(qtbot):
    """A chart whose plot is built (as it is once shown)."""
    widget = MetricChart(title="loss", y_label="loss")
    qtbot.addWidget(widget)
    widget.resize(640, 360)
    widget.plot_item()
    return widget


def drawn(chart: MetricChart, name: str):
    raw, main = chart._curves[name]
    return raw, main


def test_append_points(chart):
    for step, value in enumerate([3.0, 2.5, 2.0], start=1):
        chart.append("train/loss", step, value)
    chart.append("eval/loss", 3, 2.2)
    assert chart.curve_names() == ["train/loss", "eval/loss"]
    assert chart.point_count("train/loss") == 3 and chart.point_count("eval/loss") == 1
    assert chart.point_count("nothing") == 0
    steps, values = chart.series("train/loss")
    assert steps.tolist() == [1, 2, 3] and values.tolist() == [3.0, 2.5, 2.0]
    chart.flush()
    _, main = drawn(chart, "train/loss")
    xs, ys = main.getOriginalDataset()
    assert xs.tolist() == [1, 2, 3] and ys.tolist() == [3.0, 2.5, 2.0]
    assert drawn(chart, "eval/loss")[1].opts["symbol"] == "o"  # a lone point shows as a dot


def test_buffers_grow_past_their_capacity(chart):
    n = INITIAL_CAPACITY * 4 + 3
    for i in range(n):
        chart.append("loss", i, float(i) * 0.5)
    series = chart._series["loss"]
    assert series.capacity == INITIAL_CAPACITY * 8 and series.size == n
    steps, values = chart.series("loss")
    np.testing.assert_array_equal(steps, np.arange(n))
    np.testing.assert_array_equal(values, np.arange(n) * 0.5)


def test_none_and_nan_values_do_not_break_the_curve(chart):
    chart.set_smoothing(0.5)
    for step, value in enumerate([1.0, None, 3.0, math.nan, 5.0]):
        chart.append("loss", step, value)
    chart.flush()
    smoothed = chart.smoothed("loss")
    np.testing.assert_allclose(smoothed, reference_ema([1.0, math.nan, 3.0, math.nan, 5.0], 0.5))


@pytest.mark.parametrize("weight", [0.0, 0.3, 0.6, 0.9, 0.99])
def test_ema_matches_numpy_reference(weight):
    rng = np.random.default_rng(0)
    values = rng.normal(2.0, 0.5, size=500)
    np.testing.assert_allclose(ema(values, weight), reference_ema(values, weight), rtol=1e-12)


def test_ema_closed_form():
    # weights (1-w) w^(k-i) normalised by 1 - w^k: a weighted mean of the values so far
    w, values = 0.8, np.array([4.0, 1.0, 3.0, 2.0])
    k = np.arange(1, len(values) + 1)
    expected = [np.sum((1 - w) * w ** (n - 1 - np.arange(n)) * values[:n]) / (1 - w ** n)
                for n in k]
    np.testing.assert_allclose(ema(values, w), expected)
    assert ema(values, w)[0] == 4.0  # debiased: the first value is itself


def test_incremental_smoothing_equals_batch(chart):
    values = np.random.default_rng(1).normal(1.0, 0.3, size=1000)
    chart.set_smoothing(0.9)
    for i, v in enumerate(values):
        chart.append("loss", i, v)
    np.testing.assert_allclose(chart.smoothed("loss"), reference_ema(values, 0.9), rtol=1e-9)
    chart.set_smoothing(0.5)  # recomputed for the new weight, then appends go on from there
    chart.append("loss", 1000, 2.0)
    expected = reference_ema(np.append(values, 2.0), 0.5)
    np.testing.assert_allclose(chart.smoothed("loss"), expected, rtol=1e-9)


def test_smoothing_draws_faded_raw_under_smoothed(chart):
    values = [5.0, 1.0, 4.0, 2.0, 3.0]
    for i, v in enumerate(values):
        chart.append("loss", i, v)
    chart.flush()
    raw, main = drawn(chart, "loss")
    assert not raw.isVisible() or raw.getOriginalDataset()[0] is None
    chart.set_smoothing(0.6)
    chart.flush()
    assert raw.isVisible()
    assert raw.getOriginalDataset()[1].tolist() == values
    np.testing.assert_allclose(main.getOriginalDataset()[1], reference_ema(values, 0.6))
    assert raw.opts["pen"].color().alpha() < main.opts["pen"].color().alpha()
    chart.set_smoothing(0)
    chart.flush()
    assert not raw.isVisible() and main.getOriginalDataset()[1].tolist() == values


def test_set_series_replaces_data(chart):
    chart.append("run-a", 1, 9.0)
    chart.set_series("run-a", [3, 1, 2], [0.3, 0.1, None], dashed=True)
    steps, values = chart.series("run-a")
    assert steps.tolist() == [1, 2, 3]  # sorted by step
    assert values[0] == 0.1 and math.isnan(values[1]) and values[2] == 0.3
    big = np.arange(5000)
    chart.set_series("run-a", big, big * 2.0)
    assert chart.point_count("run-a") == 5000
    np.testing.assert_array_equal(chart.series("run-a")[1], big * 2.0)
    with pytest.raises(ValueError):
        chart.set_series("run-b", [1, 2], [1.0])


def test_a_step_going_back_replaces_later_points(chart):
    for step in range(1, 11):
        chart.append("loss", step, float(step))
    chart.append("loss", 6, 60.0)  # resumed from the checkpoint at step 5
    steps, values = chart.series("loss")
    assert steps.tolist() == [1, 2, 3, 4, 5, 6] and values[-1] == 60.0


def test_remove_and_clear(chart):
    chart.append("a", 1, 1.0)
    chart.append("b", 1, 1.0)
    chart.flush()
    legend_items = len(chart._legend.items)
    chart.remove("a")
    assert chart.curve_names() == ["b"] and len(chart._legend.items) == legend_items - 1
    chart.clear()
    assert chart.curve_names() == [] and not chart.is_dirty()
    assert len(chart._legend.items) == 0
    chart.append("a", 1, 1.0)  # names can come back after a clear
    assert chart.point_count("a") == 1


def test_colours_are_distinct_and_can_be_given(chart):
    for name in "abc":
        chart.append(name, 0, 1.0)
    chart.append("d", 0, 1.0, color="#000000")
    colours = [drawn(chart, n)[1].opts["pen"].color().name() for n in "abcd"]
    assert len(set(colours)) == 4 and colours[-1] == "#000000"


def test_redraw_only_when_dirty(chart, qtbot, monkeypatch):
    redraws: list[int] = []
    chart.append("loss", 0, 1.0)
    main = drawn(chart, "loss")[1]
    real_set_data = main.setData

    def counting(*args, **kwargs):
        redraws.append(1)
        real_set_data(*args, **kwargs)

    monkeypatch.setattr(main, "setData", counting)
    assert chart._timer.isActive() and chart._timer.interval() == REDRAW_MS
    for i in range(1, 50):  # a burst coalesces into one redraw
        chart.append("loss", i, 1.0 / i)
    qtbot.waitUntil(lambda: not chart._timer.isActive(), timeout=2000)
    assert len(redraws) == 1 and not chart.is_dirty()
    qtbot.wait(3 * REDRAW_MS)
    assert len(redraws) == 1 and not chart._timer.isActive()  # idle: no redraws
    chart.set_smoothing(chart.smoothing())  # unchanged: nothing to do
    assert not chart._timer.isActive()
    chart.append("loss", 50, 0.01)
    qtbot.waitUntil(lambda: len(redraws) == 2, timeout=2000)


def test_ten_thousand_points(chart, qtbot):
    chart.set_smoothing(0.9)
    chart.show()
    qtbot.waitExposed(chart)
    rng = np.random.default_rng(2)
    values = np.exp(-np.arange(10_000) / 3000) + rng.normal(0, 0.05, 10_000)
    for i, v in enumerate(values):
        chart.append("train/loss", i, v)
        if i % 2500 == 0:
            qtbot.wait(1)  # let the timer fire mid-stream, as it does while training
    chart.flush()
    _steps, got = chart.series("train/loss")
    np.testing.assert_array_equal(got, values)
    np.testing.assert_allclose(chart.smoothed("train/loss"), reference_ema(values, 0.9))
    _raw, main = drawn(chart, "train/loss")
    assert len(main.getOriginalDataset()[0]) == 10_000
    # drawn downsampled: far fewer points than data on a 640 px wide plot
    qtbot.waitUntil(lambda: len(main.getData()[0]) < 10_000, timeout=5000)
    chart.grab()  # paints without error


def test_log_y_with_non_positive_values(chart):
    chart.set_log_y(True)
    chart.set_series("loss", [0, 1, 2], [1.0, 0.0, -1.0])
    chart.flush()
    chart.grab()
    assert chart.plot_item().ctrl.logYCheck.isChecked()


def test_series_class_alone():
    s = Series(capacity=2)
    for i in range(5):
        s.append(i, float(i), 0.0)
    assert s.capacity == 8 and s.size == 5
    np.testing.assert_array_equal(s.smooth[:5], s.values[:5])


def test_the_legend_shows_only_with_curves(chart):
    """An empty legend would be an empty box in the corner of every new chart."""
    assert not chart.legend_visible()
    chart.append("a", 1, 1.0)
    assert chart.legend_visible()
    chart.remove("a")
    assert not chart.legend_visible()
    chart.set_series("b", [1, 2], [1.0, 2.0])
    assert chart.legend_visible()
    chart.clear()
    assert not chart.legend_visible()


def test_small_values_are_not_rescaled_with_an_si_prefix(chart, qtbot):
    """A learning rate of 3e-5 reads as such, not as "30" over an axis labelled "(x1e-06)"."""
    chart.set_series("lr", [1, 2, 3], [1e-5, 2e-5, 3e-5])
    chart.flush()
    chart.show()
    qtbot.waitExposed(chart)
    chart.plot_item().autoRange()
    for side in ("left", "bottom"):
        axis = chart.plot_item().getAxis(side)
        assert axis.autoSIPrefixScale == 1.0
        assert "(x" not in axis.labelString()
