"""Bar charts of the Data page: label distribution and token lengths (pyqtgraph, built when
first painted: see studio/ui/common/lazyplot.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from studio.ui.common.charts import static_plot
from studio.ui.common.lazyplot import LazyPlot

if TYPE_CHECKING:
    import pyqtgraph as pg

MAX_BARS = 40
_BAR = (52, 120, 190)


class _BarChart(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.lazy = LazyPlot(lambda: static_plot(self.palette()), lambda _plot: self._draw())
        self.lazy.hide()   # shown with bars
        self.title = QLabel(title)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.lazy, 1)
        layout.addWidget(self.note)
        layout.addStretch(0)
        self._names: list[str] = []
        self._values: list[float] = []
        self._edges: list[float] | None = None
        self._bars: pg.BarGraphItem | None = None

    @property
    def plot(self) -> pg.PlotWidget:
        return self.lazy.plot()

    def set_bars(self, names: list[str], values: list[float], note: str = "",
                 edges: list[float] | None = None) -> None:
        """One bar per name; with ``edges`` (len(names) + 1 bounds) the bars span those ranges
        on a numeric axis, as a histogram."""
        self._names, self._values = list(names), list(values)
        self._edges = list(edges) if edges else None
        self.lazy.setVisible(bool(names))
        self.note.setText(note)
        self.note.setVisible(bool(note))
        if self.lazy.is_built():
            self._draw()

    def _draw(self) -> None:
        import pyqtgraph as pg

        names, values, edges = self._names, self._values, self._edges
        plot = self.lazy.plot()
        if self._bars is not None:
            plot.removeItem(self._bars)
            self._bars = None
        axis = plot.getAxis("bottom")
        if names:
            if edges:
                xs = [(edges[i] + edges[i + 1]) / 2 for i in range(len(names))]
                width = [(edges[i + 1] - edges[i]) * 0.9 for i in range(len(names))]
                x_range = (edges[0], edges[-1])
            else:
                xs, width = list(range(len(names))), [0.7] * len(names)
                x_range = (-0.6, len(names) - 0.4)
            self._bars = pg.BarGraphItem(x=xs, height=values, width=width,
                                         brush=pg.mkBrush(*_BAR), pen=pg.mkPen(None))
            plot.addItem(self._bars)
            plot.setXRange(*x_range, padding=0.02 if edges else 0)
            plot.setYRange(0, max(values) * 1.1 if max(values) > 0 else 1, padding=0)
        axis.setTicks(None if edges else [list(enumerate(names))])

    def bars(self) -> dict[str, float]:
        return dict(zip(self._names, self._values))

    def clear(self, note: str = "") -> None:
        self.set_bars([], [], note)


class LabelChart(_BarChart):
    """Rows per label (classification) or words per tag (token classification)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(self.tr("Label distribution"), parent)

    def show_counts(self, counts: dict[str, int], tags: bool = False) -> None:
        self.title.setText(self.tr("Tag distribution (words)") if tags
                           else self.tr("Label distribution (rows)"))
        items = list(counts.items())
        note = ""
        if len(items) > MAX_BARS:
            items = sorted(items, key=lambda kv: -kv[1])[:MAX_BARS]
            note = self.tr("The %1 most frequent of %2 labels are shown.").replace(
                "%1", str(MAX_BARS)).replace("%2", str(len(counts)))
        self.set_bars([k for k, _ in items], [float(v) for _, v in items], note)


class LengthChart(_BarChart):
    """A token-length histogram when the inspection gives one; otherwise the length
    statistics (min, median, mean, 95th percentile, max) as bars."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(self.tr("Token lengths"), parent)
        self.stats: dict[str, Any] = {}

    def show_lengths(self, result: dict[str, Any]) -> None:
        stats = result.get("token_lengths") or {}
        self.stats = dict(stats)
        hist = result.get("token_length_histogram")
        if isinstance(hist, dict) and hist.get("counts") and hist.get("edges"):
            edges, counts = hist["edges"], hist["counts"]
            names = [str(int(edges[i])) if edges[i + 1] - edges[i] <= 1
                     else f"{int(edges[i])}–{int(edges[i + 1]) - 1}" for i in range(len(counts))]
            self.title.setText(self.tr("Token lengths (rows per length range)"))
            self.set_bars(names, [float(c) for c in counts], self._summary(stats, result),
                          edges=[float(e) for e in edges])
            return
        if not stats:
            self.clear(self.tr("No token lengths: nothing to tokenise."))
            return
        self.title.setText(self.tr("Token lengths (tokens per row)"))
        keys = ("min", "median", "mean", "p95", "max")
        names = [self.tr("min"), self.tr("median"), self.tr("mean"), self.tr("95 %"),
                 self.tr("max")]
        self.set_bars(names, [float(stats[k]) for k in keys], self._summary(stats, result))

    def _summary(self, stats: dict[str, Any], result: dict[str, Any]) -> str:
        if not stats:
            return ""
        text = self.tr("%1 rows tokenised; mean %2, 95 % of rows up to %3 tokens.").replace(
            "%1", str(stats.get("count", "?"))).replace("%2", str(stats.get("mean", "?"))) \
            .replace("%3", str(stats.get("p95", "?")))
        target = result.get("target_token_lengths")
        if target:
            text += " " + self.tr("Targets: mean %1, max %2.").replace(
                "%1", str(target.get("mean"))).replace("%2", str(target.get("max")))
        if result.get("token_lengths_sampled"):
            text += " " + self.tr("(a sample of the rows)")
        return text
