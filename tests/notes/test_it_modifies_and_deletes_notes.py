from tests.factories import make_contact


def _url(contact, note_id=None):
    base = f"/api/v1/contacts/{contact.id}/notes"
    return f"{base}/{note_id}" if note_id else base


def test_an_agent_modifies_own_note_and_it_is_marked_edited(db, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    note = bob.client.post(_url(contact), json={"body": "Draft"}).json()
    response = bob.client.patch(
        _url(contact, note["id"]), json={"body": "Final _text_"}, headers={"If-Match": '"1"'}
    )
    assert response.status_code == 200, response.text
    assert response.json()["body_html"] == "<p>Final <em>text</em></p>\n"
    assert response.json()["edited_at"] is not None
    assert response.json()["version"] == 2
    assert response.headers["ETag"] == '"2"'


def test_a_stale_if_match_answers_412(db, bob, sam, tenant_a):
    contact = make_contact(db, tenant_a)
    note = bob.client.post(_url(contact), json={"body": "v1"}).json()
    assert sam.client.patch(_url(contact, note["id"]), json={"body": "v2"}).status_code == 200
    stale = bob.client.patch(
        _url(contact, note["id"]), json={"body": "v3"}, headers={"If-Match": '"1"'}
    )
    assert stale.status_code == 412
    gone = bob.client.delete(_url(contact, note["id"]), headers={"If-Match": '"1"'})
    assert gone.status_code == 412
    assert bob.client.get(_url(contact, note["id"])).json()["body"] == "v2"


def test_agents_cannot_change_others_notes_but_supervisors_can(db, app, bob, sam, tenant_a):
    from tests.conftest import make_persona

    contact = make_contact(db, tenant_a)
    other_agent = make_persona(db, app, tenant_a, "ann@acme.example", "agent")
    note = other_agent.client.post(_url(contact), json={"body": "Ann's"}).json()
    assert bob.client.patch(_url(contact, note["id"]), json={"body": "x"}).status_code == 403
    assert bob.client.delete(_url(contact, note["id"])).status_code == 403
    assert sam.client.patch(_url(contact, note["id"]), json={"body": "ok"}).status_code == 200
    assert sam.client.delete(_url(contact, note["id"])).status_code == 204
    assert bob.client.get(_url(contact, note["id"])).status_code == 404


def test_an_agent_deletes_own_note(db, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    note = bob.client.post(_url(contact), json={"body": "Oops"}).json()
    assert bob.client.delete(_url(contact, note["id"])).status_code == 204
    assert bob.client.get(_url(contact)).json()["items"] == []


def test_a_note_of_another_contact_is_not_found_here(db, bob, tenant_a):
    one, two = make_contact(db, tenant_a), make_contact(db, tenant_a)
    note = bob.client.post(_url(one), json={"body": "x"}).json()
    assert bob.client.get(_url(two, note["id"])).status_code == 404
