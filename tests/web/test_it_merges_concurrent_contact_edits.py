"""Two agents edit the same contact: each keeps what they changed; only a field both changed
is shown as a conflict, and saving again then sends only this agent's changes."""

from __future__ import annotations

import html
import re

from rapport.contacts.models import Contact
from tests.factories import make_contact
from tests.web.helpers import signed_in

CITY = "addresses-0-city"
FIELD = re.compile(r'<input[^>]*name="(version|base)"[^>]*value="([^"]*)"')


def _opened(ui, contact) -> dict[str, str]:
    """The edit form as opened: its hidden version and base, and the fields it shows."""
    page = ui.get(f"/contacts/{contact.id}/edit").text
    hidden = {name: html.unescape(value) for name, value in FIELD.findall(page)}
    shown = {name: getattr(contact, name) or "" for name in ("first_name", "last_name")}
    # The contact's one address, as the form's first address row.
    address = {"lists": ["phones", "emails", "addresses"], CITY: contact.city or "",
               "addresses-0-label": "work", "addresses-primary": "0"}  # fmt: skip
    return {**hidden, **shown, **address, "priority": str(contact.priority)}


def test_changes_to_different_fields_are_both_kept(app, db, bob, sam, tenant_a):
    contact = make_contact(db, tenant_a, first_name="Ada", last_name="Byron", city="Paris")
    tab_a, tab_b = signed_in(app, bob), signed_in(app, sam)
    form_a, form_b = _opened(tab_a, contact), _opened(tab_b, contact)
    assert tab_a.post(f"/contacts/{contact.id}/edit", {**form_a, CITY: "Lyon"}).status_code == 303
    saved = tab_b.post(f"/contacts/{contact.id}/edit", {**form_b, "first_name": "Augusta"})
    assert saved.status_code == 303  # no conflict: they changed different fields
    db.expire_all()
    stored = db.get(Contact, (tenant_a.id, contact.id))
    assert (stored.first_name, stored.city) == ("Augusta", "Lyon")


def test_the_same_field_changed_twice_is_a_conflict_and_saving_again_keeps_theirs(
    app, db, bob, sam, tenant_a
):
    contact = make_contact(db, tenant_a, first_name="Ada", last_name="Byron", city="Paris")
    tab_a, tab_b = signed_in(app, bob), signed_in(app, sam)
    form_a, form_b = _opened(tab_a, contact), _opened(tab_b, contact)
    tab_a.post(f"/contacts/{contact.id}/edit", {**form_a, CITY: "Lyon", "last_name": "King"})
    clash = tab_b.post(f"/contacts/{contact.id}/edit",
                       {**form_b, "first_name": "Augusta", CITY: "Nice"})  # fmt: skip
    assert clash.status_code == 409
    assert "saved “Lyon (work, primary)”, yours “Nice (work, primary)”" in clash.text
    assert "Last name" not in clash.text.split("You both changed")[1].split("</ul>")[0]
    db.expire_all()
    assert db.get(Contact, (tenant_a.id, contact.id)).first_name == "Ada"  # nothing saved yet
    # Save again from the conflict page: its form starts from their version.
    again = {name: html.unescape(value) for name, value in FIELD.findall(clash.text)}
    shown = dict(re.findall(r'id="f-(first_name|last_name|addresses-0-city)"[^>]*value="([^"]*)"',
                            clash.text))  # fmt: skip
    assert shown == {"first_name": "Augusta", "last_name": "King", CITY: "Nice"}
    posted = {**form_b, **again, **shown}
    assert tab_b.post(f"/contacts/{contact.id}/edit", posted).status_code == 303
    db.expire_all()
    stored = db.get(Contact, (tenant_a.id, contact.id))
    assert (stored.first_name, stored.last_name, stored.city) == ("Augusta", "King", "Nice")


def test_a_form_without_its_starting_values_still_refuses_a_stale_save(app, db, bob, tenant_a):
    contact = make_contact(db, tenant_a, first_name="Ada", city="Paris")
    bob.client.patch(f"/api/v1/contacts/{contact.id}", json={"city": "Lyon"})
    response = signed_in(app, bob).post(
        f"/contacts/{contact.id}/edit", {"version": "1", "first_name": "Ada", "city": "Nice"}
    )
    assert response.status_code == 409
    db.expire_all()
    assert db.get(Contact, (tenant_a.id, contact.id)).city == "Lyon"
