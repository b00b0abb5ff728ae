"""Live metric charts: named curves on growing numpy buffers, redrawn on a timer.

Metrics arrive one event at a time (several per second on a small model); each ``append`` only
writes into a buffer and marks the curve dirty, and a 100 ms single-shot timer redraws what
changed (pyqtgraph ``examples/scrollingPlots.py``). Buffers double when full, so appends are
O(1) amortised; ``setClipToView`` and peak downsampling keep long curves cheap to draw.

Smoothing is TensorBoard's debiased exponential moving average: the smoothed curve is drawn
bold over the raw curve, which fades. With smoothing 0 only the raw curve is drawn.

Neither pyqtgraph nor numpy is imported with this module: a chart is a ``LazyPlot`` until it
is first painted (or its plot is asked for), and its numpy buffers start with its first point,
so opening the window imports neither (studio/ui/common/lazyplot.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QGraphicsItem, QVBoxLayout, QWidget

from studio.ui.common.lazyplot import LazyPlot

if TYPE_CHECKING:
    import numpy as np
    import pyqtgraph as pg

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
           "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
REDRAW_MS = 100
INITIAL_CAPACITY = 256
MAX_SMOOTHING = 0.999   # at 1.0 the curve would never move
RAW_ALPHA = 70          # of 255: the raw curve under a smoothed one


def ema(values: np.ndarray, weight: float) -> np.ndarray:
    """Debiased EMA (TensorBoard): s_k = (w*a_{k-1} + (1-w)*x_k) / (1 - w**k) over the finite
    values; non-finite values pass through and do not count."""
    import numpy as np

    weight = min(max(float(weight), 0.0), MAX_SMOOTHING)
    out = np.array(values, dtype=float)
    if weight == 0.0:
        return out
    acc, count = 0.0, 0
    for i, value in enumerate(out):
        if not math.isfinite(value):
            continue
        acc = acc * weight + (1.0 - weight) * value
        count += 1
        out[i] = acc / (1.0 - weight ** count)
    return out


class Series:
    """One curve's points (Qt-free): steps, values and their smoothed values, by step."""

    def __init__(self, capacity: int = INITIAL_CAPACITY):
        import numpy as np

        self.steps = np.empty(capacity)
        self.values = np.empty(capacity)
        self.smooth = np.empty(capacity)
        self.size = 0
        self._acc, self._count = 0.0, 0

    @property
    def capacity(self) -> int:
        return len(self.steps)

    def append(self, step: float, value: float, weight: float) -> None:
        if self.size and step <= self.steps[self.size - 1]:
            # A resumed run logs again from its checkpoint: the newer points replace the old.
            import numpy as np

            self.truncate(int(np.searchsorted(self.steps[:self.size], step, side="left")), weight)
        if self.size == self.capacity:
            self._grow(2 * self.capacity)
        i = self.size
        self.steps[i], self.values[i] = step, value
        if math.isfinite(value) and weight > 0:
            self._acc = self._acc * weight + (1.0 - weight) * value
            self._count += 1
            self.smooth[i] = self._acc / (1.0 - weight ** self._count)
        else:
            self.smooth[i] = value
        self.size += 1

    def replace(self, steps: np.ndarray, values: np.ndarray, weight: float) -> None:
        import numpy as np

        order = np.argsort(steps, kind="stable")
        n = len(order)
        if n > self.capacity:
            self._grow(max(INITIAL_CAPACITY, 1 << (n - 1).bit_length()))
        self.steps[:n], self.values[:n] = steps[order], values[order]
        self.size = n
        self.resmooth(weight)

    def truncate(self, size: int, weight: float) -> None:
        self.size = size
        self.resmooth(weight)

    def resmooth(self, weight: float) -> None:
        import numpy as np

        n = self.size
        self.smooth[:n] = ema(self.values[:n], weight)
        finite = self.values[:n][np.isfinite(self.values[:n])]
        self._count = len(finite) if weight > 0 else 0
        # the accumulator is the debiased value times its bias correction
        last = self.smooth[:n][np.isfinite(self.values[:n])]
        self._acc = float(last[-1]) * (1.0 - weight ** self._count) if self._count else 0.0

    def _grow(self, capacity: int) -> None:
        import numpy as np

        for attr in ("steps", "values", "smooth"):
            old = getattr(self, attr)
            new = np.empty(capacity)
            new[:self.size] = old[:self.size]
            setattr(self, attr, new)


class MetricChart(QWidget):
    """A pyqtgraph plot of named curves (``train/loss``, ``eval/eval_loss``, one per run...).

    The plot is built when the chart is first painted or ``plot_item()``/``flush()`` asks
    for it; points given before that are kept and drawn then. A hidden chart that was never
    shown builds nothing, so a run streaming into a page the user is not looking at costs
    only the buffer appends."""

    def __init__(self, parent: QWidget | None = None, *, title: str | None = None,
                 y_label: str | None = None, log_y: bool = False, smoothing: float = 0.0):
        super().__init__(parent)
        self._series: dict[str, Series] = {}
        self._colors: dict[str, tuple[str, bool]] = {}
        self._curves: dict[str, tuple[pg.PlotDataItem, pg.PlotDataItem]] = {}
        self._markers: dict[str, bool] = {}
        self._dirty: set[str] = set()
        self._smoothing = min(max(float(smoothing), 0.0), MAX_SMOOTHING)
        self._title, self._y_label, self._log_y = title, y_label, log_y
        self._plot: pg.PlotWidget | None = None
        self._legend: pg.LegendItem | None = None

        self._lazy = LazyPlot(self._create_plot, lambda _plot: self._on_built(), self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._lazy)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self._on_redraw_timeout)

    def _create_plot(self) -> pg.PlotWidget:
        import pyqtgraph as pg

        plot = pg.PlotWidget(background="w")
        item = plot.getPlotItem()
        item.setDownsampling(auto=True, mode="peak")
        item.setClipToView(True)
        item.showGrid(x=True, y=True, alpha=0.15)
        for side in ("left", "bottom"):
            axis = item.getAxis(side)
            axis.setPen(pg.mkPen("#9a9a9a"))
            axis.setTextPen(pg.mkPen("#404040"))
            # Metrics carry no unit: a learning rate of 1e-5 should read as such, not as
            # "10" under an axis label rescaled to "(x1e-06)".
            axis.enableAutoSIPrefix(False)
            # With the grid on, an axis covers the whole plot: without a cache every curve
            # redraw replayed its text and grid (~60% of the axis paints while training).
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        item.setLabel("bottom", self.tr("step"), color="#404040")
        item.setLabel("left", self._y_label if self._y_label is not None else self.tr("value"),
                      color="#404040")
        if self._title:
            item.setTitle(self._title, color="#202020", size="10pt")
        self._legend = item.addLegend(offset=(-8, 8), labelTextColor="#303030",
                                      brush=pg.mkBrush(255, 255, 255, 210),
                                      pen=pg.mkPen("#d0d0d0"))
        self._legend.setVisible(False)   # an empty legend is an empty box: shown with a curve
        item.setLogMode(y=self._log_y)
        self._plot = plot
        return plot

    def _on_built(self) -> None:
        """The curves of the points that came before the plot, drawn now."""
        for name in self._series:
            self._add_curves(name)
        self._dirty.update(self._series)
        self._on_redraw_timeout()

    def _built_plot(self) -> pg.PlotWidget:
        self._lazy.plot()
        assert self._plot is not None
        return self._plot

    def is_built(self) -> bool:
        return self._plot is not None

    # ---- data ------------------------------------------------------------------------------
    def append(self, name: str, step: float, value: float | None, *,
               color: str | None = None) -> None:
        """One point; a step at or before the last one replaces the points from there on."""
        series = self._ensure(name, color)
        series.append(float(step), math.nan if value is None else float(value), self._smoothing)
        self._mark_dirty(name)

    def set_series(self, name: str, steps: Sequence[float] | np.ndarray,
                   values: Sequence[float | None] | np.ndarray, *, color: str | None = None,
                   dashed: bool = False, markers: bool = False) -> None:
        """A whole curve at once (a stored run on the Runs page), replacing any points."""
        import numpy as np

        xs = np.asarray(steps, dtype=float)
        ys = np.array([math.nan if v is None else v for v in values], dtype=float)
        if xs.shape != ys.shape:
            raise ValueError(f"{len(xs)} steps but {len(ys)} values for {name!r}")
        self._ensure(name, color, dashed)
        self._markers[name] = markers
        self._series[name].replace(xs, ys, self._smoothing)
        self._mark_dirty(name)

    def remove(self, name: str) -> None:
        if name not in self._series:
            return
        curves = self._curves.pop(name, ())
        if self._plot is not None:
            for curve in curves:
                self._plot.getPlotItem().removeItem(curve)
        del self._series[name], self._markers[name], self._colors[name]
        self._dirty.discard(name)
        self._update_legend()

    def clear(self) -> None:
        for name in list(self._series):
            self.remove(name)
        self._timer.stop()

    def curve_names(self) -> list[str]:
        return list(self._series)

    def point_count(self, name: str) -> int:
        series = self._series.get(name)
        return series.size if series else 0

    def series(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """Copies of a curve's (steps, values)."""
        s = self._series[name]
        return s.steps[:s.size].copy(), s.values[:s.size].copy()

    def smoothed(self, name: str) -> np.ndarray:
        s = self._series[name]
        return s.smooth[:s.size].copy()

    # ---- display ---------------------------------------------------------------------------
    def smoothing(self) -> float:
        return self._smoothing

    def set_smoothing(self, weight: float) -> None:
        """0 (raw) .. 1 (very smooth)."""
        weight = min(max(float(weight), 0.0), MAX_SMOOTHING)
        if weight == self._smoothing:
            return
        self._smoothing = weight
        for name, series in self._series.items():
            series.resmooth(weight)
            self._mark_dirty(name)

    def set_log_y(self, on: bool) -> None:
        self._log_y = on
        if self._plot is not None:
            self._plot.getPlotItem().setLogMode(y=on)

    def set_y_label(self, text: str) -> None:
        self._y_label = text
        if self._plot is not None:
            self._plot.getPlotItem().setLabel("left", text, color="#404040")

    def set_title(self, text: str | None) -> None:
        self._title = text
        if self._plot is not None:
            self._plot.getPlotItem().setTitle(text, color="#202020", size="10pt")

    def plot_item(self) -> pg.PlotItem:
        return self._built_plot().getPlotItem()

    def legend_visible(self) -> bool:
        """Whether the legend shows (or will, once the plot is built): with a curve."""
        return bool(self._series)

    def is_dirty(self) -> bool:
        return bool(self._dirty)

    def flush(self) -> None:
        """Build the plot if needed and redraw now what changed (the timer does this on its
        own once the chart is shown)."""
        self._timer.stop()
        if self._plot is None:
            self._built_plot()   # draws every curve
        else:
            self._on_redraw_timeout()

    # ---- internals -------------------------------------------------------------------------
    def _ensure(self, name: str, color: str | None, dashed: bool = False) -> Series:
        if name in self._series:
            if color is not None:
                self._colors[name] = (color, dashed)
                if self._plot is not None:
                    self._apply_pens(name)
            return self._series[name]
        color = color or PALETTE[len(self._series) % len(PALETTE)]
        self._series[name] = Series()
        self._colors[name] = (color, dashed)
        self._markers[name] = False
        if self._plot is not None:
            self._add_curves(name)
        return self._series[name]

    def _add_curves(self, name: str) -> None:
        import pyqtgraph as pg

        raw = pg.PlotDataItem(antialias=True)
        main = pg.PlotDataItem(name=name, antialias=True)
        raw.setVisible(False)
        raw.setZValue(0)
        main.setZValue(1)
        assert self._plot is not None
        item = self._plot.getPlotItem()
        item.addItem(raw)
        item.addItem(main)  # named: it gets the legend entry
        self._curves[name] = (raw, main)
        self._apply_pens(name)
        self._update_legend()

    def _update_legend(self) -> None:
        if self._legend is not None:
            self._legend.setVisible(bool(self._legend.items))

    def _apply_pens(self, name: str) -> None:
        import pyqtgraph as pg

        color, dashed = self._colors[name]
        raw, main = self._curves[name]
        faded = QColor(color)
        faded.setAlpha(RAW_ALPHA)
        style = Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine
        raw.setPen(pg.mkPen(faded, width=1, style=style))
        main.setPen(pg.mkPen(color, width=2, style=style))
        main.setSymbolPen(pg.mkPen(color))
        main.setSymbolBrush(pg.mkBrush(color))

    def _mark_dirty(self, name: str) -> None:
        self._dirty.add(name)
        if self._plot is not None and not self._timer.isActive():
            self._timer.start()   # an unbuilt plot draws everything when it is built

    @Slot()
    def _on_redraw_timeout(self) -> None:
        if self._plot is None:
            return
        dirty, self._dirty = self._dirty, set()
        for name in dirty:
            if name not in self._series:
                continue
            s, (raw, main) = self._series[name], self._curves[name]
            steps, values = s.steps[:s.size], s.values[:s.size]
            smoothing = self._smoothing > 0
            # peaks keep spikes of raw data visible; a smoothed line is better averaged
            main.setDownsampling(auto=True, method="mean" if smoothing else "peak")
            main.setData(steps, s.smooth[:s.size] if smoothing else values)
            raw.setVisible(smoothing)
            if smoothing:
                raw.setData(steps, values)
            else:
                raw.setData([], [])
            # a lone point draws no line: show it as a dot
            main.setSymbol("o" if self._markers[name] or s.size == 1 else None)
            main.setSymbolSize(5)


def static_plot(palette: QPalette) -> pg.PlotWidget:
    """A plot for a fixed picture (bar charts): the window's colours, no mouse interaction,
    no context menu or auto-range button."""
    import pyqtgraph as pg

    plot = pg.PlotWidget(background=palette.color(QPalette.ColorRole.Base))
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    text = palette.color(QPalette.ColorRole.Text)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setTextPen(text)
        axis.setPen(text)
    return plot
