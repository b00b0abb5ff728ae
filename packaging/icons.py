"""Render the app icon's PNG sizes from its SVG with Qt (dev Python, at build time):
``python3 packaging/icons.py OUT`` writes OUT/<size>x<size>/peft-studio.png and
OUT/scalable/peft-studio.svg (the hicolor theme layout)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
SVG = Path(__file__).resolve().parent.parent / "resources" / "icons" / "peft-studio.svg"


def main(out: str) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(["icons", "-platform", "offscreen"])
    renderer = QSvgRenderer(str(SVG))
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        folder = Path(out) / f"{size}x{size}"
        folder.mkdir(parents=True, exist_ok=True)
        image.save(str(folder / "peft-studio.png"))
    (Path(out) / "scalable").mkdir(parents=True, exist_ok=True)
    shutil.copy(SVG, Path(out) / "scalable" / "peft-studio.svg")


if __name__ == "__main__":
    main(sys.argv[1])
