"""Creating a contact that looks like an existing one: shown first, saved only when confirmed."""

from rapport.contacts.models import Contact
from tests.factories import make_contact
from tests.web.helpers import signed_in


def test_it_lists_likely_duplicates_and_saves_nothing(app, db, bob, tenant_a):
    ada = make_contact(db, tenant_a, first_name="Ada", email="ada@example.com")
    ui = signed_in(app, bob)
    response = ui.post("/contacts/new", {"first_name": "Ada L.", "email": "ADA@example.com"})
    assert response.status_code == 409
    assert "This contact may already exist" in response.text
    assert f'href="/contacts/{ada.id}"' in response.text and "same email" in response.text
    assert 'name="create_anyway"' in response.text
    assert 'value="Ada L."' in response.text  # what the agent typed is kept
    assert db.query(Contact).filter_by(first_name="Ada L.").count() == 0


def test_a_matching_phone_number_in_another_format_is_a_duplicate_too(app, db, bob, tenant_a):
    make_contact(db, tenant_a, first_name="Ada", phone="+1 415 555 2671")
    response = signed_in(app, bob).post(
        "/contacts/new", {"first_name": "X", "mobile": "(415) 555-2671"}
    )
    assert response.status_code == 409 and "same phone number" in response.text


def test_it_creates_the_contact_once_the_agent_confirms(app, db, bob, tenant_a):
    make_contact(db, tenant_a, first_name="Ada", phone="+1 415 555 2671")
    ui = signed_in(app, bob)
    response = ui.post(
        "/contacts/new",
        {"first_name": "Ada", "last_name": "Twin", "phone": "415 555 2671", "create_anyway": "yes"},
    )
    assert response.status_code == 303
    assert db.query(Contact).filter_by(last_name="Twin").count() == 1


def test_a_contact_without_lookalikes_is_created_at_once(app, db, bob, tenant_a):
    make_contact(db, tenant_a, first_name="Ada", email="ada@example.com")
    response = signed_in(app, bob).post("/contacts/new", {"first_name": "Grace"})
    assert response.status_code == 303


def test_charlie_is_not_warned_about_tenant_a_contacts(app, db, charlie, tenant_a):
    make_contact(db, tenant_a, first_name="Ada", email="ada@example.com")
    response = signed_in(app, charlie).post("/contacts/new", {"email": "ada@example.com"})
    assert response.status_code == 303
