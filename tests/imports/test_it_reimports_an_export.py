"""A supervisor exports the contacts and imports the file back (after editing it, or into the
same workspace again): every contact is matched, with or without an email, and none created."""

import json
import uuid

import pytest
from sqlalchemy import func, select

from rapport.contacts.models import Contact
from tests.imports.conftest import upload
from tests.imports.samples.make_samples import GOOD
from tests.imports.test_it_imports_other_systems_exports import SAMPLES


def _count(db, tenant) -> int:
    return db.scalar(select(func.count()).where(Contact.tenant_id == tenant.id))


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "jsonl"])
def test_an_export_imports_back_with_nothing_created(sam, db, tenant_a, file_format):
    first = upload(sam, (SAMPLES / "google_contacts.csv").read_bytes(), "google_contacts.csv")
    assert first.status_code == 201 and first.json()["created"] == GOOD, first.text
    exported = sam.client.get(f"/api/v1/contacts/export?format={file_format}")
    assert exported.status_code == 200

    again = upload(sam, exported.content, f"contacts.{file_format}")
    report = again.json()
    assert again.status_code == 201, again.text
    assert (report["created"], report["updated"], report["rejected"]) == (0, 0, 0), report
    assert report["unchanged"] == GOOD and report["source"] == "Rapport export"
    assert report["columns"]["id"] == "id"
    assert _count(db, tenant_a) == GOOD


def test_a_contact_without_email_is_matched_by_its_id_and_updated(sam, db, tenant_a):
    upload(sam, (SAMPLES / "google_contacts.csv").read_bytes(), "google_contacts.csv")
    lines = sam.client.get("/api/v1/contacts/export?format=jsonl").text.splitlines()
    records = [json.loads(line) for line in lines]
    olivia = next(r for r in records if r["last_name"] == "Brown")
    assert olivia["email"] is None and olivia["external_id"] is None
    olivia["city"] = "Evanston"
    olivia["postal_code"] = "60201"
    body = "\n".join(json.dumps(r) for r in [olivia]).encode()

    report = upload(sam, body, "olivia.jsonl").json()
    assert (report["created"], report["updated"]) == (0, 1), report
    contact = db.get(Contact, (tenant_a.id, uuid.UUID(olivia["id"])))
    db.refresh(contact)
    assert contact.city == "Evanston" and _count(db, tenant_a) == GOOD


def test_another_tenants_export_creates_its_contacts_here(sam, charlie, db, tenant_a):
    upload(sam, (SAMPLES / "google_contacts.csv").read_bytes(), "google_contacts.csv")
    exported = sam.client.get("/api/v1/contacts/export?format=csv").content
    # The ids are tenant A's: in tenant B they match nothing, so the rows are created there.
    report = upload(charlie, exported, "from-acme.csv").json()
    assert (report["created"], report["rejected"]) == (GOOD, 0), report
    assert _count(db, tenant_a) == GOOD


def test_a_second_email_joins_the_emails_a_contact_has(sam, db, tenant_a):
    upload(sam, 'Email,Country,Attributes\njohn.smith@contoso.co.uk,GB,"{""tier"": ""gold""}"\n')
    outlook = (
        "E-mail Address,E-mail 2 Address,Business Phone,Business Country/Region\n"
        "john.smith@contoso.co.uk,j.smith@example.com,020 7946 0018,UK\n"
    )
    report = upload(sam, outlook, "outlook.csv").json()
    assert report["updated"] == 1, report
    john = db.scalar(select(Contact).where(Contact.tenant_id == tenant_a.id))
    db.refresh(john)
    assert john.custom_attributes == {"tier": "gold"}
    assert john.phone == "+442079460018"
    emails = _contact(sam, "john.smith@contoso.co.uk")["emails"]
    assert [(e["address"], e["primary"]) for e in emails] == [
        ("john.smith@contoso.co.uk", True),
        ("j.smith@example.com", False),
    ]


def _contact(persona, email: str) -> dict:
    found = persona.client.get("/api/v1/contacts", params={"email": email}).json()["items"]
    assert len(found) == 1, found
    return persona.client.get(f"/api/v1/contacts/{found[0]['id']}").json()


def _lists(contact: dict) -> tuple:
    return ([(p["number"], p["label"], p["primary"]) for p in contact["phones"]],
            [(e["address"], e["label"], e["primary"]) for e in contact["emails"]],
            [(a["label"], a["primary"], a["address"], a["city"], a["country"])
             for a in contact["addresses"]])  # fmt: skip


def test_every_email_number_and_address_of_a_google_row_is_kept(sam, db, tenant_a):
    google = (SAMPLES / "google_contacts.csv").read_bytes()
    assert upload(sam, google, "google_contacts.csv").json()["created"] == GOOD
    john = _contact(sam, "john.smith@contoso.co.uk")
    phones, emails, addresses = _lists(john)
    # "Phone 2 - Value" holds two mobiles; "E-mail 1 - Value" two emails (" ::: ").
    assert phones == [("+442079460018", "work", True), ("+447812345678", "mobile", True),
                      ("+447911123456", "mobile", False)]  # fmt: skip
    assert emails == [("john.smith@contoso.co.uk", "work", True),
                      ("j.smith@example.com", "work", False)]  # fmt: skip
    assert addresses == [("work", True, "221B Baker Street", "London", "GB")]
    # The single fields are the primaries, as before.
    assert (john["phone"], john["mobile"], john["email"], john["city"]) == (
        "+442079460018",
        "+447812345678",
        "john.smith@contoso.co.uk",
        "London",
    )

    again = upload(sam, google, "google_contacts.csv").json()
    # Matched by email: the one row without an email is a new contact again.
    assert (again["created"], again["updated"], again["unchanged"]) == (1, 0, GOOD - 1), again
    assert _lists(_contact(sam, "john.smith@contoso.co.uk")) == (phones, emails, addresses)


def test_an_import_adds_to_the_numbers_a_contact_has_and_drops_none(sam, db, tenant_a):
    john = sam.client.post("/api/v1/contacts", json={
        "first_name": "John", "email": "john.smith@contoso.co.uk",
        "phones": [{"number": "+44 20 7946 0999", "label": "home"}],
        "addresses": [{"label": "home", "address": "1 Old Road", "city": "Leeds",
                       "country": "GB"}],
    })  # fmt: skip
    assert john.status_code == 201, john.text
    google = (SAMPLES / "google_contacts.csv").read_bytes()
    report = upload(sam, google, "google_contacts.csv").json()
    assert (report["created"], report["updated"]) == (GOOD - 1, 1), report
    phones, emails, addresses = _lists(_contact(sam, "john.smith@contoso.co.uk"))
    # The file's first work number becomes the primary phone; the home number stays.
    assert phones == [
        ("+442079460999", "home", False),
        ("+442079460018", "work", True),
        ("+447812345678", "mobile", True),
        ("+447911123456", "mobile", False),
    ]
    assert [e[0] for e in emails] == ["john.smith@contoso.co.uk", "j.smith@example.com"]
    assert addresses == [("home", False, "1 Old Road", "Leeds", "GB"),
                         ("work", True, "221B Baker Street", "London", "GB")]  # fmt: skip
    again = upload(sam, google, "google_contacts.csv").json()
    assert (again["updated"], again["unchanged"]) == (0, GOOD - 1), again


def test_rolling_the_import_back_takes_the_added_numbers_away(sam, db, tenant_a):
    created = sam.client.post("/api/v1/contacts", json={
        "first_name": "John", "email": "john.smith@contoso.co.uk",
        "phones": [{"number": "+44 20 7946 0999", "label": "home"}],
    })  # fmt: skip
    assert created.status_code == 201, created.text
    before = _lists(_contact(sam, "john.smith@contoso.co.uk"))
    report = upload(sam, (SAMPLES / "google_contacts.csv").read_bytes(), "google.csv").json()
    assert report["updated"] == 1
    assert _lists(_contact(sam, "john.smith@contoso.co.uk")) != before
    rolled = sam.client.post(f"/api/v1/imports/{report['id']}/rollback")
    assert rolled.status_code == 200, rolled.text
    assert _lists(_contact(sam, "john.smith@contoso.co.uk")) == before
