from fastapi.testclient import TestClient

from rapport.contacts.models import Contact
from tests.factories import make_contact
from tests.web.helpers import signed_in


def test_it_refuses_a_post_without_the_csrf_token(app, db, bob):
    ui = signed_in(app, bob)
    response = ui.post("/contacts/new", {"first_name": "Mallory"}, csrf="")
    assert response.status_code == 403
    assert "did not come from this workspace" in response.text
    assert db.query(Contact).filter_by(first_name="Mallory").count() == 0


def test_it_refuses_a_post_with_another_sessions_token(app, db, bob, tenant_a):
    contact = make_contact(db, tenant_a, first_name="Ada")
    ui = signed_in(app, bob)
    response = ui.post(
        f"/contacts/{contact.id}/edit", {"first_name": "Eve", "version": "1"}, csrf="x" * 43
    )
    assert response.status_code == 403
    db.expire_all()
    assert db.get(Contact, (tenant_a.id, contact.id)).first_name == "Ada"


def test_it_refuses_a_sign_in_post_without_the_token(app):
    response = TestClient(app).post(
        "/login", data={"email": "a@b.example", "password": "x"}, follow_redirects=False
    )
    assert response.status_code == 403


def test_it_accepts_the_token_in_a_header_for_scripts_of_the_page(app, db, bob):
    ui = signed_in(app, bob)
    response = ui.client.post(
        "/contacts/new",
        data={"first_name": "Header"},
        headers={"X-CSRF-Token": ui.csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303
