"""One loaded base model with any number of adapters on it, for chat, completion, seq2seq
generation and classification.

The base is loaded once. PEFT adapters of one type share one PeftModel (the first through
``PeftModel.from_pretrained``, later ones through ``load_adapter``); switching is
``set_adapter``, the base alone is ``disable_adapter()``. An adapter of another PEFT type
(say IA3 after LoRA) unloads the injected layers and wraps the same base again: the base
weights are never reloaded. BitFit results are bias values, swapped in and out in place.

Thread use: every method may run off the GUI thread (they block: loading takes seconds,
generation seconds per token on big models). One generation runs at a time per session;
``add_adapter``/``remove_adapter``/``use`` wait for a running one to finish. ``info()`` does
not wait.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import StudioError
from .compatibility import TASK_NAMES, check_compatible
from .prompts import Prompt, chat_prompt, completion_prompt, encoder_prompt, prompt_style
from .settings import GenerationSettings
from .sources import AdapterSource
from .streaming import TextStream

Progress = Callable[[str], None]
Messages = Sequence[dict[str, Any]]


class _Active:
    def __repr__(self) -> str:
        return "ACTIVE"


ACTIVE: Any = _Active()   # "the adapter chosen with use()"; None means the base model
GENERATIVE = ("causal_lm", "seq2seq")
PROMPT_LEARNING = ("PREFIX_TUNING", "PROMPT_TUNING", "P_TUNING")


class IncompatibleAdapter(StudioError):
    """The adapter does not fit the loaded base; ``problems`` lists why."""

    def __init__(self, name: str, problems: list[str]):
        self.problems = problems
        super().__init__(f"{name} cannot be used with this base model: " + "; ".join(problems))


@dataclass
class _Loaded:
    source: AdapterSource
    key: str                      # the adapter's name inside peft ("a1", "a2", ...)
    tensors: dict[str, Any] | None = None   # BitFit: parameter name -> numpy array


class InferenceSession:
    def __init__(self, base_path: str | Path, task: str | None = None, device: str = "auto",
                 label_names: Sequence[str] | None = None, dtype: str = "float32"):
        self.base_path = str(base_path)
        self.task = task
        self.requested_device = device
        self.label_names = list(label_names) if label_names else None
        self.dtype = dtype
        self.device: str | None = None
        self.model_type: str | None = None
        self.tokenizer: Any = None
        self.base: Any = None         # the transformers model (adapter layers injected into it)
        self.peft: Any = None         # the PeftModel around it, once a PEFT adapter is in use
        self._peft_type: str | None = None
        self._in_peft: set[str] = set()   # keys of the adapters inside self.peft now
        self._adapters: dict[str, _Loaded] = {}
        self._active: str | None = None
        self._counter = 0
        self._params: dict[str, Any] = {}
        self._originals: dict[str, Any] = {}   # BitFit: the base's own values of swapped tensors
        self._bitfit_on: str | None = None
        self._lock = threading.Lock()

    # ---- loading ---------------------------------------------------------------------
    @property
    def loaded(self) -> bool:
        return self.base is not None

    def load(self, progress: Progress | None = None) -> None:
        """Import the stack, load tokenizer and base model. Raises StudioError."""
        say = progress or (lambda stage: None)
        from ..modeling import AUTO_CLASSES, load_base_model, load_tokenizer
        from ..modelinfo import inspect
        from ..runtime import bootstrap, select_device

        with self._lock:
            if self.base is not None:
                return
            info = inspect(self.base_path)
            self.model_type = info.model_type
            self.task = self.task or info.default_task or "causal_lm"
            if self.task not in AUTO_CLASSES:
                raise StudioError(f"unknown task {self.task!r}")
            if info.model_type and self.task not in info.tasks:
                raise StudioError(f"{self.base_path} ({info.model_type}) cannot do "
                                  f"{TASK_NAMES[self.task]}")
            say("starting MindSpore")
            bootstrap()
            self.device = select_device(self.requested_device)
            say("loading the tokenizer")
            self.tokenizer = load_tokenizer(self.base_path, self.task)
            say(f"loading {Path(self.base_path).name or self.base_path}")
            labels = self.label_names
            if self.task in ("seq_cls", "token_cls") and not labels:
                labels = _config_labels(self.base_path)
            try:
                model = load_base_model(self.base_path, self.task, self.tokenizer, self.dtype,
                                        labels)
            except MemoryError:
                raise StudioError(f"out of memory loading {self.base_path}") from None
            model.eval()
            self.label_names = labels
            self._params = dict(model.named_parameters())
            self.base = model
            say("ready")

    def _require(self) -> None:
        if self.base is None:
            raise StudioError("the base model is not loaded yet (call load() first)")

    # ---- adapters ----------------------------------------------------------------------
    @property
    def adapters(self) -> list[str]:
        return list(self._adapters)

    @property
    def active(self) -> str | None:
        return self._active

    def source(self, name: str) -> AdapterSource:
        return self._get(name).source

    def add_adapter(self, name: str, source: AdapterSource,
                    progress: Progress | None = None) -> None:
        """Check, then load an adapter under ``name`` (it does not become active)."""
        say = progress or (lambda stage: None)
        with self._lock:
            self._require()
            if not name or name in self._adapters:
                raise StudioError(f"an adapter named {name!r} is already loaded" if name
                                  else "an adapter needs a name")
            if source.kind == "full":
                raise StudioError(f"{source.name} is a whole fine-tuned model, not an adapter: "
                                  f"open its folder ({source.path}) as the base model")
            problems = check_compatible(source, self.base_path, task=self.task)
            ours = self.label_names or []
            if (self.task in ("seq_cls", "token_cls") and source.label_names
                    and len(source.label_names) != len(ours)):
                problems.append(f"it predicts {len(source.label_names)} labels "
                                f"({', '.join(source.label_names)}), the model was loaded with "
                                f"{len(ours)}: load the base again with this adapter's labels")
            if problems:
                raise IncompatibleAdapter(name, problems)
            self._counter += 1
            loaded = _Loaded(source, f"a{self._counter}")
            say(f"loading adapter {name}")
            if source.kind == "bitfit":
                loaded.tensors = self._read_bitfit(source)
            elif self.peft is None or self._peft_type == source.peft_type:
                self._load_peft(loaded)
            # else: another PEFT type than the one wrapped now; loaded when first used
            self._adapters[name] = loaded
            if self.peft is not None and self._peft_key_of(self._active) is not None:
                self.peft.set_adapter(self._peft_key_of(self._active))

    def remove_adapter(self, name: str) -> None:
        with self._lock:
            loaded = self._get(name)
            if self._bitfit_on == name:
                self._set_bitfit(None)
            if self.peft is not None and loaded.key in self._in_peft:
                others = sorted(self._in_peft - {loaded.key})
                if not others or self._peft_type in PROMPT_LEARNING:
                    self._unwrap()   # the others come back when next used
                else:
                    if self.peft.active_adapter == loaded.key:
                        self.peft.set_adapter(others[0])
                    self.peft.delete_adapter(loaded.key)
                    self._in_peft.discard(loaded.key)
            del self._adapters[name]
            if self._active == name:
                self._active = None

    def use(self, name: str | None) -> None:
        """Make ``name`` the adapter that answers by default (None = the base model)."""
        with self._lock:
            self._require()
            self._prepare(name)
            self._active = name

    def _get(self, name: str) -> _Loaded:
        try:
            return self._adapters[name]
        except KeyError:
            known = ", ".join(self._adapters) or "none"
            raise StudioError(f"no adapter named {name!r} is loaded (loaded: {known})") from None

    def _peft_key_of(self, name: str | None) -> str | None:
        if name is None or name not in self._adapters or self.peft is None:
            return None
        key = self._adapters[name].key
        return key if key in self._in_peft else None

    def _read_bitfit(self, source: AdapterSource) -> dict[str, Any]:
        from safetensors.numpy import load_file

        try:
            tensors = load_file(str(source.weights))
        except Exception as exc:  # noqa: BLE001 - a damaged file: say which
            raise StudioError(f"cannot read {source.weights}: {exc}") from None
        for key, array in tensors.items():
            param = self._params.get(key)
            if param is None or tuple(param.shape) != tuple(array.shape):
                where = "has no such tensor" if param is None else \
                    f"has shape {tuple(param.shape)}, the file {tuple(array.shape)}"
                raise IncompatibleAdapter(source.name, [f"the base model {where}: {key}"])
        return tensors

    def _load_peft(self, loaded: _Loaded) -> None:
        from peft import PeftModel

        source = loaded.source
        try:
            if self.peft is None:
                self.peft = PeftModel.from_pretrained(self.base, source.path,
                                                      adapter_name=loaded.key,
                                                      is_trainable=False)
                self._peft_type = source.peft_type
            else:
                self.peft.load_adapter(source.path, adapter_name=loaded.key, is_trainable=False)
            self._in_peft.add(loaded.key)
        except StudioError:
            raise
        except MemoryError:
            raise StudioError(f"out of memory loading adapter {source.name}") from None
        except Exception as exc:  # noqa: BLE001 - a broken folder must be a message
            raise StudioError(f"cannot load the adapter in {source.path}: "
                              f"{type(exc).__name__}: {exc}") from exc
        self.peft.eval()

    def _unwrap(self) -> None:
        """Take all PEFT layers out again; the base model object stays the same."""
        from peft.utils import ModulesToSaveWrapper

        peft, self.peft, self._peft_type = self.peft, None, None
        self._in_peft = set()
        inner = peft.base_model if self._is_prompt(peft) else peft.base_model.model
        # Restore the base's own task heads first: unload() would keep an adapter's copy.
        for name, module in list(inner.named_modules()):
            if isinstance(module, ModulesToSaveWrapper):
                parent = inner.get_submodule(name.rsplit(".", 1)[0]) if "." in name else inner
                setattr(parent, name.rsplit(".", 1)[-1], module.original_module)
        self.base = inner if self._is_prompt(peft) else peft.unload()
        # peft leaves its config dict on the model; the next wrapper would take it over and
        # believe the old adapters were still there.
        self.base.__dict__.pop("peft_config", None)

    @staticmethod
    def _is_prompt(peft: Any) -> bool:
        return bool(peft.active_peft_config.is_prompt_learning)

    def _set_bitfit(self, name: str | None) -> None:
        import torch

        if self._bitfit_on == name:
            return
        with torch.no_grad():
            for key, original in self._originals.items():
                self._params[key].copy_(torch.tensor(original))
            self._originals = {}
            self._bitfit_on = None
            if name is not None:
                tensors = self._adapters[name].tensors or {}
                for key, array in tensors.items():
                    param = self._params[key]
                    self._originals[key] = param.detach().numpy().copy()
                    param.copy_(torch.tensor(array, dtype=param.dtype))
                self._bitfit_on = name

    def _prepare(self, name: str | None) -> str:
        """Put the model in the state for ``name``; returns 'base', 'bitfit' or 'peft'."""
        if name is None:
            self._set_bitfit(None)
            return "base"
        loaded = self._get(name)
        if loaded.source.kind == "bitfit":
            self._set_bitfit(name)
            return "bitfit"
        self._set_bitfit(None)
        if self._peft_key_of(name) is None:
            if self.peft is not None and self._peft_type != loaded.source.peft_type:
                self._unwrap()
            self._load_peft(loaded)
            # adapters of this type registered while another type was wrapped come back too
            for other in self._adapters.values():
                if (other is not loaded and other.source.kind == "peft"
                        and other.source.peft_type == self._peft_type
                        and other.key not in self._in_peft):
                    self._load_peft(other)
        self.peft.set_adapter(loaded.key)
        return "peft"

    @contextlib.contextmanager
    def _answering(self, name: str | None):
        """The model to call, with the adapter ``name`` in effect (session lock held)."""
        mode = self._prepare(name)
        if mode == "peft":
            yield self.peft
        elif self.peft is None:
            yield self.base
        else:
            with self.peft.disable_adapter():
                yield self.peft

    def _resolve(self, adapter: Any) -> str | None:
        name = self._active if adapter is ACTIVE else adapter
        if name is not None:
            self._get(name)
        return name

    # ---- information -------------------------------------------------------------------
    def info(self) -> dict[str, Any]:
        """What is loaded: base, task, device, parameter counts, approximate memory (from
        parameter and buffer bytes) and the adapters with their methods."""
        from .. import methods

        model = self.peft if self.peft is not None else self.base
        keys = {a.key for a in self._adapters.values()}
        base_params = adapter_params = memory = 0
        dtype = None
        per_key: dict[str, int] = {}
        if model is not None:
            for pname, param in model.named_parameters():
                n = int(param.numel())
                memory += n * int(param.element_size())
                owner = next((p for p in pname.split(".") if p in keys), None)
                if owner is None:
                    base_params += n
                    dtype = dtype or str(param.dtype).replace("mindspore.", "")
                else:
                    adapter_params += n
                    per_key[owner] = per_key.get(owner, 0) + n
            for buf in model.buffers():
                memory += int(buf.numel()) * int(buf.element_size())
        adapters = []
        for name, loaded in self._adapters.items():
            src = loaded.source
            try:
                display = methods.get(src.method).display_name if src.method else src.kind
            except Exception:  # noqa: BLE001 - a method from elsewhere we do not list
                display = src.method or src.kind
            count = per_key.get(loaded.key)
            if loaded.tensors is not None:
                count = sum(int(a.size) for a in loaded.tensors.values())
            adapters.append({"name": name, "kind": src.kind, "method": src.method,
                             "method_name": display, "path": src.path, "run_id": src.run_id,
                             "step": src.step, "task": src.task,
                             "loaded": count is not None, "parameters": count,
                             "active": name == self._active})
        return {"base": self.base_path, "model_type": self.model_type, "task": self.task,
                "device": self.device, "dtype": dtype, "loaded": self.base is not None,
                "parameters": base_params, "adapter_parameters": adapter_params,
                "memory_bytes": memory, "active": self._active, "adapters": adapters,
                "label_names": self.label_names}

    # ---- prompts -----------------------------------------------------------------------
    def _style_source(self, names: Sequence[str | None]) -> AdapterSource | None:
        sources = [self._adapters[n].source for n in names if n is not None]
        return next((s for s in sources if s.data_format), sources[0] if sources else None)

    def render_chat(self, messages: Messages, adapter: Any = ACTIVE,
                    system_prompt: str | None = None) -> Prompt:
        """The prompt the model would see for this conversation (also for display)."""
        self._require()
        return self._chat_prompt(messages, [self._resolve(adapter)], system_prompt)

    def _chat_prompt(self, messages: Messages, names: Sequence[str | None],
                     system_prompt: str | None) -> Prompt:
        source = self._style_source(names)
        system = system_prompt if system_prompt is not None else (
            source.system_prompt if source else None)
        if self.task == "seq2seq":
            last = next((m for m in reversed(messages) if m.get("role") == "user"), None)
            if last is None:
                raise StudioError("there is no user message to answer")
            return encoder_prompt(self.tokenizer, str(last.get("content") or ""), system)
        style = prompt_style(self.tokenizer, source)
        return chat_prompt(self.tokenizer, list(messages), style, system,
                           source.chat_template if source else None)

    def _fit_context(self, ids: list[int], settings: GenerationSettings) -> list[int]:
        """Drop the start of an over-long prompt so prompt + answer fit the positions."""
        config = self.base.config
        limit = next((v for v in (getattr(config, "max_position_embeddings", None),
                                  getattr(config, "n_positions", None)) if v), None)
        if self.task == "causal_lm" and limit and len(ids) + settings.max_new_tokens > limit:
            room = max(limit - settings.max_new_tokens, 1)
            ids = ids[-room:]
        return ids

    # ---- generation --------------------------------------------------------------------
    def _stream(self, prompt: Prompt, settings: GenerationSettings | None, name: str | None,
                stop: threading.Event | None) -> TextStream:
        self._require()
        if self.task not in GENERATIVE:
            raise StudioError(f"this model is loaded for {TASK_NAMES[self.task]}: use classify()")
        settings = settings or GenerationSettings()
        ids = self._fit_context(prompt.ids, settings) if self.task == "causal_lm" else prompt.ids
        if not ids:
            raise StudioError("the prompt is empty")

        def run(streamer: Any, stopping: Any) -> None:
            import torch

            with self._answering(name) as model:
                config = settings.generation_config(
                    getattr(model, "generation_config", None), self.tokenizer)
                if settings.seed is not None:
                    torch.manual_seed(settings.seed)
                input_ids = torch.tensor([ids])
                with torch.no_grad():
                    model.generate(input_ids=input_ids, attention_mask=torch.ones_like(input_ids),
                                   generation_config=config, streamer=streamer,
                                   stopping_criteria=stopping)

        def decode(tokens: list[int]) -> str:
            return str(self.tokenizer.decode(tokens, skip_special_tokens=True))

        return TextStream(run, decode, stop, self._lock, settings.max_new_tokens, prompt, name)

    def stream_chat(self, messages: Messages, settings: GenerationSettings | None = None,
                    adapter: Any = ACTIVE, system_prompt: str | None = None,
                    stop: threading.Event | None = None) -> TextStream:
        """The assistant's next turn, as text pieces while it is generated. ``adapter``: a
        name, None for the base model, ACTIVE (default) for the one chosen with use()."""
        self._require()
        name = self._resolve(adapter)
        return self._stream(self._chat_prompt(messages, [name], system_prompt), settings,
                            name, stop)

    def stream_completion(self, prompt: str, settings: GenerationSettings | None = None,
                          adapter: Any = ACTIVE, stop: threading.Event | None = None
                          ) -> TextStream:
        """Continue plain text (causal LM), or answer a source text (seq2seq)."""
        self._require()
        name = self._resolve(adapter)
        built = (encoder_prompt(self.tokenizer, prompt) if self.task == "seq2seq"
                 else completion_prompt(self.tokenizer, prompt))
        return self._stream(built, settings, name, stop)

    def stream_text(self, source: str, settings: GenerationSettings | None = None,
                    adapter: Any = ACTIVE, system_prompt: str | None = None,
                    stop: threading.Event | None = None) -> TextStream:
        """Seq2seq (T5/mT5): the generated output for an input text, streamed."""
        self._require()
        if self.task != "seq2seq":
            raise StudioError(f"this model is loaded for {TASK_NAMES.get(self.task, self.task)},"
                              " not sequence-to-sequence generation")
        name = self._resolve(adapter)
        return self._stream(encoder_prompt(self.tokenizer, source, system_prompt), settings,
                            name, stop)

    def generate_text(self, source: str, settings: GenerationSettings | None = None,
                      adapter: Any = ACTIVE, system_prompt: str | None = None,
                      stop: threading.Event | None = None) -> str:
        return self.stream_text(source, settings, adapter, system_prompt, stop).read()

    # ---- classification ----------------------------------------------------------------
    def classify(self, text: str, adapter: Any = ACTIVE) -> list[tuple[str, float]]:
        """Every label with its probability, most likely first."""
        self._require()
        if self.task != "seq_cls":
            raise StudioError(f"this model is loaded for {TASK_NAMES.get(self.task, self.task)}"
                              ", not sequence classification")
        import inspect

        import torch

        name = self._resolve(adapter)
        prompt = encoder_prompt(self.tokenizer, text)
        with self._lock, self._answering(name) as model:
            accepted = inspect.signature(self.base.forward).parameters
            inputs = {"input_ids": torch.tensor([prompt.ids]),
                      "attention_mask": torch.ones(1, len(prompt.ids), dtype=torch.long)}
            if "token_type_ids" in accepted:
                inputs["token_type_ids"] = torch.zeros(1, len(prompt.ids), dtype=torch.long)
            with torch.no_grad():
                logits = model(**inputs).logits[0]
            probs = torch.softmax(logits.float(), dim=-1).numpy().tolist()
        labels = self._labels(name, len(probs))
        return sorted(zip(labels, probs), key=lambda pair: -pair[1])

    def _labels(self, name: str | None, count: int) -> list[str]:
        source = self._adapters[name].source if name is not None else None
        if source and source.label_names and len(source.label_names) == count:
            return list(source.label_names)
        id2label = getattr(self.base.config, "id2label", None) or {}
        return [str(id2label.get(i, id2label.get(str(i), f"LABEL_{i}"))) for i in range(count)]

    # ---- comparison ----------------------------------------------------------------------
    def compare(self, prompt_or_messages: str | Messages, adapters: Sequence[str | None],
                settings: GenerationSettings | None = None, system_prompt: str | None = None,
                stop: threading.Event | None = None,
                on_piece: Callable[[str | None, str], None] | None = None,
                on_start: Callable[[str | None], None] | None = None) -> dict[Any, Any]:
        """The same prompt answered by each of ``adapters`` (None = the base model), one after
        the other on the one loaded base: {name: text} (for classifiers {name: [(label,
        probability), ...]}). All get the same prompt, built as the first adapter that knows
        its training format expects. ``on_start(name)`` is called as each answer begins and
        ``on_piece(name, piece)`` with the text as it streams. ``stop`` ends the current
        answer and skips the rest."""
        self._require()
        names = [self._resolve(a) for a in adapters]
        text = prompt_or_messages if isinstance(prompt_or_messages, str) else None
        if self.task == "seq_cls":
            if text is None:
                text = next(m["content"] for m in reversed(list(prompt_or_messages))
                            if m.get("role") == "user")
            return {n: self.classify(text, adapter=n) for n in names}
        messages = [{"role": "user", "content": text}] if text is not None \
            else list(prompt_or_messages)
        prompt = self._chat_prompt(messages, names, system_prompt)
        answers: dict[Any, Any] = {}
        for name in names:
            if stop is not None and stop.is_set():
                break
            stream = self._stream(prompt, settings, name, stop)
            if on_start is not None:
                on_start(name)
            for piece in stream:
                if on_piece is not None:
                    on_piece(name, piece)
            answers[name] = stream.text
        return answers


def _config_labels(base_path: str) -> list[str]:
    """Label names from the base's config.json (id order); two generic ones if it has none."""
    import json

    try:
        config = json.loads((Path(base_path) / "config.json").read_text(encoding="utf-8"))
        id2label = config.get("id2label") or {}
        if id2label:
            return [str(id2label[k]) for k in sorted(id2label, key=int)]
        return [f"LABEL_{i}" for i in range(int(config.get("num_labels", 2)))]
    except (OSError, ValueError, TypeError):
        return ["LABEL_0", "LABEL_1"]
