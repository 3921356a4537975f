from sqlalchemy import select

from rapport.audit.models import AuditEvent
from tests.factories import make_account, make_contact


def test_it_merges_field_by_field_and_the_merged_id_answers_410(db, sam, tenant_a):
    make_account(db, tenant_a, identifier="ACME")
    survivor = make_contact(db, tenant_a, first_name="Jon", last_name="Smith", priority=4)
    merged = make_contact(
        db, tenant_a, first_name="Jonathan", last_name="Smith", email="jon@example.com",
        account="ACME", priority=2, city="Leeds",
    )  # fmt: skip
    response = sam.client.post(
        "/api/v1/contacts/merge",
        json={"survivor_id": str(survivor.id), "merged_ids": [str(merged.id)],
              "fields": {"first_name": str(survivor.id)}},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    contact = response.json()["contact"]
    assert contact["id"] == str(survivor.id)
    assert contact["first_name"] == "Jon"  # chosen
    assert contact["email"] == "jon@example.com"  # the only non-empty value
    assert contact["account"]["identifier"] == "ACME"
    assert contact["city"] == "Leeds"
    assert contact["priority"] == 2  # the more urgent one
    gone = sam.client.get(f"/api/v1/contacts/{merged.id}")
    assert gone.status_code == 410
    assert gone.json()["survivor_id"] == str(survivor.id)
    actions = db.scalars(select(AuditEvent.action).where(AuditEvent.record_id == merged.id)).all()
    assert "merge" in actions


def test_merges_of_merges_point_at_the_one_that_remains(db, sam, tenant_a):
    a, b, c = (make_contact(db, tenant_a, first_name=n) for n in ("A", "B", "C"))
    merge = "/api/v1/contacts/merge"
    sam.client.post(merge, json={"survivor_id": str(b.id), "merged_ids": [str(a.id)]})
    sam.client.post(merge, json={"survivor_id": str(c.id), "merged_ids": [str(b.id)]})
    assert sam.client.get(f"/api/v1/contacts/{a.id}").json()["survivor_id"] == str(c.id)


def test_a_merge_that_fails_changes_nothing(db, sam, tenant_a):
    survivor = make_contact(db, tenant_a, first_name="Keep", email="keep@example.com")
    merged = make_contact(db, tenant_a, first_name="Other")
    bad = sam.client.post(
        "/api/v1/contacts/merge",
        json={"survivor_id": str(survivor.id), "merged_ids": [str(merged.id)],
              "fields": {"first_name": "01900000-0000-7000-8000-000000000000"}},
    )  # fmt: skip
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "fields", "first_name"]
    assert sam.client.get(f"/api/v1/contacts/{merged.id}").status_code == 200


def test_only_supervisors_merge_and_never_across_tenants(db, bob, charlie, tenant_a):
    a, b = make_contact(db, tenant_a), make_contact(db, tenant_a)
    body = {"survivor_id": str(a.id), "merged_ids": [str(b.id)]}
    assert bob.client.post("/api/v1/contacts/merge", json=body).status_code == 403
    assert charlie.client.post("/api/v1/contacts/merge", json=body).status_code == 404
    assert bob.client.get(f"/api/v1/contacts/{b.id}").status_code == 200
