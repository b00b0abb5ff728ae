"""The delete confirmation: it lists what goes (rows, and the output folder only when asked)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from .details import _escape, _size
from .jobs import DeletePlan


class DeleteRunsDialog(QDialog):
    def __init__(self, plans: list[DeletePlan], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("deleteRunsDialog")
        self.plans = plans
        self.setWindowTitle(self.tr("Delete runs") if len(plans) > 1 else self.tr("Delete run"))
        heading = QLabel(
            self.tr("Delete {count} runs from the run history?").format(count=len(plans))
            if len(plans) > 1 else
            self.tr("Delete the run “{name}” from the run history?").format(
                name=plans[0].run.name))
        heading.setWordWrap(True)
        self.listing = QLabel()
        self.listing.setObjectName("deleteListing")
        self.listing.setWordWrap(True)
        self.listing.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.listing.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.listing)
        scroll.setMinimumHeight(120)
        self.files_box = QCheckBox(self.tr("Also delete the output folder"))
        self.files_box.setObjectName("deleteFilesBox")
        self.files_box.setChecked(False)
        if not any(p.folder_exists for p in plans):
            self.files_box.setEnabled(False)
            self.files_box.setToolTip(self.tr("There is no output folder on disk."))
        elif not any(p.folder_exists and p.folder_refusal is None for p in plans):
            self.files_box.setEnabled(False)
            self.files_box.setToolTip(self.tr("PEFT Studio deletes only folders it made for "
                                              "these runs."))
        self.files_box.toggled.connect(self._update_listing)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.delete_button = buttons.addButton(self.tr("Delete"),
                                               QDialogButtonBox.ButtonRole.DestructiveRole)
        self.delete_button.clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.files_box)
        layout.addWidget(buttons)
        self.resize(560, 320)
        self._update_listing()

    def with_files(self) -> bool:
        return self.files_box.isEnabled() and self.files_box.isChecked()

    def _update_listing(self) -> None:
        items = []
        for plan in self.plans:
            rows = self.tr("its record, {points}, {checkpoints} and {exports}").format(
                points=self.tr("%n metric point(s)", "", plan.metric_points),
                checkpoints=self.tr("%n checkpoint entry(s)", "", plan.checkpoints),
                exports=self.tr("%n export entry(s)", "", plan.exports))
            lines = [f"<b>{_escape(plan.run.name)}</b> ({_escape(plan.run.id)})", rows]
            if plan.folder is not None and plan.folder_exists:
                folder = self.tr("output folder {folder} ({size})").format(
                    folder=_escape(str(plan.folder)), size=_size(plan.folder_bytes))
                if plan.folder_refusal is not None:
                    state = self.tr("kept on disk: PEFT Studio did not make this folder for "
                                    "this run")
                elif self.with_files():
                    state = self.tr("<b>deleted</b>")
                else:
                    state = self.tr("kept on disk")
                lines.append(folder + " — " + state)
            items.append("<li>" + "<br>".join(lines) + "</li>")
        self.listing.setText("<ul style='margin-left: -20px'>" + "".join(items) + "</ul>")


def confirm_delete(parent: QWidget | None, plans: list[DeletePlan]) -> bool | None:
    """None when cancelled, else whether the output folders go too."""
    dialog = DeleteRunsDialog(plans, parent)
    try:
        return dialog.with_files() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
