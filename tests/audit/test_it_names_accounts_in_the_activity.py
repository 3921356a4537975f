"""The Activity tab and the audit trail name an account, never show its raw id."""

from __future__ import annotations

from tests.factories import make_account, make_contact
from tests.web.helpers import signed_in


def _changes(page: str) -> str:
    """The list of changes alone (the contact's header links to its account by id)."""
    return page[page.index('<ol class="activity"') :]


def test_it_shows_the_accounts_name_where_the_account_changed(app, db, alice, bob, tenant_a):
    old = make_account(db, tenant_a, identifier="GLOBAL", name="Global Shipping")
    new = make_account(db, tenant_a, identifier="LOCAL", name="Local Freight")
    contact = make_contact(db, tenant_a, first_name="Ada", account="GLOBAL")
    moved = bob.client.patch(
        f"/api/v1/contacts/{contact.id}", json={"account": "LOCAL"},
        headers={"If-Match": f'"{contact.version}"'},
    )  # fmt: skip
    assert moved.status_code == 200, moved.text

    page = signed_in(app, bob).get(f"/contacts/{contact.id}/activity").text
    activity = _changes(page)
    assert '<td class="diff-before">GLOBAL — Global Shipping</td>' in activity
    assert '<td class="diff-after">LOCAL — Local Freight</td>' in activity
    assert str(old.id) not in activity and str(new.id) not in activity

    trail = _changes(signed_in(app, alice).get("/settings/audit?record_type=contact").text)
    assert "LOCAL — Local Freight" in trail and str(new.id) not in trail


def test_an_account_deleted_since_reads_as_deleted(app, db, alice, bob, tenant_a):
    gone = make_account(db, tenant_a, identifier="GONE", name="Gone Ltd")
    contact = make_contact(db, tenant_a, first_name="Ada", account="GONE")
    left = bob.client.patch(
        f"/api/v1/contacts/{contact.id}", json={"account": None},
        headers={"If-Match": f'"{contact.version}"'},
    )  # fmt: skip
    assert left.status_code == 200, left.text
    assert alice.client.delete(f"/api/v1/accounts/{gone.id}").status_code == 204
    activity = _changes(signed_in(app, bob).get(f"/contacts/{contact.id}/activity").text)
    assert "(deleted account)" in activity and str(gone.id) not in activity
