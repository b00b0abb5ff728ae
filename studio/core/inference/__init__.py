"""Inference on trained results: chat, completion, seq2seq generation, classification and
side-by-side comparison, on one loaded base model with adapters switched on it.

Only ``session`` imports torch, and only when a session loads; resolving adapters and
checking them against a base reads small files.
"""

from .compatibility import check_compatible
from .prompts import Prompt, prompt_style
from .session import ACTIVE, InferenceSession
from .settings import GenerationSettings
from .sources import AdapterSource, resolve_adapter
from .streaming import TextStream
from .switching import IncompatibleAdapter

__all__ = ["ACTIVE", "AdapterSource", "GenerationSettings", "IncompatibleAdapter",
           "InferenceSession", "Prompt", "TextStream", "check_compatible", "prompt_style",
           "resolve_adapter"]
