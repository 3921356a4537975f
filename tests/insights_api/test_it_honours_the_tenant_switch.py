"""Use case: while a tenant has Personality Insights off, nothing is read or analysed."""

import pytest
from sqlalchemy import func, select

from rapport.insights import service
from rapport.insights.models import PersonalityProfile
from tests.insights_api.helpers import profile_url, record, words

PLAIN = {"Content-Type": "text/plain"}


@pytest.fixture
def no_analysis(monkeypatch):
    def refuse(texts):
        raise AssertionError("text was analysed while Personality Insights is off")

    monkeypatch.setattr(service, "analyze", refuse)


def test_every_endpoint_answers_403_and_nothing_is_analysed(db, bob, contact, no_analysis):
    record(bob.client, contact.id, "sms", [("contact", words(300))])
    base = profile_url(contact.id)
    message_id = "0190a000-0000-7000-8000-000000000000"
    calls = [
        ("get", base, {}),
        ("get", base + "/examples", {}),
        ("post", base + "/examples", {"json": {"text": words(200)}}),
        ("delete", base + "/examples/" + message_id, {}),
        ("post", f"{base}/exclusions/{message_id}", {}),
        ("delete", f"{base}/exclusions/{message_id}", {}),
        ("post", "/api/v1/personality/profile", {"json": [words(200)]}),
        ("post", "/api/v1/personality/profile", {"content": "x", "headers": PLAIN}),
    ]  # fmt: skip
    for method, url, options in calls:
        response = (
            getattr(bob.client, method)(url, **options)
            if options
            else getattr(bob.client, method)(url)
        )
        assert response.status_code == 403, (method, url, response.text)
        body = response.json()
        assert body["code"] == "personality_insights_disabled"
        assert "system administrator can enable" in body["detail"]
    assert db.scalar(select(func.count()).select_from(PersonalityProfile)) == 0


def test_turning_it_off_hides_profiles_already_computed(db, alice, bob, enabled, contact):
    record(bob.client, contact.id, "sms", [("contact", words(300))])
    assert bob.client.get(profile_url(contact.id)).json()["status"] == "ready"
    assert (
        alice.client.patch(
            "/api/v1/tenant", json={"personality_insights_enabled": False}
        ).status_code
        == 200
    )
    assert bob.client.get(profile_url(contact.id)).status_code == 403
