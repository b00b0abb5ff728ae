"""A placeholder for a pyqtgraph plot that builds it when first painted, or when asked.

Importing pyqtgraph (and numpy with it) and building a ``PlotWidget`` cost ~0.2 s and
~20 ms per plot: a window with a dozen charts on pages the user may never open paid both
before its first paint. A ``LazyPlot`` costs a bare widget until then. On its first paint
it schedules the build for right after that frame, so the window is on screen first; code
that needs the plot earlier calls ``plot()``, which builds it on the spot. The owner keeps
its data Qt-free and applies it in ``on_built``, so data given before the build is kept.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyPlot(QWidget):
    """``create()`` returns the plot widget; ``on_built(plot)`` runs once it is in place."""

    def __init__(self, create: Callable[[], QWidget],
                 on_built: Callable[[QWidget], None] | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._create, self._on_built = create, on_built
        self._plot: QWidget | None = None
        self._scheduled = False
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def is_built(self) -> bool:
        return self._plot is not None

    def plot(self) -> QWidget:
        """The plot widget, built now if it was not yet."""
        if self._plot is None:
            self._plot = self._create()
            self._layout.addWidget(self._plot)
            if self._on_built is not None:
                self._on_built(self._plot)
        return self._plot

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if self._plot is None and not self._scheduled:
            self._scheduled = True
            QTimer.singleShot(0, self, self._build_shown)   # after this frame is painted
        super().paintEvent(event)

    def _build_shown(self) -> None:
        self._scheduled = False
        if self._plot is None and self.isVisible():
            self.plot()


def preload() -> None:
    """Import pyqtgraph (a pool job after the first paint), so the first chart the user
    opens is built without that wait on the GUI thread."""
    import pyqtgraph  # noqa: F401
