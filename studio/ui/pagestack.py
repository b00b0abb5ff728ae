"""The window's page stack, where a page can be built when it is first shown.

A page given as a factory has a bare placeholder in the stack until ``show_index`` shows it
or ``page()`` asks for it; then the factory runs, the page takes the placeholder's place and
``sig_page_built(index, page)`` lets the window restore and wire it (the window is the only
place that wires pages together). The Runs, Export and Playground pages cost ~0.35 s to
import and build; the window paints without them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QWidget


class PageStack(QStackedWidget):
    sig_page_built = Signal(int, QWidget)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._factories: dict[int, Callable[[], QWidget]] = {}

    def add_page(self, page: QWidget) -> int:
        return self.addWidget(page)

    def add_lazy_page(self, factory: Callable[[], QWidget]) -> int:
        placeholder = QWidget(self)
        placeholder.setObjectName("pagePlaceholder")
        index = self.addWidget(placeholder)
        self._factories[index] = factory
        return index

    def is_built(self, index: int) -> bool:
        return index not in self._factories

    def built(self, index: int) -> QWidget | None:
        """The page at ``index`` if it exists, without building it."""
        return None if index in self._factories else self.widget(index)

    def page(self, index: int) -> QWidget:
        """The page at ``index``, built now if it was not yet."""
        factory = self._factories.pop(index, None)
        if factory is None:
            return self.widget(index)
        placeholder = self.widget(index)
        current = self.currentIndex()
        page = factory()
        self.insertWidget(index, page)
        self.removeWidget(placeholder)
        placeholder.deleteLater()
        if current == index:
            self.setCurrentIndex(index)
        self.sig_page_built.emit(index, page)
        return page

    def show_index(self, index: int) -> None:
        """Show the page at ``index``, built first if it was not yet."""
        if 0 <= index < self.count():
            self.page(index)
        self.setCurrentIndex(index)
