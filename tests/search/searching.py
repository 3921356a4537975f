"""History searches for the search tests: calls recorded through the API, and what a search
of the whole workspace sends."""

from rapport.search import history
from tests.sql import statements_sent


def record(client, contact, subject):
    """A call with the contact, recorded through the API with this subject."""
    response = client.post(
        "/api/v1/interactions",
        json={
            "channel": "voice",
            "direction": "inbound",
            "address": "+14155550100",
            "contact_id": str(contact.id),
            "subject": subject,
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


def search(db, engine, tenant, q, limit=2):
    """The hits of a whole-workspace history search, and the statements it sent."""
    with statements_sent(engine) as sent:
        hits, _ = history.history(
            db=db, tenant_id=tenant.id, filters=history.HistoryFilters(q=q), limit=limit
        )
    return sent, hits
