"""The SQLite file under the run store: opening it, its pragmas, schema migrations, and
turning SQLite failures the user can act on into ``StoreError`` (qutebrowser ``misc/sql.py``).

The training child and the window write the same file at once, so: WAL (readers never block
the writer), ``BEGIN IMMEDIATE`` for every write (takes the write lock up front, so the busy
timeout applies instead of a deadlock-style "database is locked"), and short transactions.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar, cast

import sqlite_utils

from .errors import StudioError
from .messages import msg

BUSY_TIMEOUT_S = 30.0

# Append only: a migration, once released, is never edited. Index i takes version i to i + 1.
MIGRATIONS: list[tuple[str, ...]] = [
    (
        """CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at REAL NOT NULL,
            started_at REAL,
            updated_at REAL NOT NULL,
            finished_at REAL,
            config TEXT NOT NULL DEFAULT '{}',
            model TEXT, method TEXT, task TEXT, dataset TEXT, device TEXT, output_dir TEXT,
            total_steps INTEGER,
            last_step INTEGER,
            final_metrics TEXT,
            error TEXT,
            pid INTEGER,
            trainable_params INTEGER,
            total_params INTEGER)""",
        "CREATE INDEX runs_created ON runs (created_at)",
        # value is nullable: SQLite stores a NaN loss as NULL, and a diverged run should still log
        """CREATE TABLE metrics (
            run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            step INTEGER NOT NULL,
            split TEXT NOT NULL,
            name TEXT NOT NULL,
            value REAL,
            time REAL NOT NULL)""",
        "CREATE INDEX metrics_series ON metrics (run_id, name, step)",
        """CREATE TABLE checkpoints (
            run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            step INTEGER NOT NULL,
            path TEXT NOT NULL,
            created_at REAL NOT NULL,
            metrics TEXT,
            PRIMARY KEY (run_id, step))""",
    ),
    (
        """CREATE TABLE exports (
            id INTEGER PRIMARY KEY,
            run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            path TEXT NOT NULL,
            dtype TEXT,
            size_bytes INTEGER,
            verified INTEGER,
            max_abs_diff REAL,
            created_at REAL NOT NULL,
            details TEXT)""",
        "CREATE INDEX exports_run ON exports (run_id)",
    ),
    (
        # Playground conversations; run_id is the run whose adapter was chatted with (NULL for
        # a base model or a folder from elsewhere). adapters/settings/messages are JSON.
        """CREATE TABLE conversations (
            id INTEGER PRIMARY KEY,
            run_id TEXT REFERENCES runs (id) ON DELETE CASCADE,
            title TEXT NOT NULL,
            base_model TEXT,
            adapters TEXT NOT NULL DEFAULT '[]',
            settings TEXT NOT NULL DEFAULT '{}',
            messages TEXT NOT NULL DEFAULT '[]',
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL)""",
        "CREATE INDEX conversations_run ON conversations (run_id, updated_at)",
    ),
    (
        # Held-out evaluations; run_id NULL for a base model or a folder from elsewhere.
        # settings/metrics are JSON; data_sha256 tells which runs saw the same test file.
        """CREATE TABLE evaluations (
            id INTEGER PRIMARY KEY,
            run_id TEXT REFERENCES runs (id) ON DELETE CASCADE,
            target TEXT NOT NULL,
            adapter_path TEXT,
            step INTEGER,
            base_model TEXT,
            task TEXT,
            kind TEXT NOT NULL,
            data_path TEXT NOT NULL,
            data_sha256 TEXT NOT NULL,
            rows INTEGER NOT NULL,
            settings TEXT NOT NULL DEFAULT '{}',
            metrics TEXT NOT NULL DEFAULT '{}',
            predictions_path TEXT,
            seconds REAL,
            created_at REAL NOT NULL)""",
        "CREATE INDEX evaluations_run ON evaluations (run_id, created_at)",
        "CREATE INDEX evaluations_data ON evaluations (data_sha256, created_at)",
    ),
    (
        # Why a run failed, translatable: error_message is the Message's JSON ({"code",
        # "params"}) next to its English in error; error_detail is what a bug report needs (a
        # traceback, a child's last stderr lines), never translated. Rows from before keep
        # their plain English in error (a traceback included) and NULL here.
        "ALTER TABLE runs ADD COLUMN error_message TEXT",
        "ALTER TABLE runs ADD COLUMN error_detail TEXT",
    ),
]
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(StudioError):
    """The store file cannot be used as it is (corrupt, newer, locked, disk full, read-only)."""


def _known(exc: sqlite3.Error, path: Path) -> StoreError | None:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StoreError(
            msg("store.run_store_stayed_locked", path=path, seconds=BUSY_TIMEOUT_S))
    if "disk is full" in text or "disk i/o" in text:
        return StoreError(msg("store.cannot_write_run_store_2", path=path, error=exc))
    if "readonly" in text or "unable to open" in text:
        return StoreError(msg("store.cannot_open_run_store", path=path, error=exc))
    if "not a database" in text or "malformed" in text or "encrypted" in text:
        return StoreError(
            msg("store.run_store_not_readable", path=path, error=exc))
    return None


F = TypeVar("F", bound=Callable[..., Any])


def known_errors(method: F) -> F:
    """Decorate a method of an object with ``.path``: actionable SQLite errors -> StoreError;
    anything else propagates as a bug."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            known = _known(exc, self.path)
            if known is None:
                raise
            raise known from exc

    return cast(F, wrapper)


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
        db.conn.execute("COMMIT")
    except BaseException:
        _rollback(db.conn)
        raise


def _rollback(conn: sqlite3.Connection) -> None:
    """Undo what is left of a failed transaction. A ROLLBACK that fails in turn (the disk that
    failed the write fails it too) is dropped, so the first error, the one that says what
    went wrong, is the one reported."""
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


def user_version(db: sqlite_utils.Database) -> int:
    return int(db.conn.execute("PRAGMA user_version").fetchone()[0])


def _check_version(db: sqlite_utils.Database, path: Path) -> int:
    # The first real read of the file: a non-SQLite file fails here, before anything is written.
    # Version and tables are read in one transaction: between two separate reads another
    # opener's migration could commit, and its fresh tables at the old version 0 looked foreign.
    db.conn.execute("BEGIN")
    try:
        version = user_version(db)
        has_tables = bool(db.table_names())
    finally:
        db.conn.execute("COMMIT")
    if version > SCHEMA_VERSION:
        raise StoreError(
            msg("store.run_store_written_by", path=path, version=version, supported=SCHEMA_VERSION))
    # A migration sets user_version in the same transaction that creates the tables, so
    # tables at version 0 mean a database that is not ours.
    if version == 0 and has_tables:
        raise StoreError(msg("store.sqlite_database_but_not", path=path))
    return version


def _migrate(db: sqlite_utils.Database, path: Path, version: int) -> None:
    if version == SCHEMA_VERSION:
        return
    with write_transaction(db):
        version = user_version(db)  # another process may have migrated meanwhile
        if version >= SCHEMA_VERSION:
            return
        for statements in MIGRATIONS[version:]:
            for sql in statements:
                db.conn.execute(sql)
        db.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _enable_wal(db: sqlite_utils.Database) -> None:
    """Switch the file to WAL (once per file: the mode is kept in it). Changing the journal
    mode while another connection opens the same new file can answer "database is locked" at
    once, without the busy timeout (seen with four openers racing: 7 in 600), so retry."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    pause = 0.005
    while True:
        try:
            db.enable_wal()
            return
        except sqlite3.OperationalError as exc:
            text = str(exc).lower()
            if ("locked" not in text and "busy" not in text) or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.2)


def open_database(path: Path) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate. Raises StoreError; never overwrites a bad file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(msg("store.cannot_create_folder_run", path=path, error=exc)) from exc
    if path.exists() and not path.is_file():
        kind = msg("store.kind_folder" if path.is_dir() else "store.kind_not_regular")
        raise StoreError(msg("store.run_store_so_cannot", path=path, kind=kind))
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S)
    try:
        db = sqlite_utils.Database(conn, execute_plugins=False)
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        version = _check_version(db, path)
        _enable_wal(db)
        conn.execute("PRAGMA synchronous = NORMAL")
        _migrate(db, path, version)
    except sqlite3.Error as exc:
        conn.close()
        known = _known(exc, path)
        if known is None:
            raise
        raise known from exc
    except BaseException:
        conn.close()
        raise
    return db
