"""The application: QApplication, a crash dialog instead of a dead window (qutebrowser
``misc/crashsignal.py``), the translator for the chosen language, the stylesheets, the window.

Nothing here imports mindnlp, MindSpore, torch, transformers or peft: the window opens at
once and the compute stack lives in the training child process only.
"""

from __future__ import annotations

import os
import platform
import sys
import threading
import traceback
from types import TracebackType

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QObject,
    QThreadPool,
    QTimer,
    QTranslator,
    Signal,
)
from PySide6.QtGui import QColor, QFontInfo, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

import resources
from studio import __version__

APP_NAME = "PEFT Studio"
# Set (to anything but "" or "0"): quit as soon as the window has painted once. The desktop
# bundle's smoke test starts the window this way.
QUIT_AFTER_PAINT = "PEFT_STUDIO_QUIT_AFTER_FIRST_PAINT"


# ---- crashes -----------------------------------------------------------------------------
class _CrashBridge(QObject):
    """Carries an exception raised on any thread to the GUI thread."""

    sig_crash = Signal(str, str)   # summary, details


class CrashHandler:
    """``sys.excepthook`` for the window: print the traceback, then show it in a dialog
    (once at a time) and let the user keep working or quit."""

    def __init__(self, app: QApplication):
        self.app = app
        self.bridge = _CrashBridge()
        self.bridge.sig_crash.connect(self._show)
        self._showing = False
        self.count = 0
        self._previous = sys.excepthook

    def install(self) -> None:
        sys.excepthook = self
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        sys.excepthook = self._previous
        threading.excepthook = threading.__excepthook__

    def __call__(self, exc_type: type[BaseException], exc: BaseException,
                 tb: TracebackType | None) -> None:
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        sys.stderr.write(details)
        sys.stderr.flush()
        if issubclass(exc_type, KeyboardInterrupt):
            self.app.quit()
            return
        self.count += 1
        summary = f"{exc_type.__name__}: {exc}"
        # Emitting a signal queues the dialog onto the GUI thread from any thread.
        self.bridge.sig_crash.emit(summary, details + "\n" + _versions())

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        self(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback)

    def _show(self, summary: str, details: str) -> None:
        if self._showing:  # an error inside the dialog, or a burst: the first one is enough
            return
        self._showing = True
        try:
            if self.ask(summary, details) == "quit":
                self.app.exit(1)
        finally:
            self._showing = False

    def ask(self, summary: str, details: str) -> str:
        """Show the crash dialog; 'continue' or 'quit'."""
        if quit_after_first_paint():   # unattended (the smoke test): fail, never wait on a click
            return "quit"
        parent = self.app.activeWindow()
        translate = QCoreApplication.translate
        box = QMessageBox(QMessageBox.Icon.Critical, translate("app", "PEFT Studio hit a bug"),
                          translate("app", "Something unexpected went wrong:") + "\n\n"
                          + summary,
                          QMessageBox.StandardButton.NoButton, parent)
        box.setObjectName("crashDialog")
        box.setInformativeText(translate(
            "app", "You can keep working. If the window misbehaves, save your run file and "
            "restart. A running training is not affected: it runs in its own process. The "
            "details below help to report the problem."))
        box.setDetailedText(details)
        keep = box.addButton(translate("app", "Keep working"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(translate("app", "Quit"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(keep)
        box.exec()
        return "continue" if box.clickedButton() is keep else "quit"


def _versions() -> str:
    from PySide6 import __version__ as pyside

    return (f"PEFT Studio {__version__}, Python {platform.python_version()}, PySide6 {pyside}, "
            f"{platform.platform()}")


class QuitAfterFirstPaint(QObject):
    """Event filter on the window: after its first paint, say so on stderr and quit."""

    def __init__(self, app: QApplication):
        super().__init__(app)
        self.app = app
        self.painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            sys.stderr.write("peft-studio: first paint; quitting\n")
            QTimer.singleShot(0, self.app.quit)
        return False


def quit_after_first_paint() -> bool:
    return os.environ.get(QUIT_AFTER_PAINT, "") not in ("", "0")


# ---- translations and styles -------------------------------------------------------------
def install_translators(app: QApplication, language: str) -> list[QTranslator]:
    """Our catalog (``resources/translations/peft_studio_<lang>.qm``) and Qt's own (standard
    buttons, file dialogs); a missing catalog leaves English, never an error."""
    if language == "en":
        return []
    installed = []
    ours = QTranslator(app)
    if ours.load(str(resources.path("translations", f"peft_studio_{language}.qm"))):
        app.installTranslator(ours)
        installed.append(ours)
    else:
        sys.stderr.write(f"peft-studio: no translation for {language}; using English\n")
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}",
               QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    return installed


# Han characters are shared by Chinese and Japanese, but their glyphs differ: without a hint
# Qt's font fallback may draw Simplified Chinese with a Japanese font (Noto Sans CJK JP).
CJK_FONTS = {"zh_CN": ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei",
                       "PingFang SC", "WenQuanYi Micro Hei", "Sarasa UI SC")}


def prefer_script_fonts(app: QApplication, language: str) -> None:
    """Put the language's fonts right after the UI font, so Latin text keeps the system
    font and Chinese text gets Simplified Chinese glyphs."""
    preferred = CJK_FONTS.get(language)
    if not preferred:
        return
    font = app.font()
    first = QFontInfo(font).family()    # the real family behind an alias like "Sans Serif"
    font.setFamilies([first, *[f for f in preferred if f != first]])
    app.setFont(font)


def load_stylesheet() -> str:
    """Every ``resources/styles/*.qss``, joined in name order (napari's way)."""
    folder = resources.path("styles")
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.qss")))


def light_palette() -> QPalette:
    """The stylesheet is light; a dark system palette under it would mix badly."""
    palette = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#f5f6f8", QPalette.ColorRole.WindowText: "#1f2937",
        QPalette.ColorRole.Base: "#ffffff", QPalette.ColorRole.AlternateBase: "#f3f4f6",
        QPalette.ColorRole.Text: "#1f2937", QPalette.ColorRole.Button: "#f3f4f6",
        QPalette.ColorRole.ButtonText: "#1f2937", QPalette.ColorRole.Highlight: "#2563eb",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#ffffff",
        QPalette.ColorRole.ToolTipText: "#1f2937", QPalette.ColorRole.PlaceholderText: "#9ca3af",
        QPalette.ColorRole.Link: "#1d4ed8", QPalette.ColorRole.Mid: "#d1d5db",
        QPalette.ColorRole.Dark: "#9ca3af", QPalette.ColorRole.Light: "#ffffff",
    }
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#9ca3af"))
    return palette


def setup_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with names, style, palette, translators and stylesheet (the window
    is not created here, so tests can build their own)."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(sys.argv if argv is None else argv) or ["peft-studio"])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("peft-studio")   # the .desktop file: Wayland's icon and grouping
    app.setWindowIcon(QIcon(str(resources.path("icons", "peft-studio.svg"))))
    app.setStyle("Fusion")
    app.setPalette(light_palette())
    from studio.ui.settings import language

    chosen = language()
    install_translators(app, chosen)
    prefer_script_fonts(app, chosen)
    app.setStyleSheet(load_stylesheet())
    return app


def run_app(argv: list[str] | None = None) -> int:
    """Open the window and run until it closes. ``argv`` is QApplication's (program name
    first); the default is ``sys.argv``."""
    app = setup_application(argv)
    crash = CrashHandler(app)
    crash.install()
    from studio.ui.mainwindow import MainWindow

    window = MainWindow()
    app.aboutToQuit.connect(window.shutdown)
    if quit_after_first_paint():
        window.installEventFilter(QuitAfterFirstPaint(app))
    window.show()
    try:
        return int(app.exec())
    finally:
        # A pool job still running (a store read) must not outlive the interpreter: Python
        # finalising under a thread that runs Python code can crash the exit.
        QThreadPool.globalInstance().waitForDone(5000)
        crash.uninstall()


__all__ = [
    "CrashHandler",
    "QuitAfterFirstPaint",
    "install_translators",
    "load_stylesheet",
    "prefer_script_fonts",
    "run_app",
    "setup_application",
]
