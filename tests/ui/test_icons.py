"""The icons in resources/icons: each loads, draws in the colour asked for, ships as package
data, and sits where the window uses it (navigation, run controls, run actions)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon

import resources
from studio.ui.common import icons

ROOT = Path(__file__).resolve().parents[2]


def ink(icon: QIcon, size: int = 24, mode: QIcon.Mode = QIcon.Mode.Normal) -> list[QColor]:
    """The colours an icon draws (the faintest antialiased edges left out)."""
    image = icon.pixmap(QSize(size, size), mode).toImage()
    return [colour for y in range(image.height()) for x in range(image.width())
            if (colour := image.pixelColor(x, y)).alpha() >= 192]


def drawn_in(icon: QIcon, colour: str, size: int = 24,
             mode: QIcon.Mode = QIcon.Mode.Normal) -> bool:
    """Everything the icon draws is ``colour`` (give or take the rounding of edges)."""
    want = QColor(colour)
    pixels = ink(icon, size, mode)
    return bool(pixels) and all(
        max(abs(c.red() - want.red()), abs(c.green() - want.green()),
            abs(c.blue() - want.blue())) <= 4 for c in pixels)


def test_the_icon_folder_holds_exactly_the_named_icons():
    # plus the application's own coloured logo (window icon, desktop entry), never recoloured
    assert sorted(p.stem for p in resources.path("icons").glob("*.svg")) == sorted(
        (*icons.NAMES, "peft-studio"))


@pytest.mark.parametrize("name", icons.NAMES)
def test_each_icon_file_loads(qapp, name):
    path = resources.path("icons", f"{name}.svg")
    icon = QIcon(str(path))
    assert not icon.isNull()
    assert not icon.pixmap(24, 24).toImage().isNull()
    assert ink(icon)   # Qt draws currentColor black: something is drawn
    text = path.read_text(encoding="utf-8")
    # one style: 24 x 24, strokes only, in the colour of the text around them
    assert 'viewBox="0 0 24 24"' in text and 'stroke="currentColor"' in text
    assert 'fill="none"' in text and 'stroke-width="1.8"' in text
    assert not re.search(r"#[0-9a-fA-F]{3,6}\b", text)


@pytest.mark.parametrize("name", icons.NAMES)
def test_icons_draw_in_the_colour_asked_for(qapp, name):
    icon = icons.icon(name, "#b91c1c", selected="#1d4ed8", disabled="#00ff00")
    assert not icon.isNull()
    assert drawn_in(icon, "#b91c1c")
    assert drawn_in(icon, "#1d4ed8", 48, QIcon.Mode.Selected)
    assert drawn_in(icon, "#00ff00", 16, QIcon.Mode.Disabled)


def test_icons_are_package_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "icons/*.svg" in config["tool"]["setuptools"]["package-data"]["resources"]


@pytest.fixture
def window(qtbot):
    from studio.ui.mainwindow import MainWindow

    win = MainWindow(probe_devices=False)
    qtbot.addWidget(win)
    return win


def test_the_window_uses_the_icons(window):
    nav = [window.nav.item(i) for i in range(window.nav.count())]
    assert all(not item.icon().isNull() for item in nav)
    assert drawn_in(nav[0].icon(), icons.INK)
    assert drawn_in(nav[0].icon(), icons.SELECTED, 20, QIcon.Mode.Selected)
    train = window.train_page
    assert drawn_in(train.start_button.icon(), "#ffffff")
    for button in (train.stop_button, train.resume_button):
        assert not button.icon().isNull()
    for action in (window.start_action, window.stop_action, window.resume_action,
                   window.open_action, *window.runs_page.actions_list()):
        assert not action.icon().isNull(), action.text()
    assert not window.runs_page.filters.refresh_button.icon().isNull()
