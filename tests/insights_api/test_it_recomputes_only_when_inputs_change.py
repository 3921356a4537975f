"""Use case: a profile is recomputed when its examples change, and never for nothing."""

from uuid import UUID

import pytest
from sqlalchemy import select

from rapport.insights import service
from rapport.insights.models import PersonalityProfile
from tests.insights_api.helpers import profile_url, record, words


@pytest.fixture
def analyses(monkeypatch):
    """Counts every analysis the service runs."""
    calls = []
    real = service.analyze

    def counting(texts):
        calls.append(texts)
        return real(texts)

    monkeypatch.setattr(service, "analyze", counting)
    return calls


def _stored(db, contact):
    db.expire_all()
    return db.scalar(select(PersonalityProfile).where(PersonalityProfile.contact_id == contact.id))


def test_reading_again_reuses_the_stored_profile(bob, enabled, contact, analyses):
    record(bob.client, contact.id, "sms", [("contact", words(300))])
    first = bob.client.get(profile_url(contact.id)).json()
    second = bob.client.get(profile_url(contact.id)).json()
    assert len(analyses) == 1
    assert first["computed_at"] == second["computed_at"]
    assert first == second


def test_adding_an_example_recomputes_in_the_same_request(db, bob, enabled, contact, analyses):
    record(bob.client, contact.id, "sms", [("contact", words(300))])
    before = bob.client.get(profile_url(contact.id)).json()
    bob.client.post(profile_url(contact.id) + "/examples", json={"text": words(50)})
    assert len(analyses) == 2
    assert _stored(db, contact).word_count == 350
    after = bob.client.get(profile_url(contact.id)).json()
    assert len(analyses) == 2  # the read found it up to date
    assert after["word_count"] == 350 and after["computed_at"] > before["computed_at"]


def test_a_new_contact_message_marks_the_profile_stale(db, bob, enabled, contact, analyses):
    interaction_id = record(bob.client, contact.id, "chat", [("contact", words(300))])
    bob.client.get(profile_url(contact.id))
    assert _stored(db, contact).stale is False

    messages = f"/api/v1/interactions/{interaction_id}/messages"
    bob.client.post(messages, json={"sender": "agent", "text": "Anything else?"})
    assert _stored(db, contact).stale is False  # the agent's words change nothing
    bob.client.post(messages, json={"sender": "contact", "text": "Yes, one more thing."})
    assert _stored(db, contact).stale is True

    body = bob.client.get(profile_url(contact.id)).json()
    assert body["word_count"] == 304 and body["stale"] is False
    assert len(analyses) == 2
    assert _stored(db, contact).stale is False


def test_a_new_model_version_recomputes(db, bob, enabled, contact, analyses):
    record(bob.client, contact.id, "sms", [("contact", words(300))])
    bob.client.get(profile_url(contact.id))
    stored = _stored(db, contact)
    stored.model_version = "rapport-insights-en-0.9"
    db.commit()
    bob.client.get(profile_url(contact.id))
    assert len(analyses) == 2
    assert _stored(db, contact).model_version != "rapport-insights-en-0.9"


def test_a_stale_flag_with_unchanged_inputs_does_not_recompute(db, bob, enabled, contact, analyses):
    record(bob.client, contact.id, "sms", [("contact", words(300))])
    first = bob.client.get(profile_url(contact.id)).json()
    stored = _stored(db, contact)
    stored.stale = True
    db.commit()
    again = bob.client.get(profile_url(contact.id)).json()
    assert len(analyses) == 1 and again["computed_at"] == first["computed_at"]
    assert _stored(db, contact).stale is False


def test_relinking_an_interaction_marks_both_contacts_stale(db, bob, enabled, tenant_a, contact):
    from rapport.interactions.models import Interaction
    from tests.factories import make_contact

    other = make_contact(db, tenant_a, email="olga@example.com")
    interaction_id = record(bob.client, contact.id, "sms", [("contact", words(300))])
    record(bob.client, other.id, "sms", [("contact", words(300))])
    bob.client.get(profile_url(contact.id))
    bob.client.get(profile_url(other.id))
    interaction = db.get(Interaction, (tenant_a.id, UUID(interaction_id)))
    interaction.contact_id = other.id
    db.commit()
    stale = dict(db.execute(select(PersonalityProfile.contact_id, PersonalityProfile.stale)).all())
    assert stale == {contact.id: True, other.id: True}
    assert bob.client.get(profile_url(other.id)).json()["word_count"] == 600
