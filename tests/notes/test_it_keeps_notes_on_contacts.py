from tests.factories import make_contact


def _url(contact, note_id=None):
    base = f"/api/v1/contacts/{contact.id}/notes"
    return f"{base}/{note_id}" if note_id else base


def test_it_adds_renders_and_lists_newest_first(db, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    first = bob.client.post(_url(contact), json={"body": "Called about **billing**"})
    assert first.status_code == 201, first.text
    note = first.json()
    assert note["body_html"] == "<p>Called about <strong>billing</strong></p>\n"
    assert note["author"]["email"] == "bob@acme.example"
    assert note["edited_at"] is None
    assert first.headers["ETag"] == '"1"'
    bob.client.post(_url(contact), json={"body": "Second"})
    bob.client.post(_url(contact), json={"body": "Third"})
    page = bob.client.get(_url(contact), params={"limit": 2}).json()
    assert [n["body"] for n in page["items"]] == ["Third", "Second"]
    rest = bob.client.get(_url(contact), params={"limit": 2, "cursor": page["next_cursor"]})
    assert [n["body"] for n in rest.json()["items"]] == ["Called about **billing**"]
    assert rest.json()["next_cursor"] is None
    assert bob.client.get(_url(contact, note["id"])).json()["body"] == note["body"]


def test_no_script_event_handler_or_javascript_link_survives(db, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    body = (
        "Hi <script>alert(1)</script> <img src=x onerror=alert(2)> "
        '<a href="javascript:alert(3)" onclick="alert(4)">raw</a> '
        "[md](javascript:alert(5)) [ok](https://example.com)"
    )
    html = bob.client.post(_url(contact), json={"body": body}).json()["body_html"]
    lowered = html.lower()
    for banned in ("<script", "onerror", "onclick", 'href="javascript', "alert(1)"):
        assert banned not in lowered, (banned, html)
    # A javascript: link written in Markdown stays inert text, never a link.
    assert "[md](javascript:alert(5))" in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">ok</a>' in html


def test_a_note_can_be_tied_to_an_interaction_of_the_same_contact(db, bob, tenant_a):
    contact = make_contact(db, tenant_a, phone="+14155552671")
    other = make_contact(db, tenant_a)
    interaction = bob.client.post(
        "/api/v1/interactions",
        json={"channel": "voice", "direction": "inbound", "address": "+14155552671"},
    ).json()
    assert interaction["contact_id"] == str(contact.id)
    tied = bob.client.post(
        _url(contact),
        json={
            "body": "Refund promised",
            "interaction_id": interaction["id"],
            "outcome": "resolved",
            "next_steps": "Check refund on Friday",
        },
    )
    assert tied.status_code == 201, tied.text
    assert tied.json()["outcome"] == "resolved"
    wrong = bob.client.post(_url(other), json={"body": "x", "interaction_id": interaction["id"]})
    assert wrong.json()["detail"][0]["loc"] == ["body", "interaction_id"]
    loose = bob.client.post(_url(contact), json={"body": "x", "outcome": "resolved"})
    assert loose.json()["detail"][0]["loc"] == ["body", "outcome"]


def test_an_empty_body_is_refused(db, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    response = bob.client.post(_url(contact), json={"body": "  "})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "body"]


def test_charlie_gets_404_on_every_note_endpoint(db, bob, charlie, tenant_a):
    contact = make_contact(db, tenant_a)
    note = bob.client.post(_url(contact), json={"body": "Private"}).json()
    assert charlie.client.get(_url(contact)).status_code == 404
    assert charlie.client.post(_url(contact), json={"body": "x"}).status_code == 404
    assert charlie.client.get(_url(contact, note["id"])).status_code == 404
    assert charlie.client.patch(_url(contact, note["id"]), json={"body": "x"}).status_code == 404
    assert charlie.client.delete(_url(contact, note["id"])).status_code == 404
    assert bob.client.get(_url(contact, note["id"])).json()["body"] == "Private"
