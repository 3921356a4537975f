"""Use case: merging two records of one person keeps the examples added by hand."""

from sqlalchemy import select

from rapport.insights.models import PersonalityProfile
from tests.factories import make_contact
from tests.insights_api.helpers import profile_url, words


def test_manual_examples_follow_the_survivor(db, sam, enabled, tenant_a):
    survivor = make_contact(db, tenant_a, first_name="Vera", email="vera@example.com")
    duplicate = make_contact(db, tenant_a, first_name="Vera", email="v.old@example.com")
    survivor_id, duplicate_id = survivor.id, duplicate.id
    sam.client.post(profile_url(survivor.id) + "/examples", json={"text": words(80)})
    sam.client.post(profile_url(duplicate.id) + "/examples", json={"text": words(120)})
    assert sam.client.get(profile_url(duplicate.id)).json()["status"] == "ready"

    response = sam.client.post(
        "/api/v1/contacts/merge",
        json={"survivor_id": str(survivor.id), "merged_ids": [str(duplicate.id)]},
    )
    assert response.status_code == 200, response.text
    assert response.json()["moved"]["personality_examples"] == 1

    stored = db.scalars(select(PersonalityProfile.contact_id)).all()
    assert duplicate_id not in stored
    listed = sam.client.get(profile_url(survivor_id) + "/examples").json()
    assert listed["word_count"] == 200 and len(listed["items"]) == 2
    body = sam.client.get(profile_url(survivor_id)).json()
    assert (body["status"], body["word_count"]) == ("ready", 200)
    assert sam.client.get(profile_url(duplicate_id)).status_code == 410
