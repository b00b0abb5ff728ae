"""The Runs page: run history, curve comparison, details and actions on runs."""
