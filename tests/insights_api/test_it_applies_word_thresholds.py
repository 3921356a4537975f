"""Use case: the agent sees how sure a profile is, or how many more words it needs."""

from tests.insights_api.helpers import profile_url, record, words


def _profile_after(client, contact_id, n_words):
    record(client, contact_id, "chat", [("contact", words(n_words))])
    response = client.get(profile_url(contact_id))
    assert response.status_code == 200, response.text
    return response.json()


def test_under_100_words_there_is_no_profile_but_the_words_needed(bob, enabled, contact):
    body = _profile_after(bob.client, contact.id, 37)
    assert body["status"] == "not_enough_text"
    assert (body["word_count"], body["words_needed"], body["minimum_words"]) == (37, 63, 100)
    assert body["message"].startswith("63 more words needed")
    assert "personality" not in body


def test_without_any_message_100_words_are_needed(bob, enabled, contact):
    body = bob.client.get(profile_url(contact.id)).json()
    assert (body["status"], body["word_count"], body["words_needed"]) == (
        "not_enough_text", 0, 100,
    )  # fmt: skip


def test_under_600_words_the_profile_is_low_confidence(bob, enabled, contact):
    body = _profile_after(bob.client, contact.id, 300)
    assert body["status"] == "ready" and body["word_count"] == 300
    assert body["confidence"]["level"] == "low"
    assert "WORD_COUNT_MESSAGE" in [w["warning_id"] for w in body["warnings"]]
    assert not any(t["significant"] for t in body["personality"])
    assert all(tip["strength"] == "tentative" for tip in body["guidance"])


def test_from_600_words_medium_and_from_1200_full_confidence(bob, enabled, contact):
    body = _profile_after(bob.client, contact.id, 700)
    assert body["confidence"]["level"] == "medium"
    assert body["warnings"] == []
    body = _profile_after(bob.client, contact.id, 600)  # 1,300 words in all now
    assert body["word_count"] == 1300
    assert body["confidence"]["level"] == "full"
    assert all(t["significant"] for t in body["personality"])
