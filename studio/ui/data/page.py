"""The Data page: open a data file or folder, see how it is read (format and column mapping,
both editable), preview its rows, its label distribution and token lengths, and every problem
with the row it is on.

Reading and checking the file runs in a pool worker (``studio.core.data.inspect``); token
lengths and the selected row as the model sees it need a tokenizer, so they come from child
processes (``tokens.TokenLengthJob``). A folder with a dataset_info.json offers its datasets
by name; the first is read until another is chosen.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studio.core import data
from studio.core.config import DatasetConfig
from studio.core.data.catalog import dataset_names
from studio.core.data.columns import ROLE_FIELDS
from studio.core.errors import DatasetError, StudioError
from studio.ui.common import dialogs
from studio.ui.common.messages import error_text
from workers import pool

from .form import DatasetForm
from .plots import LabelChart, LengthChart
from .problems import ProblemList, rows_of
from .render import RenderView
from .samples import SampleTableModel
from .tokens import TokenLengthJob

PREVIEW_ROWS = 200
FILE_FILTER = "*.csv *.tsv *.tab *.json *.jsonl *.ndjson *.parquet *.pq *.txt *.arrow"
_ERROR_STYLE = "color: palette(text); background: #f8d7da; border-radius: 3px; padding: 4px;"
_NOTE_STYLE = "color: palette(text); background: #e7f1fb; border-radius: 3px; padding: 4px;"
# Settings that change how the file is read; the others only matter at training time.
_READ_FIELDS = ("path", "name", "format", "file_type", "delimiter", "encoding", "labels",
                "validation_path", *ROLE_FIELDS.values())


def _inspect_job(serial: int, cfg: DatasetConfig, samples: int) -> tuple:
    """Pool thread: inspect the file (a dataset_info.json folder: the chosen dataset, else
    its first); errors travel back with the serial and the folder's dataset names."""
    names = dataset_names(cfg.path)
    if cfg.name not in (names or [None]):  # a name left from another folder
        cfg = dataclasses.replace(cfg, name=names[0] if names else None)
    try:
        result = data.inspect(cfg, samples=samples)
        if cfg.validation_path or cfg.labels:  # checks inspect does not make
            seen = result["problems"]
            result["problems"] = seen + [p.to_dict() for p in data.validate_dataset(cfg)
                                         if p.to_dict() not in seen]
        return serial, cfg, result, None, names
    except Exception as exc:  # noqa: BLE001 - shown by the page
        return serial, cfg, None, exc, names


def _reading(cfg: DatasetConfig) -> tuple:
    return tuple(getattr(cfg, f) for f in _READ_FIELDS)


class DataPage(QWidget):
    sig_dataset_changed = Signal(object)   # DatasetConfig
    sig_inspected = Signal(object)         # the inspection dict, or None when unreadable
    sig_token_lengths = Signal(object)     # the child's inspection dict with token_lengths
    sig_rendered = Signal(object)          # the child's rendering of a row, or None on failure

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("dataPage")
        self.setAcceptDrops(True)
        self._path = ""
        self._result: dict[str, Any] | None = None
        self._inspected: tuple | None = None
        self._serial = 0
        self._tokenizer: str | None = None
        self._rendered: dict[str, Any] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._inspect)
        self.token_job = TokenLengthJob(self)
        self.token_job.sig_finished.connect(self._on_token_lengths)
        self.token_job.sig_failed.connect(self._on_token_failed)
        self.render_job = TokenLengthJob(self)
        self.render_job.sig_finished.connect(self._on_rendered)
        self.render_job.sig_failed.connect(self._on_render_failed)
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(250)
        self._render_timer.timeout.connect(self._render)
        self._build()

    # ---- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("dataPath")
        self.path_edit.setPlaceholderText(self.tr("A data file (csv, tsv, json, jsonl, parquet, "
                                                  "txt) or a datasets folder"))
        self.path_edit.setAcceptDrops(False)
        self.path_edit.editingFinished.connect(self._on_path_edited)
        open_file = QPushButton(self.tr("Open file…"))
        open_file.clicked.connect(self._open_file)
        open_folder = QPushButton(self.tr("Open folder…"))
        open_folder.setToolTip(self.tr("A folder written by datasets' save_to_disk"))
        open_folder.clicked.connect(self._open_folder)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Data:")))
        top.addWidget(self.path_edit, 1)
        top.addWidget(open_file)
        top.addWidget(open_folder)

        self.message = QLabel()
        self.message.setObjectName("dataMessage")
        self.message.setWordWrap(True)
        self.message.hide()

        self.form = DatasetForm()
        self.form.sig_changed.connect(self._on_form_changed)
        scroll = QScrollArea()
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setMinimumWidth(340)

        self.summary = QLabel(self.tr("No data file yet."))
        self.summary.setObjectName("dataSummary")
        self.summary.setWordWrap(True)
        self.preview_model = SampleTableModel(self)
        self.preview = QTableView()
        self.preview.setObjectName("dataPreview")
        self.preview.setModel(self.preview_model)
        self.preview.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview.setAlternatingRowColors(True)
        self.preview.setWordWrap(False)
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.preview.horizontalHeader().setStretchLastSection(False)
        self.preview.verticalHeader().setDefaultSectionSize(22)
        table_box = QWidget()
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.summary)
        table_layout.addWidget(self.preview, 1)
        self.preview.selectionModel().currentRowChanged.connect(
            lambda *_: self._render_timer.start())
        self.render_view = RenderView()
        self.render_view.sig_max_length_changed.connect(lambda _n: self._render_timer.start())

        self.label_chart = LabelChart()
        self.length_chart = LengthChart()
        self.length_chart.clear(self.tr("Choose a model on the Model page to count tokens "
                                        "with its tokenizer."))
        self.problem_list = ProblemList()
        self.problem_list.sig_row_requested.connect(self.show_row)
        self.problems_box = QGroupBox(self.tr("Problems"))
        problems_layout = QVBoxLayout(self.problems_box)
        problems_layout.addWidget(self.problem_list)
        self.bottom = QSplitter(Qt.Orientation.Horizontal)
        self.bottom.addWidget(self.label_chart)
        self.bottom.addWidget(self.length_chart)
        self.bottom.addWidget(self.problems_box)
        self.bottom.setSizes([280, 280, 380])

        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.addWidget(table_box)
        self.right.addWidget(self.render_view)
        self.right.addWidget(self.bottom)
        self.right.setStretchFactor(0, 2)
        self.right.setStretchFactor(1, 3)
        self.right.setStretchFactor(2, 2)
        self.right.setSizes([220, 300, 240])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([360, 900])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.splitter, 1)

    # ---- contract --------------------------------------------------------------------------
    def dataset_config(self) -> DatasetConfig:
        return self.form.config(self._path)

    def set_dataset_config(self, cfg: DatasetConfig) -> None:
        self._path = cfg.path
        self.path_edit.setText(cfg.path)
        self.form.set_config(cfg)
        self._inspected = None
        self._timer.stop()
        self._inspect()

    def set_path(self, path: str) -> None:
        """Open a data file or folder with the current settings."""
        self._path = path.strip()
        self.path_edit.setText(self._path)
        self._inspected = None  # read again: the file may have changed
        self._timer.stop()
        self._inspect()

    def set_tokenizer_source(self, path: str | None) -> None:
        self._tokenizer = path or None
        self._count_tokens()
        self._render()

    def set_max_length(self, max_length: int) -> None:
        """training.max_length, so the rendered row is cut as training will cut it."""
        self.render_view.max_length.setValue(max_length)

    def detected_format(self) -> str | None:
        return self._result.get("format") if self._result else None

    def inspection(self) -> dict[str, Any] | None:
        return self._result

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("data/config", json.dumps(dataclasses.asdict(self.dataset_config())))
        settings.setValue("data/splitter", self.splitter.saveState())
        settings.setValue("data/right", self.right.saveState())

    def restore_state(self, settings: QSettings) -> None:
        for key, splitter in (("data/splitter", self.splitter), ("data/right", self.right)):
            state = settings.value(key)
            if state is not None:
                splitter.restoreState(state)
        try:
            raw = json.loads(str(settings.value("data/config", "{}")))
        except ValueError:
            return
        if not isinstance(raw, dict):
            return
        fields = {f.name for f in dataclasses.fields(DatasetConfig)}
        try:
            cfg = DatasetConfig(**{k: v for k, v in raw.items() if k in fields})
        except TypeError:
            return
        if cfg.path:
            self.set_dataset_config(cfg)
        else:
            self.form.set_config(cfg)

    # ---- inspection ------------------------------------------------------------------------
    def _on_path_edited(self) -> None:
        if self.path_edit.text().strip() != self._path:
            self.set_path(self.path_edit.text())

    def _on_form_changed(self, reread: bool) -> None:
        if reread:
            self._timer.start()
        elif self._result is not None:
            self.sig_dataset_changed.emit(self.dataset_config())
            self._render_timer.start()  # e.g. the system prompt is part of what it sees

    def _inspect(self) -> None:
        cfg = self.dataset_config()
        if not cfg.path:
            self._show_message("")
            return
        if self._inspected == _reading(cfg) and self._result is not None:
            self.sig_dataset_changed.emit(cfg)
            return
        self._serial += 1
        self._show_message(self.tr("Reading %1 …").replace("%1", cfg.path))
        self.token_job.cancel()
        self.render_job.cancel()
        pool.start(_inspect_job, self._serial, cfg, PREVIEW_ROWS, returned=self._on_inspected)

    def _on_inspected(self, outcome: tuple) -> None:
        serial, cfg, result, exc, names = outcome
        if serial != self._serial:
            return
        self.form.set_dataset_names(names, cfg.name)
        self._inspected = _reading(cfg)
        if exc is not None:
            self._show_unreadable(exc)
            return
        self._result = result
        self._show_message("")
        self.form.show_detection(result)
        problems = result["problems"]
        bad = {n for p in problems for n in rows_of(p)}
        self.preview_model.set_samples(result["file_columns"], result["samples"],
                                       result.get("columns"), bad)
        self._fit_columns()
        self._show_summary(result)
        counts = result.get("label_counts") or result.get("tag_counts")
        if counts:
            self.label_chart.show_counts(counts, tags="tag_counts" in result)
        else:
            self.label_chart.clear(self.tr("No labels: %1 data.").replace(
                "%1", result.get("format") or self.tr("unrecognised")))
        self.problem_list.set_problems(problems)
        self.problems_box.setTitle(self.tr("Problems (%1)").replace("%1", str(len(problems))))
        self.sig_inspected.emit(result)
        self.sig_dataset_changed.emit(self.dataset_config())
        self._count_tokens()
        self._render()

    def _fit_columns(self) -> None:
        """Columns as wide as their text up to a cap; the widest one takes the spare room."""
        count = self.preview_model.columnCount()
        if not count:
            return
        header = self.preview.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.preview.resizeColumnsToContents()
        widths = [min(max(self.preview.columnWidth(c), header.sectionSizeHint(c)), 420)
                  for c in range(count)]
        widest = widths.index(max(widths))
        for column, width in enumerate(widths):
            self.preview.setColumnWidth(column, width)
        header.setSectionResizeMode(widest, QHeaderView.ResizeMode.Stretch)

    def _show_unreadable(self, exc: BaseException) -> None:
        self._result = None
        self.form.show_detection(None)
        self.preview_model.clear()
        self.label_chart.clear()
        self.summary.setText(self.tr("The file could not be read."))
        if isinstance(exc, StudioError):
            problem = {"field": "dataset.path", "message": exc.message, "expected": None,
                       "found": None}
            if isinstance(exc, DatasetError) and exc.row is not None:
                problem["row"] = exc.row
            self.problem_list.set_problems([problem])
            self.problems_box.setTitle(self.tr("Problems (%1)").replace("%1", "1"))
            self._show_message(error_text(exc), error=True)
        else:
            self.problem_list.set_problems([])
            self._show_message(self.tr("Reading the data failed: %1").replace("%1", str(exc)),
                               error=True)
            dialogs.show_exception(self, exc, self.tr("Cannot read the data"), modal=False)
        self.sig_inspected.emit(None)

    def _show_summary(self, r: dict[str, Any]) -> None:
        unit = {"line": self.tr("lines"), "row": self.tr("rows")}.get(r.get("row_unit"), "")
        n_columns = len(r["file_columns"])
        parts = [Path(r["path"]).name, r.get("file_type") or "",
                 self.tr("1 row") if r["rows"] == 1 else
                 self.tr("%1 rows").replace("%1", f"{r['rows']:,}"),
                 self.tr("1 column") if n_columns == 1 else
                 self.tr("%1 columns").replace("%1", str(n_columns))]
        counts = r.get("label_counts") or r.get("tag_counts")
        if counts:
            parts.append(self.tr("1 label") if len(counts) == 1 else
                         self.tr("%1 labels").replace("%1", str(len(counts))))
        shown = len(r["samples"])
        if shown < r["rows"]:
            parts.append(self.tr("the first %1 shown").replace("%1", str(shown)))
        text = " · ".join(p for p in parts if p)
        if unit:
            text += "  " + self.tr("(numbers at the left are %1 in the file)").replace("%1", unit)
        self.summary.setText(text)

    # ---- token lengths ---------------------------------------------------------------------
    def _count_tokens(self) -> None:
        self.token_job.cancel()
        if self._result is None or not self._result.get("format"):
            return
        if not self._tokenizer:
            self.length_chart.clear(self.tr("Choose a model on the Model page to count tokens "
                                            "with its tokenizer."))
            return
        if not Path(self._tokenizer).expanduser().is_dir():
            self.length_chart.clear(self.tr("Token lengths need a local tokenizer folder; "
                                            "%1 is not downloaded yet.").replace(
                "%1", self._tokenizer))
            return
        self.length_chart.clear(self.tr("Counting tokens with the model's tokenizer …"))
        self.token_job.start(self.dataset_config(), self._tokenizer)

    def _on_token_lengths(self, result: dict[str, Any]) -> None:
        self.length_chart.show_lengths(result)
        self.sig_token_lengths.emit(result)

    def _on_token_failed(self, reason: str) -> None:
        self.length_chart.clear(self.tr("Token lengths unavailable: %1").replace("%1", reason))
        self.sig_token_lengths.emit(None)

    # ---- what the model sees ---------------------------------------------------------------
    def _render_row(self) -> int | None:
        """The selected preview row's number in the file, else the first one's."""
        if not self.preview_model.rowCount():
            return None
        current = self.preview.selectionModel().currentIndex()
        return self.preview_model.row_number(current.row() if current.isValid() else 0)

    def _render(self) -> None:
        self._render_timer.stop()
        self.render_job.cancel()
        self._rendered = None
        number = self._render_row()
        if self._result is None or not self._result.get("format") or number is None:
            self.render_view.clear(self.tr("Nothing to show: the data is not read yet."))
            return
        if not self._tokenizer or not Path(self._tokenizer).expanduser().is_dir():
            self.render_view.clear(self.tr("Choose a model on the Model page to see a row as "
                                           "its tokenizer reads it."))
            return
        cfg = self.dataset_config()
        extra = ["--render", str(number), "--max-length",
                 str(self.render_view.max_length.value())]
        if cfg.system_prompt:
            extra += ["--system-prompt", cfg.system_prompt]
        self.render_view.clear(self.tr("Tokenizing row %1 …").replace("%1", str(number)))
        self.render_job.start(cfg, self._tokenizer, extra)

    def rendered(self) -> dict[str, Any] | None:
        """The rendering shown (the child's JSON), or None."""
        return self._rendered

    def _on_rendered(self, render: dict[str, Any]) -> None:
        if "spans" in render:
            self._rendered = render
            self.render_view.show_render(render)
            self.sig_rendered.emit(render)
        else:
            self._on_render_failed(self.tr("the child printed no rendering"))

    def _on_render_failed(self, reason: str) -> None:
        self.render_view.clear(self.tr("Cannot show this row: %1").replace("%1", reason))
        self.sig_rendered.emit(None)

    # ---- files, rows, messages -------------------------------------------------------------
    def _open_file(self) -> None:
        start = str(Path(self._path).parent) if self._path else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open a data file"), start,
            self.tr("Data files (%1);;All files (*)").replace("%1", FILE_FILTER))
        if path:
            self.set_path(path)

    def _open_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Open a datasets folder"),
                                                  self._path or str(Path.home()))
        if folder:
            self.set_path(folder)

    def show_row(self, number: int) -> None:
        """Select the preview row with this file row/line number, when it is shown."""
        row = self.preview_model.find_row(number)
        if row is None:
            self._show_message(self.tr("Row %1 is beyond the %2 rows of the preview.").replace(
                "%1", str(number)).replace("%2", str(self.preview_model.rowCount())))
            return
        index = self.preview_model.index(row, 0)
        self.preview.selectRow(row)
        self.preview.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def _show_message(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(_ERROR_STYLE if error else _NOTE_STYLE)
        self.message.setVisible(bool(text))

    def message_text(self) -> str:
        return "" if self.message.isHidden() else self.message.text()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt name
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt name
        for url in event.mimeData().urls():
            if url.isLocalFile():
                event.acceptProposedAction()
                self.set_path(url.toLocalFile())
                return

    def shutdown(self) -> None:
        """End the token-counting children (the window calls this when it closes)."""
        self.token_job.cancel()
        self.render_job.cancel()

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt name
        self.shutdown()
        super().closeEvent(event)
