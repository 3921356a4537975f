"""A person's data on pages: export for supervisors and admins, erasure for admins only."""

import json

from rapport.contacts.models import Contact
from tests.factories import make_contact
from tests.web.helpers import signed_in


def test_supervisors_download_everything_about_a_contact(app, db, sam, tenant_a):
    contact = make_contact(db, tenant_a, first_name="Ada", email="ada@example.com")
    ui = signed_in(app, sam)
    activity = ui.get(f"/contacts/{contact.id}/activity").text
    assert "Export all data" in activity and "Erase this person" not in activity
    response = ui.get(f"/contacts/{contact.id}/export")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    document = json.loads(response.text)
    assert document["contact"]["email"] == "ada@example.com"


def test_agents_may_not_export_or_erase(app, db, bob, tenant_a):
    contact = make_contact(db, tenant_a, first_name="Ada")
    ui = signed_in(app, bob)
    assert ui.get(f"/contacts/{contact.id}/export").status_code == 403
    assert ui.get(f"/contacts/{contact.id}/erase").status_code == 403
    assert ui.post(f"/contacts/{contact.id}/erase", {"confirm": "yes"}).status_code == 403
    assert db.get(Contact, (tenant_a.id, contact.id)) is not None


def test_supervisors_may_not_erase(app, db, sam, tenant_a):
    contact = make_contact(db, tenant_a, first_name="Ada")
    assert (
        signed_in(app, sam).post(f"/contacts/{contact.id}/erase", {"confirm": "yes"}).status_code
        == 403
    )


def test_erasing_needs_an_explicit_confirmation(app, db, alice, tenant_a):
    contact = make_contact(db, tenant_a, first_name="Ada")
    ui = signed_in(app, alice)
    assert "Erase this person" in ui.get(f"/contacts/{contact.id}/activity").text
    assert "cannot be undone" in ui.get(f"/contacts/{contact.id}/erase").text
    response = ui.post(f"/contacts/{contact.id}/erase", {})
    assert response.status_code == 422
    assert 'aria-invalid="true" aria-describedby="f-confirm-error"' in response.text
    db.expire_all()
    assert db.get(Contact, (tenant_a.id, contact.id)) is not None


def test_an_admin_erases_a_contact_through_the_form(app, db, alice, tenant_a):
    contact_id = make_contact(db, tenant_a, first_name="Ada", last_name="Erased").id
    ui = signed_in(app, alice)
    response = ui.post(f"/contacts/{contact_id}/erase", {"confirm": "yes"})
    assert response.status_code == 303 and response.headers["location"] == "/contacts"
    assert "Everything about Ada Erased was erased." in ui.get("/contacts").text
    db.expire_all()
    assert db.get(Contact, (tenant_a.id, contact_id)) is None
    assert ui.get(f"/contacts/{contact_id}").status_code == 404


def test_erasing_without_the_csrf_token_changes_nothing(app, db, alice, tenant_a):
    contact = make_contact(db, tenant_a, first_name="Ada")
    response = signed_in(app, alice).post(
        f"/contacts/{contact.id}/erase", {"confirm": "yes"}, csrf=""
    )
    assert response.status_code == 403
    assert db.get(Contact, (tenant_a.id, contact.id)) is not None


def test_charlie_gets_not_found_for_tenant_a_personal_data(app, db, charlie, tenant_a):
    contact = make_contact(db, tenant_a, first_name="Ada")
    ui = signed_in(app, charlie)
    for path in ("export", "erase"):
        assert ui.get(f"/contacts/{contact.id}/{path}").status_code == 404
    assert ui.post(f"/contacts/{contact.id}/erase", {"confirm": "yes"}).status_code == 404
    db.expire_all()
    assert db.get(Contact, (tenant_a.id, contact.id)) is not None
