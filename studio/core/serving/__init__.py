"""``peft-studio serve``: an OpenAI-compatible HTTP API over one InferenceSession.

``worker`` runs the model's jobs in arrival order on one thread with a bounded queue,
``stops`` cuts answers at stop strings, ``protocol`` holds the request shapes and OpenAI's
error JSON, ``jobs`` turns a request into session calls, ``app`` is the FastAPI application.
Only ``jobs`` touches the session. Import the modules themselves: the package imports
nothing, so the window can read ``examples`` without FastAPI.
"""
