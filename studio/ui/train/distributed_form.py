"""The ``distributed`` section as a form: the number of workers (cards) first; the hosts and
the scheduler's port of a several-machine run under "Several hosts". The window always
leads a run (node rank 0); the other hosts join with ``peft-studio train --node-rank N``."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from studio.core.config import DistributedConfig

from .widgets import Collapsible, WheelGuard, guard_wheel, int_spin, make_form


def parse_hosts(text: str) -> list[str] | None:
    """"10.0.0.1, 10.0.0.2" -> ["10.0.0.1", "10.0.0.2"]; empty -> None (one machine)."""
    hosts = [part.strip() for part in text.replace(";", ",").split(",")]
    hosts = [host for host in hosts if host]
    return hosts or None


class DistributedForm(QWidget):
    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._guard = WheelGuard(self)
        self._loading = False
        self._extra: dict[str, Any] = {}   # node_rank, master_addr: kept from a run file
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        basic = make_form()
        column.addLayout(basic)
        self.hosts_section = Collapsible(self.tr("Several hosts"), self)
        adv = make_form()
        adv.setContentsMargins(0, 0, 0, 0)
        self.hosts_section.body.setLayout(adv)
        column.addWidget(self.hosts_section)

        self.workers = int_spin(1, 4096, parent=self)
        self.workers.setObjectName("distributed_workers")
        self.workers.setToolTip(self.tr("<b>workers</b><br>Processes training together, one "
                                        "per card, over all hosts (data parallel through "
                                        "MindSpore's msrun). The batch size stays the batch of "
                                        "one step, split across them."))
        guard_wheel(self.workers, self._guard)
        self.hosts = QLineEdit(self)
        self.hosts.setObjectName("distributed_hosts")
        self.hosts.setClearButtonEnabled(True)
        self.hosts.setPlaceholderText(self.tr("this machine only"))
        self.hosts.setToolTip(self.tr("<b>hosts</b><br>The address of every machine, comma "
                                      "separated, this one (which leads) first. Start the "
                                      "others with peft-studio train RUN_FILE --node-rank N."))
        self.master_port = int_spin(1024, 65535, parent=self)
        self.master_port.setObjectName("distributed_master_port")
        self.master_port.setToolTip(self.tr("<b>master_port</b><br>The port of msrun's "
                                            "scheduler on the first host."))
        guard_wheel(self.master_port, self._guard)
        self.labels: dict[str, QLabel] = {}
        for form, key, editor, text in (
                (basic, "workers", self.workers, self.tr("Workers")),
                (adv, "hosts", self.hosts, self.tr("Hosts")),
                (adv, "master_port", self.master_port, self.tr("Scheduler port"))):
            label = QLabel(text, self)
            label.setBuddy(editor)
            label.setToolTip(editor.toolTip())
            form.addRow(label, editor)
            self.labels[key] = label
        self.workers.valueChanged.connect(self._on_edited)
        self.master_port.valueChanged.connect(self._on_edited)
        self.hosts.textChanged.connect(self._on_edited)
        self.set_config(DistributedConfig())

    def focus_chain(self) -> list[QWidget]:
        return [self.workers, self.hosts_section.button, self.hosts, self.master_port]

    def config(self) -> DistributedConfig:
        return DistributedConfig(workers=self.workers.value(),
                                 hosts=parse_hosts(self.hosts.text()),
                                 master_port=self.master_port.value(), **self._extra)

    def set_config(self, d: DistributedConfig) -> None:
        self._loading = True
        try:
            self.workers.setValue(d.workers)
            self.hosts.setText(", ".join(d.hosts or []))
            self.master_port.setValue(d.master_port)
            self._extra = {k: v for k, v in (("node_rank", d.node_rank),
                                             ("master_addr", d.master_addr)) if v is not None}
        finally:
            self._loading = False
        if d.hosts:
            self.hosts_section.set_expanded(True)
        self.sig_changed.emit()

    def _on_edited(self, *_: Any) -> None:
        if not self._loading:
            self.sig_changed.emit()
