"""The benchmark runs end to end (one quick workload). It measures nothing here: the numbers
are only checked to exist, never timed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def test_quick_lora_training_reports_tokens_per_second(tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, "-m", "bench", "--quick", "--only",
                           "train_lora_llama_tiny", "--reps", "1", "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(out.read_text())
    assert report["quick"] and not report["errors"]
    rows = {(r["workload"], r["metric"]): r for r in report["rows"]}
    row = rows[("train_lora_llama_tiny", "tokens_per_s")]
    assert row["studio"]["median"] > 0
    if "pytorch" in report["backends"]:
        assert row["pytorch"]["median"] > 0 and row["ratio"] > 0
    assert "train_lora_llama_tiny" in done.stdout   # the table


def test_quick_batched_evaluation_reports_rows_and_tokens_per_second(tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, "-m", "bench", "--quick", "--only",
                           "eval_llama_tiny", "--reps", "1", "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(out.read_text())
    assert not report["errors"], report["errors"]
    rows = {(r["workload"], r["metric"]): r for r in report["rows"]}
    for metric in ("classify_rows_per_s", "generate_tokens_per_s", "generate_rows_per_s"):
        assert rows[("eval_llama_tiny", metric)]["studio"]["median"] > 0
        if "pytorch" in report["backends"]:
            assert rows[("eval_llama_tiny", metric)]["pytorch"]["median"] > 0
