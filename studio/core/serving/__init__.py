"""``peft-studio serve``: an OpenAI-compatible HTTP API over one InferenceSession.

``worker`` runs the model's jobs in arrival order on one thread with a bounded queue,
``stops`` cuts answers at stop strings, ``protocol`` holds the request shapes and OpenAI's
error JSON, ``jobs`` turns a request into session calls, ``app`` is the FastAPI application.
Only ``jobs`` touches the session; nothing here imports the stack before a session loads.
"""

from .app import ServeLog, create_app
from .jobs import ServedModels, UnknownModel
from .worker import ModelWorker, QueueFull

__all__ = ["ModelWorker", "QueueFull", "ServeLog", "ServedModels", "UnknownModel",
           "create_app"]
