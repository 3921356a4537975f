import csv
import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from rapport.contacts.models import Contact
from rapport.imports.reader import IMPORTABLE
from tests.factories import make_account, make_contact


@pytest.fixture
def contacts(db, tenant_a):
    account = make_account(db, tenant_a, identifier="ACME-1")
    make_contact(db, tenant_a, first_name="Zoé", last_name="Müller", email="zoe@example.com",
                 mobile="+14155552671", country="US", state="CA", postal_code="94103",
                 account="ACME-1", priority=2, preferred_channels=["voice", "sms"],
                 custom_attributes={"tier": "gold"}, external_id="crm-1",
                 time_zone="America/New_York")  # fmt: skip
    make_contact(db, tenant_a, first_name="Alan", last_name="Turing", country="GB")
    return account


def test_csv_has_exactly_the_import_columns(sam, contacts, db):
    response = sam.client.get("/api/v1/contacts/export?format=csv")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0]) == [*IMPORTABLE, "id"]  # the contact's own id last, to match on
    ids = db.scalars(select(Contact.id).where(Contact.tenant_id == sam.user.tenant_id)).all()
    assert {r["id"] for r in rows} == {str(i) for i in ids}
    zoe = next(r for r in rows if r["first_name"] == "Zoé")
    assert zoe["account"] == "ACME-1" and zoe["state"] == "US-CA"
    assert zoe["preferred_channels"] == "voice, sms"
    assert json.loads(zoe["custom_attributes"]) == {"tier": "gold"}
    assert zoe["time_zone"] == "America/New_York"
    alan = next(r for r in rows if r["first_name"] == "Alan")
    assert alan["time_zone"] == ""  # inferred: the import infers it again


def test_jsonl_and_xlsx(sam, contacts):
    lines = sam.client.get("/api/v1/contacts/export?format=jsonl").text.splitlines()
    records = [json.loads(line) for line in lines]
    assert sorted(r["last_name"] for r in records) == ["Müller", "Turing"]
    assert next(r for r in records if r["email"])["preferred_channels"] == ["voice", "sms"]
    response = sam.client.get("/api/v1/contacts/export?format=xlsx")
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (*IMPORTABLE, "id") and len(rows) == 3


def test_the_same_filters_as_the_contact_list(sam, contacts):
    for query, expected in [("country=gb", ["Turing"]), ("account=acme-1", ["Müller"]),
                            ("q=zo", ["Müller"]), ("phone=(415) 555-2671", ["Müller"]),
                            ("priority=5", [])]:  # fmt: skip
        lines = sam.client.get(f"/api/v1/contacts/export?format=jsonl&{query}").text.splitlines()
        assert [json.loads(line)["last_name"] for line in lines] == expected, query
    assert sam.client.get("/api/v1/contacts/export?country=Atlantis").status_code == 422


def test_agents_cannot_export_and_tenants_see_only_their_own(bob, charlie, contacts):
    assert bob.client.get("/api/v1/contacts/export").status_code == 403
    assert charlie.client.get("/api/v1/contacts/export?format=jsonl").text == ""
