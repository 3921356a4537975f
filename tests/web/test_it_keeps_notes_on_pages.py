from rapport.notes.models import Note
from tests.factories import make_contact
from tests.web.helpers import signed_in
from tests.web.interaction_helpers import make_interaction, make_note


def _notes(db, contact):
    db.expire_all()
    return db.query(Note).filter_by(contact_id=contact.id).order_by(Note.created_at).all()


def test_the_notes_tab_lists_notes_newest_first_with_author(app, db, bob, tenant_a):
    contact = make_contact(db, tenant_a, first_name="Ada")
    make_note(db, bob, contact, "First **call**")
    make_note(db, bob, contact, "Second call")
    page = signed_in(app, bob).get(f"/contacts/{contact.id}/notes")
    assert page.status_code == 200
    assert page.text.index("Second call") < page.text.index("First <strong>call</strong>")
    assert "bob@acme.example" in page.text
    assert 'aria-current="page">Notes</a>' in page.text


def test_an_agent_adds_a_note_tied_to_an_interaction(app, db, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    interaction = make_interaction(db, tenant_a, contact, subject="Refund request")
    ui = signed_in(app, bob)
    assert "Refund request" in ui.get(f"/contacts/{contact.id}/notes").text
    response = ui.post(
        f"/contacts/{contact.id}/notes",
        {"body": "Refund *approved*", "interaction_id": str(interaction.id),
         "outcome": "Refunded", "next_steps": "Call back Monday"},
    )  # fmt: skip
    assert response.status_code == 303
    assert response.headers["location"] == f"/contacts/{contact.id}/notes"
    [note] = _notes(db, contact)
    assert (note.interaction_id, note.outcome) == (interaction.id, "Refunded")
    page = ui.get(f"/contacts/{contact.id}/notes").text
    assert "Note added." in page and "Refund <em>approved</em>" in page


def test_bad_input_is_explained_beside_the_field_and_saves_nothing(app, db, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    response = signed_in(app, bob).post(
        f"/contacts/{contact.id}/notes", {"body": " ", "outcome": "Sold"}
    )
    assert response.status_code == 422
    assert 'id="f-body-error"' in response.text and 'aria-invalid="true"' in response.text
    assert "only applies to a note tied to an interaction" in response.text
    assert 'value="Sold"' in response.text
    assert _notes(db, contact) == []


def test_an_author_edits_and_deletes_a_note(app, db, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    note = make_note(db, bob, contact, "Draft")
    ui = signed_in(app, bob)
    edit = ui.post(
        f"/contacts/{contact.id}/notes/{note.id}/edit", {"body": "Final", "version": "1"}
    )
    assert edit.status_code == 303
    assert _notes(db, contact)[0].body == "Final"
    delete = ui.post(f"/contacts/{contact.id}/notes/{note.id}/delete", {"version": "2"})
    assert delete.status_code == 303
    assert _notes(db, contact) == []


def test_a_stale_edit_is_explained_and_keeps_the_typed_text(app, db, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    note = make_note(db, bob, contact, "Draft")
    ui = signed_in(app, bob)
    url = f"/contacts/{contact.id}/notes/{note.id}/edit"
    ui.post(url, {"body": "Theirs", "version": "1"})
    stale = ui.post(url, {"body": "Mine", "version": "1"})
    assert stale.status_code == 409
    assert "This note was changed meanwhile" in stale.text
    assert ">Mine</textarea>" in stale.text and "Theirs" in stale.text
    assert _notes(db, contact)[0].body == "Theirs"


def test_an_agent_sees_no_edit_on_others_notes_and_a_forged_post_is_refused(
    app, db, bob, sam, tenant_a
):
    contact = make_contact(db, tenant_a)
    note = make_note(db, sam, contact, "Supervisor's words")
    ui = signed_in(app, bob)
    page = ui.get(f"/contacts/{contact.id}/notes").text
    assert "s words</p>" in page and f"/notes/{note.id}/edit" not in page
    edit = ui.post(f"/contacts/{contact.id}/notes/{note.id}/edit", {"body": "Mine", "version": "1"})
    assert edit.status_code == 403
    delete = ui.post(f"/contacts/{contact.id}/notes/{note.id}/delete", {"version": "1"})
    assert delete.status_code == 403
    assert _notes(db, contact)[0].body == "Supervisor's words"


def test_a_supervisor_edits_an_agents_note(app, db, bob, sam, tenant_a):
    contact = make_contact(db, tenant_a)
    note = make_note(db, bob, contact, "Typo here")
    ui = signed_in(app, sam)
    assert f"/notes/{note.id}/edit" in ui.get(f"/contacts/{contact.id}/notes").text
    response = ui.post(
        f"/contacts/{contact.id}/notes/{note.id}/edit", {"body": "Fixed", "version": "1"}
    )
    assert response.status_code == 303
    assert _notes(db, contact)[0].body == "Fixed"


def test_the_preview_renders_sanitised_markdown(app, db, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    ui = signed_in(app, bob)
    response = ui.client.post(
        f"/contacts/{contact.id}/notes/preview",
        data={"body": "**hi** <script>alert(1)</script>"},
        headers={"X-CSRF-Token": ui.csrf},
    )
    assert response.status_code == 200
    assert "<strong>hi</strong>" in response.text and "<script" not in response.text


def test_note_forms_need_the_csrf_token(app, db, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    note = make_note(db, bob, contact, "Keep me")
    ui = signed_in(app, bob)
    assert ui.post(f"/contacts/{contact.id}/notes", {"body": "x"}, csrf="").status_code == 403
    for action in ("edit", "delete"):
        url = f"/contacts/{contact.id}/notes/{note.id}/{action}"
        assert ui.post(url, {"body": "x", "version": "1"}, csrf="forged").status_code == 403
    preview = ui.client.post(f"/contacts/{contact.id}/notes/preview", data={"body": "x"})
    assert preview.status_code == 403
    assert [n.body for n in _notes(db, contact)] == ["Keep me"]


def test_charlie_gets_not_found_on_tenant_a_notes(app, db, bob, charlie, tenant_a):
    contact = make_contact(db, tenant_a, first_name="Ada")
    note = make_note(db, bob, contact, "Secret note")
    ui = signed_in(app, charlie)
    response = ui.get(f"/contacts/{contact.id}/notes")
    assert response.status_code == 404 and "Secret note" not in response.text
    base = f"/contacts/{contact.id}/notes"
    assert ui.post(base, {"body": "x"}).status_code == 404
    assert ui.post(f"{base}/{note.id}/edit", {"body": "x", "version": "1"}).status_code == 404
    assert ui.post(f"{base}/{note.id}/delete", {"version": "1"}).status_code == 404
    assert ui.post(f"{base}/preview", {"body": "x"}).status_code == 404
    assert [n.body for n in _notes(db, contact)] == ["Secret note"]


def test_notes_are_paginated(app, db, bob, tenant_a, monkeypatch):
    from rapport.notes import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    contact = make_contact(db, tenant_a)
    for n in range(3):
        make_note(db, bob, contact, f"Note number {n}")
    ui = signed_in(app, bob)
    first = ui.get(f"/contacts/{contact.id}/notes").text
    assert "Note number 0" not in first and "Older notes" in first
    cursor = first.split("notes?cursor=")[1].split('"')[0]
    older = ui.get(f"/contacts/{contact.id}/notes?cursor={cursor}").text
    assert "Note number 0" in older and "Note number 2" not in older
