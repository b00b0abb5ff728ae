"""The Serve panel: starts ``peft-studio serve`` for a base model and adapters in a child
process (``workers.serving``), shows its address, copyable curl and Python examples, the
request log and a Stop button. Closing the panel stops the server."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.core.errors import StudioError
from studio.core.serving.examples import curl_example, python_example
from studio.core.serving.worker import DEFAULT_MAX_QUEUE
from studio.ui.common import dialogs, icons
from studio.ui.common.messages import message_text
from workers.serving import ServeWorker

LOG_LIMIT = 500   # request log rows kept on screen
NUMBERS = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
TIME, REQUEST, MODEL, STATUS, TOKENS, DURATION = range(6)   # the request log's columns


@dataclass(frozen=True)
class ServeRequest:
    """What to serve: adapter references (run output folders) and their names, and the base
    (None: the one the adapters name)."""

    adapters: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    base: str | None = None

    def describe(self) -> tuple[str, str]:
        base = Path(self.base).name if self.base else ""
        return base, ", ".join(self.names)


class ServePanel(QDialog):
    sig_message = Signal(str)   # a short note for the status bar

    def __init__(self, parent: QWidget | None = None, worker: ServeWorker | None = None):
        super().__init__(parent)
        self.setObjectName("servePanel")
        self.setWindowTitle(self.tr("Serve"))
        self.worker = worker or ServeWorker(self)
        self.request: ServeRequest | None = None
        self.url = ""
        self.models: list[str] = []
        self.task: str | None = None
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

        intro = QLabel(self.tr("An OpenAI-compatible API for the base model and adapters, on "
                               "this computer only. Programs use each adapter by its name as "
                               "the model. Closing this window stops the server."))
        intro.setWordWrap(True)
        self.what_label = QLabel()
        self.what_label.setObjectName("serveWhat")
        self.what_label.setWordWrap(True)
        self.what_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.port_spin = QSpinBox()
        self.port_spin.setRange(1024, 65535)
        self.port_spin.setValue(8000)
        self.port_spin.setGroupSeparatorShown(False)
        self.queue_spin = QSpinBox()
        self.queue_spin.setObjectName("serveQueue")
        self.queue_spin.setRange(0, 1024)
        self.queue_spin.setValue(DEFAULT_MAX_QUEUE)
        self.queue_spin.setToolTip(self.tr("Requests that may wait while the model answers "
                                           "another; beyond that the server answers 503 (busy, "
                                           "try again later)"))
        self.key_edit = QLineEdit()
        self.key_edit.setPlaceholderText(self.tr("optional"))
        self.key_edit.setToolTip(self.tr("When set, clients must send it as "
                                         "'Authorization: Bearer KEY'"))
        self.start_button = QPushButton(icons.icon("start"), self.tr("Start"))
        self.start_button.setObjectName("serveStart")
        self.stop_button = QPushButton(icons.icon("stop"), self.tr("Stop"))
        self.stop_button.setObjectName("serveStop")
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        settings = QHBoxLayout()
        settings.addWidget(self.port_spin)
        settings.addSpacing(16)
        queue_label = QLabel(self.tr("Queue:"))
        queue_label.setToolTip(self.queue_spin.toolTip())
        settings.addWidget(queue_label)
        settings.addWidget(self.queue_spin)
        settings.addSpacing(16)
        settings.addWidget(QLabel(self.tr("API key:")))
        settings.addWidget(self.key_edit, 1)
        form = QFormLayout()
        form.addRow(self.tr("Serving:"), self.what_label)
        form.addRow(self.tr("Port:"), settings)

        self.status_label = QLabel()
        self.status_label.setObjectName("serveStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.url_edit = QLineEdit()
        self.url_edit.setObjectName("serveUrl")
        self.url_edit.setReadOnly(True)
        self.copy_url_button = QPushButton(self.tr("Copy"))
        url_row = QHBoxLayout()
        url_row.addWidget(QLabel(self.tr("Address:")))
        url_row.addWidget(self.url_edit, 1)
        url_row.addWidget(self.copy_url_button)

        self.curl_view = QPlainTextEdit()
        self.python_view = QPlainTextEdit()
        for view in (self.curl_view, self.python_view):
            view.setMaximumHeight(view.fontMetrics().lineSpacing() * 9 + 12)
            view.setPlaceholderText(self.tr("Examples for this server appear here once it "
                                            "is running."))
            view.setReadOnly(True)
            view.setFont(mono)
            view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.examples = QTabWidget()
        self.examples.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        # As tall as the examples, the rest goes to the request log.
        self.examples.setMaximumHeight(self.curl_view.maximumHeight()
                                       + self.examples.tabBar().sizeHint().height() + 10)
        self.examples.addTab(self.curl_view, "curl")
        self.examples.addTab(self.python_view, "Python (openai)")
        self.copy_example_button = QPushButton(self.tr("Copy example"))
        self.examples.setCornerWidget(self.copy_example_button, Qt.Corner.TopRightCorner)

        self.log_view = QTreeWidget()
        self.log_view.setObjectName("serveLog")
        self.log_view.setRootIsDecorated(False)
        self.log_view.setUniformRowHeights(True)
        self.log_view.setHeaderLabels([self.tr("Time"), self.tr("Request"), self.tr("Model"),
                                       self.tr("Status"), self.tr("Tokens"),
                                       self.tr("Duration")])
        header = self.log_view.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(MODEL, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        # Columns fit their contents exactly: without padding, right-aligned numbers touch
        # the next column's text.
        self.log_view.setStyleSheet("QTreeView::item { padding: 0 4px; }")
        for column in (STATUS, TOKENS, DURATION):
            self.log_view.headerItem().setTextAlignment(column, NUMBERS)
        self.log_label = QLabel()
        self.log_label.setObjectName("serveLogCount")
        self.counts = {"total": 0, "failed": 0}

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status_label)
        layout.addLayout(url_row)
        layout.addWidget(self.examples)
        layout.addWidget(self.log_label)
        layout.addWidget(self.log_view, 1)
        self.resize(720, 640)

        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.copy_url_button.clicked.connect(lambda: self._copy(self.url_edit.text()))
        self.copy_example_button.clicked.connect(
            lambda: self._copy(self.examples.currentWidget().toPlainText()))
        self.worker.sig_loading.connect(self._on_loading)
        self.worker.sig_ready.connect(self._on_ready)
        self.worker.sig_request.connect(self._on_request)
        self.worker.sig_finished.connect(self._on_finished)
        self._set_state("idle")
        self._show_counts()

    # ---- what to serve --------------------------------------------------------------------
    def is_serving(self) -> bool:
        return self.worker.is_running()

    def set_request(self, request: ServeRequest) -> bool:
        """Choose what to serve; refused (False) while a server runs."""
        if self.is_serving():
            return False
        self.request = request
        base, adapters = request.describe()
        parts = []
        if base:
            parts.append(self.tr("base model {name}").format(name=base))
        if adapters:
            parts.append(self.tr("adapters {names}").format(names=adapters))
        self.what_label.setText("; ".join(parts))
        self._set_state("idle")
        return True

    # ---- starting and stopping ------------------------------------------------------------
    def start(self) -> None:
        if self.request is None or self.is_serving():
            return
        self.log_view.clear()
        self.counts = {"total": 0, "failed": 0}
        self._show_counts()
        self.url = ""
        try:
            self.worker.start(self.request.adapters, self.request.base,
                              port=self.port_spin.value(),
                              api_key=self.key_edit.text().strip() or None,
                              max_queue=self.queue_spin.value())
        except StudioError as exc:
            dialogs.show_exception(self, exc)
            return
        self._set_state("loading", self.tr("Starting…"))

    def stop(self) -> None:
        if self.is_serving():
            self.worker.stop()
            self._set_state("stopping", self.tr("Stopping…"))

    def shutdown(self) -> None:
        self.worker.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.stop()
        super().closeEvent(event)

    # ---- what the server says -------------------------------------------------------------
    def _on_loading(self, stage: str) -> None:
        self._set_state("loading", self.tr("Loading: {stage}").format(stage=stage))

    def _on_ready(self, event: dict[str, Any]) -> None:
        self.url = str(event.get("url") or "")
        self.models = [str(m) for m in event.get("models") or []]
        self.task = event.get("task")
        self._set_state("ready", self.tr("Running: programs on this computer can use the "
                                         "address below."))
        self.sig_message.emit(self.tr("The API server is listening at {url}").format(
            url=self.url))

    def _on_request(self, event: dict[str, Any]) -> None:
        tokens = (f"{event['prompt_tokens']} + {event['completion_tokens']}"
                  if "completion_tokens" in event else "")
        request = f"{event.get('method', '')} {event.get('path', '')}"
        if event.get("stream"):
            request = self.tr("{request} (streamed)").format(request=request)
        row = QTreeWidgetItem([
            time.strftime("%H:%M:%S", time.localtime(float(event.get("time") or 0))),
            request, str(event.get("model") or ""), str(event.get("status") or ""), tokens,
            self._duration(float(event.get("seconds") or 0))])
        for column in (STATUS, TOKENS, DURATION):
            row.setTextAlignment(column, NUMBERS)
        status = int(event.get("status") or 0)
        if status >= 400:
            row.setForeground(STATUS, Qt.GlobalColor.darkRed)
        meaning = self._status_meaning(status)
        if meaning:
            row.setToolTip(STATUS, meaning)
        if event.get("finish_reason"):
            row.setToolTip(TOKENS, self.tr("prompt + answer tokens; the answer ended: {reason}")
                           .format(reason=event["finish_reason"]))
        self.log_view.addTopLevelItem(row)
        while self.log_view.topLevelItemCount() > LOG_LIMIT:
            self.log_view.takeTopLevelItem(0)
        self.log_view.scrollToItem(row)
        self.counts["total"] += 1
        self.counts["failed"] += status >= 400
        self._show_counts()

    def _status_meaning(self, status: int) -> str:
        return {
            200: "",
            400: self.tr("The request was refused: the answer names the field"),
            401: self.tr("The API key was missing or wrong"),
            404: self.tr("No model of that name is served here"),
            499: self.tr("The client disconnected; its answer was stopped"),
            500: self.tr("The server failed on this request; it keeps running"),
            503: self.tr("The queue was full; the client was told when to try again"),
        }.get(status, "")

    def _duration(self, seconds: float) -> str:
        if seconds < 1:
            return self.tr("{ms} ms").format(ms=max(1, round(seconds * 1000)))
        return self.tr("{seconds} s").format(seconds=f"{seconds:.2f}")

    def _show_counts(self) -> None:
        total, failed = self.counts["total"], self.counts["failed"]
        self.log_label.setText(
            self.tr("Requests: {total}, errors: {failed}").format(
                total=total, failed=failed) if failed else
            self.tr("Requests: {total}").format(total=total))

    def _on_finished(self, payload: dict[str, Any]) -> None:
        if payload.get("status") == "stopped":
            self._set_state("idle", self.tr("Stopped."))
            return
        self._set_state("idle", self.tr("The server stopped: {error}").format(
            error=message_text(payload.get("error"))), failed=True)
        if payload.get("stderr_tail"):
            self.status_label.setToolTip(str(payload["stderr_tail"]))

    # ---- presentation ---------------------------------------------------------------------
    def _set_state(self, state: str, text: str = "", failed: bool = False) -> None:
        running = state in ("loading", "ready", "stopping")
        self.start_button.setEnabled(not running and self.request is not None)
        self.stop_button.setEnabled(state in ("loading", "ready"))
        self.port_spin.setEnabled(not running)
        self.queue_spin.setEnabled(not running)
        self.key_edit.setEnabled(not running)
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))
        self.status_label.setStyleSheet("color: #b91c1c;" if failed else "")
        ready = state == "ready"
        self.url_edit.setText(self.url if ready else "")
        self.copy_url_button.setEnabled(ready)
        self.copy_example_button.setEnabled(ready)
        self.examples.setEnabled(ready)
        model = (self.models[1] if len(self.models) > 1 else self.models[0]) \
            if ready and self.models else ""
        key = self.key_edit.text().strip() or None
        self.curl_view.setPlainText(curl_example(self.url, model, self.task, key) if ready
                                    else "")
        self.python_view.setPlainText(python_example(self.url, model, self.task, key) if ready
                                      else "")

    def _copy(self, text: str) -> None:
        if text:
            QGuiApplication.clipboard().setText(text)
            self.sig_message.emit(self.tr("Copied to the clipboard"))
