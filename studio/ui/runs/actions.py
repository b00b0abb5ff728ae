"""What one can do with the selected runs: resume, rename, delete, open the output folder,
export a run file, export the result, try it on the Playground, serve it over an API. The
same actions sit in the tool bar, the context menu and on the keys (Delete, F2); store work
goes to pool workers, errors to the error dialog."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu

from studio.ui.common import dialogs, icons
from workers import pool

from . import dialogs as run_dialogs
from . import jobs
from .model import Column

if TYPE_CHECKING:
    from .page import RunsPage

RESUMABLE = frozenset({"pending", "stopped", "failed", "early_stopped"})
EXPORTABLE = frozenset({"completed", "stopped", "failed", "early_stopped"})
PLAYABLE = frozenset({"completed", "stopped", "early_stopped"})   # left an adapter behind


class RunActions(QObject):
    def __init__(self, page: RunsPage):
        super().__init__(page)
        self.page = page
        icon = icons.icon
        self.resume = QAction(icon("resume"), self.tr("Resume"), self)
        self.rename = QAction(icon("rename"), self.tr("Rename"), self)
        self.rename.setShortcut(QKeySequence(Qt.Key.Key_F2))
        self.rename.setToolTip(self.tr("Rename the run (F2)"))
        self.delete = QAction(icon("delete"), self.tr("Delete…"), self)
        self.delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete.setToolTip(self.tr("Delete the selected runs (Del)"))
        self.open_folder = QAction(icon("folder"), self.tr("Open output folder"), self)
        self.export = QAction(icon("export-file"), self.tr("Export run file…"), self)
        self.export.setToolTip(self.tr("Save the run's settings as a run file for "
                                       "peft-studio train"))
        self.export_model = QAction(icon("export"), self.tr("Export…"), self)
        self.export_model.setToolTip(self.tr("Export the run's adapter or a merged model on "
                                             "the Export page"))
        self.playground = QAction(icon("playground"), self.tr("Open in Playground"), self)
        self.playground.setToolTip(self.tr("Chat with the run's adapter on the Playground page "
                                           "(its base model and adapter chosen; a full "
                                           "fine-tune is chosen as the base model)"))
        self.evaluate = QAction(icon("evaluate"), self.tr("Evaluate…"), self)
        self.evaluate.setToolTip(self.tr("Score the run on a held-out data file (metrics, "
                                         "confusion matrix, predictions)"))
        self.serve = QAction(icon("serve"), self.tr("Serve…"), self)
        self.serve.setToolTip(self.tr("Serve the selected runs' adapters (one base model) over "
                                      "an OpenAI-compatible API on this computer"))
        for action in (self.rename, self.delete):   # only while the table has the focus
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.resume.triggered.connect(self.resume_selected)
        self.rename.triggered.connect(self.rename_selected)
        self.delete.triggered.connect(self.delete_selected)
        self.open_folder.triggered.connect(self.open_output_folder)
        self.export.triggered.connect(self.export_run_file)
        self.export_model.triggered.connect(self.export_selected)
        self.playground.triggered.connect(self.play_selected)
        self.serve.triggered.connect(self.serve_selected)

    def all(self) -> list[QAction]:
        return [self.resume, self.rename, self.delete, self.open_folder, self.export,
                self.export_model, self.playground, self.evaluate, self.serve]

    def update(self) -> None:
        selected = self.page.selected_runs()
        one = selected[0] if len(selected) == 1 else None
        self.resume.setEnabled(one is not None and one.status in RESUMABLE)
        self.rename.setEnabled(one is not None)
        self.delete.setEnabled(bool(selected))
        self.open_folder.setEnabled(one is not None and bool(one.output_dir))
        self.export.setEnabled(one is not None)
        self.export_model.setEnabled(one is not None and one.status in EXPORTABLE
                                     and bool(one.output_dir))
        self.playground.setEnabled(_playable(one))
        self.evaluate.setEnabled(_playable(one) and not self.page.evaluations.is_running())
        self.serve.setEnabled(servable(selected) is not None)
        shown = self.page.details.details()
        if one is not None and shown is not None and shown.run.id == one.id:
            last = shown.checkpoints[-1].step if shown.checkpoints else None
            self.resume.setToolTip(
                self.tr("Continue from the checkpoint at step {step}").format(step=last)
                if last is not None else
                self.tr("No checkpoint: the run starts again from step 0"))
        else:
            self.resume.setToolTip(self.tr("Continue the run from its last checkpoint"))

    def context_menu(self, pos: Any) -> None:
        view = self.page.view
        if not view.indexAt(pos).isValid():
            return
        menu = QMenu(view)
        for action in self.all():
            menu.addAction(action)
        menu.popup(view.viewport().mapToGlobal(pos))

    # --- handlers -------------------------------------------------------------------------

    def resume_selected(self) -> None:
        selected = self.page.selected_runs()
        if len(selected) == 1 and selected[0].status in RESUMABLE:
            self.page.sig_resume_requested.emit(selected[0].id)

    def export_selected(self) -> None:
        run = self.page.current_run()
        if run is not None and run.status in EXPORTABLE:
            self.page.sig_export_requested.emit(run.id)

    def play_selected(self) -> None:
        run = self.page.current_run()
        if _playable(run):
            assert run is not None
            if run.method == "full":
                self.page.sig_playground_model_requested.emit(run.output_dir)
            else:
                self.page.sig_playground_requested.emit(run.id, run.model or "")

    def serve_selected(self) -> None:
        chosen = servable(self.page.selected_runs())
        if chosen is not None:
            self.page.sig_serve_requested.emit(*chosen)

    def rename_selected(self) -> None:
        index = self.page.view.currentIndex()
        if index.isValid():
            self.page.view.edit(index.siblingAtColumn(Column.NAME))

    def rename_run(self, run_id: str, name: str) -> None:
        pool.start(jobs.rename_run, self.page.store_path, run_id, name,
                   returned=lambda _: self.page.refresh(), errored=self._on_error)

    def delete_selected(self) -> None:
        selected = self.page.selected_runs()
        if not selected:
            return
        running = [r for r in selected if r.status == "running"]
        if running:
            dialogs.show_error(self.page, self.tr("Cannot delete a running run"), self.tr(
                "“{name}” is still training. Stop it first, then delete it.").format(
                name=running[0].name))
            return
        pool.start(jobs.plan_delete, self.page.store_path, [r.id for r in selected],
                   returned=self._confirm_delete, errored=self._on_error)

    def _confirm_delete(self, plans: list[jobs.DeletePlan]) -> None:
        with_files = run_dialogs.confirm_delete(self.page, plans)
        if with_files is None:
            return
        pool.start(jobs.delete_runs, self.page.store_path, [p.run.id for p in plans],
                   with_files, returned=self._on_deleted, errored=self._on_error,
                   finished=self.page.refresh)

    def _on_deleted(self, ids: list[str]) -> None:
        self.page.sig_message.emit(self.tr("Deleted %n run(s).", "", len(ids)))

    def open_output_folder(self) -> None:
        run = self.page.current_run()
        if run is None or not run.output_dir:
            return
        folder = Path(run.output_dir).expanduser()
        if not folder.is_dir():
            dialogs.show_error(self.page, self.tr("No output folder"), self.tr(
                "The output folder {folder} does not exist (any more).").format(folder=folder))
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            dialogs.show_error(self.page, self.tr("Could not open the folder"), self.tr(
                "No file manager opened {folder}.").format(folder=folder))

    def export_run_file(self) -> None:
        run = self.page.current_run()
        if run is None:
            return
        safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in run.name) or run.id
        path, _ = QFileDialog.getSaveFileName(
            self.page, self.tr("Export run file"), str(Path.home() / f"{safe}.yaml"),
            self.tr("Run files (*.yaml *.yml)"))
        if not path:
            return
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(".yaml")
        pool.start(jobs.export_run_file, run, target, errored=self._on_error,
                   returned=lambda written: self.page.sig_message.emit(
                       self.tr("Run file written to {path}").format(path=written)))

    def _on_error(self, exc: BaseException) -> None:
        dialogs.show_exception(self.page, exc)
        self.page.refresh()


def _playable(run: Any) -> bool:
    """Finished (or stopped) with an output folder: an adapter (the Playground checks it),
    or for a full fine-tune a whole model, chosen there as the base model."""
    return run is not None and run.status in PLAYABLE and bool(run.output_dir)


def servable(runs: list[Any]) -> tuple[list[str], list[str], str] | None:
    """(adapter folders, their names, base model) for runs that can be served together:
    finished, on one base model, all adapters; or one full fine-tune, served as the base."""
    if not runs or not all(_playable(r) for r in runs):
        return None
    if len(runs) == 1 and runs[0].method == "full":
        return [], [], runs[0].output_dir
    if any(r.method == "full" for r in runs) or len({r.model for r in runs}) != 1:
        return None
    return [r.output_dir for r in runs], [r.name for r in runs], runs[0].model or ""
