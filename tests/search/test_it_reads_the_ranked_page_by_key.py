"""Bob searches the whole workspace's history: the best documents come from the full-text
index, and their interactions are then read once, by key (not the tenant's every
interaction through the (tenant, started_at, id) index, and not a second time for the page)."""

from sqlalchemy import event

from rapport.search import history
from tests.factories import make_contact


def _record(client, contact, subject):
    response = client.post(
        "/api/v1/interactions",
        json={
            "channel": "voice",
            "direction": "inbound",
            "address": "+14155550100",
            "contact_id": str(contact.id),
            "subject": subject,
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


def _interaction_reads(db, engine, tenant, q):
    reads = []

    def capture(conn, cursor_, statement, parameters, context, executemany):
        if "FROM interactions" in statement:
            reads.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        hits, _ = history.history(
            db=db, tenant_id=tenant.id, filters=history.HistoryFilters(q=q), limit=2
        )
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return reads, hits


def test_the_ranked_interactions_are_read_once_by_their_key(db, engine, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    made = [_record(bob.client, contact, f"Boiler leak number {n}") for n in range(4)]
    _record(bob.client, contact, "Invoice question")
    reads, hits = _interaction_reads(db, engine, tenant_a, "boiler")
    # Tied in score: the latest first, as the joined query orders them.
    assert [str(h.interaction.id) for h in hits] == [made[3]["id"], made[2]["id"]]
    assert all(h.snippet.startswith("<mark>Boiler</mark>") for h in hits)
    assert len(reads) == 1, reads
    if engine.dialect.name == "sqlite":
        raw = db.connection().connection.driver_connection.cursor()
        raw.execute(f"EXPLAIN QUERY PLAN {reads[0][0]}", reads[0][1])
        plan = " | ".join(str(row[-1]) for row in raw.fetchall())
        assert "(tenant_id=? AND id=?)" in plan, plan
