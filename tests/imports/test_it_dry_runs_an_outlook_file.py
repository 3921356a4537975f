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


def test_every_phone_email_and_address_gets_its_outlook_label(sam, db, tenant_a):
    assert upload(sam, OUTLOOK, "outlook_classic.csv").json()["created"] == GOOD
    listed = sam.client.get("/api/v1/contacts", params={"email": "juergen.mueller@beispiel.de"})
    juergen = sam.client.get(f"/api/v1/contacts/{listed.json()['items'][0]['id']}").json()
    phones = {p["number"]: (p["label"], p["primary"]) for p in juergen["phones"]}
    assert phones == {"+493012345678": ("work", True), "+493012345679": ("fax", True),
                      "+4915123456789": ("mobile", True)}  # fmt: skip
    assert [(e["address"], e["primary"]) for e in juergen["emails"]] == [
        ("juergen.mueller@beispiel.de", True),
        ("j.mueller@example.de", False),
    ]
    assert [(a["label"], a["primary"], a["city"]) for a in juergen["addresses"]] == [
        ("home", True, "Berlin")
    ]
    assert (juergen["phone"], juergen["fax"], juergen["city"]) == (
        "+493012345678",
        "+493012345679",
        "Berlin",
    )
    again = upload(sam, OUTLOOK, "outlook_classic.csv").json()
    # Matched by email: the one row without an email is a new contact again.
    assert (again["created"], again["updated"], again["unchanged"]) == (1, 0, GOOD - 1), again


def test_a_home_and_a_business_address_are_both_kept(sam, db, tenant_a):
    outlook = (
        "First Name,E-mail Address,Business Street,Business City,Business Country/Region,"
        "Home Street,Home City,Home Country/Region,Home Phone,Business Phone,Other Phone\n"
        "Ada,ada@example.com,1 Work Lane,Leeds,UK,2 Home Road,York,UK,"
        "01904 123456,0113 496 0000,not a number\n"
    )
    report = upload(sam, outlook, "outlook.csv").json()
    assert report["rejected"] == 1
    errors = report["rejected_rows"][0]["errors"]
    assert [e["field"] for e in errors] == ["Other Phone"], errors  # named by its column
    report = upload(sam, outlook.replace("not a number", ""), "outlook.csv").json()
    assert report["created"] == 1, report
    listed = sam.client.get("/api/v1/contacts", params={"email": "ada@example.com"}).json()
    ada = sam.client.get(f"/api/v1/contacts/{listed['items'][0]['id']}").json()
    assert [(a["label"], a["primary"], a["city"]) for a in ada["addresses"]] == [
        ("work", True, "Leeds"),
        ("home", False, "York"),
    ]
    assert [(p["number"], p["label"], p["primary"]) for p in ada["phones"]] == [
        ("+441904123456", "home", True),
        ("+441134960000", "work", False),
    ]
    assert ada["phone"] == "+441904123456" and ada["city"] == "Leeds"
