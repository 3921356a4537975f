"""Use case: scores are stable, bounded, and follow what the person actually wrote."""

from insights_samples import OUTGOING, WITHDRAWN, words

from rapport.insights.engine import analyze


def _trait(profile: dict, trait_id: str) -> dict:
    return next(t for t in profile["personality"] if t["trait_id"] == trait_id)


def test_it_gives_the_same_profile_for_the_same_text() -> None:
    text = words(WITHDRAWN, 700)
    assert analyze(text) == analyze(text)


def test_it_keeps_every_percentile_and_raw_score_between_0_and_1() -> None:
    for text in (words(OUTGOING, 150), words(WITHDRAWN, 2000)):
        profile = analyze(text)
        for trait in profile["personality"] + profile["needs"] + profile["values"]:
            assert 0.0 <= trait["percentile"] <= 1.0
            assert 0.0 <= trait["raw_score"] <= 1.0


def test_it_scores_outgoing_text_higher_on_extraversion_than_withdrawn_text() -> None:
    outgoing = _trait(analyze(words(OUTGOING, 800)), "big5_extraversion")
    withdrawn = _trait(analyze(words(WITHDRAWN, 800)), "big5_extraversion")
    assert outgoing["raw_score"] > withdrawn["raw_score"]
    assert outgoing["percentile"] > 0.5 > withdrawn["percentile"]


def test_it_scores_anxious_text_higher_on_emotional_range() -> None:
    anxious = _trait(analyze(words(WITHDRAWN, 800)), "big5_neuroticism")
    cheerful = _trait(analyze(words(OUTGOING, 800)), "big5_neuroticism")
    assert anxious["percentile"] > cheerful["percentile"]


def test_it_reads_needs_from_the_words_used() -> None:
    profile = analyze(words(OUTGOING, 800))
    needs = {t["trait_id"]: t for t in profile["needs"]}
    assert needs["need_excitement"]["percentile"] > needs["need_structure"]["percentile"]
