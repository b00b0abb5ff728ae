"""Verification: reload an export in a fresh process and compare its logits with the
in-studio model's on fixed samples.

The parent writes a job file (folder, kind, inputs) and runs
``python -m studio.core.export JOB``; the child loads the folder the way a user
would (plain transformers / peft after ``bootstrap()``), always in float32 (bfloat16
weights cannot be computed on CPU; float16 and bfloat16 files are widened exactly), and
saves its logits. The parent compares: a pass needs max |difference| <= tolerance x
max(1, max |reference logit|), the tolerance set by the stored dtype.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from studio.launch import module_command

from ..messages import Message, msg

# Relative to the largest reference logit (at least 1): float32 files hold the same numbers
# (only summation order differs after a merge); half-precision files round every weight.
TOLERANCES = {"float32": 1e-4, "float16": 1e-2, "bfloat16": 5e-2}
DEFAULT_TIMEOUT_S = 1800.0


@dataclass
class Verification:
    passed: bool
    max_abs_diff: float | None     # None when the export did not load
    tolerance: float
    dtype: str
    samples: int
    seconds: float
    error: str | None = None       # why it failed to load or compare

    def summary(self) -> str:
        if self.max_abs_diff is None:
            return msg("export.verification_error", error=self.error)
        text = msg("export.verification_passed" if self.passed else "export.verification_failed",
                   diff=self.max_abs_diff, tolerance=self.tolerance, dtype=self.dtype,
                   samples=self.samples)
        return msg("text.colon", first=text, rest=self.error) if self.error else text

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; the error's code under ``messages`` (as in the events), so the window
        reads it with ``events.message_of(data, "error")`` and translates it."""
        data = asdict(self)
        if isinstance(self.error, Message):
            data["messages"] = {"error": self.error.to_dict()}
        return data


def tolerance(dtype: str, reference: np.ndarray) -> float:
    scale = float(np.abs(reference).max()) if reference.size else 1.0
    return TOLERANCES[dtype] * max(1.0, scale)


def _child_env() -> dict[str, str]:
    root = str(Path(__file__).resolve().parents[3])  # the folder holding the studio package
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def check(job: dict[str, Any], reference: np.ndarray, dtype: str,
          timeout_s: float = DEFAULT_TIMEOUT_S) -> Verification:
    """Run the fresh-process reload for ``job`` (see ``reload``) and compare with
    ``reference``."""
    started = time.time()
    tol = tolerance(dtype, reference)
    samples = len(job["inputs"]["input_ids"])
    work = Path(tempfile.mkdtemp(prefix="peft-studio-verify-"))

    def failed(error: str, diff: float | None = None) -> Verification:
        return Verification(False, diff, tol, dtype, samples, time.time() - started, error)

    try:
        job = {**job, "output": str(work / "logits.npy")}
        (work / "job.json").write_text(json.dumps(job))
        try:
            done = subprocess.run(module_command("studio.core.export", str(work / "job.json")),
                                  check=False, capture_output=True,
                                  text=True, env=_child_env(), cwd=work, timeout=timeout_s)
        except subprocess.TimeoutExpired:
            return failed(msg("verify.timeout", seconds=f"{timeout_s:.0f}"))
        if done.returncode != 0:
            lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
            reason = lines[-1] if lines else msg("worker.exit_code", code=done.returncode)
            return failed(msg("verify.does_not_load", reason=reason))
        theirs = np.load(work / "logits.npy")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if theirs.shape != reference.shape:
        return failed(msg("verify.shape_differs", theirs=str(list(theirs.shape)),
                          ours=str(list(reference.shape))))
    diff = float(np.abs(theirs.astype(np.float32) - reference).max())
    if not np.isfinite(diff):
        return failed(msg("verify.non_finite"), None if np.isnan(diff) else diff)
    passed = diff <= tol
    return Verification(passed, diff, tol, dtype, samples, time.time() - started,
                        None if passed else msg("verify.disagrees"))


def reload(job: dict[str, Any]) -> np.ndarray:
    """The child's side: load the export as a user would and return its logits."""
    from studio.core.runtime import bootstrap

    bootstrap()
    import torch
    import transformers

    from studio.core import weightsafety
    from studio.core.modeling import AUTO_CLASSES

    # The parent's consent travels with the job; a merged export is ours: safetensors only.
    weightsafety.allow_pickle(bool(job.get("allow_pickle_weights")))
    cls = getattr(transformers, AUTO_CLASSES[job["task"]])
    if job["kind"] == "merged":
        model = cls.from_pretrained(job["folder"], torch_dtype=torch.float32,
                                    use_safetensors=True)
    else:
        from peft import PeftModel

        weightsafety.check_folder(job["base"])
        weightsafety.check_folder(job["folder"])
        kwargs: dict[str, Any] = {"torch_dtype": torch.float32,
                                  **weightsafety.pretrained_kwargs()}
        labels = job.get("labels")
        if labels:
            kwargs.update(num_labels=len(labels), id2label=dict(enumerate(labels)),
                          label2id={n: i for i, n in enumerate(labels)},
                          ignore_mismatched_sizes=True)
        base = cls.from_pretrained(job["base"], **kwargs)
        if base.config.pad_token_id is None and job.get("pad_token_id") is not None:
            base.config.pad_token_id = job["pad_token_id"]
        model = PeftModel.from_pretrained(base, job["folder"])
    model.eval()
    tensors = {k: torch.tensor(v) for k, v in job["inputs"].items()}
    with torch.no_grad():
        out = model(**tensors).logits
    return np.asarray(out.float().numpy(), dtype=np.float32)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    job = json.loads(Path(argv[0]).read_text())
    logits = reload(job)
    np.save(job["output"], logits)
    print(json.dumps({"ok": True, "shape": list(logits.shape)}))
    return 0
