from rapport.accounts.models import Account
from tests.factories import make_account, make_contact
from tests.web.helpers import signed_in


def test_a_supervisor_creates_edits_and_deletes_an_account(app, db, sam):
    ui = signed_in(app, sam)
    assert "New account" in ui.get("/accounts").text
    created = ui.post("/accounts/new", {"identifier": "ACME-9", "name": "Acme Nine"})
    assert created.status_code == 303
    account_url = created.headers["location"]
    page = ui.get(account_url)
    assert "Acme Nine" in page.text and "No contacts belong" in page.text

    saved = ui.post(
        f"{account_url}/edit", {"identifier": "ACME-9", "name": "Acme 9", "version": "1"}
    )
    assert saved.status_code == 303
    assert "Acme 9" in ui.get(account_url).text
    assert ui.post(f"{account_url}/delete", {"version": "2"}).status_code == 303
    assert db.query(Account).filter_by(identifier="ACME-9").count() == 0


def test_a_duplicate_identifier_is_shown_beside_the_field(app, db, sam, tenant_a):
    make_account(db, tenant_a, identifier="TAKEN", name="Taken Ltd")
    response = signed_in(app, sam).post("/accounts/new", {"identifier": "taken", "name": "X"})
    assert response.status_code == 422
    assert 'id="f-identifier-error"' in response.text
    assert "already used by" in response.text


def test_deleting_an_account_with_contacts_is_explained(app, db, sam, tenant_a):
    account = make_account(db, tenant_a, identifier="BUSY")
    make_contact(db, tenant_a, account="BUSY")
    response = signed_in(app, sam).post(f"/accounts/{account.id}/delete", {"version": "1"})
    assert response.status_code == 409
    assert "still has 1 contact" in response.text
    assert db.query(Account).filter_by(identifier="BUSY").count() == 1


def test_the_account_page_lists_its_contacts(app, db, bob, tenant_a):
    account = make_account(db, tenant_a, identifier="LIST")
    make_contact(db, tenant_a, first_name="Member", account="LIST")
    make_contact(db, tenant_a, first_name="Stranger")
    page = signed_in(app, bob).get(f"/accounts/{account.id}").text
    assert "Member" in page and "Stranger" not in page


def test_an_agent_cannot_change_accounts(app, db, bob, tenant_a):
    account = make_account(db, tenant_a, identifier="KEEP")
    ui = signed_in(app, bob)
    page = ui.get(f"/accounts/{account.id}").text
    assert "/delete" not in page and "/edit" not in page
    assert ui.post("/accounts/new", {"identifier": "NOPE", "name": "Nope"}).status_code == 403
    assert ui.post(f"/accounts/{account.id}/delete", {}).status_code == 403
    assert db.query(Account).filter_by(identifier="KEEP").count() == 1


def test_charlie_gets_not_found_on_tenant_a_accounts(app, db, charlie, tenant_a):
    account = make_account(db, tenant_a, identifier="MINE")
    ui = signed_in(app, charlie)
    for path in ("", "/edit", "/delete"):
        assert ui.get(f"/accounts/{account.id}{path}").status_code == 404
    assert ui.post(f"/accounts/{account.id}/delete", {}).status_code == 404
