"""The dataset layer: read a data file, tell its format, check it, tokenise it for a task and
batch it. Reading, detection and checks need no compute stack (no torch/transformers); only
``prepare``/``inspect(tokenizer=...)``/``render_row`` touch a tokenizer object, which the
caller supplies.
"""

from __future__ import annotations

from .catalog import dataset_names, resolve_catalog
from .checks import check_rows, validate_dataset
from .collate import collate
from .encoding import IGNORE, Encoder
from .formats import FORMAT_TASKS, FORMATS, Detected, detect_format, resolve_format, tasks_for
from .labels import LabelSpace, label_space
from .preparing import Prepared, prepare
from .reading import read_rows
from .rendering import render_row
from .summary import inspect
from .table import Table
from .templates import FALLBACK_CHAT_TEMPLATE, normalise_messages, render_prompt, render_source

__all__ = [
    "FALLBACK_CHAT_TEMPLATE", "FORMATS", "FORMAT_TASKS", "IGNORE", "Detected", "Encoder",
    "LabelSpace", "Prepared", "Table", "check_rows", "collate", "dataset_names", "detect_format",
    "inspect", "label_space", "normalise_messages", "prepare", "read_rows", "render_prompt",
    "render_row", "render_source", "resolve_catalog", "resolve_format", "tasks_for",
    "validate_dataset",
]
