"""The Playground page: chat with a base model and adapters, compare them, classify."""
