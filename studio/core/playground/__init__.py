"""The Playground's state as plain data (no Qt, no compute stack): the base model and the
adapters chosen for it (``lineup``), and the conversation with its tools (``conversation``).
The window's Playground renders these; tests check them without a window."""

from .conversation import (
    Conversation,
    ToolCall,
    Turn,
    check_tools,
    parse_tools,
    split_tool_calls,
)
from .lineup import AdapterEntry, Lineup

__all__ = ["AdapterEntry", "Conversation", "Lineup", "ToolCall", "Turn", "check_tools",
           "parse_tools", "split_tool_calls"]
