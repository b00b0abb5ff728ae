"""The one way into the compute stack: ``bootstrap()`` imports mindnlp (which redirects
``import torch`` to mindtorch) and applies our compatibility fixes, exactly once per process.

Only processes that compute call it (the trainer child, inference workers, tests that train);
the GUI never does at start-up. Nothing in ``studio.core`` imports torch/transformers/peft at
module level for this reason.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

from .messages import msg

_lock = threading.Lock()
_DEVICES = {"CPU": "cpu", "GPU": "gpu", "Ascend": "ascend"}
_done = False


def quiet_environment() -> None:
    """Silence MindSpore's [WARNING] lines and diffusers' experimental notice on import."""
    os.environ.setdefault("GLOG_v", "3")
    os.environ.setdefault("DIFFUSERS_VERBOSITY", "error")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


def bootstrap() -> None:
    """Import mindnlp and apply the compat fixes. Safe to call many times and from threads."""
    global _done
    if _done:
        return
    with _lock:
        if _done:
            return
        if "torch" in sys.modules and "mindnlp" not in sys.modules:
            torch = sys.modules["torch"]
            if "mindtorch" not in getattr(torch, "__file__", "") :
                raise RuntimeError(
                    "the real PyTorch was imported before mindnlp; import studio.core.runtime "
                    "and call bootstrap() before anything imports torch/transformers/peft")
        quiet_environment()
        from . import hub

        hub.apply()  # before mindnlp, which would point downloads at its own mirror
        import mindnlp  # noqa: F401  (redirects `import torch`)
        import mindspore

        from . import compat, fastpaths, weightsafety

        compat.apply_all()
        weightsafety.install()  # not a compat fix: never left out
        fastpaths.use(_DEVICES.get(mindspore.get_context("device_target"), "cpu"))
        _done = True


def is_bootstrapped() -> bool:
    return _done


def available_devices() -> dict[str, Any]:
    """What MindSpore reports: the device targets this build can use."""
    import mindspore

    info: dict[str, Any] = {"cpu": True, "gpu": False, "ascend": False,
                            "mindspore": mindspore.__version__}
    try:
        from mindspore import hal  # type: ignore[attr-defined]

        for name, target in (("gpu", "GPU"), ("ascend", "Ascend")):
            try:
                info[name] = bool(hal.is_available(target))
            except Exception:  # noqa: BLE001 - backends report absence by raising
                info[name] = False
    except ImportError:
        pass
    return info


def select_device(requested: str) -> str:
    """Resolve auto/cpu/gpu/ascend to the MindSpore target actually used; raise if absent."""
    import mindspore

    from .errors import StudioError

    devices = available_devices()
    if requested == "auto":
        chosen = "ascend" if devices["ascend"] else "gpu" if devices["gpu"] else "cpu"
    else:
        chosen = requested
        if not devices.get(chosen, False):
            available = ", ".join(k for k in ("cpu", "gpu", "ascend") if devices[k])
            raise StudioError(msg("runtime.device_not_available_on", requested=requested,
                                  available=available))
    target = {"cpu": "CPU", "gpu": "GPU", "ascend": "Ascend"}[chosen]
    if mindspore.get_context("device_target") != target:
        try:
            mindspore.set_device(target)
        except RuntimeError as exc:  # the runtime starts at the first kernel: too late then
            raise StudioError(msg("runtime.cannot_switch_process", device=chosen,
                                  error=exc)) from exc
    from . import fastpaths

    fastpaths.use(chosen)
    return chosen
