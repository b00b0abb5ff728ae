"""QThread workers that run training, inference and export off the GUI thread."""
