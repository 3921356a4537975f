"""Use case: the amount of text decides whether and how confidently a profile is given."""

import pytest
from insights_samples import OUTGOING, words

from rapport.insights.engine import NotEnoughText, analyze


def test_it_refuses_under_100_words_and_says_how_many_more_are_needed() -> None:
    with pytest.raises(NotEnoughText) as info:
        analyze(words(OUTGOING, 60))
    assert info.value.word_count == 60
    assert info.value.words_needed == 40
    assert "40 more words" in str(info.value)


def test_it_profiles_100_words_with_a_low_confidence_warning() -> None:
    profile = analyze(words(OUTGOING, 100))
    assert profile["confidence"]["level"] == "low"
    assert [w["warning_id"] for w in profile["warnings"]] == ["WORD_COUNT_MESSAGE"]
    assert "600" in profile["warnings"][0]["message"]
    assert not any(t["significant"] for t in profile["personality"])


def test_it_gives_medium_confidence_from_600_words_without_warning() -> None:
    profile = analyze(words(OUTGOING, 600))
    assert profile["confidence"]["level"] == "medium"
    assert profile["warnings"] == []
    assert all(t["significant"] for t in profile["personality"])


def test_it_gives_full_confidence_from_1200_words() -> None:
    profile = analyze(words(OUTGOING, 1200))
    assert profile["confidence"]["level"] == "full"
    assert profile["confidence"]["score"] == 1.0


def test_it_only_reads_the_first_250_kb() -> None:
    big = words(OUTGOING, 60_000)  # about 330 KB
    profile = analyze(big)
    assert "CONTENT_TRUNCATED" in [w["warning_id"] for w in profile["warnings"]]
    assert profile["word_count"] < 60_000


def test_short_texts_get_less_extreme_scores_than_long_ones() -> None:
    # Length-specific calibration shrinks noisy short-text scores toward the middle.
    short = analyze(words(OUTGOING, 120))["personality"]
    long = analyze(words(OUTGOING, 1300))["personality"]
    spread = [abs(s["raw_score"] - 0.5) for s in short]
    long_spread = [abs(t["raw_score"] - 0.5) for t in long]
    assert sum(spread) < sum(long_spread)


def test_it_refuses_text_without_words() -> None:
    with pytest.raises(NotEnoughText) as info:
        analyze(" ".join(str(n) for n in range(500)))
    assert info.value.word_count == 0


def test_it_warns_when_the_text_does_not_look_english() -> None:
    french = "Bonjour, je voudrais changer l'adresse de livraison de ma commande demain. " * 12
    profile = analyze(french)
    assert "LANGUAGE_NOT_RECOGNISED" in [w["warning_id"] for w in profile["warnings"]]
