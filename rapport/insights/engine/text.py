"""Text normalisation and tokenisation shared by training and runtime.

Training and scoring must see exactly the same tokens, so both import these functions.
"""

from __future__ import annotations

import re
from collections import Counter

MAX_BYTES = 250_000  # only the first 250 KB of text are analysed (Watson convention)

_WORD_RE = re.compile(r"[a-z]+(?:'[a-z]+)?")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})


def truncate(text: str, max_bytes: int = MAX_BYTES) -> tuple[str, bool]:
    """Cut text to at most ``max_bytes`` UTF-8 bytes; return (text, was_truncated)."""
    raw = text.encode("utf-8")
    if len(raw) <= max_bytes:
        return text, False
    return raw[:max_bytes].decode("utf-8", errors="ignore"), True


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; contractions kept whole ("don't") as they carry style."""
    return _WORD_RE.findall(text.lower().translate(_APOSTROPHES))


def word_count(text: str) -> int:
    """Words as a person would count them: whitespace-separated, containing a letter."""
    return sum(1 for w in text.split() if any(c.isalpha() for c in w))


def word_ngrams(toks: list[str]) -> list[str]:
    """Unigrams and bigrams."""
    return toks + [f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False)]


def char_ngrams(toks: list[str], low: int = 2, high: int = 4) -> list[str]:
    """Character n-grams inside word boundaries (like scikit-learn's ``char_wb``)."""
    out: list[str] = []
    for tok in toks:
        padded = f" {tok} "
        size = len(padded)
        for n in range(low, high + 1):
            if n > size:
                break
            out.extend(padded[i : i + n] for i in range(size - n + 1))
    return out


def count(items: list[str]) -> Counter[str]:
    return Counter(items)
