"""Alice types a name in the search box: its contact look-ups are index probes, not scans of
every contact of the workspace."""

from sqlalchemy import text

from rapport.search import everything
from tests.factories import make_contact
from tests.sql import plan_lines, statements_sent


def _contact_statements(db, engine, tenant, q):
    with statements_sent(engine) as sent:
        found = everything.search(db=db, tenant=tenant, q=q)
    statements = [(statement, parameters) for statement, parameters in sent
                  if "FROM contacts" in statement
                  and "contact_points" not in statement.split("FROM")[1]]  # fmt: skip
    return statements, found


def _plan(db, statement, parameters) -> str:
    return " | ".join(plan_lines(db, statement, parameters))


def _many_more_like(db, contact, count: int) -> None:
    """PostgreSQL plans from statistics: a workspace of thousands, copies of one contact under
    other names (rolled back with the test)."""
    columns = [c.name for c in contact.__table__.columns]
    made = {
        "id": "gen_random_uuid()",
        "first_key": "md5(g::text)",
        "sort_name": "md5(g::text)",
        "last_key": "md5(g::text || 'l')",
        "email_key": "NULL",
        "external_id": "NULL",
    }
    db.execute(
        text(
            f"INSERT INTO contacts ({', '.join(columns)}) "
            f"SELECT {', '.join(made.get(c, c) for c in columns)} "
            "FROM contacts, generate_series(1, :count) AS g WHERE tenant_id = :t AND id = :id"
        ),
        {"count": count, "t": contact.tenant_id, "id": contact.id},
    )
    db.execute(text("ANALYZE contacts"))


def test_the_name_and_typo_look_ups_probe_the_name_indexes(db, engine, tenant_a):
    make_contact(db, tenant_a, first_name="Jürgen", last_name="Klopp", email="jk@example.com")
    ann = make_contact(db, tenant_a, first_name="Ann", last_name="Jurado")
    if engine.dialect.name == "postgresql":
        _many_more_like(db, ann, 5000)
    statements, found = _contact_statements(db, engine, tenant_a, "jurgn")
    assert [c.first_name for c, _, _ in found.contacts] == ["Jürgen"]  # one typo forgiven
    prefix_list = next(s for s in statements if "ORDER BY" in s[0] and "UNION" in s[0])
    candidates = next(s for s in statements if "UNION" in s[0] and "ORDER BY" not in s[0])
    for statement, parameters in (prefix_list, candidates):
        plan = _plan(db, statement, parameters)
        for index in ("ix_contacts_tenant_first_key", "ix_contacts_tenant_last_key"):
            assert index in plan, plan
        if engine.dialect.name == "sqlite":
            assert "SCAN contacts" not in plan and "(tenant_id=?)" not in plan, plan
            assert "first_key>? AND first_key<?" in plan, plan
        else:
            assert "Seq Scan" not in plan and "~>=~" in plan, plan
    plan = _plan(db, *prefix_list)
    # The display name by its own index; every email by an index of the contact points
    # (which one PostgreSQL picks depends on their few rows here: the email probe's own test
    # gives it a realistic tenant).
    if engine.dialect.name == "sqlite":
        assert "ix_contacts_tenant_sort_name (tenant_id=? AND sort_name>? AND" in plan, plan
        assert "ix_contact_points_lookup" in plan, plan
    else:
        assert "ix_contacts_tenant_sort_name_prefix" in plan, plan
        assert "Seq Scan on contact_points" not in plan, plan
