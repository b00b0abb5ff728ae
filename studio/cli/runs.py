"""``peft-studio runs``: list, show, rename and delete the runs in the run store."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from studio.core.errors import StudioError
from studio.core.messages import Message
from studio.core.names import name_fault, shown_name
from studio.core.records import STATUSES, DamagedRecordError, RunRecord, json_safe
from studio.core.runfiles import remove_output_folder
from studio.core.store import RunStore, UnknownRunError, pid_alive


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("runs", help="list, show, rename and delete recorded runs",
                                   description="Runs recorded in the run store.")
    sub = parser.add_subparsers(dest="runs_command", metavar="ACTION", required=True)

    p = sub.add_parser("list", help="runs, newest first")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.add_argument("--status", choices=STATUSES)
    p.add_argument("--model", help="exact model as recorded")
    p.add_argument("--method", help="e.g. lora")
    p.set_defaults(handler=_guarded(_list))

    p = sub.add_parser("show", help="one run: config, status, checkpoints, metric series")
    p.add_argument("run", metavar="RUN", help="id, id prefix, name or output folder")
    p.add_argument("--json", action="store_true", help="print a JSON object")
    p.set_defaults(handler=_guarded(_show))

    p = sub.add_parser("delete", help="remove a run from the store")
    p.add_argument("run", metavar="RUN", help="id, id prefix, name or output folder")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.add_argument("--files", action="store_true", help="also delete its output folder")
    p.set_defaults(handler=_guarded(_delete))

    p = sub.add_parser("rename", help="give a run a new name")
    p.add_argument("run", metavar="RUN", help="id, id prefix, name or output folder")
    p.add_argument("name", metavar="NAME")
    p.set_defaults(handler=_guarded(_rename))


def _guarded(action: Callable[[RunStore, argparse.Namespace], int]
             ) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        try:
            with RunStore() as store:
                return action(store, args)
        except UnknownRunError as exc:
            print(f"peft-studio runs: {exc}", file=sys.stderr)
            return 2
        except StudioError as exc:
            print(f"peft-studio runs: {exc}", file=sys.stderr)
            return 1

    return handler


def _when(stamp: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(stamp)) if stamp else "-"


def _dump(data: Any) -> None:
    print(json.dumps(json_safe(data), indent=2, ensure_ascii=False))


def _json(run: RunRecord) -> dict[str, Any]:
    """A run as JSON: its error in English, with the code and parameters it was made from
    under ``messages`` (as in the training events) when the store has them."""
    data = run.to_dict()
    if isinstance(run.error, Message):
        data["messages"] = {"error": run.error.to_dict()}
    return data


def _steps(run: RunRecord) -> str:
    if run.last_step is None and run.total_steps is None:
        return "-"
    return f"{run.last_step or 0}/{run.total_steps if run.total_steps is not None else '?'}"


def _list(store: RunStore, args: argparse.Namespace) -> int:
    store.mark_orphans_failed()  # a killed headless run would otherwise show as running forever
    runs = store.list_runs(status=args.status, model=args.model, method=args.method)
    for damaged in store.damaged_runs():  # left out of the list, named on stderr
        print(f"peft-studio runs: {damaged}", file=sys.stderr)
    if args.json:
        _dump([_json(r) for r in runs])
        return 0
    if not runs:
        print("No runs." if not (args.status or args.model or args.method)
              else "No runs match.")
        return 0
    rows = [("ID", "NAME", "STATUS", "MODEL", "METHOD", "STEPS", "CREATED")]
    rows += [(r.id, _clip(shown_name(r.name), 32), r.status,
              _clip(Path(r.model).name if r.model else "-", 28),
              r.method or "-", _steps(r), _when(r.created_at)) for r in runs]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    return 0


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _show(store: RunStore, args: argparse.Namespace) -> int:
    store.mark_orphans_failed()
    run = store.find_run(args.run)
    series = store.metric_series(run.id)
    checkpoints = store.checkpoints(run.id)
    if args.json:
        _dump({**_json(run),
               "checkpoints": [c.to_dict() for c in checkpoints],
               "exports": [e.to_dict() for e in store.exports(run.id)],
               "metrics": {k: [[p.step, p.value] for p in pts] for k, pts in series.items()}})
        return 0
    print(f"Run {run.id}  {shown_name(run.name)}")
    status = run.status + (f": {run.error}" if run.error else "")
    params = "-"
    if run.trainable_params is not None and run.total_params:
        params = (f"{run.trainable_params:,} trainable of {run.total_params:,} "
                  f"({100 * run.trainable_params / run.total_params:.2f}%)")
    for label, value in (("status", status), ("model", run.model), ("method", run.method),
                         ("task", run.task), ("dataset", run.dataset), ("device", run.device),
                         ("output", run.output_dir), ("steps", _steps(run)), ("params", params),
                         ("created", _when(run.created_at)), ("started", _when(run.started_at)),
                         ("finished", _when(run.finished_at))):
        print(f"  {label:<9} {value if value not in (None, '') else '-'}")
    if run.final_metrics:
        print("  final     " + "  ".join(f"{k}={_num(v)}" for k, v in run.final_metrics.items()))
    print("Checkpoints:" if checkpoints else "Checkpoints: none")
    for c in checkpoints:
        print(f"  step {c.step:<8} {c.path}")
    print("Metrics:" if series else "Metrics: none")
    for key, points in series.items():
        values = [p.value for p in points if p.value == p.value]  # drop NaN
        span = f"  range {_num(min(values))}..{_num(max(values))}" if values else ""
        print(f"  {key:<24} {len(points):>6} points  last {_num(points[-1].value)} "
              f"(step {points[-1].step}){span}")
    if run.error_detail:
        print("Error detail:")
        print("".join(f"  {line}\n" for line in run.error_detail.rstrip().splitlines()), end="")
    print("Config:")
    text = yaml.safe_dump(run.config, sort_keys=False, allow_unicode=True)
    print("".join(f"  {line}\n" for line in text.splitlines()), end="")
    return 0


def _num(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _delete(store: RunStore, args: argparse.Namespace) -> int:
    try:
        run = store.find_run(args.run)
    except DamagedRecordError as exc:  # its row cannot be read, but it can still be removed
        return _delete_damaged(store, exc, args)
    if run.status == "running" and run.pid is not None and pid_alive(run.pid):
        print(f"peft-studio runs: run {run.id} is still training (pid {run.pid}); stop it first.",
              file=sys.stderr)
        return 1
    folder = Path(run.output_dir).expanduser() if (args.files and run.output_dir) else None
    what = f"run {run.id} ({shown_name(run.name)})" + (f" and the folder {folder}" if folder
                                                       else "")
    if not args.yes:
        if not sys.stdin.isatty():
            print(f"peft-studio runs: not deleting {what} without --yes "
                  "(no terminal to ask on).", file=sys.stderr)
            return 2
        if input(f"Delete {what}? [y/N] ").strip().lower() not in ("y", "yes"):
            print("Nothing deleted.")
            return 1
    if folder is not None and folder.exists():
        # Before the rows: if the folder cannot go (not the run's own), the run stays listed.
        remove_output_folder(folder, run.id)
    store.delete_run(run.id)
    print(f"Deleted {what}.")
    return 0


def _delete_damaged(store: RunStore, exc: DamagedRecordError, args: argparse.Namespace) -> int:
    print(f"peft-studio runs: {exc}", file=sys.stderr)
    if args.files:
        print("peft-studio runs: its output folder is not known while its record is damaged; "
              "delete the run without --files and remove the folder by hand.", file=sys.stderr)
        return 2
    if not args.yes:
        if not sys.stdin.isatty():
            print(f"peft-studio runs: not deleting run {exc.run_id} without --yes "
                  "(no terminal to ask on).", file=sys.stderr)
            return 2
        if input(f"Delete the damaged run {exc.run_id}? [y/N] ").strip().lower() not in (
                "y", "yes"):
            print("Nothing deleted.")
            return 1
    store.delete_run(exc.run_id)
    print(f"Deleted run {exc.run_id}.")
    return 0


def _rename(store: RunStore, args: argparse.Namespace) -> int:
    fault = name_fault(args.name.strip())
    if fault:
        print(f"peft-studio runs: {fault}; nothing was renamed.", file=sys.stderr)
        return 2
    run = store.find_run(args.run)
    store.rename_run(run.id, args.name)
    print(f"Renamed {run.id}: {shown_name(run.name)} -> {args.name.strip()}")
    return 0
