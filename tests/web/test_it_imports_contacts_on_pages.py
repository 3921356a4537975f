"""Use case: a supervisor uploads a file, checks it with a dry run, imports, rolls back."""

import re

import pytest
from sqlalchemy import func, select

from rapport.contacts.models import Contact
from rapport.imports.models import ImportMapping
from tests.factories import make_contact
from tests.web.helpers import signed_in

FILE = (
    "First Name,Surname,E-mail,Country\n"
    "Ada,Lovelace,ada@example.com,GB\n"
    "Alan,Turing,alan@example.com,\n"
    "Bad,Email,not-an-email,\n"
)


@pytest.fixture
def app(app, tmp_path):
    """Uploads go to the test's own directory, not the working tree."""
    app.state.settings = app.state.settings.model_copy(update={"data_dir": tmp_path / "data"})
    return app


def _contacts(db, tenant) -> int:
    db.expire_all()
    query = select(func.count()).select_from(Contact).where(Contact.tenant_id == tenant.id)
    return db.scalar(query)


def _upload(ui, content: str = FILE, name: str = "people.csv", csrf: str | None = None, **form):
    data = {"csrf_token": ui.csrf if csrf is None else csrf, "match": "email",
            "mode": "valid_rows", **form}  # fmt: skip
    files = {"file": (name, content.encode())}
    return ui.client.post("/contacts/import", data=data, files=files, follow_redirects=False)


def test_a_dry_run_then_the_import_then_a_rollback(db, app, sam, tenant_a):
    ui = signed_in(app, sam)
    assert 'href="/contacts/import"' in ui.get("/contacts").text
    assert "Upload and check (dry run)" in ui.get("/contacts/import").text
    response = _upload(ui)
    assert response.status_code == 303
    dry_url = response.headers["location"]
    assert re.fullmatch(r"/contacts/imports/[0-9a-f-]{36}", dry_url)
    html = ui.get(dry_url).text
    assert "Dry run of people.csv" in html
    assert re.search(r'Would create</dt><dd class="mono" data-field="created">2<', html)
    assert re.search(r'<td class="mono">4</td><td>email</td><td>[^<]*valid email', html)
    assert 'selected>First name<' in html and 'selected>Last name<' in html
    assert _contacts(db, tenant_a) == 0

    response = ui.post(dry_url + "/import")
    assert response.status_code == 303
    real_url = response.headers["location"]
    html = ui.get(real_url).text
    assert "Import of people.csv" in html and "Imported: 2 created" in html
    assert _contacts(db, tenant_a) == 2
    rejected = ui.get(real_url + "/rejected.csv")
    assert rejected.status_code == 200
    assert "attachment" in rejected.headers["content-disposition"]
    assert "Bad,Email,not-an-email" in rejected.text and "line,reason" in rejected.text
    status = ui.get(real_url + "/status").json()
    assert (status["finished"], status["created"], status["rejected"]) == (True, 2, 1)

    response = ui.post(real_url + "/rollback")
    assert response.status_code == 303
    assert "Import rolled back: 2 contacts deleted" in ui.get(real_url).text
    assert _contacts(db, tenant_a) == 0


def test_a_changed_mapping_is_checked_again_and_saved(db, app, alice, tenant_a):
    ui = signed_in(app, alice)
    dry_url = _upload(ui).headers["location"]
    # Ignore the Country column (index 3) and save the mapping for the next file.
    form = {"column-0": "first_name", "column-1": "last_name", "column-2": "email",
            "column-3": "", "match": "email", "mode": "all_or_nothing",
            "save_mapping_as": "CRM export"}  # fmt: skip
    response = ui.post(dry_url + "/dry-run", form)
    assert response.status_code == 303 and response.headers["location"] != dry_url
    html = ui.get(response.headers["location"]).text
    assert "Mapping saved as “CRM export”" in html
    assert "All or nothing" in html
    saved = db.scalar(select(ImportMapping).where(ImportMapping.name == "CRM export"))
    assert saved.mapping["Country"] is None
    assert "CRM export" in ui.get("/contacts/import").text

    both = {**form, "column-3": "first_name", "save_mapping_as": ""}
    response = ui.post(dry_url + "/dry-run", both)
    assert response.status_code == 422
    assert "more than one column is mapped to &#39;first_name&#39;" in response.text


def test_an_unreadable_upload_is_refused_beside_the_file_field(db, app, sam, tenant_a):
    ui = signed_in(app, sam)
    response = _upload(ui, "x", name="people.pdf")
    assert response.status_code == 422
    assert 'id="f-file-error"' in response.text and "must be a .csv or .xlsx file" in response.text
    assert _upload(ui, FILE, csrf="").status_code == 403
    assert _contacts(db, tenant_a) == 0


def test_agents_may_not_import_and_charlie_does_not_see_tenant_a_imports(
    db, app, sam, bob, charlie, tenant_a
):
    agent = signed_in(app, bob)
    assert 'href="/contacts/import"' not in agent.get("/contacts").text
    assert agent.get("/contacts/import").status_code == 403
    assert _upload(agent).status_code == 403
    dry_url = _upload(signed_in(app, sam)).headers["location"]
    assert agent.get(dry_url).status_code == 403
    other = signed_in(app, charlie)
    for path in ("", "/status", "/rejected.csv"):
        assert other.get(dry_url + path).status_code == 404, path
    assert other.post(dry_url + "/import").status_code == 404
    assert _contacts(db, tenant_a) == 0


def test_an_existing_contact_is_counted_as_updated(db, app, sam, tenant_a):
    make_contact(db, tenant_a, first_name="Ada", last_name="Byron", email="ada@example.com")
    ui = signed_in(app, sam)
    html = ui.get(_upload(ui).headers["location"]).text
    assert re.search(r'Would update</dt><dd class="mono" data-field="updated">1<', html)


def test_rows_that_look_like_existing_contacts_are_shown_before_and_after(db, app, sam,
                                                                        tenant_a):  # fmt: skip
    ada = make_contact(db, tenant_a, first_name="Ada", last_name="Lovelace", city="London")
    ui = signed_in(app, sam)
    content = "First Name,Surname,E-mail,City\nAda,Lovelace,ada.l@example.org,London\n"
    dry_url = _upload(ui, content).headers["location"]
    html = ui.get(dry_url).text
    assert "Possible duplicates" in html
    assert f'<a href="/contacts/{ada.id}">Ada Lovelace</a>' in html
    assert "similar name (100%), same city" in html and "Review and merge" not in html

    html = ui.get(ui.post(dry_url + "/import").headers["location"]).text
    new = db.scalar(select(Contact).where(Contact.email_key == "ada.l@example.org"))
    assert f'href="/duplicates/merge?ids={ada.id},{new.id}"' in html
