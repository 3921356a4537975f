"""Bob edits a contact's several phones, emails and addresses in the plain HTML form: indexed
rows, a spare blank row to add one, a cleared row removed, errors beside their row."""

import re

from rapport.contacts.models import Contact
from tests.factories import make_contact
from tests.web.helpers import csrf_of, signed_in


def _errors(html: str) -> dict[str, str]:
    return dict(re.findall(r'class="field-error[^"]*" id="f-([a-z_0-9-]+)-error">([^<]+)<', html))


def _base(html: str) -> str:
    found = re.search(r'name="base" value="([^"]*)"', html)
    assert found, "the edit form carries the values it was opened with"
    return found.group(1).replace("&#34;", '"').replace("&quot;", '"')


LISTS = {"lists": ["phones", "emails", "addresses"]}
# Two emails (the home one primary) and two addresses, posted as the form's rows.
VERAS_EMAILS_AND_ADDRESSES = {
    "emails-0-address": "vera@work.example", "emails-0-label": "work",
    "emails-1-address": "vera@home.example", "emails-1-label": "home",
    "emails-primary": "1",
    "addresses-0-address": "1 Main St", "addresses-0-city": "San Francisco",
    "addresses-0-state": "California", "addresses-0-postal_code": "94103",
    "addresses-0-country": "US", "addresses-0-label": "home",
    "addresses-1-city": "Berlin", "addresses-1-postal_code": "10117",
    "addresses-1-country": "DE", "addresses-1-label": "Summer house",
    "addresses-primary": "0",
}  # fmt: skip


def test_bob_creates_a_contact_with_two_of_everything(app, db, bob, tenant_a):
    ui = signed_in(app, bob)
    form = ui.get("/contacts/new").text
    # Each list has a spare blank row, with labels a screen reader tells apart.
    assert 'name="phones-0-number"' in form and 'name="addresses-0-city"' in form
    assert '<label for="f-phones-0-number">Number<span class="visually-hidden"> 1</span>' in form
    assert '<script src="/static/rows.js" defer></script>' in form
    created = ui.post(
        "/contacts/new",
        {**LISTS, "first_name": "Vera", "priority": "3",
         "phones-0-number": "(415) 555-0140", "phones-0-label": "work",
         "phones-3-number": "415 555 0141", "phones-3-label": "home",
         "phones-4-number": "", "phones-4-label": "",  # a spare row left blank
         **VERAS_EMAILS_AND_ADDRESSES},
    )  # fmt: skip
    assert created.status_code == 303, _errors(created.text)
    contact = db.query(Contact).filter_by(first_name="Vera").one()
    assert (contact.phone, contact.email, contact.city, contact.state) == (
        "+14155550140", "vera@home.example", "San Francisco", "US-CA",
    )  # fmt: skip
    page = ui.get(created.headers["location"]).text
    others = page.split("Other numbers", 1)[1].split("</dd>", 1)[0]
    assert 'href="tel:+14155550141"' in others and "home" in others
    places = page.split("Other addresses", 1)[1].split("</dd>", 1)[0]
    assert "10117 Berlin" in places and "Summer house" in places

    # The edit form shows every row, primaries chosen, and one spare row after them.
    edit = ui.get(f"/contacts/{contact.id}/edit").text
    assert 'name="phones-1-number" type="tel" value="(415) 555-0141"' in edit
    assert 'name="phones-2-number" type="tel" value=""' in edit
    assert re.search(r'name="emails-primary" value="1" checked', edit)
    assert 'name="addresses-0-state" type="text" value="California"' in edit
    # Clearing a row removes it; the rest stays as it was.
    saved = ui.post(
        f"/contacts/{contact.id}/edit",
        {**LISTS, "version": str(contact.version), "base": _base(edit), "first_name": "Vera",
         "priority": "3",
         "phones-0-number": "(415) 555-0140", "phones-0-label": "work",
         "phones-1-number": "", "phones-1-label": "home",
         **VERAS_EMAILS_AND_ADDRESSES},
    )  # fmt: skip
    assert saved.status_code == 303, _errors(saved.text)
    db.expire_all()
    contact = db.get(Contact, (tenant_a.id, contact.id))
    assert [p.value for p in contact.points if p.kind != "email"] == ["+14155550140"]
    assert [a.city for a in contact.addresses] == ["San Francisco", "Berlin"]


def test_errors_are_shown_beside_their_row_and_nothing_is_saved(app, db, bob):
    ui = signed_in(app, bob)
    response = ui.post(
        "/contacts/new",
        {**LISTS, "first_name": "Zed",
         "emails-0-address": "zed@example.com", "emails-5-address": "zed@",
         "addresses-0-city": "London", "addresses-0-country": "GB",
         "addresses-2-city": "Berlin", "addresses-2-postal_code": "1234",
         "addresses-2-country": "DE"},
    )  # fmt: skip
    assert response.status_code == 422
    errors = _errors(response.text)
    # Rows are numbered as shown again: the blank ones between are gone.
    assert set(errors) == {"emails-1-address", "addresses-1-postal_code"}
    assert "not a valid postal code for Germany" in errors["addresses-1-postal_code"]
    assert 'aria-describedby="f-emails-1-address-error" aria-invalid="true"' in response.text
    assert 'href="#f-addresses-1-postal_code">Address 2: postal code</a>' in response.text
    assert 'name="emails-1-address" type="email" value="zed@"' in response.text
    assert db.query(Contact).filter_by(first_name="Zed").count() == 0
    # A primary email another contact has is named on its row.
    make_contact(db, bob.tenant, first_name="Owner", email="taken@example.com")
    taken = ui.post(
        "/contacts/new",
        {**LISTS, "first_name": "Zed", "create_anyway": "1",
         "emails-0-address": "zed@example.com", "emails-1-address": "taken@example.com",
         "emails-primary": "1"},
    )  # fmt: skip
    assert taken.status_code == 422
    assert "emails-1-address" in _errors(taken.text)


def test_a_colleagues_save_of_another_field_is_kept_beside_a_new_number(app, db, bob, tenant_a):
    contact = make_contact(db, tenant_a, first_name="Ada", phone="+14155550150", city="Paris",
                           country="FR")  # fmt: skip
    ui = signed_in(app, bob)
    edit = ui.get(f"/contacts/{contact.id}/edit").text
    assert csrf_of(edit)
    changed = bob.client.patch(f"/api/v1/contacts/{contact.id}", json={"last_name": "Lovelace"})
    assert changed.status_code == 200
    saved = ui.post(
        f"/contacts/{contact.id}/edit",
        {**LISTS, "version": "1", "base": _base(edit), "first_name": "Ada",
         "last_name": contact.last_name, "priority": str(contact.priority),
         "phones-0-number": "+1 415-555-0150", "phones-0-label": "work",
         "phones-0-primary": "1",
         "phones-1-number": "+1 415 555 0151", "phones-1-label": "home",
         "addresses-0-city": "Paris", "addresses-0-country": "FR",
         "addresses-0-label": "work", "addresses-primary": "0"},
    )  # fmt: skip
    assert saved.status_code == 303, saved.text
    db.expire_all()
    contact = db.get(Contact, (tenant_a.id, contact.id))
    assert contact.last_name == "Lovelace"
    assert [p.value for p in contact.points] == ["+14155550150", "+14155550151"]
