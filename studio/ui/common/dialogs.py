"""One place where errors reach the user: a plain message, with the details (traceback,
stderr tail) folded away. Known errors (StudioError) show their message only."""

from __future__ import annotations

import traceback

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget


def show_error(parent: QWidget | None, title: str, message: str, details: str | None = None,
               modal: bool = True) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Critical, title, message, QMessageBox.StandardButton.Ok,
                      parent)
    if details:
        box.setDetailedText(details)
    box.setObjectName("errorDialog")
    if modal:
        box.exec()
    else:
        box.show()
    return box


def show_exception(parent: QWidget | None, exc: BaseException, title: str | None = None,
                   modal: bool = True) -> QMessageBox:
    """Known errors: their message. Anything else is a bug: the traceback goes in details (a
    child process's own, ``traceback_text``, when the bug happened there); a bug told with a
    coded message is shown in the user's language."""
    from studio.core.errors import StudioError
    from studio.core.messages import Message
    from studio.ui.common.messages import error_text

    title = title or QCoreApplication.translate("dialogs", "Something went wrong")
    if isinstance(exc, StudioError):
        return show_error(parent, title, error_text(exc), modal=modal)
    details = getattr(exc, "traceback_text", None) or \
        "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    coded = bool(exc.args) and isinstance(exc.args[0], Message)
    text = error_text(exc) if coded else f"{type(exc).__name__}: {exc}"
    return show_error(parent, title, text, details, modal=modal)
