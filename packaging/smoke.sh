#!/usr/bin/env bash
# Smoke test of the desktop bundle (see packaging/README.md): builds it if dist/ has none,
# then runs it in a clean environment: env -i, a temporary HOME, a PATH with no Python on it
# (an empty folder), no PYTHONPATH/site-packages. Not part of .ci/run: the build takes minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PYTHON:-python3}
BIN=$ROOT/dist/peft-studio/peft-studio
[ -x "$BIN" ] || packaging/build.sh

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/home" "$TMP/emptybin"
fail() { echo "SMOKE FAILED: $*" >&2; exit 1; }
# env -i: nothing of this shell's environment; timeout (outside it) bounds every step.
clean() { timeout 600 env -i HOME="$TMP/home" PATH="$TMP/emptybin" LANG=C.UTF-8 "$@"; }
now() { date +%s.%N; }
since() { printf '%.1f' "$(echo "$(now) - $1" | bc)"; }   # seconds since $1

echo "== bundle: $BIN ($(du -sh "$ROOT/dist/peft-studio" | cut -f1))"
[ ! -e "$ROOT/dist/peft-studio/_internal/torch" ] || fail "the real torch is in the bundle"
clean /bin/sh -c 'command -v python3 python' >/dev/null && fail "a Python is on the clean PATH"
INTERNAL=$ROOT/dist/peft-studio/_internal
for f in resources/translations/peft_studio_zh_CN.qm share/applications/peft-studio.desktop \
         share/icons/hicolor/scalable/apps/peft-studio.svg \
         share/icons/hicolor/256x256/apps/peft-studio.png; do
    [ -s "$INTERNAL/$f" ] || fail "the bundle has no $f"
done
echo "translation, menu entry and icons present"

echo "== tiny model and data, made with the dev Python (not the bundle's)"
PYTHONPATH=$ROOT "$PY" packaging/make_tiny.py "$TMP/tiny" >/dev/null 2>"$TMP/tiny.log" \
    || { cat "$TMP/tiny.log"; fail "could not make the tiny model"; }

echo "== --version"
t=$(now)
got=$(clean "$BIN" --version)
want="peft-studio $(PYTHONPATH=$ROOT "$PY" -c 'import studio; print(studio.__version__)')"
[ "$got" = "$want" ] || fail "--version said '$got', expected '$want'"
echo "$got (cold start $(since "$t") s)"

echo "== methods --json"
clean "$BIN" methods --json > "$TMP/methods.json"
"$PY" -c 'import json, sys; m = json.load(open(sys.argv[1])); ids = [x["id"] for x in m];
assert "lora" in ids, ids; print(len(ids), "methods:", ", ".join(ids))' "$TMP/methods.json"

echo "== train (headless, JSON events)"
t=$(now)
rc=0
clean "$BIN" train "$TMP/tiny/run.yaml" --events json > "$TMP/train.jsonl" 2>"$TMP/train.err" \
    || rc=$?
[ "$rc" = 0 ] || { tail -20 "$TMP/train.err"; fail "train exited $rc"; }
"$PY" - "$TMP/train.jsonl" "$TMP/tiny/out" <<'PYEOF'
import json, pathlib, sys
events = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
steps = [e for e in events if e["event"] == "step"]
done = [e for e in events if e["event"] == "finished"]
assert steps and done and done[-1].get("status") == "completed", events[-3:]
assert any(pathlib.Path(sys.argv[2]).rglob("adapter_model.safetensors")), "no adapter saved"
print(f"{len(steps)} steps, loss {steps[0]['loss']:.4f} -> {steps[-1]['loss']:.4f}, completed")
PYEOF
echo "train took $(since "$t") s"

echo "== every run-time dependency imports (several only when a feature runs)"
mods=$(PYTHONPATH=$ROOT "$PY" packaging/collect.py --imports)
# shellcheck disable=SC2086 # one argument per module
clean "$BIN" --run-code 'import importlib, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
print(len(sys.argv) - 1, "modules")' $mods 2>"$TMP/imports.err" \
    || { tail -5 "$TMP/imports.err"; fail "a run-time dependency is missing from the bundle"; }

echo "== eval (the base model on held-out instructions: generation metrics)"
rc=0
clean "$BIN" eval "$TMP/tiny/model" --data "$TMP/tiny/test.jsonl" --task causal_lm \
    --max-new-tokens 2 --batch-size 2 --no-record --json > "$TMP/eval.json" \
    2>"$TMP/eval.err" || rc=$?
[ "$rc" = 0 ] || { tail -20 "$TMP/eval.err"; fail "eval exited $rc"; }
"$PY" - "$TMP/eval.json" <<'PYEOF'
import json, pathlib, sys
found = json.load(open(sys.argv[1]))["evaluations"][0]
assert found["kind"] == "generate" and found["rows"] == 4, found
assert {"exact_match", "rouge_l", "bleu", "chrf"} <= set(found["metrics"]), found["metrics"]
assert len(pathlib.Path(found["predictions_path"]).read_text().splitlines()) == 4
print(f"4 rows, chrF {found['metrics']['chrf']:.1f}, predictions written")
PYEOF

echo "== window (offscreen) to first paint, then quit"
t=$(now)
rc=0
clean QT_QPA_PLATFORM=offscreen PEFT_STUDIO_QUIT_AFTER_FIRST_PAINT=1 \
    "$BIN" > "$TMP/window.out" 2>"$TMP/window.err" || rc=$?
[ "$rc" = 0 ] || { tail -20 "$TMP/window.err"; fail "the window exited $rc"; }
grep -q "first paint" "$TMP/window.err" || { cat "$TMP/window.err"; fail "no first paint"; }
echo "window painted and quit (cold start to first paint and exit $(since "$t") s)"

echo "SMOKE PASSED"
