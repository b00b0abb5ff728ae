"""User settings and window state, kept apart (qutebrowser's config vs. state files).

``settings()``: what the user chose (language, download source, last model/dataset/method,
recent models).
``state()``: how the window looked (geometry, splitters, last page); losing it costs nothing.
Both are ini files under ``paths.config_dir()``, looked up on every call so tests can point
``PEFT_STUDIO_HOME`` elsewhere.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, QSettings

from studio import paths
from studio.core import hub
from studio.core.errors import StudioError
from studio.core.hub import HubChoice

LANGUAGE_KEY = "ui/language"
LANGUAGES = ("en", "zh_CN")


def _ini(name: str) -> QSettings:
    folder = paths.config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return QSettings(str(folder / name), QSettings.Format.IniFormat)


def settings() -> QSettings:
    return _ini("settings.ini")


def state() -> QSettings:
    return _ini("state.ini")


def system_language() -> str:
    return "zh_CN" if QLocale.system().language() == QLocale.Language.Chinese else "en"


def language() -> str:
    """The chosen language, or the system's when Chinese, else English."""
    value = settings().value(LANGUAGE_KEY)
    return value if value in LANGUAGES else system_language()


def set_language(value: str) -> None:
    if value not in LANGUAGES:
        raise ValueError(f"unknown language {value!r}; expected one of {LANGUAGES}")
    store = settings()
    store.setValue(LANGUAGE_KEY, value)
    store.sync()


HUB_SOURCE_KEY = "hub/source"
HUB_ENDPOINT_KEY = "hub/endpoint"


def hub_choice() -> HubChoice:
    """Where downloads come from; the official hub when nothing (valid) was chosen."""
    store = settings()
    try:
        return hub.choice(str(store.value(HUB_SOURCE_KEY, "huggingface") or "huggingface"),
                          store.value(HUB_ENDPOINT_KEY) or None)
    except StudioError:   # an edited or damaged ini: fall back to the safe default
        return HubChoice()


def set_hub_choice(chosen: HubChoice) -> None:
    store = settings()
    store.setValue(HUB_SOURCE_KEY, chosen.source)
    if chosen.endpoint:
        store.setValue(HUB_ENDPOINT_KEY, chosen.endpoint)
    else:
        store.remove(HUB_ENDPOINT_KEY)
    store.sync()
