"""Use case: only a system administrator turns Personality Insights on or off."""

from tests.insights_api.helpers import profile_url


def test_agents_and_supervisors_cannot_turn_it_on(bob, sam, contact):
    for persona in (bob, sam):
        response = persona.client.patch(
            "/api/v1/tenant", json={"personality_insights_enabled": True}
        )
        assert response.status_code == 403
    assert bob.client.get("/api/v1/tenant").json()["personality_insights_enabled"] is False
    assert bob.client.get(profile_url(contact.id)).status_code == 403


def test_an_administrator_turns_it_on_for_everyone_in_the_tenant(alice, bob, contact):
    response = alice.client.patch("/api/v1/tenant", json={"personality_insights_enabled": True})
    assert response.status_code == 200
    assert response.json()["personality_insights_enabled"] is True
    assert bob.client.get(profile_url(contact.id)).status_code == 200
    events = alice.client.get("/api/v1/audit", params={"record_type": "tenant"}).json()
    switch = events["items"][0]
    assert switch["actor_label"] == "alice@acme.example"
    assert switch["changes"]["personality_insights_enabled"] == [False, True]
