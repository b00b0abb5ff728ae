"""The Runs page: every recorded run in a sortable, filterable table; the selected runs'
curves overlaid; the current run's config, metrics, checkpoints, exports and error; and the
actions on runs (resume, rename, delete, open the output folder, export a run file).

The store is read in pool workers only. While the page is visible it polls the store's
change stamp every few seconds, so a run started from a terminal shows up and moves along.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (QAction, QColor, QDesktopServices, QHideEvent, QKeySequence,
                           QShowEvent)
from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QHeaderView, QLabel, QMenu,
                               QSplitter, QStackedWidget, QTableView, QVBoxLayout, QWidget)

from studio.core.records import RunRecord
from studio.ui.common import dialogs
from workers import pool

from . import dialogs as run_dialogs
from . import jobs
from .badge import StatusBadgeDelegate
from .compare import PALETTE, CompareCharts, CurveSet
from .details import RunDetailsView
from .filters import FilterBar, action_bar
from .model import RUN_ROLE, Column, RunsFilterProxy, RunsTableModel

POLL_MS = 3000
RESUMABLE = frozenset({"pending", "stopped", "failed", "early_stopped"})


class RunsPage(QWidget):
    sig_resume_requested = Signal(str)   # run id
    sig_message = Signal(str)            # a short note for the status bar
    sig_runs_loaded = Signal()           # the table holds a fresh read of the store
    sig_selection_loaded = Signal()      # curves and details of the selection are shown

    def __init__(self, parent: QWidget | None = None, store_path: Path | None = None):
        super().__init__(parent)
        self.setObjectName("runsPage")
        self._store_path = store_path
        self._stamp: tuple[Any, ...] | None = None
        self._loading = self._reload_again = self._polling = False
        self._loaded_once = False
        self._pending_select: str | None = None
        self._series: dict[str, tuple[float, jobs.Series]] = {}   # id -> (updated_at, series)
        self._selection_gen = 0
        self._wanted_extra = ""   # the third chart's series, from restore_state

        self.model = RunsTableModel(self)
        self.proxy = RunsFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.filters = FilterBar(self)
        self._build_actions()
        self.view = self._build_view()
        self.compare = CompareCharts(self)
        self.details = RunDetailsView(self)

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
        self.model.sig_rename_requested.connect(self.rename_run)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        selection = self.view.selectionModel()
        selection.selectionChanged.connect(self._on_selection_changed)
        selection.currentRowChanged.connect(self._on_selection_changed)
        self._update_actions()

    # --- building -------------------------------------------------------------------------

    def _build_actions(self) -> None:
        style = self.style()
        icon = style.standardIcon
        sp = style.StandardPixmap
        self.resume_action = QAction(icon(sp.SP_MediaPlay), self.tr("Resume"), self)
        self.resume_action.setToolTip(self.tr("Continue the run from its last checkpoint"))
        self.rename_action = QAction(self.tr("Rename"), self)
        self.rename_action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        self.delete_action = QAction(icon(sp.SP_TrashIcon), self.tr("Delete…"), self)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.open_action = QAction(icon(sp.SP_DirOpenIcon), self.tr("Open output folder"), self)
        self.export_action = QAction(icon(sp.SP_DialogSaveButton), self.tr("Export run file…"),
                                     self)
        self.export_action.setToolTip(self.tr("Save the run's settings as a run file for "
                                              "peft-studio train"))
        for action in (self.rename_action, self.delete_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.resume_action.triggered.connect(self.resume_selected)
        self.rename_action.triggered.connect(self.rename_selected)
        self.delete_action.triggered.connect(self.delete_selected)
        self.open_action.triggered.connect(self.open_output_folder)
        self.export_action.triggered.connect(self.export_run_file)

    def actions_list(self) -> list[QAction]:
        return [self.resume_action, self.rename_action, self.delete_action, self.open_action,
                self.export_action]

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
        view.customContextMenuRequested.connect(self._context_menu)
        view.addActions([self.rename_action, self.delete_action])
        return view

    def _build_content(self) -> QWidget:
        content = QWidget(self)
        self.bottom_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.bottom_splitter.setObjectName("runsBottomSplitter")
        self.bottom_splitter.addWidget(self.compare)
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
        self._loading = True
        self.filters.refresh_button.setEnabled(False)
        pool.start(jobs.load_runs, self._store_path, returned=self._on_runs_loaded,
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

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._poll_timer.start()
        if not self._loaded_once:
            self.refresh()
        else:
            self._poll()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._poll_timer.stop()

    def _poll(self) -> None:
        if self._polling or self._loading:
            return
        self._polling = True
        pool.start(jobs.poll, self._store_path, returned=self._on_polled,
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
        self._loaded_once = True
        self.model.set_runs(result.runs)
        self.filters.set_choices(result.runs)
        self.stack.setCurrentIndex(1 if result.runs else 0)
        known = {r.id for r in result.runs}
        self._series = {k: v for k, v in self._series.items() if k in known}
        self._update_count()
        self._update_actions()
        if self._pending_select is not None and self._pending_select in known:
            self.select_run(self._pending_select)
        self._load_selection(force_details=True)
        self.sig_runs_loaded.emit()

    def _on_load_error(self, exc: BaseException) -> None:
        dialogs.show_exception(self, exc, self.tr("Could not read the run history"),
                               modal=False)

    def _on_load_finished(self) -> None:
        self._loading = False
        self.filters.refresh_button.setEnabled(True)
        if self._reload_again:
            self._reload_again = False
            self.refresh()
        elif self.isVisible() and not self._poll_timer.isActive():
            self._poll_timer.start()

    def _apply_filters(self) -> None:
        self.proxy.set_filters(**self.filters.values())
        self._update_count()

    def _update_count(self, *_: Any) -> None:
        self.filters.set_count(self.proxy.rowCount(), self.model.rowCount())

    # --- selection: curves and details ----------------------------------------------------

    def _on_selection_changed(self, *_: Any) -> None:
        self._update_actions()
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
        pool.start(jobs.load_selection, self._store_path, stale,
                   current.id if need_details and current is not None else None,
                   returned=lambda result: self._on_selection_loaded(gen, stamps, result),
                   errored=self._on_load_error)

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
        self._show_curves()
        self._update_actions()
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

    # --- actions --------------------------------------------------------------------------

    def _update_actions(self) -> None:
        selected = self.selected_runs()
        one = selected[0] if len(selected) == 1 else None
        self.resume_action.setEnabled(one is not None and one.status in RESUMABLE)
        self.rename_action.setEnabled(one is not None)
        self.delete_action.setEnabled(bool(selected))
        self.open_action.setEnabled(one is not None and bool(one.output_dir))
        self.export_action.setEnabled(one is not None)
        shown = self.details.details()
        if one is not None and shown is not None and shown.run.id == one.id:
            last = shown.checkpoints[-1].step if shown.checkpoints else None
            self.resume_action.setToolTip(
                self.tr("Continue from the checkpoint at step {step}").format(step=last)
                if last is not None else self.tr("No checkpoint: the run starts again from "
                                                 "step 0"))

    def _context_menu(self, pos: Any) -> None:
        if not self.view.indexAt(pos).isValid():
            return
        menu = QMenu(self)
        for action in self.actions_list():
            menu.addAction(action)
        menu.popup(self.view.viewport().mapToGlobal(pos))

    def resume_selected(self) -> None:
        selected = self.selected_runs()
        if len(selected) == 1 and selected[0].status in RESUMABLE:
            self.sig_resume_requested.emit(selected[0].id)

    def rename_selected(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.view.edit(index.siblingAtColumn(Column.NAME))

    def rename_run(self, run_id: str, name: str) -> None:
        pool.start(jobs.rename_run, self._store_path, run_id, name,
                   returned=lambda _: self.refresh(), errored=self._on_action_error)

    def delete_selected(self) -> None:
        selected = self.selected_runs()
        if not selected:
            return
        running = [r for r in selected if r.status == "running"]
        if running:
            dialogs.show_error(self, self.tr("Cannot delete a running run"), self.tr(
                "“{name}” is still training. Stop it first, then delete it.").format(
                name=running[0].name))
            return
        pool.start(jobs.plan_delete, self._store_path, [r.id for r in selected],
                   returned=self._confirm_delete, errored=self._on_action_error)

    def _confirm_delete(self, plans: list[jobs.DeletePlan]) -> None:
        with_files = run_dialogs.confirm_delete(self, plans)
        if with_files is None:
            return
        ids = [p.run.id for p in plans]
        pool.start(jobs.delete_runs, self._store_path, ids, with_files,
                   returned=self._on_deleted, errored=self._on_action_error,
                   finished=self.refresh)

    def _on_deleted(self, ids: list[str]) -> None:
        self.sig_message.emit(self.tr("Deleted {count} run(s).").format(count=len(ids)))

    def open_output_folder(self) -> None:
        run = self.current_run()
        if run is None or not run.output_dir:
            return
        folder = Path(run.output_dir).expanduser()
        if not folder.is_dir():
            dialogs.show_error(self, self.tr("No output folder"), self.tr(
                "The output folder {folder} does not exist (any more).").format(folder=folder))
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            dialogs.show_error(self, self.tr("Could not open the folder"), self.tr(
                "No file manager opened {folder}.").format(folder=folder))

    def export_run_file(self) -> None:
        run = self.current_run()
        if run is None:
            return
        safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in run.name) or run.id
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export run file"), str(Path.home() / f"{safe}.yaml"),
            self.tr("Run files (*.yaml *.yml)"))
        if not path:
            return
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(".yaml")
        pool.start(jobs.export_run_file, run, target, errored=self._on_action_error,
                   returned=lambda p: self.sig_message.emit(
                       self.tr("Run file written to {path}").format(path=p)))

    def _on_action_error(self, exc: BaseException) -> None:
        dialogs.show_exception(self, exc)
        self.refresh()


def _color(i: int) -> QColor:
    return QColor(PALETTE[i % len(PALETTE)])
