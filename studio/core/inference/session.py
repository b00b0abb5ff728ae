"""One loaded base model with any number of adapters on it, for chat, completion, seq2seq
generation and classification (the base is loaded once; see ``switching`` for how adapters
are swapped on it).

Thread use: every method may run off the GUI thread, and the heavy ones must (loading takes
seconds, generation up to seconds per token on big models). One generation runs at a time
per session: a TextStream holds the session's lock while it runs, and ``add_adapter``,
``remove_adapter``, ``use`` and ``classify`` wait for it. Do not call those from inside a
loop over a stream on the same thread (it would wait for itself); ``info()`` never waits.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import StudioError
from ..messages import msg
from .compatibility import TASK_NAMES, check_compatible
from .prompts import Prompt, chat_prompt, completion_prompt, encoder_prompt, prompt_style
from .settings import GenerationSettings
from .sources import AdapterSource
from .streaming import TextStream
from .switching import AdapterSlots, IncompatibleAdapter

Progress = Callable[[str], None]
Messages = Sequence[dict[str, Any]]


class _Active:
    def __repr__(self) -> str:
        return "ACTIVE"


ACTIVE: Any = _Active()   # "the adapter chosen with use()"; None means the base model
GENERATIVE = ("causal_lm", "seq2seq")


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
        self.slots: AdapterSlots | None = None
        self._active: str | None = None
        self._lock = threading.Lock()
        # graphdecode.GraphDecoder (causal LM), graphclassify.GraphClassifier or
        # graphbert.GraphBert for slots.base
        self._decoder: Any = None
        self._decoder_version = -1

    # ---- loading ---------------------------------------------------------------------
    @property
    def loaded(self) -> bool:
        return self.slots is not None

    @property
    def base(self) -> Any:
        """The transformers model (with adapter layers injected while they are in use)."""
        return self.slots.base if self.slots is not None else None

    @property
    def peft(self) -> Any:
        """The PeftModel around the base while a PEFT adapter is in use, else None."""
        return self.slots.peft if self.slots is not None else None

    def load(self, progress: Progress | None = None) -> None:
        """Import the stack, load tokenizer and base model. Raises StudioError."""
        say = progress or (lambda stage: None)
        from .. import download
        from ..modelinfo import inspect
        from ..modeling import AUTO_CLASSES, load_base_model, load_tokenizer
        from ..runtime import bootstrap, select_device

        with self._lock:
            if self.slots is not None:
                return
            self.base_path = download.ensure(   # a hub id: downloaded before it is loaded
                self.base_path, lambda kind, fields: say(download.describe(kind, fields)))
            info = inspect(self.base_path)
            self.model_type = info.model_type
            self.task = self.task or info.default_task or "causal_lm"
            if self.task not in AUTO_CLASSES:
                raise StudioError(msg("inference.unknown_task", task=repr(self.task)))
            if info.model_type and self.task not in info.tasks:
                raise StudioError(msg("inference.cannot_do", model=self.base_path,
                                      model_type=info.model_type, task=TASK_NAMES[self.task]))
            say(msg("inference.starting_mindspore"))
            bootstrap()
            self.device = select_device(self.requested_device)
            say(msg("inference.loading_tokenizer"))
            self.tokenizer = load_tokenizer(self.base_path, self.task)
            say(msg("inference.loading", model=Path(self.base_path).name or self.base_path))
            labels = self.label_names
            if self.task in ("seq_cls", "token_cls") and not labels:
                labels = _config_labels(self.base_path)
            try:
                model = load_base_model(self.base_path, self.task, self.tokenizer, self.dtype,
                                        labels)
            except MemoryError:
                raise StudioError(msg("inference.out_memory_loading",
                                      model=self.base_path)) from None
            model.eval()
            self.label_names = labels
            self.slots = AdapterSlots(model)
            say(msg("inference.ready"))

    def _require(self) -> AdapterSlots:
        if self.slots is None:
            raise StudioError(msg("inference.base_model_not_loaded"))
        return self.slots

    # ---- adapters ----------------------------------------------------------------------
    @property
    def adapters(self) -> list[str]:
        return list(self.slots.slots) if self.slots is not None else []

    @property
    def active(self) -> str | None:
        return self._active

    def source(self, name: str) -> AdapterSource:
        return self._require().get(name).source

    def add_adapter(self, name: str, source: AdapterSource,
                    progress: Progress | None = None) -> None:
        """Check, then load an adapter under ``name`` (it does not become active). Raises
        IncompatibleAdapter (a StudioError) when it does not fit, before loading anything."""
        say = progress or (lambda stage: None)
        with self._lock:
            slots = self._require()
            if not name or name in slots.slots:
                raise StudioError(msg("inference.adapter_name_taken", name=repr(name)) if name
                                  else msg("inference.adapter_needs_name"))
            if source.kind == "full":
                raise StudioError(msg("inference.whole_fine_tuned_model", name=source.name,
                                      path=source.path))
            problems = check_compatible(source, self.base_path, task=self.task)
            ours = self.label_names or []
            if (self.task in ("seq_cls", "token_cls") and source.label_names
                    and len(source.label_names) != len(ours)):
                problems.append(msg("inference.labels_differ", count=len(source.label_names),
                                    labels=", ".join(source.label_names), loaded=len(ours)))
            if problems:
                raise IncompatibleAdapter(name, problems)
            say(msg("inference.loading_adapter", name=name))
            slots.add(name, source, self._active)

    def remove_adapter(self, name: str) -> None:
        with self._lock:
            self._require().remove(name)
            if self._active == name:
                self._active = None

    def use(self, name: str | None) -> None:
        """Make ``name`` the adapter that answers by default (None = the base model)."""
        with self._lock:
            self._require().prepare(name)
            self._active = name

    def _resolve(self, adapter: Any) -> str | None:
        name = self._active if adapter is ACTIVE else adapter
        if name is not None:
            self._require().get(name)
        return name

    # ---- information -------------------------------------------------------------------
    def info(self) -> dict[str, Any]:
        """What is loaded: base, task, device, parameter counts, approximate memory (from
        parameter and buffer bytes) and the adapters with their methods."""
        from .. import methods

        slots = self.slots
        counts = slots.parameters() if slots is not None else {
            "base": 0, "adapters": 0, "per_adapter": {}, "memory_bytes": 0, "dtype": None}
        adapters = []
        for name, slot in (slots.slots.items() if slots is not None else ()):
            src = slot.source
            try:
                display = methods.get(src.method).display_name if src.method else src.kind
            except Exception:  # noqa: BLE001 - a method from elsewhere we do not list
                display = src.method or src.kind
            loaded = slots.loaded(name)
            adapters.append({"name": name, "kind": src.kind, "method": src.method,
                             "method_name": display, "path": src.path, "run_id": src.run_id,
                             "step": src.step, "task": src.task, "loaded": loaded,
                             "parameters": counts["per_adapter"].get(name) if loaded else None,
                             "active": name == self._active})
        return {"base": self.base_path, "model_type": self.model_type, "task": self.task,
                "device": self.device, "dtype": counts["dtype"], "loaded": slots is not None,
                "parameters": counts["base"], "adapter_parameters": counts["adapters"],
                "memory_bytes": counts["memory_bytes"], "active": self._active,
                "adapters": adapters, "label_names": self.label_names}

    # ---- prompts -----------------------------------------------------------------------
    def _style_source(self, names: Sequence[str | None]) -> AdapterSource | None:
        slots = self._require()
        sources = [slots.get(n).source for n in names if n is not None]
        return next((s for s in sources if s.data_format), sources[0] if sources else None)

    def render_chat(self, messages: Messages, adapter: Any = ACTIVE,
                    system_prompt: str | None = None,
                    tools: list[dict[str, Any]] | None = None) -> Prompt:
        """The prompt the model would see for this conversation (also for display)."""
        self._require()
        return self._chat_prompt(messages, [self._resolve(adapter)], system_prompt, tools)

    def _chat_prompt(self, messages: Messages, names: Sequence[str | None],
                     system_prompt: str | None,
                     tools: list[dict[str, Any]] | None = None) -> Prompt:
        source = self._style_source(names)
        system = system_prompt if system_prompt is not None else (
            source.system_prompt if source else None)
        if self.task == "seq2seq":
            last = next((m for m in reversed(messages) if m.get("role") == "user"), None)
            if last is None:
                raise StudioError(msg("inference.there_no_user_message"))
            return encoder_prompt(self.tokenizer, str(last.get("content") or ""), system)
        style = prompt_style(self.tokenizer, source)
        return chat_prompt(self.tokenizer, list(messages), style, system,
                           source.chat_template if source else None, tools)

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
            raise StudioError(msg("inference.model_loaded_use_classify",
                                  task=TASK_NAMES[self.task]))
        settings = settings or GenerationSettings()
        ids = self._fit_context(prompt.ids, settings) if self.task == "causal_lm" else prompt.ids
        if not ids:
            raise StudioError(msg("inference.prompt_empty"))

        def run(streamer: Any, stopping: Any) -> None:
            import torch

            with self._require().answering(name) as model:
                config = settings.generation_config(
                    getattr(model, "generation_config", None), self.tokenizer)
                decoder = self._graph_decoder(config)
                if decoder is not None:
                    decoder.generate(ids, config, streamer, stopping[0].halted, settings.seed)
                    return
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

    def _graph_decoder(self, config: Any) -> Any:
        """The compiled decoder when it can answer now (fastpaths.graph_decode), else None.
        Called with the lock held and the answering state prepared."""
        from ..fastpaths import is_active
        from . import graphdecode

        slots = self._require()
        if (not is_active("graph_decode") or self.task != "causal_lm" or not slots.plain_weights
                or graphdecode.unsupported(slots.base, config) is not None):
            return None
        return self._current_graph(slots, graphdecode.GraphDecoder)

    def stream_chat(self, messages: Messages, settings: GenerationSettings | None = None,
                    adapter: Any = ACTIVE, system_prompt: str | None = None,
                    stop: threading.Event | None = None,
                    tools: list[dict[str, Any]] | None = None) -> TextStream:
        """The assistant's next turn, as text pieces while it is generated. ``adapter``: a
        name, None for the base model, ACTIVE (default) for the one chosen with use().
        ``tools``: function schemas, rendered as training rendered a row's tools."""
        self._require()
        name = self._resolve(adapter)
        return self._stream(self._chat_prompt(messages, [name], system_prompt, tools),
                            settings, name, stop)

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
            raise StudioError(msg("inference.not_seq2seq",
                                  task=TASK_NAMES.get(self.task, self.task)))
        name = self._resolve(adapter)
        return self._stream(encoder_prompt(self.tokenizer, source, system_prompt), settings,
                            name, stop)

    def generate_text(self, source: str, settings: GenerationSettings | None = None,
                      adapter: Any = ACTIVE, system_prompt: str | None = None,
                      stop: threading.Event | None = None) -> str:
        return self.stream_text(source, settings, adapter, system_prompt, stop).read()

    @contextlib.contextmanager
    def holding(self, adapter: Any = ACTIVE) -> Iterator[Any]:
        """The model answering as ``adapter`` (None = the base), with the session's lock
        held, for callers that drive it themselves (``batched``: many rows per call)."""
        self._require()
        name = self._resolve(adapter)
        with self._lock, self._require().answering(name) as model:
            yield model

    # ---- classification ----------------------------------------------------------------
    def classify(self, text: str, adapter: Any = ACTIVE) -> list[tuple[str, float]]:
        """Every label with its probability, most likely first."""
        self._require()
        name = self._resolve(adapter)
        probs = self.class_probabilities([encoder_prompt(self.tokenizer, text).ids], name)
        labels = self._labels(name, probs.shape[1])
        return sorted(zip(labels, probs[0].tolist()), key=lambda pair: -pair[1])

    def class_probabilities(self, prompts: Sequence[Sequence[int]], adapter: Any = ACTIVE
                            ) -> Any:
        """Class probabilities (rows, classes) of token-id rows, padded as in training."""
        from . import batched

        self._require()
        if self.task != "seq_cls":
            raise StudioError(msg("inference.not_classifier",
                                  task=TASK_NAMES.get(self.task, self.task)))
        name = self._resolve(adapter)
        with self._lock, self._require().answering(name) as model:
            return batched.classify(model, self.tokenizer, prompts, self._graph_classifier())

    def _graph_classifier(self) -> Any:
        """The compiled classifier when it can answer now (fastpaths.graph_classify), else
        None. Called with the lock held and the answering state prepared."""
        from ..fastpaths import is_active
        from . import graphbert, graphclassify

        slots = self._require()
        if not is_active("graph_classify") or not slots.plain_weights:
            return None
        if graphclassify.unsupported(slots.base) is None:
            return self._current_graph(slots, graphclassify.GraphClassifier)
        if graphbert.unsupported(slots.base) is None:
            return self._current_graph(slots, graphbert.GraphBert)
        return None

    def _current_graph(self, slots: Any, kind: Callable[[Any], Any]) -> Any:
        """The compiled graphs of ``kind`` over the loaded base (built again for another base;
        they share the model's weights), refreshed when the adapters changed them."""
        if self._decoder is None or self._decoder.model is not slots.base:
            self._decoder = kind(slots.base)
            self._decoder_version = slots.version
        if self._decoder_version != slots.version:
            self._decoder.refresh()
            self._decoder_version = slots.version
        return self._decoder

    def _labels(self, name: str | None, count: int) -> list[str]:
        source = self._require().get(name).source if name is not None else None
        if source and source.label_names and len(source.label_names) == count:
            return list(source.label_names)
        id2label = getattr(self.base.config, "id2label", None) or {}
        return [str(id2label.get(i, id2label.get(str(i), f"LABEL_{i}"))) for i in range(count)]

    # ---- comparison ----------------------------------------------------------------------
    def compare(self, prompt_or_messages: str | Messages, adapters: Sequence[str | None],
                settings: GenerationSettings | None = None, system_prompt: str | None = None,
                stop: threading.Event | None = None,
                on_piece: Callable[[str | None, str], None] | None = None,
                on_start: Callable[[str | None], None] | None = None,
                tools: list[dict[str, Any]] | None = None) -> dict[Any, Any]:
        """The same prompt answered by each of ``adapters`` (None = the base model), one after
        the other on the one loaded base: {name: text} (for classifiers {name: [(label,
        probability), ...]}). All get the same prompt, built as the first adapter that knows
        its training format expects. ``on_start(name)`` is called as each answer begins and
        ``on_piece(name, piece)`` with the text as it streams. ``stop`` ends the current
        answer and skips the rest. ``tools``: function schemas, in the prompt as in a chat."""
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
        prompt = self._chat_prompt(messages, names, system_prompt, tools)
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
