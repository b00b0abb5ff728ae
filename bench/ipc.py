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


ANSWERS, NEW_TOKENS, LAG_ANSWERS = 5, 200, 3   # a full measurement
QUICK = {"answers": 1, "new_tokens": 8, "lag_answers": 1}   # checks that it runs


def measure(model: Path, answers: int = ANSWERS, new_tokens: int = NEW_TOKENS,
            lag_answers: int = LAG_ANSWERS) -> dict[str, float]:
    """The workload ``ipc_llama_tiny`` of ``python -m bench`` (and this script's numbers):
    the boundary's cost per token (median and max over ``answers`` answers), the rate the
    window side sees, and the event loop's lag while a Playground page streams."""
    from studio.core.inference import GenerationSettings
    from workers.inference import RemoteSession

    session = RemoteSession(str(model))
    try:
        session.load()
        settings = GenerationSettings(greedy=True, max_new_tokens=new_tokens)
        messages = [{"role": "user", "content": "hello"}]
        session.stream_chat(messages, settings).read()   # warm up (compilation, caches)
        costs, rates, tokens = [], [], 0
        for _ in range(answers):
            started = time.perf_counter()
            stream = session.stream_chat(messages, settings)
            stream.read()
            wall = time.perf_counter() - started
            tokens = stream.tokens
            costs.append((wall - stream.elapsed) / max(stream.tokens, 1) * 1000)
            rates.append(stream.tokens / wall)
    finally:
        session.close()
    lags = gui_lag(model, lag_answers, new_tokens)
    if "mindnlp" in sys.modules:   # the point of the child: the window never loads the stack
        raise SystemExit("the window side imported mindnlp")
    return {"boundary_ms_per_token": statistics.median(costs),
            "boundary_ms_per_token_max": max(costs),
            "window_tokens_per_s": statistics.median(rates),
            "lag_p95_ms": lags[int(0.95 * (len(lags) - 1))] if lags else float("nan"),
            "lag_max_ms": lags[-1] if lags else float("nan"),
            "new_tokens": tokens, "answers": answers, "ticks": len(lags)}


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(argv[0]) if argv else _tiny_model(Path(tmp) / "llama")
        r = measure(model)
    print(f"tokens per answer: {r['new_tokens']}; window-side rate "
          f"{r['window_tokens_per_s']:.0f} tokens/s")
    print(f"process boundary per token: median {r['boundary_ms_per_token']:.3f} ms, "
          f"max {r['boundary_ms_per_token_max']:.3f} ms (over {r['answers']} answers)")
    print(f"event-loop lag while streaming: p95 {r['lag_p95_ms']:.1f} ms, "
          f"max {r['lag_max_ms']:.1f} ms ({r['ticks']} ticks)")
    return 0


def gui_lag(model: Path, answers: int = LAG_ANSWERS,
            new_tokens: int = NEW_TOKENS) -> list[float]:
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
        page.sampling.max_new_tokens.setValue(new_tokens)
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
