from tests.factories import make_contact


def test_interactions_stay_unlinked_and_the_notes_leave_the_index(db, sam, tenant_a):
    contact = make_contact(db, tenant_a, phone="+14155552671")
    interaction = sam.client.post(
        "/api/v1/interactions",
        json={"channel": "voice", "direction": "inbound", "address": "+14155552671",
              "subject": "boiler service"},
    ).json()  # fmt: skip
    sam.client.post(
        f"/api/v1/contacts/{contact.id}/notes",
        json={"body": "asked about radiators", "interaction_id": interaction["id"]},
    )
    assert len(sam.client.get("/api/v1/search", params={"q": "radiators"}).json()["interactions"])
    assert sam.client.delete(f"/api/v1/contacts/{contact.id}").status_code == 204

    kept = sam.client.get(f"/api/v1/interactions/{interaction['id']}").json()
    assert kept["contact_id"] is None
    assert sam.client.get("/api/v1/search", params={"q": "radiators"}).json()["interactions"] == []
    found = sam.client.get("/api/v1/search", params={"q": "boiler"}).json()["interactions"]
    assert [i["id"] for i in found] == [interaction["id"]]
