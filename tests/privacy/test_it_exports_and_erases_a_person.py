from tests.privacy.personal_data import tables_mentioning

PERSON = {
    "first_name": "Zebulon",
    "last_name": "Quibbleworth",
    "email": "zebulon.q@example.org",
    "phone": "+1 212 555 0147",
    "address": "77 Sunflower Lane",
    "city": "Snowmass",
    "external_id": "crm-zq-991",
}
NEEDLES = ["Zebulon", "Quibbleworth", "zebulon.q@example.org", "2125550147",
           "Sunflower", "Snowmass", "crm-zq-991"]  # fmt: skip


def _person(client):
    contact = client.post("/api/v1/contacts", json=PERSON).json()
    client.patch(f"/api/v1/contacts/{contact['id']}", json={"city": "Aspen Snowmass"})
    return contact


def test_it_exports_everything_about_a_contact_as_one_document(sam):
    contact = _person(sam.client)
    document = sam.client.get(f"/api/v1/contacts/{contact['id']}/export").json()
    assert document["contact"]["email"] == PERSON["email"]
    assert [e["action"] for e in document["activity"]] == ["create", "update"]
    assert document["activity"][1]["changes"] == {"city": ["Snowmass", "Aspen Snowmass"]}


def test_erasure_leaves_no_personal_data_in_any_table(db, alice, sam):
    contact = _person(sam.client)
    other = sam.client.post("/api/v1/contacts", json={"first_name": "Zeb", "email": "zq2@x.io"})
    sam.client.post(
        "/api/v1/contacts/merge",
        json={"survivor_id": contact["id"], "merged_ids": [other.json()["id"]]},
    )
    assert tables_mentioning(db, NEEDLES)  # the check can see them before

    response = alice.client.post(f"/api/v1/contacts/{contact['id']}/erase", json={"confirm": True})
    assert response.status_code == 200, response.text
    db.expire_all()
    assert tables_mentioning(db, [*NEEDLES, "zq2@x.io"]) == {}
    assert alice.client.get(f"/api/v1/contacts/{contact['id']}").status_code == 404
    trail = alice.client.get("/api/v1/audit", params={"record_id": contact["id"]}).json()
    erase = trail["items"][0]
    assert (erase["action"], erase["actor_label"]) == ("erase", "alice@acme.example")


def test_erasure_needs_an_admin_and_a_confirmation(alice, sam, charlie):
    contact = _person(sam.client)
    url = f"/api/v1/contacts/{contact['id']}/erase"
    assert sam.client.post(url, json={"confirm": True}).status_code == 403
    unconfirmed = alice.client.post(url, json={"confirm": False})
    assert unconfirmed.status_code == 422
    assert unconfirmed.json()["detail"][0]["loc"] == ["body", "confirm"]
    assert charlie.client.post(url, json={"confirm": True}).status_code == 404
    assert charlie.client.get(f"/api/v1/contacts/{contact['id']}/export").status_code == 404
    assert sam.client.get(f"/api/v1/contacts/{contact['id']}").status_code == 200


def test_erasure_anonymises_transcripts_and_notes_but_keeps_statistics(db, alice, sam, bob):
    contact = _person(sam.client)
    posted = bob.client.post(
        "/api/v1/interactions",
        json={"channel": "sms", "direction": "inbound", "address": PERSON["phone"],
              "queue": "billing", "state": "completed",
              "messages": [{"sender": "contact", "text": "Hi, Zebulon Quibbleworth here"},
                           {"sender": "agent", "text": "Hello Zebulon, how can I help?"}]},
    ).json()  # fmt: skip
    assert posted["contact_id"] == contact["id"]
    bob.client.post(
        f"/api/v1/contacts/{contact['id']}/notes",
        json={"body": "Zebulon asked about Snowmass", "interaction_id": posted["id"]},
    )
    document = sam.client.get(f"/api/v1/contacts/{contact['id']}/export").json()
    assert document["interactions"][0]["messages"][0]["text"].startswith("Hi, Zebulon")
    assert document["notes"][0]["body"] == "Zebulon asked about Snowmass"

    alice.client.post(f"/api/v1/contacts/{contact['id']}/erase", json={"confirm": True})
    db.expire_all()
    assert tables_mentioning(db, NEEDLES) == {}
    kept = alice.client.get(f"/api/v1/interactions/{posted['id']}").json()
    assert (kept["channel"], kept["queue"], kept["contact_id"]) == ("sms", "billing", None)
    search = alice.client.get("/api/v1/search", params={"q": "Zebulon"}).json()
    assert search["interactions"] == [] and search["contacts"] == []


def test_a_merge_moves_notes_and_interactions_to_the_survivor(db, sam, bob):
    survivor = bob.client.post("/api/v1/contacts", json={"first_name": "Keep"}).json()
    merged = bob.client.post(
        "/api/v1/contacts", json={"first_name": "Old", "phone": "+1 212 555 0147"}
    ).json()
    bob.client.post(
        "/api/v1/interactions",
        json={"channel": "voice", "direction": "inbound", "address": "+1 212 555 0147"},
    )
    bob.client.post(f"/api/v1/contacts/{merged['id']}/notes", json={"body": "Called twice"})
    result = sam.client.post(
        "/api/v1/contacts/merge",
        json={"survivor_id": survivor["id"], "merged_ids": [merged["id"]]},
    ).json()
    assert result["moved"]["notes"] == result["moved"]["interactions"] == 1
    notes = bob.client.get(f"/api/v1/contacts/{survivor['id']}/notes").json()["items"]
    assert [n["body"] for n in notes] == ["Called twice"]
    history = bob.client.get(f"/api/v1/contacts/{survivor['id']}/interactions").json()["items"]
    assert len(history) == 1
