"""The run store: every run, its metric curves, checkpoints and exports, in one SQLite file.

Written at once by the window and by training child processes: every write is its own short
``BEGIN IMMEDIATE`` transaction (see ``studio.core.database``). A ``RunStore`` wraps one
connection, which belongs to the thread that opened it: open one store per thread/process.
Files on disk (output folders, checkpoints) are the caller's business; the store keeps rows.
"""

from __future__ import annotations

import json
import math
import os
import secrets
import sqlite3
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Self

from .. import paths
from .database import known_errors, open_database, write_transaction
from .errors import StudioError
from .messages import msg
from .names import name_fault, shown_name
from .records import (
    JSON_COLUMNS,
    RUN_COLUMNS,
    STATUSES,
    TERMINAL_STATUSES,
    CheckpointRecord,
    ConversationRecord,
    DamagedRecordError,
    EvaluationRecord,
    ExportRecord,
    MetricPoint,
    RunRecord,
    json_safe,
    message_json,
)

ORPHAN_ERROR = msg("store.orphan_run")
MAX_REF_LENGTH = 4096  # what a user may type for a run: an id, a name or an output folder

MetricTuple = tuple[int, str, str, float]   # (step, split, name, value)
MIN_PREFIX = 6   # characters of an id that pick a run by its start ("20261204" is 8)


class UnknownRunError(StudioError):
    """No run, or more than one, matches what the user typed; ``candidates`` lists near matches."""

    def __init__(self, message: str, candidates: Sequence[RunRecord] = ()):
        self.candidates = list(candidates)
        if self.candidates:
            message = msg("store.with_candidates", message=message, candidates="\n".join(
                f"  {r.id}  {r.name}  ({r.status})" for r in self.candidates))
        super().__init__(message)


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process on Windows
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _scalar(value: Any) -> Any:
    # numpy / framework scalars in metric dicts carry .item(); anything else becomes its text
    return value.item() if hasattr(value, "item") else str(value)


def _encode(column: str, value: Any) -> Any:
    if column in JSON_COLUMNS or isinstance(value, (dict, list)):
        return None if value is None else json.dumps(value, default=_scalar)
    return value


class RunStore:
    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path is not None else paths.store_path()
        self.db = open_database(self.path)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return list(self.db.query(sql, params))

    # --- runs -------------------------------------------------------------------------------

    @known_errors
    def new_run_id(self) -> str:
        """``YYYYMMDD-HHMMSS-xxxx`` (local time): sorts by creation, readable in folder names."""
        while True:
            run_id = f"{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(2)}"
            if not self._rows("SELECT 1 FROM runs WHERE id = ?", [run_id]):
                return run_id

    @known_errors
    def create_run(self, config_dict: dict[str, Any], *, name: str | None = None,
                   model: str | None = None, method: str | None = None, task: str | None = None,
                   dataset: str | None = None, device: str | None = None,
                   output_dir: str | Path | None = None, status: str = "pending",
                   run_id: str | None = None) -> RunRecord:
        """Fields left out are taken from the config (RunConfig.to_dict() layout)."""
        _check_status(status)
        given = name if name is not None else config_dict.get("name")
        if given is not None and name_fault(given):
            raise StudioError(msg("store.cannot_record_run", given=name_fault(given)))
        run_id = run_id or self.new_run_id()
        method_cfg = config_dict.get("method")
        dataset_cfg = config_dict.get("dataset")
        now = time.time()
        record = RunRecord(
            id=run_id, name=name or config_dict.get("name") or run_id, status=status,
            created_at=now, updated_at=now, config=dict(config_dict),
            model=model if model is not None else config_dict.get("model"),
            method=method if method is not None else (
                method_cfg.get("name") if isinstance(method_cfg, dict) else method_cfg),
            task=task if task is not None else config_dict.get("task"),
            dataset=dataset if dataset is not None else (
                dataset_cfg.get("path") if isinstance(dataset_cfg, dict) else dataset_cfg),
            device=device if device is not None else config_dict.get("device"),
            output_dir=str(output_dir) if output_dir is not None else config_dict.get("output_dir"),
            started_at=now if status == "running" else None)
        row = {k: _encode(k, v) for k, v in record.to_dict().items()}
        row["error_message"] = message_json(record.error)
        try:
            with write_transaction(self.db):
                self.db.table("runs").insert(row)
        except sqlite3.IntegrityError as exc:
            raise StudioError(msg("store.run_with_id_already",
                                  run_id=run_id, path=self.path)) from exc
        return record

    @known_errors
    def update_run(self, run_id: str, **fields: Any) -> None:
        unknown = set(fields) - RUN_COLUMNS
        if unknown:
            raise ValueError(f"not run columns: {', '.join(sorted(unknown))}")
        if "status" in fields:
            _check_status(fields["status"])
        if "error" in fields:   # a new error replaces the old one's code and detail too
            fields["error_message"] = message_json(fields["error"])
            fields.setdefault("error_detail", None)
        fields.setdefault("updated_at", time.time())
        sets = ", ".join(f"[{k}] = ?" for k in fields)
        params = [_encode(k, v) for k, v in fields.items()] + [run_id]
        with write_transaction(self.db):
            cursor = self.db.conn.execute(f"UPDATE runs SET {sets} WHERE id = ?", params)
        if cursor.rowcount == 0:
            raise UnknownRunError(msg("store.there_no_run", run_id=run_id))

    @known_errors
    def set_status(self, run_id: str, status: str, error: str | None = None,
                   detail: str | None = None) -> None:
        """Terminal states stamp finished_at; going back to running (resume) clears it and
        stamps started_at the first time. ``error`` is why (a Message keeps its code, so the
        window shows it in the user's language); ``detail`` is the traceback or the stderr
        tail behind it, kept apart and never translated."""
        _check_status(status)
        now = time.time()
        finished = now if status in TERMINAL_STATUSES else None
        started = now if status == "running" else None
        with write_transaction(self.db):
            cursor = self.db.conn.execute(
                "UPDATE runs SET status = ?, error = ?, error_message = ?, error_detail = ?,"
                " updated_at = ?, finished_at = ?, started_at = COALESCE(started_at, ?)"
                " WHERE id = ?",
                [status, error, message_json(error), detail, now, finished, started, run_id])
        if cursor.rowcount == 0:
            raise UnknownRunError(msg("store.there_no_run", run_id=run_id))

    @known_errors
    def get_run(self, run_id: str) -> RunRecord:
        rows = self._rows("SELECT * FROM runs WHERE id = ?", [run_id])
        if not rows:
            raise UnknownRunError(msg("store.there_no_run_2", run_id=run_id, path=self.path))
        return RunRecord.from_row(rows[0])

    @known_errors
    def find_run(self, ref: str) -> RunRecord:
        """Resolve what a user typed: an exact id, an exact name, an id prefix of at least
        ``MIN_PREFIX`` characters that only one run has, or an output folder (or a path
        inside one, such as a checkpoint folder). Anything else, or anything that fits more
        than one run, is refused with the candidates listed: a reference that deletes or
        overwrites must never pick a run by chance."""
        ref = ref.strip()
        if not ref:
            raise UnknownRunError(msg("store.no_run_given"))
        if len(ref) > MAX_REF_LENGTH or "\x00" in ref:
            what = (msg("store.ref_characters", count=len(ref)) if len(ref) > MAX_REF_LENGTH
                    else msg("store.ref_nul"))
            raise UnknownRunError(msg("store.no_run_matches_run", ref=_clip(shown_name(ref)),
                                      what=what))
        for sql in ("SELECT * FROM runs WHERE id = ?",
                    "SELECT * FROM runs WHERE name = ? ORDER BY created_at DESC"):
            found = [RunRecord.from_row(r) for r in self._rows(sql, [ref])]
            if len(found) == 1:
                return found[0]
            if found:
                raise UnknownRunError(msg("store.matches_runs_by_name",
                                          ref=ref, count=len(found)), found)
        by_prefix = [RunRecord.from_row(r) for r in self._rows(
            "SELECT * FROM runs WHERE substr(id, 1, ?) = ? ORDER BY created_at DESC",
            [len(ref), ref])]
        if by_prefix and len(ref) < MIN_PREFIX:
            raise UnknownRunError(
                msg("store.too_short_pick_run", ref=ref, count=MIN_PREFIX), by_prefix)
        if len(by_prefix) == 1:
            return by_prefix[0]
        if by_prefix:
            raise UnknownRunError(msg("store.matches_runs_by_start",
                                      ref=ref, count=len(by_prefix)), by_prefix)
        by_path = self._runs_at_path(ref)
        if len(by_path) == 1:
            return by_path[0]
        if by_path:
            raise UnknownRunError(msg("store.matches_runs_give_id", ref=ref, count=len(by_path)),
                                  by_path)
        near = self.list_runs(search=ref, limit=10)
        raise UnknownRunError(msg("store.no_run_matches_near" if near else "store.no_run_matches",
                                  ref=_clip(shown_name(ref))), near)

    def _runs_at_path(self, ref: str) -> list[RunRecord]:
        """Runs whose output folder is ``ref``, or holds it. Only a reference written as a
        path (a separator, ``~`` or ``.`` in front) or naming something that exists counts:
        a bare word is never read relative to the current folder."""
        try:
            given = Path(ref).expanduser()
            looks_like_path = ref.startswith(("~", ".")) or os.sep in ref or "/" in ref
            if not looks_like_path and not given.exists():
                return []
            target = given.resolve()
        except (OSError, RuntimeError, ValueError):  # not a usable path (too long, a loop)
            return []
        exact, inside = [], []
        for row in self._rows("SELECT * FROM runs WHERE output_dir IS NOT NULL"
                              " ORDER BY created_at DESC"):
            try:
                folder = Path(row["output_dir"]).expanduser().resolve()
            except (OSError, RuntimeError, ValueError):
                continue
            if folder == target:
                exact.append(row)
            elif target.is_relative_to(folder):
                inside.append(row)
        return [RunRecord.from_row(row) for row in exact or inside]

    @known_errors
    def list_runs(self, status: str | Iterable[str] | None = None, model: str | None = None,
                  method: str | None = None, search: str | None = None,
                  limit: int | None = None) -> list[RunRecord]:
        """Newest first. ``search`` is a case-insensitive substring of id, name, model,
        dataset or method."""
        where: list[str] = ["1"]
        params: list[Any] = []
        if status is not None:
            wanted = [status] if isinstance(status, str) else list(status)
            where.append(f"status IN ({', '.join('?' * len(wanted))})")
            params += wanted
        for column, value in (("model", model), ("method", method)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if search:
            escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            pattern = f"%{escaped}%"
            where.append("(" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in
                                           ("id", "name", "model", "dataset", "method")) + ")")
            params += [pattern] * 5
        sql = f"SELECT * FROM runs WHERE {' AND '.join(where)} ORDER BY created_at DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        runs = []
        for row in self._rows(sql, params):
            try:
                runs.append(RunRecord.from_row(row))
            except DamagedRecordError:  # listed by damaged_runs(); one bad row hides no other
                continue
        return runs

    @known_errors
    def damaged_runs(self) -> list[DamagedRecordError]:
        """The runs whose stored record cannot be read, each error naming the run and the
        column; ``list_runs`` leaves them out."""
        found = []
        for row in self._rows("SELECT * FROM runs ORDER BY created_at DESC, id DESC"):
            try:
                RunRecord.from_row(row)
            except DamagedRecordError as exc:
                found.append(exc)
        return found

    @known_errors
    def change_stamp(self) -> tuple[Any, ...]:
        """Cheap to poll: changes whenever a run is added, deleted, renamed or makes progress,
        or gains a checkpoint, an export or an evaluation (the window's Runs page polls it)."""
        row = self.db.conn.execute(
            "SELECT (SELECT COUNT(*) FROM runs), (SELECT MAX(updated_at) FROM runs),"
            " (SELECT COUNT(*) FROM checkpoints), (SELECT COUNT(*) FROM exports),"
            " (SELECT COUNT(*) FROM evaluations)").fetchone()
        return tuple(row)

    @known_errors
    def delete_run(self, run_id: str) -> None:
        with write_transaction(self.db):  # metrics, checkpoints, exports go by ON DELETE CASCADE
            cursor = self.db.conn.execute("DELETE FROM runs WHERE id = ?", [run_id])
        if cursor.rowcount == 0:
            raise UnknownRunError(msg("store.there_no_run", run_id=run_id))

    def rename_run(self, run_id: str, name: str) -> None:
        fault = name_fault(name.strip() if isinstance(name, str) else name)
        if fault:
            raise StudioError(msg("store.cannot_rename", reason=fault))
        self.update_run(run_id, name=name.strip())

    @known_errors
    def mark_orphans_failed(self, grace_s: float = 60.0) -> list[str]:
        """Runs left 'running' by a process that is gone -> failed. A running row without a pid
        counts once it is older than ``grace_s`` (its writer may be about to record the pid).
        Returns the ids marked."""
        now = time.time()
        orphans = [r["id"] for r in self._rows("SELECT id, pid, updated_at FROM runs"
                                               " WHERE status = 'running'")
                   if (not pid_alive(r["pid"]) if r["pid"] is not None
                       else now - r["updated_at"] > grace_s)]
        for run_id in orphans:
            with write_transaction(self.db):
                self.db.conn.execute(
                    "UPDATE runs SET status = 'failed', error = ?, error_message = ?,"
                    " error_detail = NULL, updated_at = ?, finished_at = ?"
                    " WHERE id = ? AND status = 'running'",
                    [ORPHAN_ERROR, message_json(ORPHAN_ERROR), now, now, run_id])
        return orphans

    # --- metrics ----------------------------------------------------------------------------

    @known_errors
    def add_metrics(self, run_id: str, points: Iterable[MetricTuple]) -> None:
        """``points`` as (step, split, name, value); split is usually 'train' or 'eval'."""
        now = time.time()
        rows = [{"run_id": run_id, "step": int(step), "split": split, "name": name,
                 "value": float(value) if value is not None else None, "time": now}
                for step, split, name, value in points]
        if rows:
            self._insert_for_run(run_id, "metrics", rows)

    @known_errors
    def metric_series(self, run_id: str) -> dict[str, list[MetricPoint]]:
        """``{"train/loss": [MetricPoint, ...], "eval/eval_loss": [...]}``, each by step."""
        series: dict[str, list[MetricPoint]] = {}
        for split, name, step, value, t in self.db.conn.execute(
                "SELECT split, name, step, value, time FROM metrics WHERE run_id = ?"
                " ORDER BY split, name, step, rowid", [run_id]):
            point = MetricPoint(step, math.nan if value is None else value, t)
            series.setdefault(f"{split}/{name}", []).append(point)
        return series

    @known_errors
    def truncate_metrics_after(self, run_id: str, step: int) -> int:
        """Drop points past ``step`` (a resume from that checkpoint logs them again)."""
        with write_transaction(self.db):
            cursor = self.db.conn.execute(
                "DELETE FROM metrics WHERE run_id = ? AND step > ?", [run_id, step])
        return cursor.rowcount

    # --- checkpoints and exports ------------------------------------------------------------

    @known_errors
    def add_checkpoint(self, run_id: str, step: int, path: str | Path,
                       metrics: dict[str, Any] | None = None) -> CheckpointRecord:
        record = CheckpointRecord(run_id, int(step), str(path), time.time(), metrics)
        row = {**record.to_dict(), "metrics": _encode("metrics", metrics)}
        self._insert_for_run(run_id, "checkpoints", [row], upsert_pk=("run_id", "step"))
        return record

    @known_errors
    def checkpoints(self, run_id: str) -> list[CheckpointRecord]:
        return [CheckpointRecord.from_row(r) for r in self._rows(
            "SELECT * FROM checkpoints WHERE run_id = ? ORDER BY step", [run_id])]

    @known_errors
    def latest_checkpoint(self, run_id: str) -> CheckpointRecord | None:
        rows = self._rows("SELECT * FROM checkpoints WHERE run_id = ? ORDER BY step DESC LIMIT 1",
                          [run_id])
        return CheckpointRecord.from_row(rows[0]) if rows else None

    @known_errors
    def remove_checkpoint(self, run_id: str, step: int) -> bool:
        with write_transaction(self.db):
            cursor = self.db.conn.execute(
                "DELETE FROM checkpoints WHERE run_id = ? AND step = ?", [run_id, step])
        return cursor.rowcount > 0

    @known_errors
    def add_export(self, run_id: str, kind: str, path: str | Path, *, dtype: str | None = None,
                   size_bytes: int | None = None, verified: bool | None = None,
                   max_abs_diff: float | None = None,
                   details: dict[str, Any] | None = None) -> ExportRecord:
        row = {"run_id": run_id, "kind": kind, "path": str(path), "dtype": dtype,
               "size_bytes": size_bytes, "verified": None if verified is None else int(verified),
               "max_abs_diff": max_abs_diff, "created_at": time.time(),
               "details": _encode("details", details)}
        export_id = self._insert_for_run(run_id, "exports", [row])
        return ExportRecord.from_row({**row, "id": export_id})

    @known_errors
    def exports(self, run_id: str) -> list[ExportRecord]:
        return [ExportRecord.from_row(r) for r in self._rows(
            "SELECT * FROM exports WHERE run_id = ? ORDER BY created_at, id", [run_id])]

    # --- playground conversations -------------------------------------------------------

    @known_errors
    def save_conversation(self, messages: Sequence[dict[str, Any]], *, run_id: str | None = None,
                          title: str | None = None, base_model: str | None = None,
                          adapters: Sequence[Any] = (), settings: dict[str, Any] | None = None,
                          conversation_id: int | None = None) -> int:
        """Insert a conversation, or replace the one with ``conversation_id`` (keeping its
        creation time). The title defaults to the start of the first user message. Returns
        the id."""
        now = time.time()
        row = {"run_id": run_id, "title": (title or "").strip() or _default_title(messages),
               "base_model": base_model, "adapters": json.dumps(list(adapters), default=str),
               "settings": json.dumps(json_safe(settings or {}), default=_scalar),
               "messages": json.dumps(json_safe(list(messages)), default=_scalar),
               "updated_at": now}
        if conversation_id is None:
            return int(self._insert_for_run(run_id or "", "conversations",
                                            [{**row, "created_at": now}]) or 0)
        sets = ", ".join(f"[{k}] = ?" for k in row)
        try:
            with write_transaction(self.db):
                cursor = self.db.conn.execute(
                    f"UPDATE conversations SET {sets} WHERE id = ?",
                    [*row.values(), conversation_id])
        except sqlite3.IntegrityError as exc:
            raise UnknownRunError(msg("store.there_no_run_deleted", run_id=run_id)) from exc
        if cursor.rowcount == 0:
            raise StudioError(msg("store.there_no_conversation", id=conversation_id))
        return conversation_id

    @known_errors
    def conversations(self, run_id: str | None = None) -> list[ConversationRecord]:
        """Most recently saved first; all of them, or those of one run."""
        where, params = ("WHERE run_id = ?", [run_id]) if run_id is not None else ("", [])
        found = []
        for row in self._rows(
                f"SELECT * FROM conversations {where} ORDER BY updated_at DESC, id DESC", params):
            try:
                found.append(ConversationRecord.from_row(row))
            except DamagedRecordError:  # one damaged row hides no other
                continue
        return found

    @known_errors
    def get_conversation(self, conversation_id: int) -> ConversationRecord:
        rows = self._rows("SELECT * FROM conversations WHERE id = ?", [conversation_id])
        if not rows:
            raise StudioError(msg("store.there_no_conversation", id=conversation_id))
        return ConversationRecord.from_row(rows[0])

    @known_errors
    def delete_conversation(self, conversation_id: int) -> None:
        with write_transaction(self.db):
            cursor = self.db.conn.execute("DELETE FROM conversations WHERE id = ?",
                                          [conversation_id])
        if cursor.rowcount == 0:
            raise StudioError(msg("store.there_no_conversation", id=conversation_id))

    # --- held-out evaluations -----------------------------------------------------------

    @known_errors
    def add_evaluation(self, *, target: str, kind: str, data_path: str | Path,
                       data_sha256: str, rows: int, metrics: dict[str, Any],
                       settings: dict[str, Any] | None = None, run_id: str | None = None,
                       adapter_path: str | None = None, step: int | None = None,
                       base_model: str | None = None, task: str | None = None,
                       predictions_path: str | Path | None = None,
                       seconds: float | None = None) -> EvaluationRecord:
        row = {"run_id": run_id, "target": target, "adapter_path": adapter_path, "step": step,
               "base_model": base_model, "task": task, "kind": kind,
               "data_path": str(data_path), "data_sha256": data_sha256, "rows": int(rows),
               "settings": json.dumps(json_safe(settings or {}), default=_scalar),
               "metrics": json.dumps(json_safe(metrics), default=_scalar),
               "predictions_path": str(predictions_path) if predictions_path else None,
               "seconds": seconds, "created_at": time.time()}
        new_id = self._insert_for_run(run_id or "", "evaluations", [row])
        return EvaluationRecord.from_row({**row, "id": int(new_id or 0)})

    @known_errors
    def evaluations(self, run_id: str | None = None,
                    data_sha256: str | None = None) -> list[EvaluationRecord]:
        """Newest first; all, one run's, or those on one data file (by content)."""
        where, params = [], []
        if run_id is not None:
            where.append("run_id = ?")
            params.append(run_id)
        if data_sha256 is not None:
            where.append("data_sha256 = ?")
            params.append(data_sha256)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        return [EvaluationRecord.from_row(r) for r in self._rows(
            f"SELECT * FROM evaluations {clause} ORDER BY created_at DESC, id DESC", params)]

    @known_errors
    def get_evaluation(self, evaluation_id: int) -> EvaluationRecord:
        rows = self._rows("SELECT * FROM evaluations WHERE id = ?", [evaluation_id])
        if not rows:
            raise StudioError(msg("store.there_no_evaluation", evaluation_id=evaluation_id))
        return EvaluationRecord.from_row(rows[0])

    @known_errors
    def delete_evaluation(self, evaluation_id: int) -> None:
        with write_transaction(self.db):
            cursor = self.db.conn.execute("DELETE FROM evaluations WHERE id = ?",
                                          [evaluation_id])
        if cursor.rowcount == 0:
            raise StudioError(msg("store.there_no_evaluation", evaluation_id=evaluation_id))

    def _insert_for_run(self, run_id: str, table: str, rows: list[dict[str, Any]],
                        upsert_pk: tuple[str, ...] | None = None) -> int | None:
        try:
            target = self.db.table(table)
            with write_transaction(self.db):
                if upsert_pk:
                    target.upsert_all(rows, pk=upsert_pk)
                else:
                    target.insert_all(rows)
            return target.last_rowid
        except sqlite3.IntegrityError as exc:
            if "FOREIGN KEY" not in str(exc):
                raise
            raise UnknownRunError(msg("store.there_no_run_deleted", run_id=run_id)) from exc


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _default_title(messages: Sequence[dict[str, Any]], width: int = 60) -> str:
    for message in messages:
        if message.get("role") == "user" and str(message.get("content") or "").strip():
            text = " ".join(str(message["content"]).split())
            return text if len(text) <= width else text[: width - 1] + "…"
    return "Conversation"


def _check_status(status: str) -> None:
    if status not in STATUSES:
        raise ValueError(f"unknown run status {status!r}; one of {', '.join(STATUSES)}")
