"""Alice types the start of an email in the search box: every email of a contact finds it,
not only the primary, and the look-up is a range probe of the contact-points index."""

from sqlalchemy import text

from rapport.contacts.listing import ContactFilters, list_contacts
from tests.factories import many_contacts_with_emails
from tests.sql import plan_lines, statements_sent
from tests.web.helpers import signed_in

CONTACTS = "/api/v1/contacts"


def _names(client, q: str) -> list[str]:
    response = client.get(CONTACTS, params={"q": q})
    assert response.status_code == 200, response.text
    return sorted(c["first_name"] for c in response.json()["items"])


def test_alice_finds_vera_by_the_start_of_her_second_email(app, alice, bob):
    created = bob.client.post(
        CONTACTS,
        json={"first_name": "Vera", "emails": [
            {"address": "vera@work.example", "primary": True},
            {"address": "V.Stone@Home.Example", "label": "home"},
        ]},
    )  # fmt: skip
    assert created.status_code == 201, created.text
    bob.client.post(CONTACTS, json={"first_name": "Victor", "email": "victor@work.example"})
    assert _names(alice.client, "v.sto") == ["Vera"]
    assert _names(alice.client, "V.STONE@home") == ["Vera"]
    assert _names(alice.client, "vera@") == ["Vera"]  # the primary still finds her
    assert _names(alice.client, "vi") == ["Victor"]
    assert _names(alice.client, "v") == ["Vera", "Victor"]
    # LIKE's wildcards are text here, not patterns.
    assert _names(alice.client, "v_stone") == []
    assert _names(alice.client, "%stone") == []
    # The search page finds her the same way.
    page = signed_in(app, alice).get("/contacts", params={"q": "v.stone"})
    assert page.status_code == 200 and "Vera" in page.text


def test_the_email_prefix_is_an_index_range_probe(db, engine, tenant_a):
    many_contacts_with_emails(db, tenant_a.id, 400)
    if engine.dialect.name == "postgresql":
        db.execute(text("ANALYZE contact_points"))
    with statements_sent(engine) as statements:
        list_contacts(db=db, tenant=tenant_a, filters=ContactFilters(q="v.stone"), limit=5)
    statement, parameters = next(s for s in statements if "contact_points" in s[0])
    if engine.dialect.name == "sqlite":
        plan = " ".join(plan_lines(db, statement, parameters))
        assert "ix_contact_points_lookup (tenant_id=? AND value>? AND value<?)" in plan, plan
    else:
        db.execute(text("SET LOCAL enable_seqscan = off"))
        plan = plan_lines(db, statement, parameters)
        scans = [i for i, line in enumerate(plan) if "ix_contact_points_lookup" in line]
        assert scans, "\n".join(plan)
        assert "Index Cond:" in plan[scans[0] + 1] and "value >=" in plan[scans[0] + 1], plan
