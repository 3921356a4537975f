"""Sam checks an Outlook export before importing it: the dry run lists every column with what
it maps to (the ignored ones marked), the accounts it would create, and writes nothing."""

from sqlalchemy import func, select

from rapport.accounts.models import Account
from rapport.contacts.models import Contact
from tests.imports.conftest import upload
from tests.imports.samples.make_samples import BAD, GOOD
from tests.imports.test_it_imports_other_systems_exports import ACCOUNTS, SAMPLES

OUTLOOK = (SAMPLES / "outlook_classic.csv").read_bytes()


def _count(db, model, tenant) -> int:
    return db.scalar(select(func.count()).where(model.tenant_id == tenant.id))


def test_the_dry_run_lists_every_column_and_the_accounts_it_would_create(sam, db, tenant_a):
    response = upload(sam, OUTLOOK, "outlook_classic.csv", dry_run=True)
    report = response.json()
    assert response.status_code == 201, response.text
    assert report["source"] == "Outlook"
    columns = {c["column"]: c for c in report["column_report"]}
    assert len(columns) == len(report["columns"])  # every column, none left out
    assert columns["Business Phone"]["field"] == "phone"
    assert columns["Company"]["field"] == "account"
    assert columns["Business Country/Region"]["field"] == "country"
    assert columns["Job Title"]["ignored"] and columns["Job Title"]["note"] == "ignored"
    assert columns["Account"]["ignored"]  # Outlook's own free-text field, not the company
    assert (report["created"], report["rejected"]) == (GOOD, len(BAD))
    assert report["accounts_created_count"] == ACCOUNTS
    assert "Contoso Ltd." in report["accounts_created"]
    assert f"would create {ACCOUNTS} accounts" in report["message"]
    assert _count(db, Contact, tenant_a) == 0 and _count(db, Account, tenant_a) == 0


def test_unknown_accounts_can_be_refused(sam, db, tenant_a):
    report = upload(sam, OUTLOOK, "outlook_classic.csv", accounts="refuse").json()
    assert report["created"] == 0 and report["rejected"] == GOOD + len(BAD)
    reasons = {e["field"] for row in report["rejected_rows"] for e in row["errors"]}
    assert "account" in reasons
    assert _count(db, Account, tenant_a) == 0


def test_unmapped_columns_are_kept_when_asked(sam, db, tenant_a):
    report = upload(sam, OUTLOOK, "outlook_classic.csv", keep_unmapped=True).json()
    assert report["created"] == GOOD, report["message"]
    notes = {c["column"]: c["note"] for c in report["column_report"]}
    assert notes["Job Title"] == "ignored; kept in custom attributes"
    smith = db.scalar(select(Contact).where(Contact.tenant_id == tenant_a.id,
                                            Contact.last_name == "Smith"))  # fmt: skip
    assert smith.custom_attributes["Job Title"] == "Purchasing"
    assert smith.custom_attributes["Sensitivity"] == "Normal"


def test_a_bad_accounts_option_is_refused_and_charlie_sees_nothing(sam, charlie, db, tenant_a):
    response = upload(sam, OUTLOOK, "outlook_classic.csv", accounts="maybe")
    assert response.status_code == 422 and "accounts" in response.text
    job = upload(sam, OUTLOOK, "outlook_classic.csv", dry_run=True).json()
    assert charlie.client.get(f"/api/v1/imports/{job['id']}").status_code == 404
