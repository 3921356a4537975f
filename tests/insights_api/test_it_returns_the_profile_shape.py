"""Use case: the Personality tab reads one Watson-shaped profile with Rapport's additions."""

from datetime import datetime

from rapport.insights.engine import MODEL_VERSION
from tests.insights_api.helpers import profile_url, record, words

BIG5 = [
    "big5_openness",
    "big5_conscientiousness",
    "big5_extraversion",
    "big5_agreeableness",
    "big5_neuroticism",
]


def test_the_profile_has_watsons_shape_and_rapports_additions(bob, enabled, contact):
    record(bob.client, contact.id, "email", [("contact", words(1300))])
    body = bob.client.get(profile_url(contact.id)).json()
    assert body["status"] == "ready"
    assert body["contact_id"] == str(contact.id)
    assert body["model_version"] == MODEL_VERSION
    assert body["word_count"] == 1300 and body["processed_language"] == "en"
    assert body["warnings"] == []
    assert datetime.fromisoformat(body["computed_at"]).tzinfo is not None
    assert body["confidence"]["level"] == "full"
    assert 0.5 < body["confidence"]["expected_big5_accuracy"] < 0.7

    assert [t["trait_id"] for t in body["personality"]] == BIG5
    for trait in body["personality"]:
        assert trait["category"] == "personality"
        assert 0 <= trait["percentile"] <= 1 and 0 <= trait["raw_score"] <= 1
        assert trait["significant"] is True and trait["children"] == []
        assert trait["name"]
    assert len(body["needs"]) == 12 and len(body["values"]) == 5
    assert {t["category"] for t in body["needs"]} == {"needs"}
    assert all(t["indicator"] is True for t in body["needs"] + body["values"])

    assert set(body["evidence"]) == {"personality", "needs", "values"}
    assert set(body["evidence"]["personality"]) == set(BIG5)
    assert 3 <= len(body["guidance"]) <= 5
    for tip in body["guidance"]:
        assert tip["trait_id"] in BIG5
        assert tip["text"] and tip["direction"] in ("high", "low")


def test_the_two_shapes_are_documented_in_openapi(bob):
    spec = bob.client.get("/openapi.json").json()
    operation = spec["paths"]["/api/v1/contacts/{contact_id}/personality"]["get"]
    assert "not_enough_text" in operation["description"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    names = {ref["$ref"].rsplit("/", 1)[1] for ref in schema["anyOf"]}
    assert names == {"ProfileOut", "NotEnoughTextOut"}
    assert "403" in operation["responses"]
