"""``python -m bench``: the studio's speed, against PyTorch + transformers + PEFT when they are
installed. Each measurement is a fresh child process (``python -m bench.workload``); the two
stacks alternate A/B/A/B. See bench/README.md."""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (workload, sizes it belongs to). startup and gui_lag have no model: they run at any size.
WORKLOADS = [
    "train_lora_gpt2_tiny", "train_lora_llama_tiny", "train_prompt_llama_tiny",
    "generate_gpt2_tiny", "generate_llama_tiny", "classify_llama_tiny", "eval_llama_tiny",
    "ipc_llama_tiny", "startup", "gui_lag", "train_lora_bert_minilm",
    "train_lora_gpt2_100m", "train_lora_llama_100m", "generate_gpt2_100m", "generate_llama_100m",
    "train_lora_qwen2_0.5b", "generate_qwen2_0.5b",
]
NO_MODEL = {"startup", "gui_lag"}
STUDIO_ONLY = NO_MODEL | {"ipc_llama_tiny"}   # nothing to compare with on PyTorch
CLASSIFIERS = {"bert"}   # families whose only model is the 3-label classifier
PARAMS = {"batch", "length", "steps", "new_tokens", "rows", "ticks", "events", "heavy_imports",
          "answers"}
SIZES = ("tiny", "minilm", "100m", "0.5b")
HEAVY = {"100m", "0.5b"}   # these sizes run once per HEAVY_REPS repetitions (at least once)
HEAVY_REPS = 3


def size_of(name: str) -> str | None:
    return None if name in NO_MODEL else name.rsplit("_", 1)[1]


def model_folders(names: list[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        if name in NO_MODEL:
            continue
        family, size = name.split("_")[-2:]
        wanted = {"classify": ["-cls"], "eval": ["", "-cls"]}.get(name.split("_")[0], [""])
        if family in CLASSIFIERS:
            wanted = ["-cls"]
        for suffix in wanted:   # eval: the causal model (generation) and the classifier
            if f"{family}-{size}{suffix}" not in out:
                out.append(f"{family}-{size}{suffix}")
    return out


def child_env(home: str) -> dict[str, str]:
    env = dict(os.environ, PEFT_STUDIO_HOME=home, PYTHONUNBUFFERED="1")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def pytorch_available() -> bool:
    """The real PyTorch, transformers and peft, importable in a plain process."""
    code = ("import sys, torch, transformers, peft; "
            "sys.exit('mindtorch' in torch.__file__ or 'mindnlp' in sys.modules)")
    return subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


def run_child(name: str, backend: str, models: Path, quick: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-home-") as home:
        args = [sys.executable, "-m", "bench.workload", name, "--backend", backend,
                "--models", str(models), "--json", "--spawned", repr(time.time())]
        if quick:
            args.append("--quick")
        try:
            out = subprocess.run(args, cwd=ROOT, env=child_env(home), text=True,
                                 capture_output=True, timeout=900)
        except subprocess.TimeoutExpired:
            return {"error": "timed out after 900 s"}
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith('{"workload"')]
    if out.returncode != 0 or not lines:
        tail = "\n".join((out.stderr or out.stdout).strip().splitlines()[-15:])
        return {"error": f"exit {out.returncode}: {tail}"}
    return json.loads(lines[-1])["metrics"]


def summarise(values: list[float]) -> dict | None:
    values = [v for v in values if v is not None and math.isfinite(v)]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "n": len(values)}


def fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"


def table(rows: list[dict]) -> str:
    head = ("workload", "metric", "studio", "pytorch", "ratio", "studio min..max",
            "pytorch min..max")
    body = []
    for r in rows:
        s, p = r.get("studio"), r.get("pytorch")
        body.append((r["workload"], r["metric"], fmt(s and s["median"]), fmt(p and p["median"]),
                     fmt(r.get("ratio")),
                     f"{fmt(s['min'])}..{fmt(s['max'])} (n={s['n']})" if s else "-",
                     f"{fmt(p['min'])}..{fmt(p['max'])} (n={p['n']})" if p else "-"))
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths))  # noqa: E731
    return "\n".join([line(head), line("-" * w for w in widths)] + [line(b) for b in body])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="tiny work per measurement (2 steps, 3 tokens), 1 repetition: "
                             "checks that the benchmark runs, measures nothing useful")
    parser.add_argument("--reps", type=int, default=None,
                        help="repetitions per workload and stack (default 3; 1 with --quick)")
    parser.add_argument("--only", default=None, help="comma-separated workload names")
    parser.add_argument("--sizes", default=None,
                        help=f"comma-separated, of {','.join(SIZES)} (default all; tiny with "
                             "--quick)")
    parser.add_argument("--no-pytorch", action="store_true", help="the studio alone")
    parser.add_argument("--models", type=Path, default=None,
                        help="keep the built models in this folder (reused next time)")
    parser.add_argument("--json", type=Path, default=None, metavar="OUT",
                        help="write the results here (else they are printed after the table)")
    parser.add_argument("--list", action="store_true", help="list the workloads and exit")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(WORKLOADS))
        return 0
    reps = args.reps or (1 if args.quick else 3)
    sizes = set((args.sizes or ("tiny" if args.quick else ",".join(SIZES))).split(","))
    if sizes - set(SIZES):
        parser.error(f"unknown size(s) {', '.join(sorted(sizes - set(SIZES)))}; "
                     f"sizes are {', '.join(SIZES)}")
    if args.only:
        names = args.only.split(",")
        unknown = [n for n in names if n not in WORKLOADS]
        if unknown:
            parser.error(f"unknown workload(s) {', '.join(unknown)}; see --list")
    else:
        names = [n for n in WORKLOADS if size_of(n) in sizes | {None}]
    backends = ["studio"] + ([] if args.no_pytorch or not pytorch_available() else ["pytorch"])

    started = time.time()
    with tempfile.TemporaryDirectory(prefix="bench-models-") as scratch:
        models = args.models or Path(scratch)
        models.mkdir(parents=True, exist_ok=True)
        needed = model_folders(names)
        if needed:
            print(f"building models: {', '.join(needed)}", file=sys.stderr, flush=True)
            subprocess.run([sys.executable, "-m", "bench.models", str(models), *needed],
                           cwd=ROOT, env=child_env(scratch), check=True)
        raw: dict[str, dict[str, list[dict]]] = {n: {b: [] for b in backends} for n in names}
        for rep in range(reps):
            for name in names:
                if size_of(name) in HEAVY and rep % HEAVY_REPS:
                    continue
                for backend in backends:   # A/B, then A/B again in the next repetition
                    if backend != "studio" and name in STUDIO_ONLY:
                        continue
                    t0 = time.time()
                    result = run_child(name, backend, models, args.quick)
                    raw[name][backend].append(result)
                    status = result.get("error", "ok").splitlines()[0]
                    print(f"[{rep + 1}/{reps}] {name} {backend}: {time.time() - t0:.1f} s {status}",
                          file=sys.stderr, flush=True)

    rows = []
    for name in names:
        metrics = list(dict.fromkeys(k for b in backends for r in raw[name][b] for k in r
                                     if k not in PARAMS and k != "error"))
        for metric in metrics:
            row = {"workload": name, "metric": metric}
            for b in backends:
                row[b] = summarise([r.get(metric) for r in raw[name][b] if "error" not in r])
            if row.get("studio") and row.get("pytorch") and row["pytorch"]["median"]:
                row["ratio"] = row["studio"]["median"] / row["pytorch"]["median"]
            rows.append(row)
    errors = {f"{n}/{b}": r["error"] for n in names for b in backends for r in raw[n][b]
              if "error" in r}
    report = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
              "machine": {"platform": platform.platform(), "cpus": os.cpu_count(),
                          "python": platform.python_version()},
              "quick": args.quick, "reps": reps, "backends": backends,
              "wall_s": time.time() - started, "rows": rows, "raw": raw, "errors": errors}

    print(table(rows))
    print(f"\nratio = studio / pytorch. Metrics ending in _per_s: higher is better (ratio >= 1: "
          f"the studio is as fast); _s, _ms, _mb: lower is better. {reps} repetition(s), "
          f"{report['wall_s']:.0f} s in all.")
    for where, message in errors.items():
        print(f"FAILED {where}: {message}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
        print(f"results written to {args.json}")
    else:
        print(json.dumps({k: v for k, v in report.items() if k != "raw"}, indent=1))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
