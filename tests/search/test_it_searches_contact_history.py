from tests.factories import make_contact

URL = "/api/v1/interactions"


def _record(client, contact, **values):
    body = {
        "channel": "chat",
        "direction": "inbound",
        "address": "someone@example.com",
        "contact_id": str(contact.id),
        **values,
    }
    response = client.post(URL, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def _history(client, contact, **params):
    response = client.get(f"/api/v1/contacts/{contact.id}/interactions", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_history_is_newest_first_and_paginated(db, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    for day in (1, 3, 2):
        _record(bob.client, contact, subject=f"day {day}", started_at=f"2025-01-0{day}T10:00:00Z")
    page = _history(bob.client, contact, limit=2)
    assert [i["subject"] for i in page["items"]] == ["day 3", "day 2"]
    rest = _history(bob.client, contact, limit=2, cursor=page["next_cursor"])
    assert [i["subject"] for i in rest["items"]] == ["day 1"]
    assert rest["next_cursor"] is None


def test_filters_by_channel_state_agent_and_time(db, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    _record(bob.client, contact, subject="a", started_at="2025-01-01T10:00:00Z")
    _record(
        bob.client,
        contact,
        subject="b",
        channel="email",
        state="completed",
        agent="bob@acme.example",
        started_at="2025-02-01T10:00:00Z",
    )
    subjects = lambda **p: [i["subject"] for i in _history(bob.client, contact, **p)["items"]]  # noqa: E731
    assert subjects(channel="email") == ["b"]
    assert subjects(state="queued") == ["a"]
    assert subjects(agent="bob@acme.example") == ["b"]
    assert subjects(**{"from": "2025-01-15T00:00:00Z"}) == ["b"]
    assert subjects(to="2025-01-15T00:00:00Z") == ["a"]
    bad = bob.client.get(
        f"/api/v1/contacts/{contact.id}/interactions", params={"agent": "ghost@acme.example"}
    )
    assert bad.json()["detail"][0]["loc"] == ["query", "agent"]


def test_q_searches_subject_transcript_and_notes_ranked_with_a_snippet(db, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    by_subject = _record(bob.client, contact, subject="Refund for order 1042")
    by_message = _record(
        bob.client,
        contact,
        subject="Question",
        messages=[{"sender": "contact", "text": "I was charged twice, I want a refund & fast"}],
    )
    noted = _record(bob.client, contact, subject="Follow-up")
    bob.client.post(
        f"/api/v1/contacts/{contact.id}/notes",
        json={"body": "Promised a **Rückerstattung** (refund)", "interaction_id": noted["id"]},
    )
    _record(bob.client, contact, subject="Unrelated delivery question")

    found = _history(bob.client, contact, q="REFUND")["items"]
    assert {i["id"] for i in found} == {by_subject["id"], by_message["id"], noted["id"]}
    assert all(i["score"] > 0 for i in found)
    assert [i["score"] for i in found] == sorted((i["score"] for i in found), reverse=True)
    message_hit = next(i for i in found if i["id"] == by_message["id"])
    assert "<mark>refund</mark>" in message_hit["snippet"]
    assert "&amp; fast" in message_hit["snippet"]

    # Prefixes, accents and several words (all required).
    assert [i["id"] for i in _history(bob.client, contact, q="ruckerst")["items"]] == [noted["id"]]
    assert [i["id"] for i in _history(bob.client, contact, q="charg twice")["items"]] == [
        by_message["id"]
    ]
    assert _history(bob.client, contact, q="refund delivery")["items"] == []


def test_editing_or_deleting_a_note_updates_the_search(db, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    interaction = _record(bob.client, contact, subject="Call")
    notes = f"/api/v1/contacts/{contact.id}/notes"
    note = bob.client.post(
        notes, json={"body": "spoke about warranty", "interaction_id": interaction["id"]}
    ).json()
    assert len(_history(bob.client, contact, q="warranty")["items"]) == 1
    bob.client.patch(f"{notes}/{note['id']}", json={"body": "spoke about invoices"})
    assert _history(bob.client, contact, q="warranty")["items"] == []
    assert len(_history(bob.client, contact, q="invoices")["items"]) == 1
    bob.client.delete(f"{notes}/{note['id']}")
    assert _history(bob.client, contact, q="invoices")["items"] == []


def test_appended_messages_become_searchable(db, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    interaction = _record(bob.client, contact)
    bob.client.post(
        f"{URL}/{interaction['id']}/messages",
        json={"sender": "contact", "content_type": "text/html", "text": "<p>My <b>modem</b></p>"},
    )
    hit = _history(bob.client, contact, q="modem")["items"][0]
    assert hit["snippet"] == "My <mark>modem</mark>"


def test_ranked_results_page_too(db, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    for n in range(3):
        _record(bob.client, contact, subject=f"parcel number {n}")
    page = _history(bob.client, contact, q="parcel", limit=2)
    rest = _history(bob.client, contact, q="parcel", limit=2, cursor=page["next_cursor"])
    ids = [i["id"] for i in page["items"] + rest["items"]]
    assert len(ids) == len(set(ids)) == 3


def test_charlie_gets_404_and_never_finds_tenant_a_text(db, bob, charlie, tenant_a):
    contact = make_contact(db, tenant_a)
    _record(bob.client, contact, subject="confidential merger")
    url = f"/api/v1/contacts/{contact.id}/interactions"
    assert charlie.client.get(url).status_code == 404
    assert charlie.client.get(url, params={"q": "merger"}).status_code == 404
    assert charlie.client.get("/api/v1/search", params={"q": "merger"}).json()["interactions"] == []
