"""Use case: an agent opens a contact's profile and sees Watson-shaped traits."""

from insights_samples import OUTGOING, words

from rapport.insights.engine import MODEL_VERSION, analyze

BIG5 = [
    "big5_openness",
    "big5_conscientiousness",
    "big5_extraversion",
    "big5_agreeableness",
    "big5_neuroticism",
]
NEEDS = [
    "challenge",
    "closeness",
    "curiosity",
    "excitement",
    "harmony",
    "ideal",
    "liberty",
    "love",
    "practicality",
    "self_expression",
    "stability",
    "structure",
]
VALUES = [
    "self_transcendence",
    "conservation",
    "hedonism",
    "self_enhancement",
    "openness_to_change",
]


def test_it_returns_a_watson_shaped_profile() -> None:
    profile = analyze(words(OUTGOING, 1300))
    assert profile["processed_language"] == "en"
    assert profile["word_count"] == 1300
    assert profile["model_version"] == MODEL_VERSION
    assert profile["warnings"] == []
    assert [t["trait_id"] for t in profile["personality"]] == BIG5
    names = {t["trait_id"]: t["name"] for t in profile["personality"]}
    assert names["big5_neuroticism"] == "Emotional range"
    for trait in profile["personality"]:
        assert trait["category"] == "personality"
        assert isinstance(trait["significant"], bool)
        assert trait["children"] == []
    assert [t["trait_id"] for t in profile["needs"]] == [f"need_{n}" for n in NEEDS]
    assert [t["trait_id"] for t in profile["values"]] == [f"value_{v}" for v in VALUES]
    for trait in profile["needs"] + profile["values"]:
        assert trait["indicator"] is True
        assert {
            "trait_id",
            "name",
            "category",
            "percentile",
            "raw_score",
            "significant",
            "method",
        } <= trait.keys()


def test_it_returns_the_words_behind_needs_values_and_traits() -> None:
    profile = analyze(words(OUTGOING, 1300))
    evidence = profile["evidence"]
    assert "party" in evidence["needs"]["need_excitement"]
    assert set(evidence["values"]) == {t["trait_id"] for t in profile["values"]}
    extraversion = evidence["personality"]["big5_extraversion"]
    assert extraversion["raising"], "an outgoing text should have words raising extraversion"
    text = words(OUTGOING, 1300).lower()
    for term in extraversion["raising"] + extraversion["lowering"]:
        assert term.split()[0] in text


def test_it_accepts_several_messages_from_the_same_person() -> None:
    messages = [words(OUTGOING, 400), words(OUTGOING, 400)]
    profile = analyze(messages)
    assert profile["word_count"] == 800
    assert profile["confidence"]["level"] == "medium"
