"""Choosing the base model and the adapters (the side panel's upper half): the run list,
Open in Playground from the Runs page, adding a run, checkpoint or folder after checking it
against the base (in a pool job, files only), removing one. ``LineupActions`` is mixed into
PlaygroundPage; the lineup itself is ``studio.core.playground.Lineup``."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog

from studio.ui.common.dialogs import show_error
from studio.ui.common.messages import message_text

from . import jobs


class LineupActions:
    """The base and adapter part of PlaygroundPage (a mixin: it uses the page's session,
    busy state, jobs, side panel and signals)."""

    def browse_base(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a base model folder"),
                                                  self.base() or str(Path.home()))
        if folder:
            self.set_base(folder)

    def refresh_runs(self) -> None:
        self._start(jobs.load_runs, self.store_path, returned=self._on_runs,
                    errored=lambda exc: self._error(exc, self.tr("Could not read the runs")))

    def _on_runs(self, runs: list[jobs.RunChoice]) -> None:
        self.runs = runs
        chosen = self.base()
        known = {self.base_combo.itemText(i) for i in range(self.base_combo.count())}
        for choice in runs:
            if choice.run.model and choice.run.model not in known:
                known.add(choice.run.model)
                self.base_combo.addItem(choice.run.model)
        if chosen and self.base() != chosen:   # an empty combo selects the first item added
            self.base_combo.setCurrentText(chosen)
        if not self.base() and runs and runs[0].run.model:
            self.set_base(runs[0].run.model)
        self.sig_runs_loaded.emit()

    def open_run(self, run_id: str, base: str = "") -> bool:
        """Choose a run's base model and its adapter (from the Runs page); Load loads them.
        Adapters listed for another base are dropped, and so is a session loaded on it.
        False when the page is busy and nothing changed."""
        if self._refuse_when_busy():
            return False
        if not base:   # the base comes from the adapter
            for choice in self.runs:
                if choice.run.id == run_id and choice.run.model:
                    base = choice.run.model
        if base and base != self.base():
            self._start_over(base)
        self.progress_label.setText(self.tr("Press Load to load the base model with the "
                                            "run's adapter."))
        self.add_adapter(run_id)
        return True

    def open_model(self, folder: str) -> bool:
        """Choose a whole model (a full fine-tune's output) as the base, without adapters;
        Load loads it. False when the page is busy and nothing changed."""
        if self._refuse_when_busy():
            return False
        self._start_over(folder)
        self.progress_label.setText(self.tr("Press Load to load the fine-tuned model."))
        return True

    def _refuse_when_busy(self) -> bool:
        if self.is_busy():
            self.sig_message.emit(self.tr("The Playground is busy; try again when it is done."))
        return self.is_busy()

    def _start_over(self, base: str) -> None:
        """A new base: the adapters listed and any session loaded go."""
        self.lineup.clear()
        if self.session is not None:
            self._drop_session()
            self._update_info()
            self._update_modes()
        self.set_base(base)
        self._update_adapter_list()

    def add_from_run_dialog(self) -> None:
        if not self.runs:
            self.refresh_runs()
            show_error(self, self.tr("No runs to add"), self.tr(
                "There is no finished run with an adapter yet (or the list is still being "
                "read). Train one on the Train page, or add an adapter folder."), modal=False)
            return
        items, refs = [], []
        for choice in self.runs:
            label = f"{choice.run.name} ({choice.run.id[:8]})"
            if choice.has_result:
                items.append(self.tr("%1 — final result").replace("%1", label))
                refs.append(choice.run.id)
            for step in reversed(choice.steps):
                items.append(self.tr("%1 — checkpoint at step %2").replace("%1", label)
                             .replace("%2", str(step)))
                refs.append(f"{choice.run.id}@{step}")
        item, ok = QInputDialog.getItem(self, self.tr("Add adapter from a run"),
                                        self.tr("Run or checkpoint:"), items, 0, False)
        if ok and item in items:
            self.add_adapter(refs[items.index(item)])

    def add_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose an adapter folder"),
                                                  str(Path.home()))
        if folder:
            self.add_adapter(folder)

    def add_adapter(self, ref: str) -> None:
        """Resolve a run, checkpoint or folder and check it against the base before it joins
        the list (nothing is loaded until Load)."""
        task = self.session.task if self.session is not None else None
        self._start(self._check_job, ref, self.base(), task, self.store_path,
                    returned=self._on_checked,
                    errored=lambda exc: self._refused(exc))

    @staticmethod
    def _check_job(ref: str, base: str, task: str | None, store_path: Path | None
                   ) -> tuple[str, jobs.Checked]:
        if not base:
            from studio.core.inference import resolve_adapter
            from studio.core.inference.compatibility import local_folder
            from studio.core.store import RunStore

            with RunStore(store_path) as store:
                named = resolve_adapter(ref, store).base_model
            base = named if named and local_folder(named) is not None else ""
        return base, jobs.check_adapter(ref, base, task, store_path)

    def _refused(self, exc: BaseException) -> None:
        self._error(exc, self.tr("Cannot use this adapter"))
        self.sig_adapter_checked.emit(False)

    def _on_checked(self, result: tuple[str, jobs.Checked]) -> None:
        base, checked = result
        source = checked.source
        if checked.problems:
            self.last_error_box = show_error(
                self, self.tr("This adapter does not fit"),
                self.tr("%1 cannot be used with %2:").replace("%1", source.name or checked.ref)
                .replace("%2", base or self.tr("the base model")) + "\n\n• "
                + "\n• ".join(message_text(p) for p in checked.problems), modal=False)
            self.sig_adapter_checked.emit(False)
            return
        if not self.base() and base:
            self.set_base(base)
        if self.lineup.has(source):
            self.sig_message.emit(self.tr("%1 is in the list already.").replace(
                "%1", source.name or checked.ref))
            self.sig_adapter_checked.emit(True)
            return
        self.lineup.add(checked.ref, source)
        self._update_adapter_list()
        self.adapter_list.setCurrentRow(len(self.adapters) - 1)
        self.sig_adapter_checked.emit(True)

    def remove_selected_adapter(self) -> None:
        row = self.adapter_list.currentRow()
        if row < 0 or self.is_busy():
            return
        entry = self.lineup.pop(row)
        if self.session is not None and entry.name in self.session.adapters:
            # adapters stay on the loaded base; a fresh load starts without it
            self._drop_session()
            self.progress_label.setText(self.tr("Press Load to load the base again without "
                                                "the removed adapter."))
            self._update_modes()
        self._update_adapter_list()

    def _update_adapter_list(self) -> None:
        self.side.show_adapters(self.adapters,
                                set(self.session.adapters) if self.session is not None else set())
