"""Make a tiny Llama, a text dataset, a run file and a held-out instruction file (test.jsonl,
for ``eval``) for the smoke test, with the DEV Python (the bundle is not needed):
``python3 packaging/make_tiny.py FOLDER`` prints the run file."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import factories  # noqa: E402 - needs the repository on sys.path first


def main(folder: str) -> None:
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    model = factories.make_model(root / "model", "llama")
    data = factories.write_text_dataset(root / "train.txt", n=16)
    run = factories.write_run_file(root / "run.yaml", model, data, "lora",
                                   training={"epochs": 1, "batch_size": 8, "max_length": 16},
                                   output_dir=str(root / "out"))
    factories.write_instruction_dataset(root / "test.jsonl", n=4)
    print(run)


if __name__ == "__main__":
    main(sys.argv[1])
