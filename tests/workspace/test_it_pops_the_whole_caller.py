"""The screen pop shows how the caller likes to be reached; a new caller is created with an
account and an address from the pop's own form."""

from __future__ import annotations

from rapport.contacts.models import Contact
from tests.factories import make_account, make_contact
from tests.routing.helpers import post_interaction
from tests.web.helpers import signed_in


def _accept(ui) -> str:
    response = ui.post("/workspace/accept")
    assert response.status_code == 303, response.text
    return response.headers["location"]


def test_the_pop_shows_the_preferred_channels_in_order(app, db, bob, tenant_a):
    make_contact(db, tenant_a, first_name="Vera", mobile="+14155552671", email="v@example.com",
                 preferred_channels=["sms", "email"])  # fmt: skip
    post_interaction(bob.client, address="+14155552671")
    ui = signed_in(app, bob)
    pop = ui.get(_accept(ui)).text
    prefers = pop[pop.index("<dt>Prefers</dt>") :]
    assert prefers.index("1. SMS") < prefers.index("2. Email") < prefers.index("</dd>")
    # ... and which of the contact's numbers the caller used.
    reached = pop[pop.index("<dt>Reached on</dt>") :]
    assert "415-555-2671" in reached[: reached.index("</dd>")]
    assert "(mobile)" in reached[: reached.index("</dd>")]


NEW_CALLER = {
    "first_name": "Nia", "last_name": "New", "phone": "+14155550123", "country": "US",
    "time_zone": "America/Los_Angeles", "time_zone_inferred": "America/Los_Angeles",
    "priority": "3", "account": "GLOBAL", "address": "1 Market St", "city": "San Francisco",
    "state": "US-CA", "postal_code": "94103",
}  # fmt: skip


def test_a_new_caller_is_created_with_account_and_address(app, db, bob, tenant_a):
    account = make_account(db, tenant_a, identifier="GLOBAL", name="Global Shipping")
    post_interaction(bob.client, address="+14155550123")
    ui = signed_in(app, bob)
    url = _accept(ui)
    form = ui.get(url).text
    assert 'name="account"' in form and '<option value="GLOBAL">GLOBAL — Global Shipping' in form
    assert 'name="address"' in form and 'name="postal_code"' in form and 'name="state"' in form
    assert '<option value="US-CA">California</option>' in form  # the suggested country's states

    created = ui.post(f"{url}/contact", NEW_CALLER)
    assert created.status_code == 303, created.text
    db.expire_all()
    nia = db.query(Contact).filter_by(first_name="Nia").one()
    assert nia.account_id == account.id
    assert (nia.address, nia.city, nia.state, nia.postal_code) == (
        "1 Market St", "San Francisco", "US-CA", "94103",
    )  # fmt: skip
    assert "San Francisco, CA 94103" in ui.get(url).text


def test_an_unknown_account_is_named_and_nothing_is_created(app, db, bob, tenant_a):
    post_interaction(bob.client, address="+14155550123")
    ui = signed_in(app, bob)
    url = _accept(ui)
    refused = ui.post(f"{url}/contact", {**NEW_CALLER, "account": "NOPE"})
    assert refused.status_code == 422
    assert 'id="f-account-error"' in refused.text and 'value="NOPE"' in refused.text
    assert ">1 Market St</textarea>" in refused.text  # what was typed stays
    db.expire_all()
    assert db.query(Contact).filter_by(first_name="Nia").count() == 0
