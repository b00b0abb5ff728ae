"""Domain logic. Never imports Qt, and never imports mindnlp/torch at module level: only
``studio.core.runtime.bootstrap()`` does, inside processes that compute."""
