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


def test_an_email_kept_aside_joins_the_attributes_a_contact_has(sam, db, tenant_a):
    upload(sam, 'Email,Country,Attributes\njohn.smith@contoso.co.uk,GB,"{""tier"": ""gold""}"\n')
    outlook = ("E-mail Address,E-mail 2 Address,Business Phone,Business Country/Region\n"
               "john.smith@contoso.co.uk,j.smith@example.com,020 7946 0018,UK\n")
    report = upload(sam, outlook, "outlook.csv").json()
    assert report["updated"] == 1, report
    john = db.scalar(select(Contact).where(Contact.tenant_id == tenant_a.id))
    db.refresh(john)
    assert john.custom_attributes == {"tier": "gold", "E-mail 2 Address": "j.smith@example.com"}
    assert john.phone == "+442079460018"
