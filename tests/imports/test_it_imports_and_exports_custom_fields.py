"""Sam imports a file whose columns fill the workspace's custom fields, and exports contacts
with the fields marked for exports as columns; an export imports back unchanged."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import select

from rapport.contacts.models import Contact
from tests.imports.conftest import upload

FIELDS = [
    {"key": "customer_no", "label": "Customer number", "type": "text"},
    {"key": "seats", "label": "Seats", "type": "number"},
    {"key": "balance", "label": "Balance", "type": "decimal"},
    {"key": "renewal", "label": "Renewal", "type": "date"},
    {"key": "vip", "label": "VIP", "type": "boolean"},
    {"key": "plan", "label": "Plan", "type": "single_choice", "choices": ["Basic", "Gold, EU"]},
    {"key": "topics", "label": "Topics", "type": "multiple_choice",
     "choices": ["billing", "outage", "sales"]},
    {"key": "portal", "label": "Portal", "type": "url"},
    # A label that reads as a standard column: exported under its key instead.
    {"key": "work_email", "label": "Email", "type": "email"},
    {"key": "assistant", "label": "Assistant phone", "type": "phone"},
    {"key": "internal", "label": "Internal", "type": "text", "show_in_exports": False},
]  # fmt: skip


def _define(persona) -> None:
    for body in FIELDS:
        response = persona.client.post("/api/v1/custom-fields", json=body)
        assert response.status_code == 201, response.text


def _values(db, tenant) -> dict[str, dict]:
    db.expire_all()
    contacts = db.scalars(select(Contact).where(Contact.tenant_id == tenant.id))
    return {c.first_name: c.custom_fields for c in contacts}


def test_columns_map_to_custom_fields_by_label_key_or_choice(alice, sam, db, tenant_a):
    _define(alice)
    content = (
        "First name,Customer Number,seats,cf.vip,Tarif,Topics,Renewal,Extra\n"
        'Ada,C-1,"1,200",yes,"gold, eu",billing; sales,2026-12-31,x\n'
        "Ben,C-2,many,no,Basic,,,y\n"
    )
    response = upload(sam, content, mapping=json.dumps({"Tarif": "cf.plan"}))
    assert response.status_code == 201, response.text
    job = response.json()
    assert job["columns"] == {
        "First name": "first_name", "Customer Number": "cf.customer_no", "seats": "cf.seats",
        "cf.vip": "cf.vip", "Tarif": "cf.plan", "Topics": "cf.topics", "Renewal": "cf.renewal",
        "Extra": None,
    }  # fmt: skip
    assert (job["created"], job["rejected"]) == (1, 1)
    assert _values(db, tenant_a) == {
        "Ada": {"customer_no": "C-1", "seats": 1200, "vip": True, "plan": "Gold, EU",
                "topics": ["billing", "sales"], "renewal": "2026-12-31"},
    }  # fmt: skip
    [rejected] = job["rejected_rows"]
    assert rejected["line"] == 3
    assert rejected["errors"][0]["field"] == "custom_fields.seats"
    assert "'many' is not a number" in rejected["errors"][0]["message"]


def test_a_mapping_to_a_field_the_workspace_lacks_is_refused(sam, charlie, alice):
    _define(alice)
    refused = upload(charlie, "Name,Plan\nA,Gold\n", mapping=json.dumps({"Plan": "cf.plan"}))
    assert refused.status_code == 422
    assert "'cf.plan' is not an importable field" in refused.text
    saved = sam.client.put("/api/v1/import-mappings/crm", json={"mapping": {"P": "cf.plan"}})
    assert saved.status_code == 200, saved.text


def test_an_export_carries_the_fields_and_imports_back_unchanged(
    alice, sam, charlie, db, tenant_a, tenant_b, run_import, write_file
):
    _define(alice)
    _define(charlie)
    for body in (
        {"first_name": "Ada", "email": "ada@example.com", "country": "US", "custom_fields": {
            "customer_no": "=1+1", "seats": 1200, "balance": 12.5, "renewal": "2026-12-31",
            "vip": True, "plan": "Gold, EU", "topics": ["billing", "sales"],
            "portal": "https://crm.example.com/a", "work_email": "ada@work.example",
            "assistant": "+14155552671", "internal": "secret"}},
        {"first_name": "Ben", "email": "ben@example.com", "custom_fields": {"vip": False}},
    ):  # fmt: skip
        assert alice.client.post("/api/v1/contacts", json=body).status_code == 201

    exported = sam.client.get("/api/v1/contacts/export?format=csv").content
    rows = list(csv.DictReader(io.StringIO(exported.decode("utf-8-sig"))))
    headers = list(rows[0])
    assert headers[headers.index("id") + 1 :] == [
        "Customer number", "Seats", "Balance", "Renewal", "VIP", "Plan", "Topics", "Portal",
        "cf.work_email", "Assistant phone",
    ]  # fmt: skip
    ada = next(r for r in rows if r["first_name"] == "Ada")
    assert (ada["VIP"], ada["Topics"], ada["Seats"]) == ("Yes", "billing; sales", "1200")
    assert "secret" not in exported.decode()

    home = _values(db, tenant_a)
    for file_format in ("csv", "xlsx", "jsonl"):
        body = sam.client.get(f"/api/v1/contacts/export?format={file_format}").content
        path = write_file(body, f"export.{file_format}")
        again = run_import(tenant_a, path)
        assert (again.unchanged, again.rejected) == (2, 0), (file_format, again.message)
        assert _values(db, tenant_a) == home

    path = write_file(exported, "export.csv")
    elsewhere = run_import(tenant_b, path)
    assert (elsewhere.created, elsewhere.rejected) == (2, 0), elsewhere.message
    moved = {k: {f: v for f, v in values.items() if f != "internal"} for k, values in home.items()}
    assert _values(db, tenant_b) == moved



def test_rolling_back_an_import_restores_the_values_it_changed(alice, sam, db, tenant_a):
    _define(alice)
    ada = {"first_name": "Ada", "email": "ada@example.com", "custom_fields": {"seats": 5}}
    assert alice.client.post("/api/v1/contacts", json=ada).status_code == 201
    job = upload(sam, "Email,Seats,Plan\nada@example.com,7,Basic\n").json()
    assert job["updated"] == 1, job
    assert _values(db, tenant_a) == {"Ada": {"seats": 7, "plan": "Basic"}}
    rolled = sam.client.post(f"/api/v1/imports/{job['id']}/rollback")
    assert rolled.status_code == 200, rolled.text
    assert _values(db, tenant_a) == {"Ada": {"seats": 5}}
