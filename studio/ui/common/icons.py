"""The window's icons: monochrome SVGs in ``resources/icons`` (24 x 24 view box, strokes in
``currentColor``), drawn in the theme's colours.

Qt's SVG renderer draws ``currentColor`` black, so each icon is rendered here with the colour
put in, for each mode that needs its own: normal, disabled, and selected (the navigation's
blue). Pixmaps at several sizes let Qt pick a sharp one for any icon size and screen scale.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

import resources

NAMES = ("model", "data", "train", "runs", "export", "playground",    # the pages
         "start", "stop", "resume", "rename", "delete", "folder", "export-file", "refresh",
         "evaluate", "serve")
INK = "#4b5563"        # base.qss text grey
SELECTED = "#1d4ed8"   # base.qss selected navigation item
DISABLED = "#b3b9c4"
SIZES = (16, 20, 24, 32, 40, 48, 64)


@functools.cache
def svg_text(name: str) -> str:
    return resources.path("icons", f"{name}.svg").read_text(encoding="utf-8")


def _pixmaps(svg: str, color: str) -> list[QPixmap]:
    renderer = QSvgRenderer(QByteArray(svg.replace("currentColor", color).encode("utf-8")))
    out = []
    for size in SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        out.append(pixmap)
    return out


def icon(name: str, color: str = INK, *, selected: str | None = None,
         disabled: str = DISABLED) -> QIcon:
    """``resources/icons/<name>.svg`` drawn in ``color`` (``disabled`` when its widget is
    disabled, ``selected`` for a selected item if given)."""
    svg = svg_text(name)
    result = QIcon()
    for mode, mode_color in ((QIcon.Mode.Normal, color), (QIcon.Mode.Disabled, disabled),
                             (QIcon.Mode.Selected, selected)):
        if mode_color is not None:
            for pixmap in _pixmaps(svg, mode_color):
                result.addPixmap(pixmap, mode)
    return result
