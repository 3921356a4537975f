import re

from rapport.contacts.models import Contact
from tests.factories import make_contact
from tests.web.helpers import signed_in


def _errors(html: str) -> dict[str, str]:
    return dict(re.findall(r'class="field-error" id="f-([a-z_0-9-]+)-error">([^<]+)<', html))


def test_a_failed_create_shows_each_error_beside_its_field_and_saves_nothing(app, db, bob):
    ui = signed_in(app, bob)
    response = ui.post(
        "/contacts/new",
        {"first_name": "Zed", "lists": ["emails", "addresses"], "emails-0-address": "zed@",
         "addresses-0-country": "DE", "addresses-0-postal_code": "1234"},
    )  # fmt: skip
    assert response.status_code == 422
    errors = _errors(response.text)
    assert set(errors) == {"emails-0-address", "addresses-0-postal_code"}
    assert "not a valid postal code for Germany" in errors["addresses-0-postal_code"]
    assert 'aria-describedby="f-emails-0-address-error"' in response.text
    assert 'value="zed@"' in response.text  # what the agent typed is kept
    assert db.query(Contact).filter_by(first_name="Zed").count() == 0


def test_the_same_message_as_the_api(app, bob):
    api = bob.client.post("/api/v1/contacts", json={"email": "zed@"}).json()
    page = signed_in(app, bob).post(
        "/contacts/new", {"lists": "emails", "emails-0-address": "zed@"}
    )
    assert _errors(page.text)["emails-0-address"] == api["detail"][0]["msg"].replace(
        "'", "&#39;"
    )


def test_it_creates_and_edits_a_contact(app, db, bob, tenant_a):
    ui = signed_in(app, bob)
    created = ui.post(
        "/contacts/new",
        {"first_name": "Hannah", "country": "DE", "postal_code": "10117",
         "phone": "030 901820", "preferred_channels": ["voice"], "priority": "2"},
    )  # fmt: skip
    assert created.status_code == 303
    page = ui.get(created.headers["location"])
    assert 'href="tel:+4930901820"' in page.text
    assert "in Berlin, Europe/Berlin" in page.text

    contact = db.query(Contact).filter_by(first_name="Hannah").one()
    form = ui.get(f"/contacts/{contact.id}/edit").text
    assert 'name="time_zone_inferred" value="Europe/Berlin"' in form
    saved = ui.post(
        f"/contacts/{contact.id}/edit",
        {"version": "1", "first_name": "Hannah", "last_name": "Müller", "country": "DE",
         "state": "DE-BE", "postal_code": "10117", "phone": "030 901820",
         "email": "h@example.de", "preferred_channels": ["email", "voice"], "priority": "1",
         "time_zone": "Europe/Berlin", "time_zone_inferred": "Europe/Berlin"},
    )  # fmt: skip
    assert saved.status_code == 303
    db.expire_all()
    contact = db.get(Contact, (tenant_a.id, contact.id))
    assert contact.last_name == "Müller"
    assert contact.preferred_channels == ["email", "voice"]
    assert contact.priority == 1
    assert contact.state == "DE-BE"
    assert contact.time_zone_source == "inferred"


def test_a_stale_edit_is_explained_not_saved(app, db, bob, tenant_a):
    contact = make_contact(db, tenant_a, first_name="Ada", city="Paris")
    bob.client.patch(f"/api/v1/contacts/{contact.id}", json={"city": "Lyon"})
    response = signed_in(app, bob).post(
        f"/contacts/{contact.id}/edit",
        {"version": "1", "first_name": "Ada", "last_name": contact.last_name, "city": "Nice"},
    )
    assert response.status_code == 409
    assert "Someone else saved this contact" in response.text
    assert "saved “Lyon”, yours “Nice”" in response.text
    assert 'name="version" value="2"' in response.text
    db.expire_all()
    assert db.get(Contact, (tenant_a.id, contact.id)).city == "Lyon"


def test_it_finds_a_contact_by_a_number_in_national_format(app, db, bob, tenant_a):
    make_contact(db, tenant_a, first_name="John", phone="+1 415 555 2671")
    make_contact(db, tenant_a, first_name="Jane", phone="+1 212 555 0147")
    ui = signed_in(app, bob)
    page = ui.get("/contacts", params={"q": "(415) 555-2671"})
    assert "John" in page.text and "Jane" not in page.text
    fragment = ui.get("/contacts", params={"q": "jan"}, headers={"X-Fragment": "results"})
    assert "Jane" in fragment.text and "<html" not in fragment.text


def test_it_filters_by_account_priority_and_country(app, db, bob, tenant_a):
    from tests.factories import make_account

    account = make_account(db, tenant_a, identifier="BIG")
    make_contact(db, tenant_a, first_name="Inbig", account="BIG", priority=1, country="FR")
    make_contact(db, tenant_a, first_name="Outside", priority=1, country="FR")
    ui = signed_in(app, bob)
    page = ui.get("/contacts", params={"account": account.identifier, "priority": "1"}).text
    assert "Inbig" in page and "Outside" not in page
    page = ui.get("/contacts", params={"country": "FR", "priority": "5"}).text
    assert "Inbig" not in page and "No contacts match" in page


def test_it_offers_the_states_of_a_country(app, bob):
    ui = signed_in(app, bob)
    states = ui.get("/contacts/subdivisions", params={"country": "US"}).json()
    assert ["US-CA", "California"] in states["subdivisions"]
    assert ui.get("/contacts/subdivisions", params={"country": "MC"}).json()["subdivisions"]
    assert ui.get("/contacts/subdivisions", params={"country": "AQ"}).json()["subdivisions"] == []
