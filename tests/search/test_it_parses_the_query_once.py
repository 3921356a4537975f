"""Bob searches the workspace's history on PostgreSQL: the typed words become one tsquery per
search, not one per document ranked (which a prepared statement's generic plan would do)."""

import pytest
from sqlalchemy import event

from rapport.search import history
from tests.factories import make_contact


def test_the_ranking_parses_the_words_once(db, engine, bob, tenant_a):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite's FTS5 parses the MATCH once by design")
    contact = make_contact(db, tenant_a)
    response = bob.client.post(
        "/api/v1/interactions",
        json={
            "channel": "voice",
            "direction": "inbound",
            "address": "+14155550100",
            "contact_id": str(contact.id),
            "subject": "Boiler leak",
        },
    )
    assert response.status_code == 201, response.text
    ranking = []

    def capture(conn, cursor_, statement, parameters, context, executemany):
        if "ts_rank" in statement:
            ranking.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        hits, _ = history.history(
            db=db, tenant_id=tenant_a.id, filters=history.HistoryFilters(q="boil"), limit=5
        )
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert [h.snippet for h in hits] == ["<mark>Boiler</mark> leak"]
    statement, parameters = ranking[0]
    raw = db.connection().connection.driver_connection.cursor()
    raw.execute(f"EXPLAIN VERBOSE {statement}", parameters, prepare=True)
    plan = "\n".join(row[0] for row in raw.fetchall())
    # The documents are matched and ranked against the InitPlan's result ($n), whatever
    # plan is made: not against a to_tsquery(...) of the words evaluated for each row.
    assert "InitPlan" in plan, plan
    assert "vector @@ $" in plan and "ts_rank(history_documents.vector, $" in plan, plan
