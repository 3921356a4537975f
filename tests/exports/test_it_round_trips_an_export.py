import csv
import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from rapport.audit.models import AuditEvent
from rapport.contacts.models import Contact
from rapport.exports import service as exports_service
from tests.factories import make_account, make_contact

FIELDS = ("first_name", "last_name", "address", "city", "state", "postal_code", "country",
          "time_zone", "time_zone_source", "email", "phone", "mobile", "fax", "priority",
          "preferred_channels", "custom_attributes", "external_id")  # fmt: skip


def _records(db, tenant):
    contacts = db.scalars(select(Contact).where(Contact.tenant_id == tenant.id)).all()
    return sorted(
        tuple(str(getattr(c, f)) for f in FIELDS) + (c.account.identifier if c.account else "",)
         for c in contacts
    )  # fmt: skip


def _count_events(db, tenant):
    return db.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.tenant_id == tenant.id))  # fmt: skip


def test_an_export_imports_back_into_an_empty_tenant_and_changes_nothing_at_home(
    sam, charlie, db, tenant_a, tenant_b, run_import, write_file
):
    make_account(db, tenant_a, identifier="ACME-1")
    make_account(db, tenant_b, identifier="ACME-1")
    make_contact(db, tenant_a, first_name="Zoé", last_name="Müller", email="Zoe@Example.com",
                 mobile="+14155552671", phone="+442079460000", fax="+33142685300",
                 address="1 Main St\nSuite 2", city="San Francisco", country="US", state="CA",
                 postal_code="94103", account="ACME-1", priority=1,
                 preferred_channels=["sms", "email"], custom_attributes={"tier": "gold", "n": 3},
                 external_id="crm-1", time_zone="Europe/Paris")  # fmt: skip
    # Every row carries the match key (email); a row without it would be created again.
    make_contact(db, tenant_a, first_name="Alan", last_name="Turing", country="GB",
                 postal_code="sk9 5ax", email="alan@example.com")  # fmt: skip
    make_contact(db, tenant_a, mobile="+4915112345678", email="m@example.de")
    exported = sam.client.get("/api/v1/contacts/export?format=csv").content
    path = write_file(exported, "export.csv")

    events = _count_events(db, tenant_a)
    home = run_import(tenant_a, path, match="email")
    assert (home.created, home.updated, home.unchanged, home.rejected) == (0, 0, 3, 0), [
        home.message]  # fmt: skip
    assert _count_events(db, tenant_a) == events

    elsewhere = run_import(tenant_b, path)
    assert (elsewhere.created, elsewhere.rejected) == (3, 0), elsewhere.message
    assert _records(db, tenant_b) == _records(db, tenant_a)


def test_an_xlsx_export_round_trips_too(sam, db, tenant_a, tenant_b, run_import, write_file):
    make_contact(db, tenant_a, first_name="Zoé", email="zoe@example.com", postal_code="02134",
                 country="US", priority=4)  # fmt: skip
    path = write_file(sam.client.get("/api/v1/contacts/export?format=xlsx").content, "e.xlsx")
    assert run_import(tenant_a, path).unchanged == 1
    assert run_import(tenant_b, path).created == 1
    assert _records(db, tenant_b) == _records(db, tenant_a)


def test_cells_are_what_the_reader_parses():
    row = exports_service.cells_of(dict.fromkeys(exports_service.COLUMNS) | {
        "preferred_channels": ["email"], "custom_attributes": {}})  # fmt: skip
    assert row[exports_service.COLUMNS.index("preferred_channels")] == "email"
    assert row[exports_service.COLUMNS.index("custom_attributes")] is None
    assert list(csv.reader(io.StringIO("a,b\n")))  # keeps the csv import honest


def test_text_that_looks_like_a_formula_is_exported_as_text_and_imports_back(
    sam, db, tenant_a, tenant_b, run_import, write_file
):
    make_contact(db, tenant_a, first_name="=HYPERLINK(\"http://x.example\",\"Click\")",
                 last_name="@SUM(A1)", address="-2+3", city="+cmd|' /C calc'!A0",
                 email="f@example.com", phone="+1 415 555 0100")  # fmt: skip
    exported = sam.client.get("/api/v1/contacts/export?format=csv").content.decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(exported)))
    assert row["first_name"].startswith("'=") and row["last_name"] == "'@SUM(A1)"
    assert row["address"] == "'-2+3" and row["city"].startswith("'+cmd")
    assert row["phone"] == "+14155550100"  # a number is not a formula: left alone
    assert run_import(tenant_b, write_file(exported.encode(), "e.csv")).created == 1

    book = load_workbook(io.BytesIO(sam.client.get("/api/v1/contacts/export?format=xlsx").content))
    cell = book.active.cell(row=2, column=exports_service.COLUMNS.index("first_name") + 1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")  # text, not a formula
    assert _records(db, tenant_b) == _records(db, tenant_a)
