"""Use case: before importing, the supervisor sees which new rows look like a contact already
there (similar name in the same city or account, the same number) or like an earlier row of
the same file. Nothing is merged automatically."""

import pytest
from sqlalchemy import func, select

from rapport.accounts import service as accounts_service
from rapport.contacts.models import Contact
from rapport.imports import service
from tests.factories import make_contact
from tests.imports.conftest import upload

FILE = (
    "First Name,Last Name,Email,Mobile,City\n"
    "Ada,Lovelace,ada.l@example.org,,London\n"  # 2: same name, same city as Ada
    "Adah,Lovelace,adah@example.org,,London\n"  # 3: one letter apart
    "Grace,Hopper,grace@example.org,,Arlington\n"  # 4: nobody like her
    "Charles,Babbage,cb@example.org,415 555 0101,Cambridge\n"  # 5: Alan's number
    "Ada,Lovelace,ada.l@example.org,,London\n"  # 6: the same email as line 2: rejected
    "Grace,Hoper,g.hopper@example.org,,Arlington\n"  # 7: like line 4
    "Ada,Byron,ada.b@example.org,,Paris\n"  # 8: different person
)


@pytest.fixture
def existing(db, tenant_a):
    ada = make_contact(db, tenant_a, first_name="Ada", last_name="Lovelace",
                       email="ada@example.com", city="London")  # fmt: skip
    alan = make_contact(db, tenant_a, first_name="Alan", last_name="Turing",
                        mobile="+14155550101", city="Wilmslow")  # fmt: skip
    return ada, alan


def test_a_dry_run_lists_rows_that_look_like_existing_contacts(db, sam, tenant_a, existing):
    ada, alan = existing
    report = upload(sam, FILE, dry_run=True).json()
    assert (report["created"], report["rejected"], report["possible_duplicates"]) == (6, 1, 4)
    flagged = {row["line"]: row for row in report["possible_duplicate_rows"]}
    assert sorted(flagged) == [2, 3, 5, 7]
    assert (flagged[2]["contact_id"], flagged[2]["contact_name"]) == (str(ada.id), "Ada Lovelace")
    assert flagged[2]["reasons"] == ["similar name (100%), same city"]
    assert flagged[3]["contact_id"] == str(ada.id) and flagged[3]["score"] >= 0.7
    assert (flagged[5]["contact_id"], flagged[5]["reasons"]) == (str(alan.id),
                                                                 ["same phone number"])  # fmt: skip
    # Like an earlier row of the file: by line, as that contact does not exist yet.
    assert (flagged[7]["other_line"], flagged[7]["contact_name"]) == (4, None)
    assert all(row["new_contact_id"] is None for row in flagged.values())
    assert "4 new rows look like a contact already there" in report["message"]
    count = select(func.count()).select_from(Contact).where(Contact.tenant_id == tenant_a.id)
    assert db.scalar(count) == 2  # a dry run writes nothing


@pytest.mark.parametrize("batch_rows", [1, 3, 500])
def test_the_import_flags_the_same_rows_whatever_its_batch_size(db, run_import, tenant_a,
                                                                existing, batch_rows):  # fmt: skip
    job = run_import(tenant_a, FILE, batch_rows=batch_rows)
    assert (job.created, job.possible_duplicates) == (6, 4), job.message
    flagged = {d.line: d for d in service.possible_duplicates(db=db, job=job)}
    assert sorted(flagged) == [2, 3, 5, 7]
    grace = db.scalar(select(Contact).where(Contact.email_key == "grace@example.org"))
    # In a real import the earlier row's contact exists: both its line and its id are given.
    assert (flagged[7].other_line, flagged[7].contact_id) == (4, grace.id)
    hoper = db.scalar(select(Contact).where(Contact.email_key == "g.hopper@example.org"))
    assert flagged[7].new_contact_id == hoper.id
    # Flagged, never merged.
    assert db.get(Contact, (tenant_a.id, hoper.id)) is not None


def test_a_similar_name_in_the_same_account_is_flagged(db, run_import, tenant_a):
    account = accounts_service.create(db=db, tenant_id=tenant_a.id,
                                      values={"name": "Globex", "identifier": "GLX"})  # fmt: skip
    make_contact(db, tenant_a, first_name="Jonathan", last_name="Smith", account=str(account.id))
    content = "First Name,Last Name,Account ID\nJonathon,Smith,GLX\nJonathan,Smith,\n"
    job = run_import(tenant_a, content)
    flagged = service.possible_duplicates(db=db, job=job)
    # Line 3 has the very same name, but no account or city to place it: not flagged.
    assert [(d.line, d.reasons) for d in flagged] == [(2, ["similar name (93%), same account"])]
