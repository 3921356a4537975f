from rapport.contacts.models import Contact
from tests.factories import make_contact
from tests.web.helpers import signed_in


def test_an_agent_sees_no_delete_button_and_a_forged_delete_is_refused(app, db, bob, tenant_a):
    contact = make_contact(db, tenant_a, first_name="Ada")
    ui = signed_in(app, bob)
    page = ui.get(f"/contacts/{contact.id}")
    assert page.status_code == 200
    assert "/delete" not in page.text
    assert ui.get(f"/contacts/{contact.id}/delete").status_code == 403

    response = ui.post(f"/contacts/{contact.id}/delete", {"version": "1"})
    assert response.status_code == 403
    assert "Only a supervisor or above can delete contacts." in response.text
    db.expire_all()
    assert db.get(Contact, (tenant_a.id, contact.id)) is not None


def test_a_supervisor_deletes_a_contact_after_confirming(app, db, sam, tenant_a):
    contact = make_contact(db, tenant_a, first_name="Ada")
    contact_id = contact.id
    ui = signed_in(app, sam)
    assert f"/contacts/{contact.id}/delete" in ui.get(f"/contacts/{contact.id}").text
    assert "Delete contact" in ui.get(f"/contacts/{contact.id}/delete").text
    response = ui.post(f"/contacts/{contact.id}/delete", {"version": "1"})
    assert response.status_code == 303
    db.expire_all()
    assert db.query(Contact).filter_by(id=contact_id).first() is None


def test_an_agent_sees_no_settings(app, bob):
    ui = signed_in(app, bob)
    assert 'href="/settings"' not in ui.get("/contacts").text
