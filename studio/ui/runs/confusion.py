"""The confusion matrix as a pyqtgraph heat map: reference classes down, predicted across,
each cell's count written on it; the colour is the share of the reference row (recall)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

# white -> blue, readable with black text up to about 60 %
_COLORS = pg.ColorMap([0.0, 1.0], [(255, 255, 255), (49, 101, 181)])


class ConfusionChart(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.plot = pg.PlotWidget(background="w")
        item = self.plot.getPlotItem()
        item.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        item.setMenuEnabled(False)
        item.invertY(True)
        item.setLabel("left", self.tr("reference"), color="#404040")
        item.setLabel("bottom", self.tr("predicted"), color="#404040")
        for side in ("left", "bottom"):
            axis = item.getAxis(side)
            axis.setPen(pg.mkPen("#9a9a9a"))
            axis.setTextPen(pg.mkPen("#404040"))
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setLookupTable(_COLORS.getLookupTable(0.0, 1.0, 256))
        item.addItem(self.image)
        self._texts: list[pg.TextItem] = []
        self._labels: list[str] = []
        self._matrix = np.zeros((0, 0), dtype=int)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

    def labels(self) -> list[str]:
        return list(self._labels)

    def matrix(self) -> np.ndarray:
        return self._matrix.copy()

    def cell_texts(self) -> list[str]:
        return [t.textItem.toPlainText() for t in self._texts]

    def show_confusion(self, confusion: dict[str, Any] | None) -> None:
        item = self.plot.getPlotItem()
        for text in self._texts:
            item.removeItem(text)
        self._texts = []
        labels = list((confusion or {}).get("labels") or [])
        matrix = np.asarray((confusion or {}).get("matrix") or [], dtype=int)
        if not labels or matrix.shape != (len(labels), len(labels)):
            self._labels, self._matrix = [], np.zeros((0, 0), dtype=int)
            self.image.clear()
            return
        self._labels, self._matrix = labels, matrix
        totals = matrix.sum(axis=1, keepdims=True)
        share = np.divide(matrix, np.maximum(totals, 1), dtype=float)
        self.image.setImage(share, levels=(0.0, 1.0))
        for row in range(len(labels)):
            for col in range(len(labels)):
                color = "#ffffff" if share[row, col] > 0.6 else "#202020"
                text = pg.TextItem(str(int(matrix[row, col])), color=color, anchor=(0.5, 0.5))
                text.setPos(col + 0.5, row + 0.5)
                item.addItem(text)
                self._texts.append(text)
        ticks = [[(i + 0.5, name) for i, name in enumerate(labels)]]
        item.getAxis("bottom").setTicks(ticks)
        item.getAxis("left").setTicks(ticks)
        item.setRange(xRange=(0, len(labels)), yRange=(0, len(labels)), padding=0.02)
