"""Evaluations in the run store: the migration, the record, filtering, deletion."""

from __future__ import annotations

import sqlite3

from studio import paths
from studio.core.config import RunConfig
from studio.core.database import MIGRATIONS, SCHEMA_VERSION
from studio.core.store import RunStore


def _metrics() -> dict:
    return {"accuracy": 0.75, "macro_f1": 0.5, "nan_one": float("nan"),
            "confusion": {"labels": ["a", "b"], "matrix": [[1, 0], [1, 2]]}}


def test_a_store_from_before_evaluations_is_migrated_keeping_its_runs():
    path = paths.store_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    before = SCHEMA_VERSION - 1
    for statements in MIGRATIONS[:before]:
        for sql in statements:
            conn.execute(sql)
    conn.execute(f"PRAGMA user_version = {before}")
    conn.execute("INSERT INTO runs (id, name, status, created_at, updated_at, config)"
                 " VALUES ('r1', 'old', 'completed', 1, 1, '{}')")
    conn.commit()
    conn.close()
    with RunStore() as store:
        assert "evaluations" in store.db.table_names()
        assert store.get_run("r1").name == "old"
        record = store.add_evaluation(target="old", kind="classify", data_path="/d/test.csv",
                                      data_sha256="abc", rows=4, metrics=_metrics(),
                                      run_id="r1")
        assert store.evaluations("r1") == [record]


def test_evaluation_record_round_trip_filters_and_cascade():
    with RunStore() as store:
        run = store.create_run(RunConfig(model="m").to_dict(), name="one")
        stamp = store.change_stamp()
        first = store.add_evaluation(
            target="one@20", kind="classify", data_path="/d/test.csv", data_sha256="abc",
            rows=4, metrics=_metrics(), settings={"batch_size": 8}, run_id=run.id,
            adapter_path="/o/checkpoints/step-000020/adapter", step=20, base_model="/m",
            task="seq_cls", predictions_path="/o/eval/p.jsonl", seconds=1.5)
        assert store.change_stamp() != stamp
        base = store.add_evaluation(target="base", kind="classify", data_path="/d/test.csv",
                                    data_sha256="abc", rows=4, metrics={"accuracy": 0.25},
                                    base_model="/m", task="seq_cls")
        store.add_evaluation(target="one", kind="classify", data_path="/d/other.csv",
                             data_sha256="def", rows=2, metrics={"accuracy": 1.0},
                             run_id=run.id)
        again = store.get_evaluation(first.id)
        assert again == first
        assert again.metrics["nan_one"] is None      # strict JSON in the file
        assert again.metrics["confusion"]["matrix"] == [[1, 0], [1, 2]]
        assert again.settings == {"batch_size": 8} and again.step == 20
        assert [e.target for e in store.evaluations(data_sha256="abc")] == ["base", "one@20"]
        assert len(store.evaluations(run.id)) == 2
        store.delete_run(run.id)
        assert store.evaluations() == [base]
        store.delete_evaluation(base.id)
        assert store.evaluations() == []
