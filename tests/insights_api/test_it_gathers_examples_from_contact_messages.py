"""Use case: the profile reads what the contact wrote in SMS, chat and email, nothing else."""

from tests.factories import make_contact
from tests.insights_api.helpers import profile_url, record, words


def _examples(client, contact_id):
    response = client.get(profile_url(contact_id) + "/examples")
    assert response.status_code == 200, response.text
    return response.json()


def test_only_the_contacts_own_text_messages_are_examples(bob, enabled, contact):
    record(bob.client, contact.id, "sms", [("contact", "sms words here"), ("agent", "agent a")])
    record(bob.client, contact.id, "chat", [("contact", "chat words"), ("system", "joined")])
    record(bob.client, contact.id, "email", [("contact", "email words from me")])
    record(bob.client, contact.id, "voice", [("contact", "transcribed call words")])
    listed = _examples(bob.client, contact.id)
    texts = sorted(item["text"] for item in listed["items"])
    assert texts == ["chat words", "email words from me", "sms words here"]
    assert {item["channel"] for item in listed["items"]} == {"sms", "chat", "email"}
    for item in listed["items"]:
        assert item["kind"] == "message" and item["excluded"] is False
        assert item["interaction_id"] and item["at"]
    assert listed["word_count"] == 9
    assert listed["words_needed"] == 91


def test_agent_system_and_voice_words_never_reach_the_profile(bob, enabled, contact):
    record(bob.client, contact.id, "chat", [("agent", words(500)), ("system", words(500))])
    record(bob.client, contact.id, "voice", [("contact", words(500))])
    body = bob.client.get(profile_url(contact.id)).json()
    assert body["status"] == "not_enough_text"
    assert body["word_count"] == 0
    record(bob.client, contact.id, "sms", [("contact", words(150))])
    body = bob.client.get(profile_url(contact.id)).json()
    assert (body["status"], body["word_count"]) == ("ready", 150)


def test_quoted_text_in_email_replies_is_not_the_contacts(bob, enabled, contact):
    reply = "Yes that works for me.\n\nOn Mon, 3 Mar 2025, Acme Support wrote:\n> Agent text"
    quoted = "Fine.\n> quoted agent line\nThanks"
    record(bob.client, contact.id, "email", [("contact", reply), ("contact", quoted)])
    texts = sorted(item["text"] for item in _examples(bob.client, contact.id)["items"])
    assert texts == ["Fine.\nThanks", "Yes that works for me.\n\n"]


def test_messages_of_other_contacts_are_not_examples(db, bob, enabled, tenant_a, contact):
    other = make_contact(db, tenant_a, email="olga@example.com")
    record(bob.client, other.id, "sms", [("contact", words(200))])
    assert _examples(bob.client, contact.id)["items"] == []
    assert len(_examples(bob.client, other.id)["items"]) == 1
