"""Build a Watson-Personality-Insights-shaped profile from a person's own text."""

from __future__ import annotations

import numpy as np

from . import text as T
from .indicators import Indicator, rates
from .model import TRAITS, Model, ecdf, get_model
from .needs_values import NEEDS, VALUE_GROUPS

MIN_WORDS = 100  # refused below this
LOW_WORDS = 600  # analysed with a warning below this
FULL_WORDS = 1200  # full confidence from here
MIN_LEXICON_HITS = 3  # a need/value needs at least this many matching words to be significant
# English essays have ~97% of their words in the model's unigram vocabulary; far less
# suggests another language or non-prose, where the profile means nothing.
MIN_COVERAGE = 0.7

TRAIT_NAMES = {
    "openness": "Openness",
    "conscientiousness": "Conscientiousness",
    "extraversion": "Extraversion",
    "agreeableness": "Agreeableness",
    "neuroticism": "Emotional range",
}


class NotEnoughText(ValueError):
    """Raised when a text is too short to profile (under 100 words)."""

    def __init__(self, word_count: int, minimum: int = MIN_WORDS) -> None:
        self.word_count = word_count
        self.words_needed = minimum - word_count
        super().__init__(
            f"Not enough text: {word_count} words given, at least {minimum} are needed "
            f"({self.words_needed} more words)."
        )


def confidence(word_count: int, expected: dict[str, float] | None = None) -> dict:
    """Confidence level from the amount of text, with the measured accuracy at that length."""
    if word_count < MIN_WORDS:
        level = "none"
    elif word_count < LOW_WORDS:
        level = "low"
    elif word_count < FULL_WORDS:
        level = "medium"
    else:
        level = "full"
    out: dict = {"level": level, "score": round(min(1.0, word_count / FULL_WORDS), 2)}
    if expected:
        # Cross-validated mean accuracy for texts of (about) this length, from metrics.json.
        bucket = max(
            (int(k) for k in expected if k.isdigit() and int(k) <= word_count), default=None
        )
        key = "full" if word_count >= LOW_WORDS or bucket is None else str(bucket)
        out["expected_big5_accuracy"] = expected.get(key)
    return out


def _warnings(word_count: int, truncated: bool, coverage: float) -> list[dict[str, str]]:
    out = []
    if coverage < MIN_COVERAGE:
        out.append(
            {
                "warning_id": "LANGUAGE_NOT_RECOGNISED",
                "message": f"Only {coverage:.0%} of the words are known English words; the "
                "text may not be English and this profile is unreliable.",
            }
        )
    if word_count < LOW_WORDS:
        out.append(
            {
                "warning_id": "WORD_COUNT_MESSAGE",
                "message": f"There were {word_count} words in the input. A minimum of {LOW_WORDS}, "
                f"preferably {FULL_WORDS:,} or more, is needed for statistically significant "
                "estimates; treat this profile as low confidence.",
            }
        )
    if truncated:
        out.append(
            {
                "warning_id": "CONTENT_TRUNCATED",
                "message": f"The input was larger than {T.MAX_BYTES // 1000} KB; only the first "
                f"{T.MAX_BYTES // 1000} KB were analysed.",
            }
        )
    return out


def _coverage(body: str, model: Model, sample: int = 5000) -> float:
    """Share of (up to ``sample``) words that are in the model's English vocabulary."""
    found = [T.tokens(w) for w in body.split()[:sample] if any(c.isalpha() for c in w)]
    if not found:
        return 0.0
    known = sum(1 for toks in found if toks and all(t in model.word.vocab for t in toks))
    return known / len(found)


def analyze(texts: str | list[str], *, model: Model | None = None) -> dict:
    """Profile the author of ``texts`` (one string, or several messages by the same person).

    Raises ``NotEnoughText`` under 100 words. Deterministic; no network.
    """
    joined = texts if isinstance(texts, str) else "\n".join(texts)
    body, truncated = T.truncate(joined)
    words = T.word_count(body)
    if words < MIN_WORDS:
        raise NotEnoughText(words)
    model = model or get_model()
    toks = T.tokens(body)
    counts = T.count(toks)
    conf = confidence(words, model.expected_accuracy)
    big5_significant = words >= LOW_WORDS

    scores = model.score(toks)
    personality = [
        {
            "trait_id": f"big5_{trait}",
            "name": TRAIT_NAMES[trait],
            "category": "personality",
            "percentile": round(float(scores.percentile[k]), 4),
            "raw_score": round(float(scores.raw[k]), 4),
            "significant": big5_significant,
            # Facets are not estimated: the corpus has no facet labels (see the model card).
            "children": [],
        }
        for k, trait in enumerate(TRAITS)
    ]

    a = model.a
    needs_ind = rates(counts, len(toks), model.needs, a["needs_prior"])
    values_ind = rates(counts, len(toks), model.values, a["values_prior"])
    needs = _lexicon_traits(
        "need", "needs", list(NEEDS), NEEDS, needs_ind, a["needs_ref"], big5_significant
    )
    values = _lexicon_traits(
        "value",
        "values",
        list(VALUE_GROUPS),
        VALUE_GROUPS,
        values_ind,
        a["values_ref"],
        big5_significant,
    )
    return {
        "model_version": model.version,
        "word_count": words,
        "processed_language": "en",
        "warnings": _warnings(words, truncated, _coverage(body, model)),
        "confidence": conf,
        "personality": personality,
        "needs": needs,
        "values": values,
        "evidence": {
            "personality": {f"big5_{t}": scores.word_evidence[k] for k, t in enumerate(TRAITS)},
            "needs": {f"need_{n}": needs_ind.evidence[i] for i, n in enumerate(NEEDS)},
            "values": {f"value_{v}": values_ind.evidence[i] for i, v in enumerate(VALUE_GROUPS)},
        },
    }


def _lexicon_traits(
    prefix: str,
    category: str,
    ids: list[str],
    info: dict,
    ind: Indicator,
    ref: np.ndarray,
    enough_text: bool,
) -> list[dict]:
    method = "lexicon_indicator" if category == "needs" else "lexicon_pyvalues"
    return [
        {
            "trait_id": f"{prefix}_{key}",
            "name": info[key]["name"],
            "category": category,
            "percentile": round(ecdf(ref[i], float(ind.rates[i])), 4),
            "raw_score": round(float(ind.rates[i]), 5),
            "significant": bool(enough_text and ind.hits[i] >= MIN_LEXICON_HITS),
            "indicator": True,
            "method": method,
            "matched_words": int(ind.hits[i]),
        }
        for i, key in enumerate(ids)
    ]
