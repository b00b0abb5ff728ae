"""``python -m bench.ipc [MODEL]``: what crossing the process boundary costs per token.

The Playground's model answers in a child process (workers.inference.RemoteSession). This
streams the same greedy answer from the child several times and compares the wall time the
window side sees with the generation time the child measured itself: the difference per
token is the price of the pipe, the JSON and the reader thread. Without MODEL a tiny random
Llama is made in a temporary folder.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _tiny_model(folder: Path) -> Path:
    sys.path.insert(0, str(ROOT / "tests"))
    from factories import make_model  # imports the stack here, not in the measured process

    return make_model(folder, "llama")


def main(argv: list[str]) -> int:
    from studio.core.inference import GenerationSettings
    from workers.inference import RemoteSession

    with tempfile.TemporaryDirectory() as tmp:
        model = Path(argv[0]) if argv else _tiny_model(Path(tmp) / "llama")
        session = RemoteSession(str(model))
        session.load()
        settings = GenerationSettings(greedy=True, max_new_tokens=200)
        messages = [{"role": "user", "content": "hello"}]
        session.stream_chat(messages, settings).read()   # warm up (compilation, caches)
        costs, rates = [], []
        for _ in range(5):
            started = time.perf_counter()
            stream = session.stream_chat(messages, settings)
            stream.read()
            wall = time.perf_counter() - started
            costs.append((wall - stream.elapsed) / max(stream.tokens, 1) * 1000)
            rates.append(stream.tokens / wall)
        session.close()
    print(f"tokens per answer: {stream.tokens}; window-side rate {statistics.median(rates):.0f} "
          f"tokens/s")
    print(f"process boundary per token: median {statistics.median(costs):.3f} ms, "
          f"max {max(costs):.3f} ms (over {len(costs)} answers)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
