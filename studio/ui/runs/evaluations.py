"""The Evaluations tab of the Runs page: run an evaluation of the current run on a held-out
file (a child process: ``workers.evaluation``), follow it (rows/s, ETA) or cancel it; compare
the evaluations of the selected runs and every other one on the same file (the base model's
too), sortable by any metric; for the chosen one, its per-class metrics, confusion matrix and
predictions (wrong ones first, filterable); export the tables as CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studio.core.records import EvaluationRecord, RunRecord
from studio.ui.common import dialogs
from studio.ui.common.messages import outcome_error_text
from workers import pool

from . import jobs
from .confusion import ConfusionChart
from .details import RowsModel
from .evaldialog import EvalRequest, EvaluateDialog
from .evalmodels import (
    RECORD_ROLE,
    SORT_ROLE,
    ComparisonModel,
    PredictionsModel,
    PredictionsProxy,
    table_csv,
)


def _table(model: Any, object_name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(object_name)
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setHighlightSections(False)
    return view


class EvaluationsView(QWidget):
    sig_evaluated = Signal(list)    # the stored evaluations of a finished run of Evaluate
    sig_message = Signal(str)
    sig_running = Signal(bool)      # an evaluation started (True) or ended

    def __init__(self, parent: QWidget | None = None, store_path: Path | None = None):
        super().__init__(parent)
        self.setObjectName("evaluationsView")
        self.store_path = store_path
        self.command_prefix: list[str] | None = None   # tests: a fake ``peft-studio``
        self.worker: Any = None
        self.dialog: EvaluateDialog | None = None
        self._run: RunRecord | None = None
        self._run_ids: list[str] = []
        self._last_file = ""
        self._generation = 0
        self._want_id: int | None = None
        self._records: list[EvaluationRecord] = []
        self._steps: list[int] = []      # the current run's checkpoints, for the dialog

        self.evaluate_button = QPushButton(self.tr("Evaluate…"))
        self.evaluate_button.setToolTip(self.tr("Run the current run over a held-out file and "
                                                "score its predictions"))
        self.evaluate_button.clicked.connect(self.ask_evaluation)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.status = QLabel()
        self.status.setObjectName("evaluationStatus")
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.setToolTip(self.tr("Save the comparison table as CSV"))
        self.export_button.clicked.connect(self.export_comparison)
        self.file_combo = QComboBox()
        self.file_combo.setObjectName("evaluationFile")
        self.file_combo.setToolTip(self.tr("Compare evaluations on this data file (files are "
                                           "told apart by their content)"))
        self.file_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.file_combo.currentIndexChanged.connect(self._on_file_chosen)
        bar = QHBoxLayout()
        bar.addWidget(self.evaluate_button)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.status, 2)
        bar.addWidget(QLabel(self.tr("Data file:")))
        bar.addWidget(self.file_combo)
        bar.addWidget(self.export_button)

        self.comparison = ComparisonModel(self)
        self.comparison_proxy = QSortFilterProxyModel(self)
        self.comparison_proxy.setSourceModel(self.comparison)
        self.comparison_proxy.setSortRole(SORT_ROLE)
        self.comparison_view = _table(self.comparison_proxy, "evaluationsTable")
        self.comparison_view.setSortingEnabled(True)
        self.comparison_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.comparison_view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch)   # the target: run@step names can be long
        self.comparison_view.selectionModel().currentRowChanged.connect(self._on_current)

        self.per_class = RowsModel([self.tr("Class"), self.tr("Precision"), self.tr("Recall"),
                                    self.tr("F1"), self.tr("Support")], self,
                                   numeric=(1, 2, 3, 4))
        self.per_class_view = _table(self.per_class, "perClassTable")
        self.per_class_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.per_class_view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch)
        self.confusion = ConfusionChart(self)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.per_class_view)
        left.addWidget(self.confusion)
        left.setSizes([120, 240])

        self.predictions = PredictionsModel(self)
        self.predictions_proxy = PredictionsProxy(self)
        self.predictions_proxy.setSourceModel(self.predictions)
        self.predictions_view = _table(self.predictions_proxy, "predictionsTable")
        self.predictions_view.setSortingEnabled(True)
        header = self.predictions_view.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)   # the model's: wrong first
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)   # the input
        for column in (2, 3):   # reference and prediction: full text in the tooltip
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.predictions_view.setColumnWidth(column, 110)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Filter predictions…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.wrong_check = QCheckBox(self.tr("Wrong only"))
        self.filter_edit.textChanged.connect(self._apply_filter)
        self.wrong_check.toggled.connect(self._apply_filter)
        self.predictions_label = QLabel()
        filters = QHBoxLayout()
        filters.addWidget(self.filter_edit, 1)
        filters.addWidget(self.wrong_check)
        filters.addWidget(self.predictions_label)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(filters)
        right_layout.addWidget(self.predictions_view, 1)

        self.lower = QSplitter(Qt.Orientation.Horizontal)
        self.lower.addWidget(left)
        self.lower.addWidget(right)
        self.lower.setSizes([340, 520])
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.comparison_view)
        self.splitter.addWidget(self.lower)
        self.splitter.setSizes([130, 330])
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.empty)
        layout.addWidget(self.splitter, 1)
        self._set_running(False)
        self._show_file(None)   # the empty state

    # --- what is shown --------------------------------------------------------------------

    def set_runs(self, runs: list[RunRecord], current: RunRecord | None) -> None:
        """The Runs page's selection: evaluations of these runs (and others on their files)
        are listed; Evaluate works on ``current``."""
        if (current.id if current else None) != (self._run.id if self._run else None):
            self._steps = []
        self._run = current if len(runs) == 1 else None   # as the tool bar's Evaluate
        self._update_buttons()
        ids = [r.id for r in runs]
        if ids != self._run_ids:
            self._run_ids = ids
            self.refresh()

    def set_checkpoints(self, run_id: str, steps: list[int]) -> None:
        """The current run's checkpoint steps (from the details the page loaded)."""
        if self._run is not None and self._run.id == run_id:
            self._steps = list(steps)

    def refresh(self) -> None:
        self._generation += 1
        generation = self._generation
        if not self._run_ids:
            self.show_evaluations([])
            return
        pool.start(jobs.load_evaluations, self.store_path, list(self._run_ids),
                   returned=lambda found: self._on_loaded(generation, found),
                   errored=self._on_error)

    def _on_loaded(self, generation: int, found: list[EvaluationRecord]) -> None:
        if generation == self._generation:
            self.show_evaluations(found)

    def show_evaluations(self, records: list[EvaluationRecord]) -> None:
        """``records`` newest first; one data file's are compared at a time (the file of
        the evaluation to keep chosen, else the newest's)."""
        if self._want_id is None and [r.id for r in records] == [r.id for r in self._records]:
            return   # nothing new: keep the selection, filter and scroll position
        current = self.current_evaluation()
        keep = self._want_id if self._want_id is not None else (
            current.id if current is not None else None)
        self._records = list(records)
        kept = next((r for r in records if r.id == keep), None)
        files: dict[str, str] = {}
        for record in records:
            name = record.data_path.replace("\\", "/").rsplit("/", 1)[-1]
            files.setdefault(record.data_sha256, name)
        wanted = kept.data_sha256 if kept else (self.file_combo.currentData()
                                                 if self.file_combo.currentData() in files
                                                 else next(iter(files), None))
        self.file_combo.blockSignals(True)
        self.file_combo.clear()
        names = list(files.values())
        for sha, name in files.items():
            label = name if names.count(name) == 1 else f"{name} ({sha[:8]})"
            self.file_combo.addItem(label, sha)
        self.file_combo.setCurrentIndex(max(self.file_combo.findData(wanted), 0))
        self.file_combo.setEnabled(len(files) > 1)
        self.file_combo.blockSignals(False)
        self._show_file(keep)

    def _on_file_chosen(self, *_: Any) -> None:
        self._show_file(None)

    def _show_file(self, keep: int | None) -> None:
        sha = self.file_combo.currentData()
        records = [r for r in self._records if r.data_sha256 == sha]
        self.comparison.set_records(records)
        self.empty.setVisible(not records)
        self.splitter.setVisible(bool(records))
        self.export_button.setEnabled(bool(records))
        self.empty.setText(self.tr("No evaluations of the selected runs yet. Choose "
                                   "Evaluate… to score a run on a held-out file, or run "
                                   "<code>peft-studio eval RUN --data test.jsonl</code>."))
        if not records:
            self._show_evaluation(None)
            return
        rows = [r for r in range(self.comparison_proxy.rowCount())
                if self.comparison_proxy.index(r, 0).data(RECORD_ROLE).id == keep]
        self.comparison_view.selectRow(rows[0] if rows else 0)
        self._want_id = None

    def current_evaluation(self) -> EvaluationRecord | None:
        index = self.comparison_view.currentIndex()
        return index.data(RECORD_ROLE) if index.isValid() else None

    def _on_current(self, *_: Any) -> None:
        self._show_evaluation(self.current_evaluation())

    def _show_evaluation(self, record: EvaluationRecord | None) -> None:
        metrics = record.metrics if record else {}
        per_class = metrics.get("per_class") or {}
        self.per_class.set_rows([
            (name, f"{row['precision']:.4f}", f"{row['recall']:.4f}", f"{row['f1']:.4f}",
             str(row["support"])) for name, row in per_class.items()])
        self.per_class_view.setVisible(bool(per_class))
        self.confusion.setVisible(bool(metrics.get("confusion")))
        self.confusion.show_confusion(metrics.get("confusion"))
        self.predictions.set_predictions([])
        self._count_predictions()
        if record is not None and record.predictions_path:
            pool.start(jobs.load_predictions, record.predictions_path,
                       returned=lambda rows, rid=record.id: self._on_predictions(rid, rows),
                       errored=self._on_error)

    def _on_predictions(self, record_id: int, rows: list[Any]) -> None:
        current = self.current_evaluation()
        if current is not None and current.id == record_id:
            self.predictions.set_predictions(rows)
            self._count_predictions()

    def _apply_filter(self, *_: Any) -> None:
        self.predictions_proxy.set_filter(self.filter_edit.text(), self.wrong_check.isChecked())
        self._count_predictions()

    def _count_predictions(self) -> None:
        rows = self.predictions.predictions()
        wrong = sum(1 for p in rows if p.correct is False)
        self.predictions_label.setText(self.tr("{shown} of {total} rows, {wrong} wrong").format(
            shown=self.predictions_proxy.rowCount(), total=len(rows), wrong=wrong))

    # --- export ----------------------------------------------------------------------------

    def export_comparison(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export comparison"),
                                                  "evaluations.csv",
                                                  self.tr("CSV files (*.csv)"))
            if not path:
                return
        pool.start(jobs.write_csv, Path(path), table_csv(self.comparison_proxy),
                   returned=lambda target: self.sig_message.emit(
                       self.tr("Saved {path}").format(path=target)),
                   errored=self._on_error)

    # --- running an evaluation -------------------------------------------------------------

    def ask_evaluation(self) -> None:
        if self._run is None or self.is_running():
            return
        self.dialog = EvaluateDialog(self._run.name, self, self._last_file, self._steps)
        run_id = self._run.id
        self.dialog.accepted.connect(
            lambda: self.start_evaluation(run_id, self.dialog.request()) if self.dialog
            else None)
        self.dialog.open()

    def is_running(self) -> bool:
        return self.worker is not None and self.worker.is_running()

    def start_evaluation(self, run_id: str, request: EvalRequest) -> None:
        from workers.evaluation import EvaluationWorker, command_args

        if self.worker is None:
            self.worker = EvaluationWorker(self, command_prefix=self.command_prefix)
            self.worker.sig_progress.connect(self._on_progress)
            self.worker.sig_finished.connect(self._on_finished)
        self._last_file = request.data
        try:
            target = run_id if request.step is None else f"{run_id}@{request.step}"
            self.worker.start(command_args(target, request.data, with_base=request.with_base,
                                           max_samples=request.max_samples,
                                           batch_size=request.batch_size,
                                           max_new_tokens=request.max_new_tokens))
        except Exception as exc:  # noqa: BLE001 - reported in the one error dialog
            self._on_error(exc)
            return
        self.progress.setRange(0, 0)   # busy until the first rows are done
        self.status.setText(self.tr("Loading the model…"))
        self._set_running(True)

    def cancel(self) -> None:
        if self.is_running():
            self.status.setText(self.tr("Cancelling…"))
            self.worker.cancel()

    def _on_progress(self, event: dict[str, Any]) -> None:
        target = str(event.get("target") or "")
        if event.get("event") == "eval_started":
            self.progress.setRange(0, max(int(event.get("rows") or 0), 1))
            self.progress.setValue(0)
            self.status.setText(self.tr("{target}: starting").format(target=target))
            return
        done, total = int(event.get("done") or 0), int(event.get("total") or 0)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        eta = event.get("eta_s")
        text = self.tr("{target}: {done}/{total} rows, {rate:.1f} rows/s").format(
            target=target, done=done, total=total, rate=float(event.get("rows_per_s") or 0))
        if event.get("tokens_per_s") is not None:
            text += self.tr(", {rate:.0f} tokens/s").format(rate=float(event["tokens_per_s"]))
        if eta is not None:
            text += self.tr(", {eta:.0f} s left").format(eta=float(eta))
        self.status.setText(text)

    def _on_finished(self, payload: dict[str, Any]) -> None:
        self._set_running(False)
        status = payload.get("status")
        if status == "finished":
            found = payload.get("evaluations") or []
            self.status.setText(self.tr("Evaluated: {targets}").format(
                targets=", ".join(str(e.get("target")) for e in found)))
            ids = [e.get("id") for e in found if e.get("id") is not None]
            self._want_id = ids[-1] if ids else None
            self.refresh()
            self.sig_evaluated.emit(found)
        elif status == "cancelled":
            self.status.setText(self.tr("Cancelled; nothing was recorded."))
        else:
            self.status.setText(self.tr("The evaluation failed."))
            details = payload.get("traceback") or payload.get("stderr_tail") or None
            dialogs.show_error(self, self.tr("Evaluation failed"),
                               outcome_error_text(payload), details, modal=False)

    def _set_running(self, running: bool) -> None:
        self.cancel_button.setVisible(running)
        self.progress.setVisible(running)
        self._update_buttons()
        self.sig_running.emit(running)

    def _update_buttons(self) -> None:
        playable = self._run is not None and self._run.status in (
            "completed", "stopped", "early_stopped")
        self.evaluate_button.setEnabled(playable and not self.is_running())

    def shutdown(self) -> None:
        if self.worker is not None:
            self.worker.shutdown()

    def _on_error(self, exc: BaseException) -> None:
        dialogs.show_exception(self, exc, self.tr("Evaluation"), modal=False)
