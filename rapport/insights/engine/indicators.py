"""Lexicon indicators (needs and values): smoothed word rates against a reference population."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from .lexicon import Matcher

# Pseudo-words of population-average text mixed into every profile, so that a short text
# with one or two matching words does not land at an extreme percentile.
PRIOR_WORDS = 300.0


@dataclass
class Indicator:
    rates: np.ndarray  # smoothed share of words matching each category (0..1)
    hits: np.ndarray  # raw number of matching words
    evidence: list[list[str]]  # most frequent matching words per category


def rates(
    counts: Counter[str], n_tokens: int, matcher: Matcher, prior: np.ndarray | None, top_n: int = 8
) -> Indicator:
    """Per category: share of tokens that match, shrunk toward the population mean ``prior``."""
    totals, ev = matcher.counts(counts)
    hits = np.asarray(totals, dtype=np.float64)
    if prior is None:
        smoothed = hits / max(n_tokens, 1)
    else:
        smoothed = (hits + PRIOR_WORDS * prior) / (n_tokens + PRIOR_WORDS)
    evidence = [
        [w for w, _ in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:top_n]] for c in ev
    ]
    return Indicator(rates=smoothed, hits=hits, evidence=evidence)
