"""``peft-studio eval``: run a run, checkpoint, adapter folder or base model over a held-out
file; print the task's metrics, write one prediction per row and record the evaluation.

Output: a metrics summary on stdout (``--json``: one JSON object instead); progress on
stderr. ``--events json`` (the window's child): every stdout line is a JSON event:
``eval_started`` (target, rows, kind), ``eval_progress`` (target, done, total, rows_per_s,
tokens_per_s, eta_s), ``eval_finished`` (the stored evaluation), ``eval_cancelled``,
``error``. SIGTERM (the window's Cancel) stops after the current batch; nothing is recorded.
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from studio.core.config import DEVICES, TASKS
from studio.core.errors import StudioError
from studio.core.messages import msg

CANCELLED = 130


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "eval", help="evaluate a run, checkpoint, adapter or base model on a held-out file",
        description="Run TARGET over a held-out data file and report the task's metrics "
                    "(classification: accuracy, F1, confusion matrix; generation: exact match, "
                    "ROUGE-L, BLEU, chrF; plain text: perplexity). TARGET is a run (id, name "
                    "or output folder), RUN@STEP, an adapter folder or a base model folder. "
                    "The file is read and rendered the way the run's training data was.")
    parser.add_argument("target", metavar="TARGET")
    parser.add_argument("--data", required=True, metavar="FILE", help="the held-out file")
    parser.add_argument("--adapter", action="append", default=[], metavar="RUN_OR_DIR",
                        help="also evaluate this adapter on the same base; repeat for more")
    parser.add_argument("--with-base", action="store_true",
                        help="also evaluate the base model alone, for comparison")
    parser.add_argument("--base", metavar="MODEL", help="base model (default: the adapter's)")
    parser.add_argument("--task", choices=TASKS,
                        help="for a base model: the task (default: the model's usual one)")
    parser.add_argument("--max-samples", type=int, metavar="N",
                        help="evaluate the first N rows only")
    parser.add_argument("--batch-size", type=int, default=8, metavar="B")
    parser.add_argument("--out", metavar="FILE.jsonl|FILE.csv",
                        help="predictions file (default: under the run's output folder, "
                             "or the studio's data folder)")
    parser.add_argument("--max-new-tokens", type=int, default=64, metavar="N")
    parser.add_argument("--sample", action="store_true",
                        help="sample instead of greedy decoding (with the settings below)")
    parser.add_argument("--temperature", type=float, default=0.7, metavar="T")
    parser.add_argument("--top-p", type=float, default=0.9, metavar="P")
    parser.add_argument("--top-k", type=int, default=50, metavar="K")
    parser.add_argument("--seed", type=int, metavar="S")
    parser.add_argument("--device", choices=DEVICES, default="auto")
    parser.add_argument("--no-record", action="store_true",
                        help="do not record the evaluation in the run store")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--events", choices=("text", "json"), default="text",
                        help="json: progress and results as JSON lines (for the window)")
    parser.set_defaults(handler=run)


class _Output:
    def __init__(self, args: argparse.Namespace):
        self.events = args.events == "json"
        self.tty = sys.stderr.isatty()

    def event(self, name: str, **fields: Any) -> None:
        if self.events:
            from studio.core.events import encode

            print(encode(name, **fields), flush=True)

    def note(self, text: str) -> None:
        if not self.events:
            print(text, file=sys.stderr, flush=True)

    def progress(self, target: str, step: Any) -> None:
        self.event("eval_progress", target=target, **step.to_dict())
        if self.events:
            return
        eta = f"{step.eta_s:.0f} s" if step.eta_s is not None else "?"
        speed = f"{step.rows_per_s:.1f} rows/s" + (
            f", {step.tokens_per_s:.1f} tok/s" if step.tokens_per_s is not None else "")
        line = f"[{target}] {step.done}/{step.total} rows  {speed}  eta {eta}"
        end = "\r" if self.tty and step.done < step.total else "\n"
        if self.tty or step.done == step.total:
            print(line, end=end, file=sys.stderr, flush=True)

    def error(self, message: str, kind: str = "known", tb: str | None = None) -> None:
        self.event("error", message=message, kind=kind, traceback=tb)
        if not self.events:
            print(f"peft-studio eval: {message}" + (f"\n{tb}" if tb else ""), file=sys.stderr,
                  flush=True)


def _targets(args: argparse.Namespace) -> tuple[str, list[Any], list[str], str | None, Any]:
    """(base, adapter sources, their names, task, whole model): TARGET as an adapter (run,
    RUN@step, folder) if it is one, else as a base model folder (a full fine-tune's result
    is one: the last item is its source, so the evaluation stays with its run); then the
    --adapter ones."""
    from studio.cli.chat import prepare
    from studio.core.inference import resolve_adapter

    refs = list(args.adapter)
    base = args.base
    try:
        found: Any = resolve_adapter(args.target)
    except StudioError as exc:
        found = exc
    if not isinstance(found, StudioError) and found.kind != "full":
        refs.insert(0, args.target)
    else:
        folder = Path(found.path if not isinstance(found, StudioError) else args.target)
        if not (folder.expanduser() / "config.json").is_file():
            raise StudioError(msg("cli.neither_adapter_nor_model", target=args.target,
                                  reason=found.message if isinstance(found, StudioError)
                                  else found.path))
        if base and Path(base).expanduser().resolve() != folder.expanduser().resolve():
            raise StudioError(msg("cli.base_names_another", target=args.target, base=base))
        base = str(folder.expanduser())
    whole = found if not isinstance(found, StudioError) and found.kind == "full" else None
    return (*prepare(argparse.Namespace(adapter=refs, base=base)), whole)


def _default_out(data: str, source: Any, name: str) -> Path:
    from studio import paths

    folder = None
    if source is not None and source.run_id:
        from studio.core.inference.sources import _run_folder

        run_dir, _ = _run_folder(Path(source.path))
        folder = run_dir / "evaluations" if run_dir is not None else None
    folder = folder or paths.data_dir() / "evaluations"
    slug = re.sub(r"[^\w.-]+", "-", f"{Path(data).stem}-{name}").strip("-")
    return folder / f"{slug}-{time.strftime('%Y%m%d-%H%M%S')}.jsonl"


def _out_path(args: argparse.Namespace, source: Any, name: str, several: bool) -> Path:
    from studio.core.evaluate import predictions

    if not args.out:
        return _default_out(args.data, source, name)
    target = predictions.check_path(args.out)
    if several:
        slug = re.sub(r"[^\w.-]+", "-", name).strip("-")
        target = target.with_name(f"{target.stem}-{slug}{target.suffix}")
    return target


def _settings(args: argparse.Namespace) -> Any:
    from studio.core.inference import GenerationSettings

    return GenerationSettings(max_new_tokens=args.max_new_tokens, temperature=args.temperature,
                              top_p=args.top_p, top_k=args.top_k, seed=args.seed,
                              greedy=not args.sample)


def _sigterm_stops(stop: threading.Event) -> Any:
    def handler(signum: int, frame: Any) -> None:
        if stop.is_set():      # asked twice: leave now
            raise SystemExit(CANCELLED)
        stop.set()

    try:
        return signal.signal(signal.SIGTERM, handler)
    except ValueError:   # not the main thread (tests calling main() from a thread)
        return None


def run(args: argparse.Namespace) -> int:
    out = _Output(args)
    stop = threading.Event()
    previous = _sigterm_stops(stop)
    try:
        return _run(args, out, stop)
    except StudioError as exc:
        out.error(exc.message)   # its code goes with it, so the window translates it
        return 2
    except KeyboardInterrupt:
        out.event("eval_cancelled")
        return CANCELLED
    except Exception as exc:  # noqa: BLE001 - a bug: show the traceback
        out.error(msg("error.internal", error=f"{type(exc).__name__}: {exc}"), kind="bug",
                  tb=traceback.format_exc())
        return 1
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _run(args: argparse.Namespace, out: _Output, stop: threading.Event) -> int:
    from studio.core import evaluate as ev
    from studio.core.evaluate import predictions
    from studio.core.inference import InferenceSession
    from studio.core.modelinfo import inspect

    if args.batch_size < 1:
        raise StudioError(msg("cli.batch_size", value=args.batch_size))
    if args.out:
        predictions.check_path(args.out)
    settings = _settings(args)
    base, sources, names, task, whole = _targets(args)
    task = task or (whole.task if whole else None) or args.task \
        or inspect(base).default_task or "causal_lm"
    labels = next((list(s.label_names) for s in [*sources, whole] if s and s.label_names),
                  None)
    first = sources[0] if sources else whole
    held = ev.read_heldout(args.data, task, ev.training_settings(first), labels,
                           args.max_samples)
    targets: list[tuple[str | None, Any]] = (
        [(None, whole)] if args.with_base or not sources else [])
    targets += list(zip(names, sources))
    out.note(f"{len(held.rows)} rows of {held.format} data from {held.path} ({held.kind})")
    session = InferenceSession(base, task=task, device=args.device,
                               label_names=labels or held.labels)
    session.load(lambda stage: out.note(f"[{stage}]"))
    for name, source in zip(names, sources):
        session.add_adapter(name, source, progress=lambda stage: out.note(f"[{stage}]"))
    results = []
    for name, source in targets:
        if name is not None:
            shown = name
        elif whole is not None:
            shown = whole.name
        else:
            shown = "base" if sources else Path(base).name
        out.event("eval_started", target=shown, rows=len(held.rows), kind=held.kind)
        try:
            outcome = ev.evaluate(session, held, name, settings, args.batch_size,
                                  progress=lambda step, t=shown: out.progress(t, step),
                                  stop=stop)
        except ev.Cancelled:
            out.event("eval_cancelled", target=shown)
            out.note("cancelled; nothing recorded")
            return CANCELLED
        path = predictions.write(_out_path(args, source, shown, len(targets) > 1),
                                 outcome.predictions)
        results.append(_record(args, held, base, task, shown, source, outcome, path))
        out.event("eval_finished", **results[-1])
    if args.json:
        print(json.dumps({"data": held.path, "data_sha256": held.sha256, "rows": len(held.rows),
                          "kind": held.kind, "evaluations": results}, ensure_ascii=False,
                         default=str), flush=True)
    elif not out.events:
        print(_summary(results))
    return 0


def _record(args: argparse.Namespace, held: Any, base: str, task: str, shown: str,
            source: Any, outcome: Any, path: Path) -> dict[str, Any]:
    from studio.core.records import json_safe
    from studio.core.store import RunStore, UnknownRunError

    fields: dict[str, Any] = {
        "target": shown, "kind": held.kind, "data_path": held.path,
        "data_sha256": held.sha256, "rows": len(held.rows), "metrics": outcome.metrics,
        "settings": {**outcome.settings, "max_samples": args.max_samples,
                     "generated_tokens": outcome.generated_tokens},
        "run_id": source.run_id if source else None,
        "adapter_path": source.path if source else None,
        "step": source.step if source else None, "base_model": base, "task": task,
        "predictions_path": str(path), "seconds": outcome.seconds}
    if args.no_record:
        return json_safe({**fields, "id": None})
    with RunStore() as store:
        try:
            record = store.add_evaluation(**fields)
        except UnknownRunError:   # a run id the store does not know (a folder from elsewhere)
            record = store.add_evaluation(**{**fields, "run_id": None})
    return json_safe(record.to_dict())


def _fmt(value: Any) -> str:
    return f"{value:.4f}" if isinstance(value, float) else str(value)


def _summary(results: list[dict[str, Any]]) -> str:
    lines = []
    for result in results:
        metrics = result["metrics"]
        lines.append(f"=== {result['target']} ({result['rows']} rows, "
                     f"{result['seconds']:.1f} s) ===")
        for key, value in metrics.items():
            if isinstance(value, (int, float)) or value is None:
                lines.append(f"  {key:<13} {_fmt(value)}")
        per_class = metrics.get("per_class")
        if per_class:
            lines.append(f"  {'class':<13} precision  recall     f1  support")
            for label, row in per_class.items():
                lines.append(f"  {label:<13} {row['precision']:9.4f} {row['recall']:7.4f} "
                             f"{row['f1']:6.4f} {row['support']:8d}")
        lines.append(f"  predictions   {result['predictions_path']}")
    return "\n".join(lines)
