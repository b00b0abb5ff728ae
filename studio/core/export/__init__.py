"""Exports that leave the studio: a PEFT adapter, a merged standalone model, or a weighted
combination of LoRA adapters; each written atomically, verified by reloading it in a fresh
process, and recorded with its run.

Importing this package is cheap (no compute stack); the export functions bootstrap
mindnlp themselves when they load a model. Modules: ``sources`` (what a RUN / RUN@step /
folder is), ``adapter``, ``merged``, ``combine`` (the operations), ``model`` (loading and
merging), ``tensors`` (safetensors shards, bfloat16), ``folders`` (atomic folders, disk
space), ``verify`` (the fresh-process check), ``card`` (README.md).
"""

from .adapter import export_adapter
from .combine import COMBINATIONS, check_compatible, combine_lora, parse_weighted
from .common import STAGES, ExportResult, Progress, ProgressFn
from .merged import export_merged
from .sources import ExportSource, parse_ref
from .sources import resolve as inspect_source
from .tensors import DTYPES, parse_size
from .verify import TOLERANCES, Verification

__all__ = [
    "COMBINATIONS", "DTYPES", "STAGES", "TOLERANCES", "ExportResult", "ExportSource",
    "Progress", "ProgressFn", "Verification", "check_compatible", "combine_lora",
    "export_adapter", "export_merged", "inspect_source", "parse_ref", "parse_size",
    "parse_weighted",
]
