"""Metrics against values worked out by hand on small fixtures."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from studio.core.evaluate import metrics


def test_classification_by_hand_with_an_absent_class():
    refs = ["a", "a", "b", "b", "c"]
    preds = ["a", "b", "b", "b", "a"]
    found = metrics.classification(refs, preds, ["a", "b", "c", "d"])
    assert found["confusion"] == {"labels": ["a", "b", "c", "d"],
                                  "matrix": [[1, 1, 0, 0], [0, 2, 0, 0], [1, 0, 0, 0],
                                             [0, 0, 0, 0]]}
    assert found["accuracy"] == pytest.approx(0.6)
    per = found["per_class"]
    assert (per["a"]["precision"], per["a"]["recall"], per["a"]["f1"]) == pytest.approx(
        (0.5, 0.5, 0.5))
    assert (per["b"]["precision"], per["b"]["recall"], per["b"]["f1"]) == pytest.approx(
        (2 / 3, 1.0, 0.8))
    assert (per["c"]["precision"], per["c"]["recall"], per["c"]["f1"]) == (0.0, 0.0, 0.0)
    assert per["d"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    # d occurs neither as reference nor as prediction: it does not drag the averages down
    assert found["macro_f1"] == pytest.approx((0.5 + 0.8 + 0.0) / 3)
    assert found["weighted_f1"] == pytest.approx((0.5 * 2 + 0.8 * 2 + 0.0 * 1) / 5)


def test_a_predicted_but_never_true_class_counts_in_the_macro_average():
    found = metrics.classification(["a", "a"], ["a", "b"], ["a", "b"])
    # a: P 1, R 0.5, F1 2/3; b: P 0, R 0 (no support), F1 0 -> macro (2/3 + 0) / 2
    assert found["macro_f1"] == pytest.approx(1 / 3)
    assert found["weighted_f1"] == pytest.approx(2 / 3)


def test_label_words_read_generated_text_as_labels():
    found = metrics.label_words(["positive", "negative", "neutral"],
                                ["Positive ", "maybe", "neutral"],
                                ["negative", "neutral", "positive"])
    assert found["label_accuracy"] == pytest.approx(2 / 3)
    assert found["confusion"]["labels"] == ["negative", "neutral", "positive", metrics.OTHER]
    assert found["confusion"]["matrix"][0] == [0, 0, 0, 1]   # negative -> (other)


def test_generation_by_hand():
    found = metrics.generation(["the cat sat", "a dog"], ["The  cat sat", "a cat"])
    assert found["exact_match"] == pytest.approx(0.5)
    # row 2: LCS "a" of 2 and 2 words -> F 0.5; row 1 identical
    assert found["rouge_l"] == pytest.approx(0.75)
    same = metrics.generation(["the cat sat on the mat"], ["the cat sat on the mat"])
    assert same["bleu"] == pytest.approx(100.0)
    assert same["chrf"] == pytest.approx(100.0)
    assert metrics.generation(["abc"], ["xyz"])["chrf"] == pytest.approx(0.0)


def test_rouge_l_scores_chinese_by_character():
    # 今天天气很好 vs 今天天气不好: LCS 今天天气好 = 5 of 6 characters each
    assert metrics.rouge_l("今天天气很好", "今天天气不好") == pytest.approx(5 / 6)


def test_perplexity():
    assert metrics.perplexity(3 * math.log(4), 3) == pytest.approx(4.0)
    assert metrics.perplexity(1.0, 0) == math.inf


def test_metric_libraries_never_touch_the_network():
    script = (
        "import socket\n"
        "def refuse(*a, **k):\n"
        "    raise AssertionError('network access')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "socket.getaddrinfo = refuse\n"
        "from studio.core.evaluate import metrics\n"
        "metrics.classification(['a', 'b'], ['a', 'a'], ['a', 'b'])\n"
        "print(metrics.generation(['今天 good', 'x y'], ['今天 good', 'x z'])['bleu'])\n")
    done = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True,
                          text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
