"""The Runs page: every recorded run in a sortable, filterable table; the selected runs'
curves overlaid; the current run's config, metrics, checkpoints, exports and error; and the
actions on runs (resume, rename, delete, open the output folder, export a run file, export,
open in the Playground, serve).

The store is read in pool workers only. While the page is visible it polls the store's
change stamp every few seconds, so a run started from a terminal shows up and moves along.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studio.core.records import RunRecord
from studio.ui.common import dialogs
from studio.ui.common.messages import message_text
from workers import pool

from . import jobs
from .actions import RunActions
from .badge import StatusBadgeDelegate
from .compare import PALETTE, CompareCharts, CurveSet
from .details import RunDetailsView
from .evaluations import EvaluationsView
from .filters import FilterBar, action_bar
from .model import RUN_ROLE, Column, RunsFilterProxy, RunsTableModel

POLL_MS = 3000


class RunsPage(QWidget):
    sig_resume_requested = Signal(str)   # run id
    sig_message = Signal(str)            # a short note for the status bar
    sig_export_requested = Signal(str)   # run id: open it on the Export page
    sig_playground_requested = Signal(str, str)   # run id, its base model: try it out
    sig_playground_model_requested = Signal(str)  # a full fine-tune's folder, as a base model
    sig_serve_requested = Signal(list, list, str)  # adapter folders, their names, base model
    sig_runs_loaded = Signal()           # the table holds a fresh read of the store
    sig_selection_loaded = Signal()      # curves and details of the selection are shown

    def __init__(self, parent: QWidget | None = None, store_path: Path | None = None):
        super().__init__(parent)
        self.setObjectName("runsPage")
        self.store_path = store_path
        self._stamp: tuple[Any, ...] | None = None
        self._loading = self._reload_again = self._polling = self._load_failed = False
        self._loaded_once = False
        self._damaged_shown: list[str] = []
        self._pending_select: str | None = None
        self._series: dict[str, tuple[float, jobs.Series]] = {}   # id -> (updated_at, series)
        self._selection_gen = 0
        self._wanted_extra = ""   # the third chart's series, from restore_state
        self._evaluation_count: Any = None   # the store's, last time the list was read

        self.model = RunsTableModel(self)
        self.proxy = RunsFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.filters = FilterBar(self)
        self.details = RunDetailsView(self)
        self.run_actions = RunActions(self)
        actions = self.run_actions
        self.resume_action, self.rename_action, self.delete_action = (
            actions.resume, actions.rename, actions.delete)
        self.open_action, self.export_action = actions.open_folder, actions.export
        self.view = self._build_view()
        self.compare = CompareCharts(self)
        self.evaluations = EvaluationsView(self, store_path)
        self.evaluations.sig_message.connect(self.sig_message)
        self.evaluations.sig_running.connect(lambda _running: self.run_actions.update())
        self.run_actions.evaluate.triggered.connect(self.evaluate_current)

        self.stack = QStackedWidget(self)
        self.empty_label = QLabel(self.tr(
            "No runs yet — start one on the Train page or with "
            "<code>peft-studio train run.yaml</code>."))
        self.empty_label.setObjectName("runsEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("QLabel#runsEmpty { color: #555; font-size: 13pt; }")
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(self._build_content())
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)

        self._poll_timer = QTimer(self)
        self._poll_timer.setInterval(POLL_MS)
        self._poll_timer.timeout.connect(self._poll)
        self._selection_timer = QTimer(self)
        self._selection_timer.setSingleShot(True)
        self._selection_timer.setInterval(30)
        self._selection_timer.timeout.connect(self._load_selection)

        self.filters.sig_changed.connect(self._apply_filters)
        self.filters.refresh_button.clicked.connect(self.refresh)
        self.model.sig_rename_requested.connect(self.run_actions.rename_run)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        selection = self.view.selectionModel()
        selection.selectionChanged.connect(self._on_selection_changed)
        selection.currentRowChanged.connect(self._on_selection_changed)
        self.run_actions.update()

    # --- building -------------------------------------------------------------------------

    def actions_list(self) -> list[QAction]:
        return self.run_actions.all()

    def _build_view(self) -> QTableView:
        view = QTableView(self)
        view.setObjectName("runsTable")
        view.setModel(self.proxy)
        view.setSortingEnabled(True)
        view.sortByColumn(Column.CREATED, Qt.SortOrder.DescendingOrder)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
        view.setItemDelegateForColumn(Column.STATUS, StatusBadgeDelegate(view))
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self.run_actions.context_menu)
        view.addActions([self.run_actions.rename, self.run_actions.delete])
        return view

    def _build_content(self) -> QWidget:
        content = QWidget(self)
        self.bottom_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.bottom_splitter.setObjectName("runsBottomSplitter")
        self.bottom_tabs = QTabWidget()
        self.bottom_tabs.setObjectName("runsBottomTabs")
        self.bottom_tabs.addTab(self.compare, self.tr("Curves"))
        self.evaluations_index = self.bottom_tabs.addTab(self.evaluations,
                                                         self.tr("Evaluations"))
        self.bottom_splitter.addWidget(self.bottom_tabs)
        self.bottom_splitter.addWidget(self.details)
        self.bottom_splitter.setStretchFactor(0, 3)
        self.bottom_splitter.setStretchFactor(1, 2)
        self.bottom_splitter.setSizes([760, 500])
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("runsSplitter")
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.bottom_splitter)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([250, 450])
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filters)
        layout.addWidget(action_bar(self.actions_list(), content))
        layout.addWidget(self.splitter, 1)
        return content

    # --- contract -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the run list again (in a pool worker)."""
        if self._loading:
            self._reload_again = True
            return
        self._loading, self._load_failed = True, False
        self.filters.refresh_button.setEnabled(False)
        pool.start(jobs.load_runs, self.store_path, returned=self._on_runs_loaded,
                   errored=self._on_load_error, finished=self._on_load_finished)

    def select_run(self, run_id: str) -> None:
        """Select one run (loading the list first if it is not there yet)."""
        row = self.model.row_of(run_id)
        if row is None:
            self._pending_select = run_id
            self.refresh()
            return
        self._pending_select = None
        if not self.proxy.mapFromSource(self.model.index(row, 0)).isValid():
            self.filters.clear()   # a filter hides it: show everything
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)

    def evaluate_current(self) -> None:
        """Evaluate the current run on a held-out file (the Evaluations tab's dialog)."""
        self.bottom_tabs.setCurrentIndex(self.evaluations_index)
        self.evaluations.ask_evaluation()

    def selected_runs(self) -> list[RunRecord]:
        rows = self.view.selectionModel().selectedRows()
        return [r.data(RUN_ROLE) for r in sorted(rows, key=lambda i: i.row())]

    def current_run(self) -> RunRecord | None:
        index = self.view.currentIndex()
        if index.isValid() and self.view.selectionModel().isRowSelected(index.row()):
            return index.data(RUN_ROLE)
        selected = self.selected_runs()
        return selected[0] if selected else None

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("runs/splitter", self.splitter.saveState())
        settings.setValue("runs/bottom_splitter", self.bottom_splitter.saveState())
        settings.setValue("runs/extra_metric", self.compare.extra_key() or "")

    def restore_state(self, settings: QSettings) -> None:
        for key, splitter in (("runs/splitter", self.splitter),
                              ("runs/bottom_splitter", self.bottom_splitter)):
            value = settings.value(key)
            if value is not None:
                splitter.restoreState(value)
        self._wanted_extra = str(settings.value("runs/extra_metric", "") or "")

    # --- visibility and polling -----------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._poll_timer.start()
        if not self._loaded_once:
            self.refresh()
        else:
            self._poll()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        super().hideEvent(event)
        self._poll_timer.stop()

    def _poll(self) -> None:
        if self._polling or self._loading:
            return
        self._polling = True
        pool.start(jobs.poll, self.store_path, returned=self._on_polled,
                   errored=self._on_poll_error)

    def _on_polled(self, stamp: tuple[Any, ...]) -> None:
        self._polling = False
        if stamp != self._stamp:
            self.refresh()

    def _on_poll_error(self, exc: BaseException) -> None:
        self._polling = False
        self._poll_timer.stop()   # one dialog, not one every few seconds; Refresh retries
        dialogs.show_exception(self, exc, self.tr("Could not read the run history"),
                               modal=False)

    # --- loading the list -----------------------------------------------------------------

    def _on_runs_loaded(self, result: jobs.RunList) -> None:
        self._stamp = result.stamp
        if result.damaged and result.damaged != self._damaged_shown:  # once, not every poll
            dialogs.show_error(self, self.tr("Some runs could not be read"),
                               "\n\n".join(map(message_text, result.damaged)), modal=False)
        self._damaged_shown = result.damaged
        self._loaded_once = True
        self.model.set_runs(result.runs)
        self.filters.set_choices(result.runs)
        self.stack.setCurrentIndex(1 if result.runs else 0)
        known = {r.id for r in result.runs}
        self._series = {k: v for k, v in self._series.items() if k in known}
        self._update_count()
        self.run_actions.update()
        if self._pending_select is not None and self._pending_select in known:
            self.select_run(self._pending_select)
        self._load_selection(force_details=True)
        self.evaluations.set_runs(self.selected_runs(), self.current_run())
        if result.stamp[-1] != self._evaluation_count:   # one recorded from a terminal
            self._evaluation_count = result.stamp[-1]
            self.evaluations.refresh()
        self.sig_runs_loaded.emit()

    def _on_load_error(self, exc: BaseException) -> None:
        self._load_failed = True
        self._poll_timer.stop()   # until the next successful read (Refresh)
        dialogs.show_exception(self, exc, self.tr("Could not read the run history"),
                               modal=False)

    def _on_selection_error(self, exc: BaseException) -> None:
        dialogs.show_exception(self, exc, self.tr("Could not read the run"), modal=False)

    def _on_load_finished(self) -> None:
        self._loading = False
        self.filters.refresh_button.setEnabled(True)
        if self._reload_again:
            self._reload_again = False
            self.refresh()
        elif self.isVisible() and not self._load_failed and not self._poll_timer.isActive():
            self._poll_timer.start()

    def _apply_filters(self) -> None:
        self.proxy.set_filters(**self.filters.values())
        self._update_count()

    def _update_count(self, *_: Any) -> None:
        self.filters.set_count(self.proxy.rowCount(), self.model.rowCount())

    # --- selection: curves and details ----------------------------------------------------

    def _on_selection_changed(self, *_: Any) -> None:
        self.run_actions.update()
        self.evaluations.set_runs(self.selected_runs(), self.current_run())
        self._selection_timer.start()

    def _load_selection(self, force_details: bool = False) -> None:
        selected = self.selected_runs()
        current = self.current_run()
        stale = [r.id for r in selected
                 if r.id not in self._series or self._series[r.id][0] != r.updated_at]
        shown = self.details.details()
        need_details = current is not None and (
            force_details or shown is None or shown.run.id != current.id
            or shown.run.updated_at != current.updated_at)
        if current is None and shown is not None:
            self.details.show_details(None)
        if not stale and not need_details:
            self._show_curves()
            self.sig_selection_loaded.emit()
            return
        self._selection_gen += 1
        gen = self._selection_gen
        stamps = {r.id: r.updated_at for r in selected}
        pool.start(jobs.load_selection, self.store_path, stale,
                   current.id if need_details and current is not None else None,
                   returned=lambda result: self._on_selection_loaded(gen, stamps, result),
                   errored=self._on_selection_error)

    def _on_selection_loaded(self, gen: int, stamps: dict[str, float],
                             result: jobs.Selection) -> None:
        for run_id, series in result.curves.items():
            self._series[run_id] = (stamps.get(run_id, 0.0), series)
        if gen != self._selection_gen:
            return   # the selection moved on; a newer job is on its way
        current = self.current_run()
        if result.details is not None and current is not None \
                and result.details.run.id == current.id:
            self.details.show_details(result.details, self._series.get(current.id, (0, {}))[1])
            self.evaluations.set_checkpoints(current.id,
                                             [c.step for c in result.details.checkpoints])
        self._show_curves()
        self.run_actions.update()
        self.sig_selection_loaded.emit()

    def _show_curves(self) -> None:
        runs = [r for r in self.selected_runs() if r.id in self._series]
        names = [r.name for r in runs]
        curves = []
        for i, run in enumerate(runs):
            label = run.name if names.count(run.name) == 1 else f"{run.name} · {run.id[-4:]}"
            curves.append(CurveSet(run.id, label, _color(i), self._series[run.id][1]))
        self.compare.show_runs(curves)
        if self._wanted_extra and self.compare.set_extra_key(self._wanted_extra):
            self._wanted_extra = ""
        shown = self.details.details()
        if shown is not None and shown.run.id in self._series:
            self.details.set_series(self._series[shown.run.id][1])


def _color(i: int) -> QColor:
    return QColor(PALETTE[i % len(PALETTE)])
