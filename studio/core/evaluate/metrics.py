"""Metrics of a held-out evaluation, computed with well-kept offline libraries: scikit-learn
(classification), sacrebleu (BLEU, chrF) and rouge-score (ROUGE-L). None of them fetches
anything at run time (unlike ``evaluate``/``datasets`` metric scripts).

Scales follow each metric's convention: accuracy, F1, precision, recall, exact match and
ROUGE-L in [0, 1]; BLEU and chrF in [0, 100] (as sacrebleu reports them).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

OTHER = "(other)"   # a generated label word that is none of the labels
# CJK ideographs, kana and hangul: scored character by character (no spaces between words)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]|\w+")

# Higher is better for all but these (the comparison table sorts by them)
LOWER_IS_BETTER = frozenset({"perplexity", "loss"})


def normalise(text: str) -> str:
    """For exact match and label words: Unicode NFKC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", str(text)).casefold().split())


def classification(references: Sequence[str], predictions: Sequence[str],
                   labels: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro and weighted F1, per-class precision/recall/F1/support and the
    confusion matrix (rows = reference, columns = prediction, in ``labels`` order, plus
    OTHER when a prediction is none of the labels).

    The averages run over the classes that occur as a reference or a prediction (what
    scikit-learn does without ``labels=``): a class absent from both would only add a
    meaningless 0 to the macro F1. It still gets its row of zeros in the matrix."""
    from sklearn.metrics import (
        accuracy_score,
        confusion_matrix,
        f1_score,
        precision_recall_fscore_support,
    )

    if len(references) != len(predictions):
        raise ValueError("references and predictions differ in length")
    if not references:
        return {}
    names = list(labels)
    if any(p not in names for p in predictions):
        names.append(OTHER)
    predicted = [p if p in names else OTHER for p in predictions]
    present = [n for n in names if n in set(references) | set(predicted)]
    precision, recall, f1, support = precision_recall_fscore_support(
        references, predicted, labels=names, zero_division=0)
    matrix = confusion_matrix(references, predicted, labels=names)
    return {
        "accuracy": float(accuracy_score(references, predicted)),
        "macro_f1": float(f1_score(references, predicted, labels=present, average="macro",
                                   zero_division=0)),
        "weighted_f1": float(f1_score(references, predicted, labels=present,
                                      average="weighted", zero_division=0)),
        "per_class": {name: {"precision": float(p), "recall": float(r), "f1": float(f),
                             "support": int(s)}
                      for name, p, r, f, s in zip(names, precision, recall, f1, support)},
        "confusion": {"labels": names, "matrix": matrix.astype(int).tolist()},
    }


def label_words(references: Sequence[str], predictions: Sequence[str],
                labels: Sequence[str]) -> dict[str, Any]:
    """Seq2seq trained to answer a label word: the generated text, normalised, read as the
    label it spells (OTHER when none), then scored as classification; ``label_accuracy``
    is its accuracy under that name."""
    by_word = {normalise(name): name for name in labels}
    read = [by_word.get(normalise(p), OTHER) for p in predictions]
    result = classification(references, read, labels)
    if result:
        result["label_accuracy"] = result["accuracy"]
    return result


class _Tokenizer:
    """For ROUGE: words, and CJK characters one by one (rouge-score's default keeps only
    [a-z0-9] and would score Chinese as empty)."""

    def tokenize(self, text: str) -> list[str]:
        return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def rouge_l(reference: str, prediction: str) -> float:
    return _rouge_l_scorer().score(reference, prediction)["rougeL"].fmeasure


_SCORER: Any = None


def _rouge_l_scorer() -> Any:
    global _SCORER
    if _SCORER is None:
        from rouge_score import rouge_scorer

        _SCORER = rouge_scorer.RougeScorer(["rougeL"], tokenizer=_Tokenizer())
    return _SCORER


def generation(references: Sequence[str], predictions: Sequence[str]) -> dict[str, float]:
    """Exact match (normalised), mean ROUGE-L F, corpus BLEU and chrF (sacrebleu; BLEU with
    its Chinese tokenizer when the references hold CJK text)."""
    import sacrebleu

    if len(references) != len(predictions):
        raise ValueError("references and predictions differ in length")
    if not references:
        return {}
    refs, preds = [str(r) for r in references], [str(p) for p in predictions]
    tokenize = "zh" if any(_CJK.search(r) for r in refs) else "13a"
    bleu = sacrebleu.metrics.BLEU(tokenize=tokenize, effective_order=True)
    chrf = sacrebleu.metrics.CHRF()
    return {
        "exact_match": sum(normalise(r) == normalise(p) for r, p in zip(refs, preds))
        / len(refs),
        "rouge_l": sum(rouge_l(r, p) for r, p in zip(refs, preds)) / len(refs),
        "bleu": float(bleu.corpus_score(preds, [refs]).score),
        "chrf": float(chrf.corpus_score(preds, [refs]).score),
    }


def perplexity(nll_sum: float, tokens: int) -> float:
    """exp(mean negative log-likelihood per predicted token); inf with no tokens."""
    if tokens <= 0:
        return math.inf
    return math.exp(min(nll_sum / tokens, 700.0))
