"""Feature extraction shared by training and runtime (numpy only)."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from .lexicon import CATEGORIES, Matcher, parse_lexicon

STYLE_FEATURES = ["log_words", "mean_word_len", "type_token_ratio", "long_word_rate"]


def psycho_matcher() -> Matcher:
    return Matcher(parse_lexicon(CATEGORIES))


def psycho_feature_names() -> list[str]:
    return [*CATEGORIES, *STYLE_FEATURES]


def psycho_features(toks: list[str], counts: Counter[str], matcher: Matcher) -> np.ndarray:
    """Category rates per 100 words plus a few style measures."""
    n = max(len(toks), 1)
    totals, _ = matcher.counts(counts)
    rates = [100.0 * t / n for t in totals]
    mean_len = sum(len(w) * c for w, c in counts.items()) / n
    # Types / sqrt(tokens) (Guiraud's index) is less length-dependent than a plain ratio.
    ttr = len(counts) / math.sqrt(n)
    long_rate = sum(c for w, c in counts.items() if len(w) > 6) / n
    return np.array([*rates, math.log(n), mean_len, ttr, long_rate], dtype=np.float64)


@dataclass
class TfidfSpace:
    """A fitted TF-IDF space: vocabulary and idf, applied with sublinear tf and l2 norm.

    Mirrors scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` so the weights learnt at
    training time apply unchanged at runtime without scikit-learn.
    """

    vocab: dict[str, int]
    idf: np.ndarray
    terms: list[str] = field(default_factory=list)

    def transform(self, items: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Return (indices, values) of the sparse, l2-normalised tf-idf row."""
        counts = Counter(i for i in items if i in self.vocab)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        idx = np.fromiter((self.vocab[k] for k in counts), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        val = (1.0 + np.log(tf)) * self.idf[idx]
        norm = float(np.linalg.norm(val))
        return idx, (val / norm if norm > 0 else val)
