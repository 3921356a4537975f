"""The screen pop shows the fields an administrator marked for it; a new caller's form asks for
the custom fields too, with the same messages as the contact form."""

from __future__ import annotations

import re

from rapport.contacts.models import Contact
from tests.factories import make_contact
from tests.routing.helpers import post_interaction
from tests.web.helpers import signed_in

FIELDS = [
    {"key": "plan", "label": "Plan", "type": "single_choice", "choices": ["Basic", "Gold"],
     "show_in_screen_pop": True},
    {"key": "vip", "label": "VIP", "type": "boolean", "show_in_screen_pop": True},
    {"key": "internal_ref", "label": "Internal reference", "type": "text"},
    {"key": "renewal", "label": "Renewal", "type": "date", "required": True},
]  # fmt: skip


def _define(alice) -> None:
    for body in FIELDS:
        assert alice.client.post("/api/v1/custom-fields", json=body).status_code == 201


def _accept(ui) -> str:
    response = ui.post("/workspace/accept")
    assert response.status_code == 303, response.text
    return response.headers["location"]


def test_the_pop_shows_only_the_fields_marked_for_it(app, db, alice, bob, tenant_a):
    _define(alice)
    make_contact(
        db, tenant_a, first_name="Vera", phone="+14155552671",
        custom_fields={"plan": "Gold", "vip": True, "internal_ref": "R-7", "renewal": "2026-01-31"},
    )  # fmt: skip
    post_interaction(bob.client, address="+14155552671")
    ui = signed_in(app, bob)
    pop = ui.get(_accept(ui)).text
    assert '<dt>Plan</dt><dd data-custom-field="plan">Gold</dd>' in pop
    assert '<dt>VIP</dt><dd data-custom-field="vip">Yes</dd>' in pop
    assert "Internal reference" not in pop and "R-7" not in pop
    assert "2026-01-31" not in pop


def test_a_new_caller_is_created_with_custom_fields(app, db, alice, bob, tenant_a):
    _define(alice)
    post_interaction(bob.client, address="+14155550123")
    ui = signed_in(app, bob)
    url = _accept(ui)
    form = ui.get(url).text
    assert re.search(r'<select id="f-custom_fields.plan" name="custom_fields.plan"', form)
    assert 'name="custom_fields.renewal" type="date"' in form
    typed = {"first_name": "Nia", "phone": "+14155550123", "priority": "3",
             "custom_fields.plan": "Gold", "custom_fields.renewal": "31.01.2026"}  # fmt: skip
    refused = ui.post(f"{url}/contact", typed)
    assert refused.status_code == 422
    assert (
        'class="field-error" id="f-custom_fields.renewal-error">&#39;31.01.2026&#39; is not a date'
        in refused.text
    )
    assert '<option value="Gold" selected>' in refused.text  # what Bob chose is kept
    assert db.query(Contact).filter_by(first_name="Nia").count() == 0

    created = ui.post(f"{url}/contact", {**typed, "custom_fields.renewal": "2026-01-31"})
    assert created.status_code == 303, created.text
    db.expire_all()
    nia = db.query(Contact).filter_by(first_name="Nia").one()
    assert nia.custom_fields == {"plan": "Gold", "renewal": "2026-01-31"}  # VIP left unset
    assert '<dd data-custom-field="plan">Gold</dd>' in ui.get(url).text
