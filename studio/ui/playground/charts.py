"""A horizontal bar chart of every label's probability (pyqtgraph)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QVBoxLayout, QWidget

from studio.ui.common.charts import static_plot

_BAR = (52, 120, 190)
_TOP = (40, 160, 90)


class ProbabilityChart(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.plot = static_plot(self.palette())
        self.plot.setObjectName("probabilityChart")
        self.plot.setXRange(0, 1, padding=0.02)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        self.data: list[tuple[str, float]] = []
        self._bars: pg.BarGraphItem | None = None
        self._labels: list[pg.TextItem] = []

    def set_probabilities(self, ranked: list[tuple[str, float]]) -> None:
        """Most likely label at the top."""
        self.data = list(ranked)
        for item in [self._bars, *self._labels]:
            if item is not None:
                self.plot.removeItem(item)
        self._bars, self._labels = None, []
        n = len(ranked)
        if not n:
            return
        ys = [n - 1 - i for i in range(n)]
        probs = [p for _, p in ranked]
        brushes = [pg.mkBrush(*(_TOP if i == 0 else _BAR)) for i in range(n)]
        self._bars = pg.BarGraphItem(x0=[0] * n, y=ys, width=probs, height=0.6,
                                     brushes=brushes, pen=pg.mkPen(None))
        self.plot.addItem(self._bars)
        color = self.palette().color(QPalette.ColorRole.Text)
        for y, (name, p) in zip(ys, ranked):
            label = pg.TextItem(f"{name}  {p:.1%}", color=color, anchor=(0, 0.5))
            label.setPos(min(p, 0.8) + 0.01, y)
            self.plot.addItem(label)
            self._labels.append(label)
        self.plot.getAxis("left").setTicks([[(y, "") for y in ys]])
        self.plot.setXRange(0, 1, padding=0.02)
        self.plot.setYRange(-0.6, n - 0.4, padding=0)
