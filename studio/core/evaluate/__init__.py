"""Evaluation of a trained result (or a base model) on a held-out file: the task's real
metrics and one prediction per row. Not to be confused with ``studio.core.evaluation``,
the loss/accuracy on the validation split during training.

``heldout`` reads the file as training read its data, ``prompts`` renders rows as training
did, ``runner`` runs batches on an ``InferenceSession``, ``metrics`` scores them,
``predictions`` writes the per-row file. Importing this package does not import torch.
"""

from .heldout import KINDS, HeldOut, HeldOutRow, file_sha256, read_heldout, training_settings
from .runner import GREEDY, Cancelled, Outcome, Prediction, Progress, evaluate

__all__ = ["GREEDY", "KINDS", "Cancelled", "HeldOut", "HeldOutRow", "Outcome", "Prediction",
           "Progress", "evaluate", "file_sha256", "read_heldout", "training_settings"]
