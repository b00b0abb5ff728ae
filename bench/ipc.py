"""``python -m bench.ipc [MODEL]``: what crossing the process boundary costs per token, and
how late the window's event loop runs while the Playground streams an answer.

The Playground's model answers in a child process (workers.inference.RemoteSession). This
streams the same greedy answer from the child several times and compares the wall time the
window side sees with the generation time the child measured itself: the difference per
token is the price of the pipe, the JSON and the reader thread (an upper bound: the command
and the result message are counted too). Then a Playground page answers three times while a
10 ms QTimer records how late it fires. Without MODEL a tiny random Llama is made in a
temporary folder.
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
        lags = gui_lag(model)
    print(f"tokens per answer: {stream.tokens}; window-side rate {statistics.median(rates):.0f} "
          f"tokens/s")
    print(f"process boundary per token: median {statistics.median(costs):.3f} ms, "
          f"max {max(costs):.3f} ms (over {len(costs)} answers)")
    print(f"event-loop lag while streaming: p95 {lags[int(len(lags) * 0.95)]:.1f} ms, "
          f"max {lags[-1]:.1f} ms ({len(lags)} ticks)")
    return 0


def gui_lag(model: Path, answers: int = 3) -> list[float]:
    """Sorted lateness (ms) of a 10 ms timer while a Playground page streams answers."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from studio.ui.playground.page import PlaygroundPage

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        page = PlaygroundPage(store_path=Path(tmp) / "store.sqlite")
        page.show()
        done: list[str] = []
        page.sig_loaded.connect(lambda: done.append("loaded"))
        page.sig_answer_finished.connect(done.append)
        page.set_base(model)
        page.load()
        _spin(app, lambda: done)
        page.sampling.greedy.setChecked(True)
        page.sampling.max_new_tokens.setValue(200)
        lags: list[float] = []
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            lags.append(max(0.0, (now - last[0]) * 1000 - 10))
            last[0] = now

        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(tick)
        for n in range(answers):
            done.clear()
            page.send(f"hello {n}")
            last[0] = time.perf_counter()
            timer.start()
            _spin(app, lambda: done)
            timer.stop()
        page.shutdown()
    return sorted(lags)


def _spin(app, condition, timeout: float = 300.0) -> None:
    end = time.monotonic() + timeout
    while not condition() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.001)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
