from rapport.contacts.models import Contact
from tests.factories import make_contact
from tests.web.helpers import signed_in


def test_charlie_gets_not_found_on_every_page_of_a_tenant_a_contact(app, db, charlie, tenant_a):
    contact = make_contact(db, tenant_a, first_name="Ada")
    ui = signed_in(app, charlie)
    for path in ("", "/edit", "/delete"):
        response = ui.get(f"/contacts/{contact.id}{path}")
        assert response.status_code == 404, path
        assert "Contact not found." in response.text
        assert "Ada" not in response.text
    assert ui.post(f"/contacts/{contact.id}/edit", {"first_name": "Eve"}).status_code == 404
    assert ui.post(f"/contacts/{contact.id}/delete", {}).status_code == 404
    db.expire_all()
    assert db.get(Contact, (tenant_a.id, contact.id)).first_name == "Ada"


def test_charlie_does_not_find_tenant_a_contacts_in_search(app, db, charlie, tenant_a):
    make_contact(db, tenant_a, first_name="Ada", phone="+1 415 555 2671")
    ui = signed_in(app, charlie)
    assert "No contacts match" in ui.get("/contacts?q=Ada").text
    assert "No contacts match" in ui.get("/contacts?q=%2B14155552671").text


def test_a_malformed_id_is_a_page_that_does_not_exist(app, bob):
    ui = signed_in(app, bob)
    response = ui.get("/contacts/not-an-id")
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
