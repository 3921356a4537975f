"""Use case: an agent gets a few plain tips, each traceable to the trait behind it."""

from insights_samples import OUTGOING, WITHDRAWN, words

from rapport.insights.engine import analyze, guidance


def test_it_gives_three_to_five_tips_each_tied_to_a_trait() -> None:
    profile = analyze(words(OUTGOING, 1300))
    tips = guidance(profile)
    assert 3 <= len(tips) <= 5
    by_id = {t["trait_id"]: t for t in profile["personality"]}
    for tip in tips:
        assert tip["trait_id"] in by_id
        assert tip["percentile"] == by_id[tip["trait_id"]]["percentile"]
        assert tip["text"].endswith(".")
    assert len({t["trait_id"] for t in tips}) == len(tips)


def test_it_tells_a_warm_approach_for_an_outgoing_writer() -> None:
    tips = guidance(analyze(words(OUTGOING, 1300)))
    extraversion = next(t for t in tips if t["trait_id"] == "big5_extraversion")
    assert extraversion["direction"] == "high"


def test_it_weakens_tips_when_there_is_little_text() -> None:
    tips = guidance(analyze(words(WITHDRAWN, 200)))
    assert len(tips) <= 3
    for tip in tips:
        assert tip["strength"] == "tentative"
        assert "little text" in tip["note"]
