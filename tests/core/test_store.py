"""The run store: schema and migrations, bad files, concurrency, lookups, metrics, orphans."""

from __future__ import annotations

import math
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from studio import paths
from studio.core import database
from studio.core.config import RunConfig
from studio.core.database import MIGRATIONS, SCHEMA_VERSION, StoreError
from studio.core.messages import Message, msg
from studio.core.store import ORPHAN_ERROR, RunStore, UnknownRunError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store():
    with RunStore() as s:
        yield s


def _config(**kw) -> dict:
    return RunConfig(model=kw.pop("model", "models/tiny-llama"), **kw).to_dict()


def _old_store(path: Path, version: int) -> None:
    """A store file as an older release left it: the first ``version`` migrations only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    for statements in MIGRATIONS[:version]:
        for sql in statements:
            conn.execute(sql)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("INSERT INTO runs (id, name, status, created_at, updated_at, config)"
                 " VALUES ('20250101-000000-abcd', 'old', 'completed', 1, 1, '{}')")
    conn.commit()
    conn.close()


# --- file, schema, pragmas ------------------------------------------------------------------


def test_fresh_store_has_schema_and_pragmas(store):
    assert store.path == paths.store_path() and store.path.is_file()
    assert set(store.db.table_names()) >= {"runs", "metrics", "checkpoints", "exports"}
    conn = store.db.conn
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert "metrics_series" in {i.name for i in store.db.table("metrics").indexes}
    # WAL is a property of the file: a fresh connection sees it too
    other = sqlite3.connect(store.path)
    assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    other.close()


def test_reopen_keeps_data(store):
    run = store.create_run(_config(), name="keep")
    store.close()
    with RunStore() as again:
        assert again.get_run(run.id).name == "keep"


def test_old_version_is_migrated():
    path = paths.store_path()
    _old_store(path, 1)
    with RunStore() as store:
        assert store.db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert "exports" in store.db.table_names()
        assert store.get_run("20250101-000000-abcd").name == "old"
        export = store.add_export("20250101-000000-abcd", "merged", "/x/merged", verified=True)
        assert store.exports("20250101-000000-abcd") == [export]


OLD_ERROR = ("out of memory at step 8\nTraceback (most recent call last):\n"
             "  File \"engine.py\", line 1\nMemoryError")


def test_a_store_from_before_coded_errors_keeps_its_errors_readable():
    """Version 4 stored a failure as plain English with its traceback glued on: after the
    migration that text is still the run's error, shown as it is; new failures get codes."""
    path = paths.store_path()
    _old_store(path, 4)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE runs SET status = 'failed', error = ?", [OLD_ERROR])
    conn.commit()
    conn.close()
    with RunStore() as store:
        assert database.user_version(store.db) == SCHEMA_VERSION
        old = store.get_run("20250101-000000-abcd")
        assert old.error == OLD_ERROR and not isinstance(old.error, Message)
        assert old.error_detail is None
        assert [r.error for r in store.list_runs()] == [OLD_ERROR]
        store.set_status(old.id, "failed", error=msg("engine.out_of_memory"), detail="TB")
        again = store.get_run(old.id)
        assert (again.error.code, again.error_detail) == ("engine.out_of_memory", "TB")


def test_a_failed_runs_error_keeps_its_code_and_its_detail_apart(store):
    run = store.create_run(_config(), name="f")
    error = msg("data.at_row", where="d.csv", row=3, detail=msg("value.file_not_found"))
    store.set_status(run.id, "failed", error=error, detail="Traceback ...\nKeyError: 'x'")
    with RunStore() as other:   # read back from the file by another connection
        got = other.get_run(run.id)
    assert got.error == "d.csv, row 3: file not found"   # its English, for the CLI and logs
    assert (got.error.code, got.error.params["row"]) == ("data.at_row", 3)
    assert got.error.params["detail"].code == "value.file_not_found"
    assert got.error_detail == "Traceback ...\nKeyError: 'x'"
    assert store.list_runs()[0].error.code == "data.at_row"
    store.update_run(run.id, error=None)   # a resume clears the error, its code and detail
    cleared = store.get_run(run.id)
    assert (cleared.error, cleared.error_detail) == (None, None)
    store.set_status(run.id, "failed", error="plain words")   # text without a code: kept
    assert store.get_run(run.id).error == "plain words"
    assert not isinstance(store.get_run(run.id).error, Message)


@pytest.mark.parametrize("stored", ['{"code": "no.such.code", "params": {}}', "{not json",
                                    '{"code": "data.at_row", "params": {}}'])
def test_a_code_this_version_cannot_render_falls_back_to_the_english(store, stored):
    run = store.create_run(_config(), name="f")
    store.set_status(run.id, "failed", error=msg("engine.out_of_memory"))
    store.db.conn.execute("UPDATE runs SET error_message = ?", [stored])
    got = store.get_run(run.id)
    assert got.error == "out of memory: try a smaller batch size or max_length"
    assert not isinstance(got.error, Message)


def test_newer_version_is_refused_untouched():
    path = paths.store_path()
    _old_store(path, SCHEMA_VERSION)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer PEFT Studio") as info:
        RunStore()
    assert str(path) in str(info.value)
    assert path.read_bytes() == before


@pytest.mark.parametrize("content", [b"this is not a database\n" * 200,
                                     b"SQLite format 3\x00" + b"\xff" * 4080])
def test_non_sqlite_file_is_refused_untouched(content):
    path = paths.store_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    with pytest.raises(StoreError) as info:
        RunStore()
    message = str(info.value)
    assert str(path) in message and "move it aside" in message
    assert path.read_bytes() == content


def test_foreign_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a PEFT Studio run store"):
        RunStore(path)
    assert path.read_bytes() == before


def test_lock_held_too_long_is_a_known_error(store, monkeypatch):
    run = store.create_run(_config())
    monkeypatch.setattr(database, "BUSY_TIMEOUT_S", 0.2)
    with RunStore() as impatient:
        holder = sqlite3.connect(store.path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreError, match="locked"):
                impatient.add_metrics(run.id, [(1, "train", "loss", 1.0)])
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        impatient.add_metrics(run.id, [(1, "train", "loss", 1.0)])  # usable afterwards


# --- runs -----------------------------------------------------------------------------------


def test_create_run_takes_fields_from_config(store, tmp_path):
    config = _config(name="first", output_dir=str(tmp_path / "out"))
    config["method"]["r"] = 8
    run = store.create_run(config)
    assert run.name == "first" and run.status == "pending"
    assert (run.model, run.method, run.device, run.output_dir) == (
        "models/tiny-llama", "lora", "auto", str(tmp_path / "out"))
    assert len(run.id) == len("20261123-153000-a1b2") and run.id[8] == "-"
    assert store.get_run(run.id) == run
    assert store.get_run(run.id).config["method"] == {"name": "lora", "r": 8}


def test_create_run_explicit_fields_and_duplicate_id(store):
    run = store.create_run({}, name="n", model="m", method="ia3", task="seq_cls", dataset="d.csv",
                           device="cpu", output_dir=Path("/o"), status="running", run_id="x-1")
    assert (run.id, run.method, run.output_dir) == ("x-1", "ia3", "/o")
    assert run.started_at is not None
    with pytest.raises(Exception, match="already exists"):
        store.create_run({}, run_id="x-1")
    with pytest.raises(ValueError):
        store.create_run({}, status="bogus")


def test_update_run(store):
    run = store.create_run(_config())
    store.update_run(run.id, total_steps=100, last_step=10, pid=123,
                     final_metrics={"eval_loss": 0.5, "nan": math.nan}, trainable_params=10,
                     total_params=1000)
    got = store.get_run(run.id)
    assert (got.total_steps, got.last_step, got.pid, got.trainable_params) == (100, 10, 123, 10)
    assert got.final_metrics["eval_loss"] == 0.5 and math.isnan(got.final_metrics["nan"])
    assert got.updated_at >= run.updated_at
    with pytest.raises(ValueError, match="not run columns"):
        store.update_run(run.id, bogus=1)
    with pytest.raises(UnknownRunError):
        store.update_run("nope", last_step=1)


def test_set_status_stamps_times(store):
    run = store.create_run(_config())
    store.set_status(run.id, "running")
    started = store.get_run(run.id).started_at
    assert started is not None and store.get_run(run.id).finished_at is None
    store.set_status(run.id, "failed", error="boom")
    got = store.get_run(run.id)
    assert (got.status, got.error) == ("failed", "boom") and got.finished_at is not None
    store.set_status(run.id, "running")  # resumed: started_at kept, the old end cleared
    got = store.get_run(run.id)
    assert (got.started_at, got.finished_at, got.error) == (started, None, None)
    store.set_status(run.id, "early_stopped")
    assert store.get_run(run.id).finished_at is not None
    with pytest.raises(UnknownRunError):
        store.set_status("nope", "completed")


def test_get_missing_run(store):
    with pytest.raises(UnknownRunError, match="no run nope"):
        store.get_run("nope")


def test_list_runs_filters_and_order(store):
    a = store.create_run(_config(), name="alpha", run_id="20260101-000000-aaaa")
    b = store.create_run(_config(model="other"), name="beta", method="ia3", status="completed")
    c = store.create_run(_config(), name="gam_ma", status="failed")
    assert [r.id for r in store.list_runs()] == [c.id, b.id, a.id]
    assert [r.id for r in store.list_runs(status="completed")] == [b.id]
    assert [r.id for r in store.list_runs(status=["completed", "failed"])] == [c.id, b.id]
    assert [r.id for r in store.list_runs(model="other")] == [b.id]
    assert [r.id for r in store.list_runs(method="lora")] == [c.id, a.id]
    assert [r.id for r in store.list_runs(search="ALP")] == [a.id]
    assert [r.id for r in store.list_runs(search="m_m")] == [c.id]  # _ is literal
    assert [r.id for r in store.list_runs(search="%")] == []
    assert len(store.list_runs(limit=2)) == 2


def test_rename_and_delete_cascade(store):
    run = store.create_run(_config())
    store.add_metrics(run.id, [(1, "train", "loss", 1.0)])
    store.add_checkpoint(run.id, 1, "/c/1")
    store.add_export(run.id, "adapter", "/e")
    store.rename_run(run.id, "  renamed ")
    assert store.get_run(run.id).name == "renamed"
    with pytest.raises(Exception, match="empty"):
        store.rename_run(run.id, " ")
    store.delete_run(run.id)
    assert store.list_runs() == []
    for table in ("metrics", "checkpoints", "exports"):
        assert store.db.table(table).count == 0
    with pytest.raises(UnknownRunError):
        store.delete_run(run.id)


# --- find_run -------------------------------------------------------------------------------


def test_find_run_resolution(store, tmp_path):
    out = tmp_path / "runs" / "one"
    one = store.create_run(_config(), name="one", run_id="20260101-120000-aaaa", output_dir=out)
    two = store.create_run(_config(), name="two", run_id="20260101-120000-bbbb",
                           output_dir=tmp_path / "runs" / "two")
    assert store.find_run(one.id).id == one.id
    assert store.find_run("20260101-120000-b").id == two.id
    assert store.find_run("two").id == two.id
    assert store.find_run(str(out)).id == one.id
    assert store.find_run(str(out / "checkpoint-40")).id == one.id
    with pytest.raises(UnknownRunError) as info:
        store.find_run("20260101-12")
    assert {r.id for r in info.value.candidates} == {one.id, two.id}
    assert one.id in str(info.value) and two.id in str(info.value)


# (what was typed, with one run "20260101-120000-aaaa" named "first" at <tmp>/runs/first):
# the run it picks, or the words of the refusal. A reference can delete a run and its files,
# so it never picks one by chance.
REFERENCES = [
    ("20260101-120000-aaaa", "first"),            # the id
    ("first", "first"),                           # the name
    ("202601", "first"),                          # six characters of the id: enough
    ("20260101-12", "first"),
    ("2", "too short"),                           # `runs delete 2` deleted the only run
    ("20260", "too short"),
    ("aaaa", "No run matches"),                   # the end of an id is no prefix
    ("<out>", "first"),                           # its output folder
    ("<out>/checkpoints/step-000040", "first"),   # a path inside it
    ("fir", "No run matches"),                    # a name prefix is no name
]


@pytest.mark.parametrize("ref, outcome", REFERENCES)
def test_find_run_references(store, tmp_path, ref, outcome):
    out = tmp_path / "runs" / "first"
    store.create_run(_config(), name="first", run_id="20260101-120000-aaaa", output_dir=out)
    ref = ref.replace("<out>", str(out))
    if outcome == "first":
        assert store.find_run(ref).name == "first"
        return
    with pytest.raises(UnknownRunError, match=outcome) as info:
        store.find_run(ref)
    if outcome == "too short":
        assert "at least 6 characters" in str(info.value)
        assert [r.id for r in info.value.candidates] == ["20260101-120000-aaaa"]


def test_ambiguous_prefix_lists_every_candidate(store):
    a = store.create_run(_config(), name="a", run_id="20260101-120000-aaaa")
    b = store.create_run(_config(), name="b", run_id="20260101-130000-bbbb")
    store.create_run(_config(), name="c", run_id="20260202-120000-cccc")
    with pytest.raises(UnknownRunError, match="matches 2 runs by the start of the id") as info:
        store.find_run("20260101")
    assert {r.id for r in info.value.candidates} == {a.id, b.id}
    assert a.id in str(info.value) and b.id in str(info.value)


def test_a_bare_word_is_not_a_path_in_the_current_folder(store, tmp_path, monkeypatch):
    """Typed inside a run's folder, a word that names no run must not pick that run."""
    out = tmp_path / "runs" / "first"
    out.mkdir(parents=True)
    store.create_run(_config(), name="first", run_id="20260101-120000-aaaa", output_dir=out)
    monkeypatch.chdir(out)
    with pytest.raises(UnknownRunError, match="No run matches 'typo'"):
        store.find_run("typo")
    assert store.find_run(".").name == "first"      # written as a path, it is one


def test_find_run_name_ambiguity_and_missing(store):
    a = store.create_run(_config(), name="same")
    b = store.create_run(_config(), name="same")
    with pytest.raises(UnknownRunError, match="matches 2 runs") as info:
        store.find_run("same")
    assert {r.id for r in info.value.candidates} == {a.id, b.id}
    with pytest.raises(UnknownRunError, match="No run matches 'sam'") as info:
        store.find_run("sam")
    assert len(info.value.candidates) == 2  # near matches offered
    with pytest.raises(UnknownRunError, match="No run matches 'zzz'"):
        store.find_run("zzz")
    with pytest.raises(UnknownRunError):
        store.find_run("  ")


# --- metrics, checkpoints, exports ----------------------------------------------------------


def test_metric_series(store):
    run = store.create_run(_config())
    store.add_metrics(run.id, [(s, "train", "loss", 1.0 / s) for s in range(1, 6)])
    store.add_metrics(run.id, [(5, "eval", "eval_loss", 0.3), (5, "eval", "accuracy", 0.9),
                               (6, "train", "loss", math.nan)])
    store.add_metrics(run.id, [])
    series = store.metric_series(run.id)
    assert set(series) == {"train/loss", "eval/eval_loss", "eval/accuracy"}
    assert [p.step for p in series["train/loss"]] == [1, 2, 3, 4, 5, 6]
    assert series["train/loss"][1].value == 0.5 and math.isnan(series["train/loss"][-1].value)
    assert series["eval/accuracy"][0].time > 0
    assert store.metric_series("nope") == {}
    with pytest.raises(UnknownRunError):
        store.add_metrics("nope", [(1, "train", "loss", 1.0)])


def test_truncate_metrics_after_resume(store):
    run = store.create_run(_config())
    store.add_metrics(run.id, [(s, "train", "loss", float(s)) for s in range(1, 11)])
    store.add_metrics(run.id, [(5, "eval", "eval_loss", 1.0), (10, "eval", "eval_loss", 2.0)])
    assert store.truncate_metrics_after(run.id, 6) == 5
    store.add_metrics(run.id, [(s, "train", "loss", -s) for s in range(7, 9)])  # the resume
    series = store.metric_series(run.id)
    tail = [(p.step, p.value) for p in series["train/loss"]][-3:]
    assert tail == [(6, 6.0), (7, -7.0), (8, -8.0)]
    assert [p.step for p in series["eval/eval_loss"]] == [5]


def test_checkpoints(store):
    run = store.create_run(_config())
    assert store.latest_checkpoint(run.id) is None
    store.add_checkpoint(run.id, 20, "/c/20")
    store.add_checkpoint(run.id, 10, "/c/10", {"eval_loss": 1.5})
    store.add_checkpoint(run.id, 20, "/c/20b", {"eval_loss": 1.0})  # upsert
    assert [(c.step, c.path) for c in store.checkpoints(run.id)] == [(10, "/c/10"), (20, "/c/20b")]
    latest = store.latest_checkpoint(run.id)
    assert latest is not None and latest.metrics == {"eval_loss": 1.0}
    assert store.remove_checkpoint(run.id, 20) and not store.remove_checkpoint(run.id, 20)
    assert [c.step for c in store.checkpoints(run.id)] == [10]


def test_exports(store):
    run = store.create_run(_config())
    first = store.add_export(run.id, "merged", "/e/m", dtype="float16", size_bytes=1234,
                             verified=True, max_abs_diff=1e-3, details={"shards": 2})
    second = store.add_export(run.id, "adapter", Path("/e/a"))
    assert first.id != second.id
    assert store.exports(run.id) == [first, second]
    assert store.exports(run.id)[0].verified is True and second.verified is None


# --- orphans --------------------------------------------------------------------------------


def test_mark_orphans_failed(store):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    gone = store.create_run(_config(), status="running")
    store.update_run(gone.id, pid=dead.pid)
    alive = store.create_run(_config(), status="running")
    store.update_run(alive.id, pid=os.getpid())
    fresh = store.create_run(_config(), status="running")  # no pid yet, just started
    stale = store.create_run(_config(), status="running")
    store.update_run(stale.id, updated_at=time.time() - 3600)
    done = store.create_run(_config(), status="completed")
    store.update_run(done.id, pid=dead.pid)
    assert sorted(store.mark_orphans_failed()) == sorted([gone.id, stale.id])
    got = store.get_run(gone.id)
    assert (got.status, got.error) == ("failed", ORPHAN_ERROR) and got.finished_at is not None
    assert got.error.code == "store.orphan_run"   # translatable on the Runs page
    for run in (alive, fresh):
        assert store.get_run(run.id).status == "running"
    assert store.get_run(done.id).status == "completed"
    assert store.mark_orphans_failed() == []


# --- concurrency ----------------------------------------------------------------------------

WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from studio.core.store import RunStore
    run_id, tag, go = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    store = RunStore()
    while not go.exists():
        time.sleep(0.005)
    for step in range(300):
        store.add_metrics(run_id, [(step, "train", tag, float(step)),
                                   (step, "train", tag + "_lr", 0.1)])
        store.update_run(run_id, last_step=step)
        if step % 50 == 0:
            store.add_checkpoint(run_id, step * 10 + (tag == "b"), f"/c/{tag}/{step}")
    store.close()
""")


def test_concurrent_writers(store, tmp_path, studio_home):
    run = store.create_run(_config())
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PEFT_STUDIO_HOME": str(studio_home)}
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, run.id, tag, str(go)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for tag in ("a", "b")]
    time.sleep(0.5)
    go.touch()
    while any(p.poll() is None for p in procs):  # the window reads while children write
        store.metric_series(run.id)
        store.list_runs()
        store.set_status(run.id, "running")
    results = [p.communicate() for p in procs]
    for proc, (_, err) in zip(procs, results):
        assert proc.returncode == 0, err
        assert "locked" not in err
    series = store.metric_series(run.id)
    for key in ("train/a", "train/b", "train/a_lr", "train/b_lr"):
        assert [p.step for p in series[key]] == list(range(300))
    assert len(store.checkpoints(run.id)) == 12
    assert store.get_run(run.id).last_step == 299


def test_openers_racing_to_create_a_new_store_all_succeed(tmp_path):
    """Threads opening one new file at once: every opener gets the migrated store (one of
    them used to read the other's fresh tables at version 0 and call the file foreign)."""
    import threading

    from studio.core.database import SCHEMA_VERSION, open_database, user_version

    for attempt in range(60):  # the lost race came about once in 80 attempts
        path = tmp_path / f"race-{attempt}.sqlite"
        barrier = threading.Barrier(4)
        errors: list[BaseException] = []
        versions: list[int] = []

        def open_it(barrier: threading.Barrier, path: Path, versions: list[int],
                    errors: list[BaseException]) -> None:
            barrier.wait()
            try:
                db = open_database(path)
                versions.append(user_version(db))
                db.conn.close()
            except BaseException as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)

        threads = [threading.Thread(target=open_it, args=(barrier, path, versions, errors))
                   for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == [] and versions == [SCHEMA_VERSION] * 4


def test_switching_a_new_store_to_wal_waits_out_a_lock_sqlite_reports_at_once(tmp_path,
                                                                            monkeypatch):
    """Changing the journal mode while another opener is at the same new file can answer
    "database is locked" at once, without SQLite's busy timeout: the opener tries again."""
    import sqlite_utils

    from studio.core.database import SCHEMA_VERSION, open_database, user_version

    real = sqlite_utils.Database.enable_wal
    answers = iter([sqlite3.OperationalError("database is locked")] * 3)

    def enable_wal(db):
        error = next(answers, None)
        if error is not None:
            raise error
        real(db)

    monkeypatch.setattr(sqlite_utils.Database, "enable_wal", enable_wal)
    db = open_database(tmp_path / "runs.sqlite")
    assert user_version(db) == SCHEMA_VERSION
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_store_error_other_than_a_lock_is_not_retried(tmp_path, monkeypatch):
    import sqlite_utils

    from studio.core.database import open_database

    calls = []

    def enable_wal(db):
        calls.append(1)
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(sqlite_utils.Database, "enable_wal", enable_wal)
    with pytest.raises(StoreError, match=r"runs\.sqlite"):
        open_database(tmp_path / "runs.sqlite")
    assert calls == [1]
