"""Bob fills the workspace's custom fields on the contact form: each type has its input, a bad
value is named beside its field, a field only an administrator may change is read-only for
him, and the contact page lists the values under their labels in the administrator's order."""

from __future__ import annotations

import html
import re

from rapport.contacts.models import Contact
from tests.web.helpers import signed_in

FILLED = {
    "first_name": "Ada",
    "priority": "3",
    "custom_fields.customer_no": " C-1 ",
    "custom_fields.history": "line one\nline two",
    "custom_fields.seats": "1200",
    "custom_fields.balance": "12.5",
    "custom_fields.contract_end": "2026-12-31",
    "custom_fields.vip": "true",
    "custom_fields.plan": "Gold",
    "custom_fields.topics": ["sales", "billing"],
    "custom_fields.portal": "https://crm.example.com/a",
    "custom_fields.backup_email": "Ada@Example.COM",
    "custom_fields.assistant_phone": "(415) 555-2671",
}


def _tag(page: str, name: str) -> str:
    """The opening tag of the (first) control named `name`."""
    match = re.search(rf'<(input|textarea|select)\b[^>]*name="{re.escape(name)}"[^>]*>', page)
    assert match, f"no control named {name}"
    return match.group(0)


def _errors(page: str) -> dict[str, str]:
    found = re.findall(r'class="field-error" id="f-([a-z_.]+)-error">([^<]+)<', page)
    return {name: html.unescape(message) for name, message in found}


def test_each_type_gets_its_input_with_help_and_required_marker(app, alice, bob, every_type):
    alice.client.patch(
        "/api/v1/custom-fields/customer_no",
        json={"required": True, "help_text": "From the billing system."},
    )
    page = signed_in(app, bob).get("/contacts/new").text
    expected = {
        "customer_no": 'type="text"',
        "seats": 'type="number"',
        "balance": 'type="number"',
        "contract_end": 'type="date"',
        "vip": 'type="checkbox"',
        "topics": 'type="checkbox"',
        "portal": 'type="url"',
        "backup_email": 'type="email"',
        "assistant_phone": 'type="tel"',
    }
    for key, kind in expected.items():
        assert kind in _tag(page, f"custom_fields.{key}"), key
    assert _tag(page, "custom_fields.history").startswith("<textarea")
    assert _tag(page, "custom_fields.plan").startswith("<select")
    assert 'step="1"' in _tag(page, "custom_fields.seats")
    assert 'step="any"' in _tag(page, "custom_fields.balance")
    assert page.count('name="custom_fields.topics"') == 3  # one box per choice
    customer = page[page.index('data-custom-field="customer_no"') :]
    customer = customer[: customer.index("</div>")]
    assert 'class="req"' in customer and "From the billing system." in customer
    assert 'aria-describedby="f-custom_fields.customer_no-hint"' in customer
    # The administrator's order: the fields appear as they were defined.
    positions = [page.index(f'data-custom-field="{f["key"]}"') for f in every_type]
    assert positions == sorted(positions)


def test_bob_creates_edits_and_reads_the_values(app, db, bob, tenant_a, every_type):
    ui = signed_in(app, bob)
    created = ui.post("/contacts/new", FILLED)
    assert created.status_code == 303, created.text
    ada = db.query(Contact).filter_by(first_name="Ada").one()
    assert ada.custom_fields == {
        "customer_no": "C-1", "history": "line one\nline two", "seats": 1200, "balance": 12.5,
        "contract_end": "2026-12-31", "vip": True, "plan": "Gold", "topics": ["billing", "sales"],
        "portal": "https://crm.example.com/a", "backup_email": "ada@example.com",
        "assistant_phone": "+14155552671",
    }  # fmt: skip

    page = ui.get(created.headers["location"]).text
    labels = [f["label"] for f in every_type]
    assert [page.index(f"<dt>{label}</dt>") for label in labels] == sorted(
        page.index(f"<dt>{label}</dt>") for label in labels
    )
    assert 'data-custom-field="assistant_phone"><a href="tel:+14155552671">+1 415-555-2671' in page
    assert "billing; sales" in page and ">Yes<" in page

    form = ui.get(f"/contacts/{ada.id}/edit").text
    assert 'value="+1 415-555-2671"' in _tag(form, "custom_fields.assistant_phone")
    assert "checked" in _tag(form, "custom_fields.vip")
    # Change one value and untick the flag; what Bob did not touch stays as it was.
    edited = {name: value for name, value in FILLED.items() if name != "custom_fields.vip"}
    edited |= {"version": "1", "custom_fields.seats": "1300", "base": _base(form)}
    saved = ui.post(f"/contacts/{ada.id}/edit", edited)
    assert saved.status_code == 303, saved.text
    db.expire_all()
    ada = db.get(Contact, (tenant_a.id, ada.id))
    assert ada.custom_fields["seats"] == 1300 and ada.custom_fields["vip"] is False
    assert ada.custom_fields["topics"] == ["billing", "sales"]
    activity = ui.get(f"/contacts/{ada.id}/activity").text
    assert "seats" in activity.casefold() or "Seats" in activity


def _base(form: str) -> str:
    return html.unescape(re.search(r'name="base" value="([^"]*)"', form).group(1))


def test_a_bad_value_is_named_beside_its_field_with_the_api_message(app, db, bob, every_type):
    api = bob.client.post(
        "/api/v1/contacts", json={"first_name": "Ada", "custom_fields": {"seats": "many"}}
    ).json()
    ui = signed_in(app, bob)
    page = ui.post("/contacts/new", {**FILLED, "custom_fields.seats": "many"})
    assert page.status_code == 422
    assert _errors(page.text) == {"custom_fields.seats": api["detail"][0]["msg"]}
    assert 'href="#f-custom_fields.seats">Seats</a>' in page.text  # in the summary, by label
    assert 'value="many"' in _tag(page.text, "custom_fields.seats")  # as typed
    assert re.search(r'name="custom_fields.topics" value="sales" checked', page.text)
    assert db.query(Contact).filter_by(first_name="Ada").count() == 0


def test_a_field_bob_may_not_edit_is_read_only_for_him(app, db, alice, bob, tenant_a):
    alice.client.post(
        "/api/v1/custom-fields",
        json={"key": "credit_limit", "label": "Credit limit", "type": "number",
              "edit_roles": ["supervisor", "admin"]},
    )  # fmt: skip
    made = alice.client.post(
        "/api/v1/contacts", json={"first_name": "Ada", "custom_fields": {"credit_limit": 500}}
    ).json()
    ui = signed_in(app, bob)
    form = ui.get(f"/contacts/{made['id']}/edit").text
    tag = _tag(form, "custom_fields.credit_limit")
    assert "readonly" in tag and 'value="500"' in tag
    assert "Only supervisor or admin can change this." in form
    # A value posted anyway is not Bob's to change: it is ignored, the rest is saved.
    saved = ui.post(
        f"/contacts/{made['id']}/edit",
        {"version": "1", "first_name": "Ada", "last_name": "Lovelace", "priority": "3",
         "custom_fields.credit_limit": "9000"},
    )  # fmt: skip
    assert saved.status_code == 303, saved.text
    db.expire_all()
    ada = db.query(Contact).filter_by(first_name="Ada").one()
    assert (ada.last_name, ada.custom_fields) == ("Lovelace", {"credit_limit": 500})

    admin_form = signed_in(app, alice).get(f"/contacts/{made['id']}/edit").text
    assert "readonly" not in _tag(admin_form, "custom_fields.credit_limit")


def test_the_pages_carry_no_inline_script_or_style(app, bob, every_type):
    page = signed_in(app, bob).get("/contacts/new").text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert not re.search(r"\s(on[a-z]+|style)=", page)
