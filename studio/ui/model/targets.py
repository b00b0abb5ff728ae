"""Choosing target modules: the module tree with checkboxes, a regex box that checks matching
modules as you type, and a button for the method's family default.

The value follows peft's ``target_modules``: None (the family default of the method), a list
of name suffixes (checkboxes, compressed by ``modeltree.compress_targets``) or one regular
expression matched against whole names. Mode "default" keeps following the method: switching
from LoRA to IA3 re-checks IA3's default modules.
"""

from __future__ import annotations

import copy
import re

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from studio.core import methods, modeltree
from studio.core.errors import StudioError
from studio.ui.common.messages import message_text

from .treemodel import ModuleTreeModel

Targets = None | list[str] | str
MODES = ("default", "manual", "regex")


def mode_of(targets: Targets) -> str:
    """The picker's mode for a ``target_modules`` value."""
    if targets is None or targets == [] or targets == "":
        return "default"
    return "regex" if isinstance(targets, str) else "manual"


class TargetPicker(QWidget):
    sig_targets_changed = Signal(object)   # None | list[str] | str
    sig_error = Signal(str)                # a bad regular expression; "" when fixed

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._description: modeltree.ModelDescription | None = None
        self._method = "lora"
        self._mode = "default"
        self._targets: Targets = None
        self._error = False
        self._build()
        self._refresh_labels()

    def _build(self) -> None:
        self.regex_edit = QLineEdit()
        self.regex_edit.setObjectName("targetRegex")
        self.regex_edit.setPlaceholderText(self.tr(r"Regular expression, e.g. .*\.(q_proj|v_proj)"))
        self.regex_edit.setClearButtonEnabled(True)
        self.regex_edit.textEdited.connect(self._on_regex_edited)
        self.default_button = QPushButton(self.tr("Use default"))
        self.default_button.setObjectName("defaultTargets")
        self.default_button.clicked.connect(self.use_default)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Target modules:")))
        row.addWidget(self.regex_edit, 1)
        row.addWidget(self.default_button)

        self.tree_model = ModuleTreeModel(self)
        self.tree_model.sig_toggled.connect(self._on_tree_toggled)
        self.tree = QTreeView()
        self.tree.setObjectName("moduleTree")
        self.tree.setModel(self.tree_model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree_note = QLabel()
        self.tree_note.setWordWrap(True)
        self.tree_note.hide()
        self.summary = QLabel()
        self.summary.setObjectName("targetsSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.tree_note)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.summary)
        self._set_regex_error(None)

    # ---- state -----------------------------------------------------------------------------
    def targets(self) -> Targets:
        return copy.copy(self._targets)

    def mode(self) -> str:
        return self._mode

    def uses_targets(self) -> bool:
        try:
            return methods.get(self._method).param("target_modules") is not None
        except StudioError:
            return False

    def set_description(self, d: modeltree.ModelDescription | None,
                        restore: tuple[str, Targets] | None = None) -> None:
        """Show a new model's modules. ``restore`` = (mode, targets) from saved settings;
        otherwise a choice that matches nothing in the new model falls back to the default."""
        before = (self._mode, copy.copy(self._targets))
        self._description = d
        self.tree_model.set_entries(d.entries if d else [])
        for index in self.tree_model.initial_expansion():
            self.tree.expand(index)
        self._show_tree_note(d)
        if restore is not None:
            self._mode, self._targets = restore
        elif d is not None and self._mode != "default" and not self._matched(self._targets):
            self._mode, self._targets = "default", None
        self.regex_edit.setText(self._targets if isinstance(self._targets, str) else "")
        self._set_regex_error(None)
        self._refresh_checks()
        self._refresh_labels()
        if d is not None and (self._mode, self._targets) != before:
            self.sig_targets_changed.emit(copy.copy(self._targets))

    def set_state(self, mode: str, targets: Targets) -> None:
        """Adopt targets chosen elsewhere (saved settings, a run file): the regex box and the
        check boxes show them. No signal: whoever set them has them already."""
        self._mode, self._targets = mode, copy.copy(targets)
        self.regex_edit.setText(targets if isinstance(targets, str) else "")
        self._set_regex_error(None)
        self._refresh_checks()
        self._refresh_labels()

    def set_method(self, method_id: str) -> None:
        self._method = method_id
        uses = self.uses_targets()
        self.tree_model.set_checkable(uses)
        self.regex_edit.setEnabled(uses)
        self.default_button.setEnabled(uses)
        if self._mode == "default":
            self._refresh_checks()
        self._refresh_labels()

    # ---- user actions ----------------------------------------------------------------------
    def use_default(self) -> None:
        """The family default of the current method (target_modules left empty)."""
        self.regex_edit.clear()
        self._set_regex_error(None)
        self._mode, self._targets = "default", None
        self._refresh_checks()
        self._changed()

    def set_regex(self, text: str) -> None:
        """As if typed in the regex box."""
        self.regex_edit.setText(text)
        self._on_regex_edited(text)

    def _on_regex_edited(self, text: str) -> None:
        text = text.strip()
        if not text:
            self.use_default()
            return
        try:
            re.compile(text)
        except re.error as exc:
            self._set_regex_error(self.tr("Not a valid regular expression: %1").replace(
                "%1", str(exc)))
            return
        self._set_regex_error(None)
        self._mode, self._targets = "regex", text
        self.tree_model.set_checked(modeltree.match_targets(self.tree_model.leaf_names(), text))
        self._changed()

    def _on_tree_toggled(self) -> None:
        self.regex_edit.clear()
        self._set_regex_error(None)
        checked = self.tree_model.checked_names()
        if not checked:  # nothing chosen: the family default applies
            self._mode, self._targets = "default", None
        elif self._description is not None and self._description.tree_available:
            self._mode = "manual"
            self._targets = modeltree.compress_targets(checked, self.tree_model.leaf_names())
        else:
            self._mode, self._targets = "manual", sorted(checked)
        self._changed()

    def _changed(self) -> None:
        self._refresh_labels()
        self.sig_targets_changed.emit(copy.copy(self._targets))

    # ---- derived ---------------------------------------------------------------------------
    def _default_targets(self) -> list[str] | None:
        family = self._description.info.family if self._description else None
        return methods.default_target_modules(self._method, family)

    def _matched(self, targets: Targets) -> list[str]:
        linear = [e.name for e in self._description.entries if e.is_linear] \
            if self._description else []
        effective = targets if targets is not None else self._default_targets()
        return modeltree.match_targets(self.tree_model.leaf_names(), effective, linear)

    def _refresh_checks(self) -> None:
        self.tree_model.set_checked(self._matched(self._targets) if self.uses_targets() else [])

    def _set_regex_error(self, message: str | None) -> None:
        self.regex_edit.setStyleSheet("" if message is None else "border: 1px solid #c0392b;")
        self.regex_edit.setToolTip(message or self.tr(
            "Matched against each module's full name, as peft does; the matching modules are "
            "checked as you type."))
        if message or self._error:
            self.sig_error.emit(message or "")
        self._error = bool(message)

    def _show_tree_note(self, d: modeltree.ModelDescription | None) -> None:
        note = d.tree_note if d else None
        self.tree_note.setText(message_text(note))
        self.tree_note.setVisible(bool(note))

    def _method_name(self) -> str:
        try:
            return QCoreApplication.translate("methods", methods.get(self._method).display_name)
        except StudioError:
            return self._method

    def _refresh_labels(self) -> None:
        family = self._description.info.family if self._description else None
        self.default_button.setText(self.tr("Use default for %1").replace("%1", family)
                                    if family else self.tr("Use default"))
        default = self._default_targets()
        self.default_button.setToolTip(
            self.tr("Let the method pick its usual modules for this family: %1").replace(
                "%1", ", ".join(default)) if default else
            self.tr("peft has no default for this model: choose modules in the tree."))
        if not self.uses_targets():
            self.summary.setText(self.tr("%1 does not use target modules.").replace(
                "%1", self._method_name()))
            return
        if self._targets is None:
            value = (self.tr("family default (%1)").replace("%1", ", ".join(default))
                     if default else self.tr("family default"))
        elif isinstance(self._targets, str):
            value = self.tr("regular expression %1").replace("%1", self._targets)
        else:
            value = ", ".join(self._targets)
        text = self.tr("Targets: %1").replace("%1", value)
        if self._description is not None and self._description.entries:
            n = len(self._matched(self._targets))
            text += " — " + (self.tr("1 module matched") if n == 1 else
                             self.tr("%1 modules matched").replace("%1", str(n)))
        self.summary.setText(text)
