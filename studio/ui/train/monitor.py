"""What a running run looks like: the progress line, the live charts and the log. Events come in
through ``on_event``; the charts redraw on their own timer, so a burst of steps costs only
buffer appends here."""

from __future__ import annotations

import html
import math
import time
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QSlider,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studio.core import events
from studio.core.errors import StudioError
from studio.ui.common.charts import MetricChart
from studio.ui.common.messages import message_text
from workers import pool

LOG_LINES = 5000
WORKER_COLOURS = {"starting": "#9ca3af", "running": "#2563eb", "finished": "#16a34a",
                  "failed": "#dc2626"}
PERPLEXITY_TASKS = ("causal_lm", "seq2seq")
_MAX_LOSS_FOR_PERPLEXITY = 50.0  # exp() of more is noise, not information


def format_duration(seconds: float | None) -> str:
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return "–:––:––"
    seconds = round(seconds)
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}"


class RunProgress(QProgressBar):
    """"step X / Y · epoch E · ETA h:mm:ss" on the bar itself."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("runProgress")
        self.setTextVisible(True)
        self.reset_idle()

    def reset_idle(self) -> None:
        self.setRange(0, 1)
        self.setValue(0)
        self.setFormat(self.tr("Not running"))

    def set_progress(self, step: int, total: int | None, epoch: float | None,
                     eta: float | None) -> None:
        total = total or 0
        self.setRange(0, max(total, 1))
        self.setValue(min(step, max(total, 1)))
        text = self.tr("step %1 / %2").replace("%1", str(step)).replace(
            "%2", str(total) if total else "?")
        if epoch is not None:
            text += " · " + self.tr("epoch %1").replace("%1", f"{epoch:.2f}")
        text += " · " + self.tr("ETA %1").replace("%1", format_duration(eta))
        self.setFormat(text)

    def set_done(self, text: str) -> None:
        self.setFormat(text)


class ChartsPanel(QWidget):
    """Train and eval loss on one chart, perplexity, learning rate and tokens/s, with one
    smoothing slider for all of them."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.train_name, self.eval_name = self.tr("train"), self.tr("eval")
        self.loss = MetricChart(self, title=self.tr("Loss"), y_label=self.tr("loss"))
        self.perplexity = MetricChart(self, title=self.tr("Perplexity"),
                                      y_label=self.tr("perplexity"))
        self.lr = MetricChart(self, title=self.tr("Learning rate"), y_label=self.tr("rate"))
        self.tokens = MetricChart(self, title=self.tr("Throughput"), y_label=self.tr("tokens/s"))
        self.charts = {"loss": self.loss, "perplexity": self.perplexity,
                       "lr": self.lr, "tokens": self.tokens}
        grid = QGridLayout()
        grid.setSpacing(8)
        for i, (key, chart) in enumerate(self.charts.items()):
            chart.setObjectName(f"chart_{key}")
            chart.setMinimumSize(160, 130)
            grid.addWidget(chart, i // 2, i % 2)
        self.smoothing = QSlider(Qt.Orientation.Horizontal, self)
        self.smoothing.setObjectName("smoothingSlider")
        self.smoothing.setRange(0, 99)
        self.smoothing.setValue(60)
        self.smoothing.setToolTip(self.tr("Exponential moving average drawn beside the raw "
                                          "curves; 0 turns it off."))
        self.smoothing_value = QLabel(self)
        self.smoothing_value.setMinimumWidth(32)
        top = QHBoxLayout()
        label = QLabel(self.tr("Smoothing"), self)
        label.setBuddy(self.smoothing)
        top.addStretch(1)
        top.addWidget(label)
        top.addWidget(self.smoothing)
        top.addWidget(self.smoothing_value)
        self.smoothing.setMaximumWidth(220)
        self.placeholder = QLabel(self.tr(
            "Loss, perplexity, learning rate and throughput are drawn here while a run "
            "trains.\nStart one with the Start button or Ctrl+Return."), self)
        self.placeholder.setObjectName("chartsPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        plots = QWidget(self)
        plots.setLayout(grid)
        grid.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(plots)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 6, 8, 8)
        column.addLayout(top)
        column.addWidget(self.stack, 1)
        self.smoothing.valueChanged.connect(self._on_smoothing)
        self._on_smoothing(self.smoothing.value())
        self.task: str | None = None
        self.points = 0  # chart points received, for tests and the status line

    def clear(self) -> None:
        for chart in self.charts.values():
            chart.clear()
        self.points = 0

    def show_charts(self, visible: bool = True) -> None:
        """The plots once a run has started; before that, a line saying what comes here."""
        self.stack.setCurrentIndex(1 if visible else 0)

    def on_step(self, ev: dict[str, Any]) -> None:
        step = ev.get("step")
        if step is None:
            return
        loss = _number(ev.get("loss"))
        if loss is not None:
            self.loss.append(self.train_name, step, loss)
            if self.task in PERPLEXITY_TASKS and loss < _MAX_LOSS_FOR_PERPLEXITY:
                self.perplexity.append(self.train_name, step, math.exp(loss))
        lr = _number(ev.get("lr"))
        if lr is not None:
            self.lr.append(self.tr("learning rate"), step, lr)
        tps = _number(ev.get("tokens_per_second"))
        if tps is not None:
            self.tokens.append(self.tr("tokens/s"), step, tps)
        self.points += 1

    def on_eval(self, ev: dict[str, Any]) -> None:
        step, metrics = ev.get("step"), ev.get("metrics") or {}
        if step is None:
            return
        loss = _number(metrics.get("eval_loss"))
        if loss is not None:
            self.loss.append(self.eval_name, step, loss)
        ppl = _number(metrics.get("perplexity"))
        if ppl is not None:
            self.perplexity.append(self.eval_name, step, ppl)
        self.points += 1

    def set_history(self, series: dict[str, list[Any]], up_to_step: int) -> None:
        """Curves of an earlier part of the run (from the store), cut at ``up_to_step``."""
        def cut(key: str) -> tuple[list[int], list[float]]:
            points = [p for p in series.get(key, []) if p.step <= up_to_step]
            return [p.step for p in points], [p.value for p in points]

        self.clear()
        steps, values = cut("train/loss")
        self.loss.set_series(self.train_name, steps, values)
        if self.task in PERPLEXITY_TASKS:
            pairs = [(s, math.exp(v)) for s, v in zip(steps, values)
                     if math.isfinite(v) and v < _MAX_LOSS_FOR_PERPLEXITY]
            self.perplexity.set_series(self.train_name, [s for s, _ in pairs],
                                       [v for _, v in pairs])
        self.loss.set_series(self.eval_name, *cut("eval/eval_loss"))
        self.perplexity.set_series(self.eval_name, *cut("eval/perplexity"))
        self.lr.set_series(self.tr("learning rate"), *cut("train/lr"))
        self.tokens.set_series(self.tr("tokens/s"), *cut("train/tokens_per_second"))

    def _on_smoothing(self, value: int) -> None:
        self.smoothing_value.setText(f"{value / 100:.2f}")
        for key, chart in self.charts.items():
            if key != "lr":   # a schedule is exact; smoothing would only shift it
                chart.set_smoothing(value / 100)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _load_history(run_id: str, start: int) -> tuple[dict[str, list[Any]], int]:
    """A resumed run's stored curves (pool thread)."""
    from studio.core.store import RunStore

    try:
        with RunStore() as store:
            return store.metric_series(run_id), start
    except StudioError:
        return {}, start   # no curve before the resume point; the new points still come


class RunMonitor(QObject):
    """Turns a run's events into the progress bar, the line of live numbers, the charts and
    the log. The page places these widgets; this object keeps them up to date."""

    sig_run_started = Signal(str)   # run id

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.progress = RunProgress(parent)
        self.live_label = QLabel(parent)
        self.live_label.setObjectName("liveMetrics")
        self.live_label.hide()
        self.workers_label = QLabel(parent)
        self.workers_label.setObjectName("workerStates")
        self.workers_label.setWordWrap(True)
        self.workers_label.hide()
        self.charts = ChartsPanel(parent)
        self.log_view = QPlainTextEdit(parent)
        self.log_view.setObjectName("logView")
        self.log_view.setReadOnly(True)
        self.log_view.setMaximumBlockCount(LOG_LINES)
        self.log_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.log_view.setPlaceholderText(self.tr("Evaluations, checkpoints and messages of the "
                                                 "run appear here."))
        self.run_id: str | None = None
        # While a resumed run's earlier curve loads, new points wait here.
        self._history_pending: list[dict[str, Any]] | None = None

    def on_event(self, ev: dict[str, Any]) -> None:
        kind = ev.get("event")
        if kind == "run_started":
            self._on_run_started(ev)
        elif kind == "workers":
            self.show_workers(ev.get("workers") or [])
            return  # the label shows them; the log gets the failure itself
        elif kind == "step":
            self._on_step(ev)
        elif kind == "eval":
            if self._history_pending is not None:
                self._history_pending.append(ev)
            else:
                self.charts.on_eval(ev)
        elif kind == "finished":
            self.progress.set_done(self.tr("Finished (%1) at step %2")
                                   .replace("%1", str(ev.get("status")))
                                   .replace("%2", str(ev.get("step"))))
        if kind != "step":
            text = message_text(events.human(ev))
            if text:
                self.append_log(text)

    def show_outcome(self, status: str, error: str | None) -> None:
        if status == "failed":
            reason = error or self.tr("the training process ended")
            self.progress.set_done(self.tr("Failed: %1").replace("%1", reason))
            self.append_log(self.tr("The run failed: %1").replace("%1", reason))
        elif status == "stopped":
            self.progress.set_done(self.tr("Stopped at step %1 — Resume continues from the "
                                           "latest checkpoint")
                                   .replace("%1", str(self.progress.value())))

    def show_workers(self, workers: list[dict[str, Any]]) -> None:
        """One coloured mark per worker: starting, running, finished or failed."""
        names = {"starting": self.tr("starting"), "running": self.tr("running"),
                 "finished": self.tr("finished"), "failed": self.tr("failed")}
        parts = []
        for worker in workers:
            state = str(worker.get("state"))
            colour = WORKER_COLOURS.get(state, "#6b7280")
            text = self.tr("worker %1: %2").replace("%1", str(worker.get("rank"))) \
                .replace("%2", names.get(state, state))
            parts.append(f'<span style="color:{colour}">\u25cf</span> {html.escape(text)}')
        self.workers_label.setText("&nbsp;&nbsp;".join(parts))
        self.workers_label.setVisible(bool(parts))

    def append_log(self, text: str) -> None:
        self.log_view.appendPlainText(f"[{time.strftime('%H:%M:%S')}] {text}")

    def _on_run_started(self, ev: dict[str, Any]) -> None:
        self.run_id = ev.get("run_id")
        self.charts.task = ev.get("task")
        start = int(ev.get("start_step") or 0)
        self.progress.set_progress(start, ev.get("total_steps"), None, None)
        self.live_label.clear()
        self.live_label.hide()
        if int(ev.get("workers") or 1) <= 1:
            self.workers_label.hide()
        self.charts.show_charts()
        if start > 0 and self.run_id:
            self._history_pending = []
            pool.start(_load_history, self.run_id, start, returned=self._on_history)
        else:
            self.charts.clear()
        self.sig_run_started.emit(self.run_id or "")

    def _on_history(self, result: tuple[dict[str, list[Any]], int]) -> None:
        series, start = result
        pending, self._history_pending = self._history_pending or [], None
        self.charts.set_history(series, start)
        for ev in pending:
            (self.charts.on_step if ev.get("event") == "step" else self.charts.on_eval)(ev)

    def _on_step(self, ev: dict[str, Any]) -> None:
        step = int(ev.get("step") or 0)
        self.progress.set_progress(step, ev.get("total_steps"), ev.get("epoch"), ev.get("eta"))
        parts = []
        if isinstance(ev.get("loss"), (int, float)):
            parts.append(self.tr("loss %1").replace("%1", f"{ev['loss']:.4f}"))
        if isinstance(ev.get("lr"), (int, float)):
            parts.append(self.tr("lr %1").replace("%1", f"{ev['lr']:.2e}"))
        if isinstance(ev.get("tokens_per_second"), (int, float)):
            parts.append(self.tr("%1 tokens/s").replace("%1", f"{ev['tokens_per_second']:.0f}"))
        self.live_label.setText("  ·  ".join(parts))
        self.live_label.setVisible(bool(parts))
        if self._history_pending is not None:
            self._history_pending.append(ev)
        else:
            self.charts.on_step(ev)
