"""The Serve panel: peft-studio serve as a child process of the window."""
