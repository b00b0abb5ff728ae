"""The Train page: method, training settings, device, Start/Stop/Resume, live charts."""
