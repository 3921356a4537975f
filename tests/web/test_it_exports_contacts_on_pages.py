"""Use case: a supervisor exports the contacts of the current search from the list."""

import json

from tests.factories import make_contact
from tests.web.helpers import signed_in


def test_the_export_holds_the_contacts_of_the_search(db, app, sam, tenant_a):
    make_contact(db, tenant_a, first_name="Ada", last_name="Lovelace", email="ada@example.com")
    make_contact(db, tenant_a, first_name="Alan", last_name="Turing", email="alan@example.com")
    ui = signed_in(app, sam)
    page = ui.get("/contacts").text
    assert 'formaction="/contacts/export"' in page and 'form="contacts-filter"' in page

    response = ui.get("/contacts/export?format=csv&q=Lovelace&sort=name&account=&priority=")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith('attachment; filename="contacts-')
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("first_name,last_name")
    assert len(lines) == 2 and lines[1].startswith("Ada,Lovelace")

    response = ui.get("/contacts/export?format=jsonl")
    names = [json.loads(line)["first_name"] for line in response.text.splitlines()]
    assert sorted(names) == ["Ada", "Alan"]
    response = ui.get("/contacts/export?format=xlsx")
    assert response.content[:2] == b"PK"
    assert "spreadsheetml" in response.headers["content-type"]


def test_agents_do_not_see_or_use_the_export(app, bob):
    ui = signed_in(app, bob)
    assert "/contacts/export" not in ui.get("/contacts").text
    assert ui.get("/contacts/export?format=csv").status_code == 403


def test_charlie_exports_only_his_tenant(db, app, charlie, tenant_a):
    make_contact(db, tenant_a, first_name="Ada", email="ada@example.com")
    response = signed_in(app, charlie).get("/contacts/export?format=jsonl")
    assert response.status_code == 200 and response.text == ""


def test_an_unknown_format_or_bad_filter_is_refused(app, sam):
    ui = signed_in(app, sam)
    assert ui.get("/contacts/export?format=pdf").status_code == 422
    assert ui.get("/contacts/export?format=csv&country=Narnia").status_code == 422
