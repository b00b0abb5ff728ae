#!/usr/bin/env sh
# Install PEFT Studio for this user (no root): ./install.sh ; remove it: ./install.sh --uninstall
# The program goes to ~/.local/opt/peft-studio, a link to ~/.local/bin, the menu entry and
# icons to ~/.local/share. Your runs and settings are never touched by either.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
OPT=$HOME/.local/opt/peft-studio
BIN=$HOME/.local/bin/peft-studio
SIZES="16 24 32 48 64 128 256 512"

if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$BIN" "$DATA/applications/peft-studio.desktop" \
          "$DATA/icons/hicolor/scalable/apps/peft-studio.svg"
    for s in $SIZES; do rm -f "$DATA/icons/hicolor/${s}x${s}/apps/peft-studio.png"; done
    rm -rf "$OPT"
    echo "PEFT Studio removed. Your runs and settings stay in $DATA/peft-studio and" \
         "${XDG_CONFIG_HOME:-$HOME/.config}/peft-studio; delete them yourself if you wish."
    exit 0
fi

[ -x "$HERE/peft-studio" ] || { echo "run install.sh from the unpacked peft-studio folder" >&2; exit 1; }
if [ "$HERE" != "$OPT" ]; then
    rm -rf "$OPT.new" && mkdir -p "$(dirname "$OPT")"
    cp -a "$HERE" "$OPT.new" && rm -rf "$OPT" && mv "$OPT.new" "$OPT"
fi
mkdir -p "$(dirname "$BIN")" "$DATA/applications" "$DATA/icons"
ln -sf "$OPT/peft-studio" "$BIN"
sed "s|^Exec=peft-studio|Exec=$OPT/peft-studio|" \
    "$OPT/_internal/share/applications/peft-studio.desktop" > "$DATA/applications/peft-studio.desktop"
cp -r "$OPT/_internal/share/icons/hicolor" "$DATA/icons/"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$DATA/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$DATA/icons/hicolor" || true
echo "PEFT Studio installed: the menu entry 'PEFT Studio', or 'peft-studio' in a terminal" \
     "(~/.local/bin must be on PATH)."
