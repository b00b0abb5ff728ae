"""PEFT Studio: parameter-efficient fine-tuning on MindSpore."""

__version__ = "0.1.0"
