"""Adapters on one loaded base model, and switching between them without loading it again.

PEFT adapters of one type share one PeftModel (the first through
``PeftModel.from_pretrained``, later ones through ``load_adapter``); switching is
``set_adapter``, the base alone is ``disable_adapter()``. An adapter of another PEFT type
(say IA3 after LoRA) unloads the injected layers and wraps the same base again; the others
come back when next used. BitFit results are bias values, swapped in and out in place.

Not thread-safe by itself: the session calls it with its lock held.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import StudioError
from ..messages import lines, msg
from .sources import AdapterSource

PROMPT_LEARNING = ("PREFIX_TUNING", "PROMPT_TUNING", "P_TUNING")
# Types whose merge adds a delta to the base weight, so unmerging subtracts it again exactly
# up to rounding (IA3 and OFT/BOFT multiply, and peft warns their unmerge can be inaccurate).
ADDITIVE = ("LORA", "ADALORA", "LOHA", "LOKR", "VERA", "FOURIERFT")


class IncompatibleAdapter(StudioError):  # noqa: N818 - reads as the finding it reports
    """The adapter does not fit the loaded base; ``problems`` lists why."""

    def __init__(self, name: str, problems: list[str]):
        self.problems = problems
        super().__init__(msg("inference.incompatible", name=name,
                             problems=lines(problems, "text.semicolons")))


@dataclass
class Slot:
    source: AdapterSource
    key: str                                  # the adapter's name inside peft ("a1", ...)
    tensors: dict[str, Any] | None = None     # BitFit: parameter name -> numpy array


class AdapterSlots:
    def __init__(self, base: Any):
        self.base = base          # the transformers model (adapter layers get injected into it)
        self.peft: Any = None     # the PeftModel around it while a PEFT adapter is in use
        self.peft_type: str | None = None
        self.slots: dict[str, Slot] = {}
        self._in_peft: set[str] = set()       # keys of the adapters inside self.peft now
        self._counter = 0
        self._params = dict(base.named_parameters())   # the base's own, by name
        self._originals: dict[str, Any] = {}  # BitFit: the base's values of swapped tensors
        self._bitfit_on: str | None = None
        self._merged: str | None = None       # the key merged into the base layers now
        self.version = 0          # changes whenever the base layers' weights change
        self.plain_weights = True  # prepare(): the base layers' weights alone give the answer

    @property
    def model(self) -> Any:
        """The outermost model (for parameter counts)."""
        return self.peft if self.peft is not None else self.base

    def get(self, name: str) -> Slot:
        try:
            return self.slots[name]
        except KeyError:
            known = ", ".join(self.slots) or "none"
            raise StudioError(msg("inference.no_adapter_named_loaded", name=repr(name),
                                  known=known)) from None

    def loaded(self, name: str) -> bool:
        slot = self.get(name)
        return slot.tensors is not None or slot.key in self._in_peft

    # ---- adding and removing -----------------------------------------------------------
    def add(self, name: str, source: AdapterSource, active: str | None) -> None:
        self._unmerge()
        self._counter += 1
        slot = Slot(source, f"a{self._counter}")
        if source.kind == "bitfit":
            slot.tensors = self._read_bitfit(source)
        elif self.peft is None or self.peft_type == source.peft_type:
            self._load_peft(slot)
        # else: another PEFT type than the one wrapped now; loaded when first used
        self.slots[name] = slot
        if active is not None and self.peft is not None and self.slots[active].key in self._in_peft:
            self.peft.set_adapter(self.slots[active].key)

    def remove(self, name: str) -> None:
        slot = self.get(name)
        self._unmerge()
        if self._bitfit_on == name:
            self._set_bitfit(None)
        if self.peft is not None and slot.key in self._in_peft:
            others = sorted(self._in_peft - {slot.key})
            if not others or self.peft_type in PROMPT_LEARNING:
                self._unwrap()
            else:
                if self.peft.active_adapter == slot.key:
                    self.peft.set_adapter(others[0])
                self.peft.delete_adapter(slot.key)
                self._in_peft.discard(slot.key)
        del self.slots[name]

    def _read_bitfit(self, source: AdapterSource) -> dict[str, Any]:
        from safetensors.numpy import load_file

        try:
            tensors = load_file(str(source.weights))
        except Exception as exc:  # noqa: BLE001 - a damaged file: say which
            raise StudioError(msg("inference.cannot_read", file=source.weights,
                                  error=exc)) from None
        for key, array in tensors.items():
            param = self._params.get(key)
            if param is None or tuple(param.shape) != tuple(array.shape):
                problem = (msg("inference.base_lacks_tensor", key=key) if param is None else
                           msg("inference.base_tensor_shape", shape=tuple(param.shape),
                               file_shape=tuple(array.shape), key=key))
                raise IncompatibleAdapter(source.name, [problem])
        return tensors

    def _load_peft(self, slot: Slot) -> None:
        from peft import PeftModel

        from .. import weightsafety

        source = slot.source
        weightsafety.check_folder(source.path)
        try:
            if self.peft is None:
                self.peft = PeftModel.from_pretrained(self.base, source.path,
                                                      adapter_name=slot.key, is_trainable=False)
                self.peft_type = source.peft_type
            else:
                self.peft.load_adapter(source.path, adapter_name=slot.key, is_trainable=False)
        except MemoryError:
            raise StudioError(msg("inference.out_memory_loading_adapter",
                                  name=source.name)) from None
        except Exception as exc:
            raise weightsafety.cause(exc) or StudioError(
                msg("inference.cannot_load_adapter", path=source.path,
                    name=type(exc).__name__, error=exc)) from exc
        self._in_peft.add(slot.key)
        self.peft.eval()

    def _unwrap(self) -> None:
        """Take all PEFT layers out again; the base model object stays the same."""
        from peft.utils import ModulesToSaveWrapper

        peft, self.peft, self.peft_type = self.peft, None, None
        self._in_peft = set()
        self.version += 1
        prompt = bool(peft.active_peft_config.is_prompt_learning)
        inner = peft.base_model if prompt else peft.base_model.model
        # Restore the base's own task heads first: unload() would keep an adapter's copy.
        for name, module in list(inner.named_modules()):
            if isinstance(module, ModulesToSaveWrapper):
                parent = inner.get_submodule(name.rsplit(".", 1)[0]) if "." in name else inner
                setattr(parent, name.rsplit(".", 1)[-1], module.original_module)
        self.base = inner if prompt else peft.unload()
        # peft leaves its config dict on the model; the next wrapper would take it over and
        # believe the old adapters were still there.
        self.base.__dict__.pop("peft_config", None)

    # ---- switching ---------------------------------------------------------------------
    def _set_bitfit(self, name: str | None) -> None:
        import torch

        if self._bitfit_on == name:
            return
        self.version += 1
        with torch.no_grad():
            for key, original in self._originals.items():
                self._params[key].copy_(torch.tensor(original))
            self._originals = {}
            self._bitfit_on = None
            if name is not None:
                for key, array in (self.slots[name].tensors or {}).items():
                    param = self._params[key]
                    self._originals[key] = param.detach().numpy().copy()
                    param.copy_(torch.tensor(array, dtype=param.dtype))
                self._bitfit_on = name

    def _unmerge(self) -> None:
        if self._merged is not None:
            self._merged = None
            self.version += 1
            self.peft.unmerge_adapter()

    def _merge(self, key: str) -> None:
        """Merge the active adapter into the base layers (the fast path
        ``merge_adapter_while_answering``)."""
        from ..fastpaths import is_active

        if (self._merged == key or not is_active("merge_adapter_while_answering")
                or self.peft_type not in ADDITIVE):
            return
        self._unmerge()
        self.version += 1
        try:
            self.peft.merge_adapter([key])
        except Exception:  # noqa: BLE001 - a type peft cannot merge answers unmerged
            self.peft.unmerge_adapter()
            return
        self._merged = key

    def prepare(self, name: str | None) -> str:
        """Put the model in the state for ``name``; returns 'base', 'bitfit' or 'peft'."""
        from ..fastpaths import is_active

        slot = self.get(name) if name is not None else None
        if self._merged is not None and (slot is None or slot.key != self._merged
                                         or not is_active("merge_adapter_while_answering")):
            self._unmerge()
        self.plain_weights = True
        if slot is None:
            self._set_bitfit(None)
            return "base"
        if slot.source.kind == "bitfit":
            self._set_bitfit(name)
            return "bitfit"
        self._set_bitfit(None)
        if slot.key not in self._in_peft:
            if self.peft is not None and self.peft_type != slot.source.peft_type:
                self._unwrap()
            self._load_peft(slot)
            for other in self.slots.values():   # the rest of this type come back too
                if (other is not slot and other.source.kind == "peft"
                        and other.source.peft_type == self.peft_type
                        and other.key not in self._in_peft):
                    self._load_peft(other)
        if self.peft.active_adapter != slot.key:
            self.peft.set_adapter(slot.key)
        self._merge(slot.key)
        self.plain_weights = self._merged == slot.key
        return "peft"

    @contextlib.contextmanager
    def answering(self, name: str | None) -> Iterator[Any]:
        """The model to call, with the adapter ``name`` (None = the base) in effect."""
        mode = self.prepare(name)
        if mode == "peft":
            yield self.peft
        elif self.peft is None:
            yield self.base
        else:
            with self.peft.disable_adapter():
                yield self.peft

    # ---- accounting --------------------------------------------------------------------
    def parameters(self) -> dict[str, Any]:
        """Parameter counts (base, adapters in total and per adapter name), bytes of
        parameters and buffers, and the base's dtype."""
        keys = {slot.key: name for name, slot in self.slots.items()}
        base = adapters = memory = 0
        dtype = None
        per_name: dict[str, int] = {}
        model = self.model
        for pname, param in model.named_parameters():
            n = int(param.numel())
            memory += n * int(param.element_size())
            owner = next((keys[p] for p in pname.split(".") if p in keys), None)
            if owner is None:
                base += n
                dtype = dtype or str(param.dtype).replace("mindspore.", "")
            else:
                adapters += n
                per_name[owner] = per_name.get(owner, 0) + n
        for buf in model.buffers():
            memory += int(buf.numel()) * int(buf.element_size())
        for name, slot in self.slots.items():
            if slot.tensors is not None:
                per_name[name] = sum(int(a.size) for a in slot.tensors.values())
        return {"base": base, "adapters": adapters, "per_adapter": per_name,
                "memory_bytes": memory, "dtype": dtype}
