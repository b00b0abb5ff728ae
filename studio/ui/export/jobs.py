"""The Export page's pool jobs: list the runs that can be exported, inspect a source, check a
request before it starts. Each opens its own store (one SQLite connection per thread) and
imports the export package lazily: it pulls in the run store, which the window does not load
at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from studio.core.errors import StudioError
from studio.core.records import RunRecord
from studio.ui.common.messages import error_text, message_text

from .request import ExportRequest

if TYPE_CHECKING:
    from studio.core.export import ExportSource

EXPORTABLE = ("completed", "early_stopped", "stopped", "failed")
RESULT_FILES = ("adapter_config.json", "bitfit_config.json", "config.json")

# Called by this name so that lupdate sees the context.
translate = QCoreApplication.translate


@dataclass
class SourceRun:
    run: RunRecord
    steps: list[int]       # checkpoints still on disk
    has_result: bool       # the output folder holds the final result


@dataclass
class Inspection:
    ref: str
    source: ExportSource
    merge_refusal: str | None
    adapter_refusal: str | None
    lora_ranks: list[int]          # distinct ranks of a LoRA adapter, else []


def load_sources(store_path: Path | None) -> list[SourceRun]:
    """Finished runs with something to export (a final result or a checkpoint), newest
    first."""
    from studio.core.store import RunStore

    found = []
    with RunStore(store_path) as store:
        for run in store.list_runs(status=EXPORTABLE):
            output = Path(run.output_dir).expanduser() if run.output_dir else None
            if output is None or not output.is_dir():
                continue
            has_result = any((output / name).is_file() for name in RESULT_FILES)
            steps = [c.step for c in store.checkpoints(run.id) if Path(c.path).exists()]
            if has_result or steps:
                found.append(SourceRun(run, steps, has_result))
    return found


def inspect(store_path: Path | None, ref: str) -> Inspection:
    from studio.core.export import inspect_source
    from studio.core.export.combine import lora_modules
    from studio.core.store import RunStore

    with RunStore(store_path) as store:
        source = inspect_source(ref, store)
    ranks: list[int] = []
    if source.kind == "peft" and source.peft_type == "LORA":
        try:
            ranks = sorted(set(lora_modules(source).values()))
        except StudioError:
            ranks = []
    return Inspection(ref, source, source.merge_refusal(), source.adapter_refusal(), ranks)


def check(store_path: Path | None, request: ExportRequest) -> list[tuple[str, str]]:
    """What stands in the way of this export, each as (area, message) with area 'source',
    'mode', 'combine' or 'output', in the words the export itself would use."""
    from studio.core.export import check_compatible, inspect_source, parse_size
    from studio.core.export.common import protected
    from studio.core.export.folders import check_target
    from studio.core.store import RunStore

    problems: list[tuple[str, str]] = []
    area = "combine" if request.mode == "combine" else "source"
    sources = []
    with RunStore(store_path) as store:
        for ref in request.refs():
            try:
                sources.append(inspect_source(ref, store))
            except StudioError as exc:
                problems.append((area, error_text(exc)))
    if request.mode == "combine" and not request.sources:
        problems.append((area, translate("ExportPage", "Add the LoRA adapters to combine: "
                                         "choose each as the source, then Add.")))
    elif not request.refs():
        problems.append((area, translate("ExportPage", "Choose a run or a folder to export.")))
    if request.mode == "merged":
        try:
            parse_size(request.shard_size or "2GB")
        except StudioError as exc:
            problems.append(("mode", error_text(exc)))
        problems += [("mode", message_text(r)) for r in (s.merge_refusal() for s in sources)
                     if r]
    elif request.mode == "adapter":
        problems += [("mode", message_text(r)) for r in (s.adapter_refusal() for s in sources)
                     if r]
    elif sources and len(sources) == len(request.sources):
        try:
            check_compatible(sources, [w for _, w in request.sources], request.combination)
        except StudioError as exc:
            problems.append(("combine", error_text(exc)))
    if not request.out.strip():
        problems.append(("output", translate("ExportPage", "Choose the folder to export into.")))
    else:
        try:
            check_target(request.out.strip(), request.overwrite, protected(*sources))
        except StudioError as exc:
            problems.append(("output", error_text(exc)))
    return problems


def folder_state(path: str) -> str:
    """'new' (nothing there), 'empty', 'export' (an earlier export: Overwrite may replace
    it), 'files' (anything else with something in it: never replaced) or 'file'."""
    from studio.core import ownership

    folder = Path(path).expanduser()
    if not folder.exists():
        return "new"
    if not folder.is_dir():
        return "file"
    try:
        if not any(folder.iterdir()):
            return "empty"
    except OSError:
        return "files"
    replaceable = ownership.is_export_folder(folder) and not ownership.is_link(folder)
    return "export" if replaceable else "files"
