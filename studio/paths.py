"""Where the studio keeps its files. Everything goes through here so tests can redirect it.

``PEFT_STUDIO_HOME`` overrides the root (tests point it at a tmp dir); otherwise the XDG
locations are used.
"""

from __future__ import annotations

import os
from pathlib import Path


def _xdg(var: str, fallback: str) -> Path:
    value = os.environ.get(var)
    return Path(value) if value else Path.home() / fallback


def home_override() -> Path | None:
    value = os.environ.get("PEFT_STUDIO_HOME")
    return Path(value) if value else None


def data_dir() -> Path:
    """Run store and run outputs."""
    root = home_override()
    return root / "data" if root else _xdg("XDG_DATA_HOME", ".local/share") / "peft-studio"


def config_dir() -> Path:
    """User settings."""
    root = home_override()
    return root / "config" if root else _xdg("XDG_CONFIG_HOME", ".config") / "peft-studio"


def cache_dir() -> Path:
    root = home_override()
    return root / "cache" if root else _xdg("XDG_CACHE_HOME", ".cache") / "peft-studio"


def store_path() -> Path:
    return data_dir() / "runs.sqlite"


def runs_dir() -> Path:
    """Default parent of run output folders."""
    return data_dir() / "runs"
