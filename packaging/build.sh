#!/usr/bin/env bash
# Build the Linux x86-64 desktop bundle into dist/peft-studio/ (see packaging/README.md);
# with --archive also dist/peft-studio-VERSION-linux-x86_64.tar.gz.
# Needs the dev environment (pip install -e ".[dev]" -r packaging/requirements.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PYTHON:-python3}
WORK=$ROOT/build/packaging
mkdir -p "$WORK"
export PYTHONPATH=$ROOT${PYTHONPATH:+:$PYTHONPATH}

echo "== 1/4 probe: a tiny training with the dev Python records what the stack loads"
rm -rf "$WORK/tiny" "$WORK/probe-home"
"$PY" packaging/make_tiny.py "$WORK/tiny" >/dev/null
GLOG_v=3 QT_QPA_PLATFORM=offscreen PEFT_STUDIO_HOME="$WORK/probe-home" \
    "$PY" packaging/probe.py "$WORK/tiny/run.yaml" "$WORK/probe.json"

echo "== 2/4 icons"
rm -rf packaging/build-icons
QT_QPA_PLATFORM=offscreen "$PY" packaging/icons.py packaging/build-icons

echo "== 3/4 PyInstaller (onedir)"
PEFT_STUDIO_PROBE="$WORK/probe.json" "$PY" -m PyInstaller --noconfirm --clean \
    --log-level WARN --workpath "$WORK/pyinstaller" --distpath "$ROOT/dist" \
    packaging/peft-studio.spec

echo "== 4/4 byte-compile the copied sources (hash-checked, so start-up never recompiles)"
"$PY" -m compileall -q -j 0 --invalidation-mode unchecked-hash \
    "$ROOT/dist/peft-studio/_internal" >/dev/null || true
cp packaging/linux/install.sh "$ROOT/dist/peft-studio/install.sh"
du -sh "$ROOT/dist/peft-studio"
echo "built: $ROOT/dist/peft-studio/peft-studio"

if [ "${1:-}" = "--archive" ]; then   # the download: one folder in a tar.gz
    version=$(PYTHONPATH=$ROOT "$PY" -c 'import studio; print(studio.__version__)')
    archive=$ROOT/dist/peft-studio-$version-linux-x86_64.tar.gz
    tar -C "$ROOT/dist" -czf "$archive" peft-studio
    du -sh "$archive"
fi
