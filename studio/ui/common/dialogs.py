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
    """Known errors: their message. Anything else is a bug: the traceback goes in details."""
    from studio.core.errors import StudioError
    from studio.ui.common.messages import error_text

    title = title or QCoreApplication.translate("dialogs", "Something went wrong")
    if isinstance(exc, StudioError):
        return show_error(parent, title, error_text(exc), modal=modal)
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return show_error(parent, title, f"{type(exc).__name__}: {exc}", details, modal=modal)
