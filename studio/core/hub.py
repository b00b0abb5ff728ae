"""Where model downloads come from: the official Hugging Face hub unless the user chose a
mirror or ModelScope (the window's Settings, or a run file's ``hub:`` section).

``import mindnlp`` points ``HF_ENDPOINT`` at a third-party mirror when it is unset, so
``runtime.bootstrap`` calls ``apply`` first: the studio always sets the endpoint itself.
The choice travels to child processes in ``PEFT_STUDIO_HUB`` / ``PEFT_STUDIO_HUB_ENDPOINT``
(an ``HF_ENDPOINT`` found in the environment alone is not a choice: mindnlp may have set it).
``HF_HUB_OFFLINE=1`` is respected: nothing is downloaded, the local cache alone is used.
"""

from __future__ import annotations

import os
import sys
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlparse

from .errors import StudioError

SOURCES = ("huggingface", "mirror", "modelscope")
OFFICIAL_ENDPOINT = "https://huggingface.co"
MODELSCOPE_ENDPOINT = "https://www.modelscope.cn"
ENV_SOURCE = "PEFT_STUDIO_HUB"
ENV_ENDPOINT = "PEFT_STUDIO_HUB_ENDPOINT"
_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class HubChoice:
    source: str = "huggingface"
    endpoint: str | None = None     # the mirror's URL (source "mirror" only)

    @property
    def url(self) -> str:
        """Where hub ids are fetched from."""
        if self.source == "mirror" and self.endpoint:
            return self.endpoint.rstrip("/")
        return MODELSCOPE_ENDPOINT if self.source == "modelscope" else OFFICIAL_ENDPOINT

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def problems(source: Any, endpoint: Any) -> list[tuple[str, str, str, str]]:
    """(field, message, expected, found) for a bad choice; empty when it is good."""
    found: list[tuple[str, str, str, str]] = []
    if source not in SOURCES:
        found.append(("hub.source", "unknown download source", "one of " + ", ".join(SOURCES),
                      repr(source)))
        return found
    if source == "mirror":
        url = urlparse(endpoint) if isinstance(endpoint, str) else None
        if url is None or url.scheme not in ("http", "https") or not url.netloc:
            found.append(("hub.endpoint", "a mirror needs its address",
                          "an http(s) URL such as https://mirror.example.org", repr(endpoint)))
    elif endpoint is not None:
        found.append(("hub.endpoint", f"only a mirror takes an address, not {source}",
                      "no endpoint, or source: mirror", repr(endpoint)))
    return found


def choice(source: Any = "huggingface", endpoint: Any = None) -> HubChoice:
    """A validated HubChoice; StudioError naming what is wrong."""
    bad = problems(source, endpoint)
    if bad:
        field, message, expected, got = bad[0]
        raise StudioError(f"{field}: {message} (expected {expected}, found {got})")
    return HubChoice(str(source), endpoint.rstrip("/") if isinstance(endpoint, str) else None)


def from_environment() -> HubChoice:
    """The choice handed down by the window or a parent process; the official hub if none."""
    source = os.environ.get(ENV_SOURCE) or "huggingface"
    return choice(source, os.environ.get(ENV_ENDPOINT) or None)


def offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in _TRUE


def apply(chosen: HubChoice | None = None) -> HubChoice:
    """Point this process (and its children) at ``chosen`` (default: ``from_environment``).
    Call before ``import mindnlp``; afterwards the loaded hub client is updated too."""
    chosen = chosen or from_environment()
    os.environ[ENV_SOURCE] = chosen.source
    if chosen.endpoint:
        os.environ[ENV_ENDPOINT] = chosen.endpoint
    else:
        os.environ.pop(ENV_ENDPOINT, None)
    # ModelScope has its own client (studio.core.modelscope, which reads
    # MODELSCOPE_ENDPOINT); the HF client stays on the official hub.
    endpoint = chosen.url if chosen.source == "mirror" else OFFICIAL_ENDPOINT
    os.environ["HF_ENDPOINT"] = endpoint
    _update_loaded_clients(endpoint)
    return chosen


def _update_loaded_clients(endpoint: str) -> None:
    """The hub client and transformers copy the endpoint into module globals at import;
    keep already imported ones in step (a process that imported them before choosing)."""
    resolve = endpoint + "/{repo_id}/resolve/{revision}/{filename}"
    values = (("huggingface_hub.constants", "ENDPOINT", endpoint),
              ("huggingface_hub.constants", "HUGGINGFACE_CO_URL_TEMPLATE", resolve),
              ("huggingface_hub.file_download", "HUGGINGFACE_CO_URL_TEMPLATE", resolve),
              ("transformers.utils.hub", "HUGGINGFACE_CO_RESOLVE_ENDPOINT", endpoint),
              ("transformers.utils.hub", "HUGGINGFACE_CO_PREFIX",
               endpoint + "/{model_id}/resolve/{revision}/{filename}"))
    for module, name, value in values:
        loaded = sys.modules.get(module)
        if loaded is not None and hasattr(loaded, name):
            setattr(loaded, name, value)
    api = getattr(sys.modules.get("huggingface_hub.hf_api"), "api", None)
    if api is not None:   # the default client behind file_exists, model_info, ...
        api.endpoint = endpoint
