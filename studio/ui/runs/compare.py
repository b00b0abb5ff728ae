"""The selected runs' curves overlaid: train loss, eval loss and one chosen series (accuracy,
perplexity, learning rate...), one curve per run named after it."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from studio.ui.common.charts import MetricChart

from .jobs import Series

TRAIN_LOSS = "train/loss"
EVAL_LOSS = "eval/eval_loss"
# Preferred order of the third chart's choices; other series follow alphabetically.
PREFERRED = ("eval/accuracy", "eval/perplexity", "train/lr", "train/grad_norm",
             "train/tokens_per_second")
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")


@dataclass
class CurveSet:
    """One run on the charts: its legend label, colour and series."""
    run_id: str
    label: str
    color: QColor
    series: Series


class CompareCharts(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.train_chart = MetricChart(y_label=self.tr("loss"))
        self.eval_chart = MetricChart(y_label=self.tr("loss"))
        self.extra_chart = MetricChart()
        self.metric_combo = QComboBox()
        self.metric_combo.setObjectName("metricChooser")
        self.metric_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.metric_combo.setToolTip(self.tr("Which other recorded series to compare"))
        self.smoothing = QSlider(Qt.Orientation.Horizontal)
        self.smoothing.setObjectName("smoothingSlider")
        self.smoothing.setRange(0, 99)
        self.smoothing.setValue(0)
        self.smoothing.setMaximumWidth(140)
        self.smoothing.setToolTip(self.tr("Exponential moving average drawn beside the raw "
                                          "curves; 0 turns it off."))
        self.hint = QLabel()
        self.hint.setObjectName("compareHint")

        grid = QGridLayout()
        grid.setSpacing(6)
        for column, (title, chart) in enumerate(((self.tr("Train loss"), self.train_chart),
                                                 (self.tr("Eval loss"), self.eval_chart))):
            label = QLabel(title)
            label.setObjectName("chartTitle")
            grid.addWidget(label, 0, column)
            grid.addWidget(chart, 1, column)
        grid.addWidget(self.metric_combo, 0, 2, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.extra_chart, 1, 2)
        grid.setRowStretch(1, 1)
        top = QHBoxLayout()
        top.addWidget(self.hint, 1)
        smoothing_label = QLabel(self.tr("Smoothing"))
        smoothing_label.setBuddy(self.smoothing)
        top.addWidget(smoothing_label)
        top.addWidget(self.smoothing)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addLayout(grid, 1)

        self._curves: list[CurveSet] = []
        self.metric_combo.currentIndexChanged.connect(self._draw_extra)
        self.smoothing.valueChanged.connect(self._on_smoothing)
        self._on_smoothing(self.smoothing.value())

    # --- API ------------------------------------------------------------------------------

    def charts(self) -> list[MetricChart]:
        return [self.train_chart, self.eval_chart, self.extra_chart]

    def curves(self) -> list[CurveSet]:
        return list(self._curves)

    def extra_key(self) -> str | None:
        return self.metric_combo.currentData()

    def set_extra_key(self, key: str) -> bool:
        index = self.metric_combo.findData(key)
        if index >= 0:
            self.metric_combo.setCurrentIndex(index)
        return index >= 0

    def show_runs(self, curves: list[CurveSet]) -> None:
        self._curves = curves
        self.hint.setText(self.tr("Select one or more runs to compare their curves.")
                          if not curves else
                          self.tr("Comparing {count} runs").format(count=len(curves))
                          if len(curves) > 1 else self.tr("Curves of {name}").format(
                              name=curves[0].label))
        self._fill_combo()
        for chart, key in ((self.train_chart, TRAIN_LOSS), (self.eval_chart, EVAL_LOSS)):
            self._draw(chart, key)
        self._draw_extra()

    # --- drawing --------------------------------------------------------------------------

    def _fill_combo(self) -> None:
        keys = {k for c in self._curves for k in c.series} - {TRAIN_LOSS, EVAL_LOSS}
        ordered = [k for k in PREFERRED if k in keys] + sorted(keys - set(PREFERRED))
        current = self.metric_combo.currentData()
        self.metric_combo.blockSignals(True)
        self.metric_combo.clear()
        for key in ordered:
            self.metric_combo.addItem(self._label(key), key)
        if not ordered:
            self.metric_combo.addItem(self.tr("(no other series)"), None)
        index = self.metric_combo.findData(current) if current is not None else -1
        self.metric_combo.setCurrentIndex(max(index, 0))
        self.metric_combo.setEnabled(bool(ordered))
        self.metric_combo.blockSignals(False)

    def _label(self, key: str) -> str:
        known = {"eval/accuracy": self.tr("Accuracy (eval)"),
                 "eval/perplexity": self.tr("Perplexity (eval)"),
                 "train/lr": self.tr("Learning rate"),
                 "train/grad_norm": self.tr("Gradient norm"),
                 "train/tokens_per_second": self.tr("Tokens per second")}
        if key in known:
            return known[key]
        split, _, name = key.partition("/")
        return f"{name} ({split})" if name else key

    def _draw_extra(self) -> None:
        key = self.extra_key()
        self.extra_chart.set_y_label(self._label(key) if key else "")
        self._draw(self.extra_chart, key)

    def _draw(self, chart: MetricChart, key: str | None) -> None:
        chart.clear()
        if key is None:
            return
        for curve in self._curves:
            if key in curve.series:   # a run without this series stays out of the legend
                steps, values = curve.series[key]
                chart.set_series(curve.label, steps, values, color=curve.color.name())

    def _on_smoothing(self, value: int) -> None:
        for chart in self.charts():
            chart.set_smoothing(value / 100)
