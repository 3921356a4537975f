from tests.factories import make_contact

URL = "/api/v1/interactions"


def _call(**values):
    return {"channel": "voice", "direction": "inbound", "address": "(415) 555-2671", **values}


def test_it_records_a_call_and_links_the_one_contact_with_that_number(db, bob, tenant_a):
    contact = make_contact(db, tenant_a, mobile="+1 415 555 2671")
    response = bob.client.post(URL, json=_call(subject="Billing question", queue="billing"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["contact_id"] == str(contact.id)
    assert body["match_count"] == 1
    assert body["address"] == "+14155552671"
    assert body["address_entered"] == "(415) 555-2671"
    assert body["state"] == "queued"
    assert response.headers["ETag"] == '"1"'


def test_it_leaves_an_ambiguous_address_unlinked_and_says_how_many_matched(db, bob, tenant_a):
    make_contact(db, tenant_a, phone="+14155552671")
    make_contact(db, tenant_a, mobile="+14155552671")
    body = bob.client.post(URL, json=_call()).json()
    assert body["contact_id"] is None
    assert body["match_count"] == 2


def test_an_email_links_by_the_normalised_address(db, bob, tenant_a):
    contact = make_contact(db, tenant_a, email="Vera.Stone@Example.com")
    body = bob.client.post(
        URL, json={"channel": "email", "direction": "inbound", "address": "VERA.STONE@example.COM"}
    ).json()
    assert body["address"] == "vera.stone@example.com"
    assert body["contact_id"] == str(contact.id)


def test_a_chat_handle_is_kept_unlinked(bob):
    body = bob.client.post(
        URL, json={"channel": "chat", "direction": "inbound", "address": "@NightOwl"}
    ).json()
    assert body["address"] == "@nightowl"
    assert body["match_count"] == 0 and body["contact_id"] is None


def test_an_explicit_contact_and_an_agent_by_email(db, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    body = bob.client.post(
        URL, json=_call(contact_id=str(contact.id), agent="BOB@acme.example", priority=2)
    ).json()
    assert body["contact_id"] == str(contact.id)
    assert body["agent"]["email"] == "bob@acme.example"
    assert body["priority"] == 2


def test_the_same_external_id_returns_the_stored_interaction(bob):
    first = bob.client.post(URL, json=_call(external_id="acd-1"))
    again = bob.client.post(URL, json=_call(external_id="acd-1", subject="changed"))
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["subject"] is None


def test_initial_messages_are_kept_in_time_order(bob):
    body = bob.client.post(
        URL,
        json=_call(
            channel="sms",
            messages=[
                {"sender": "agent", "text": "Sure", "sent_at": "2025-01-02T10:01:00Z"},
                {"sender": "contact", "text": "Can you help?", "sent_at": "2025-01-02T10:00:00Z"},
            ],
        ),
    ).json()
    assert [m["text"] for m in body["messages"]] == ["Can you help?", "Sure"]
    fetched = bob.client.get(f"{URL}/{body['id']}").json()
    assert [m["sender"] for m in fetched["messages"]] == ["contact", "agent"]


def test_charlie_cannot_see_or_link_tenant_a_records(db, bob, charlie, tenant_a):
    contact = make_contact(db, tenant_a, phone="+14155552671")
    created = bob.client.post(URL, json=_call()).json()
    assert charlie.client.get(f"{URL}/{created['id']}").status_code == 404
    response = charlie.client.post(
        URL, json=_call(address="+14155552671", contact_id=str(contact.id))
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "contact_id"]
    unlinked = charlie.client.post(URL, json=_call(address="+14155552671")).json()
    assert unlinked["match_count"] == 0
