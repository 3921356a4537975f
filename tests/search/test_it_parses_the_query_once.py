"""Bob searches the workspace's history on PostgreSQL: the typed words become one tsquery per
search, not one per document ranked (which a prepared statement's generic plan would do)."""

import pytest

from tests.factories import make_contact
from tests.search.searching import record, search
from tests.sql import plan_lines


def test_the_ranking_parses_the_words_once(db, engine, bob, tenant_a):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite's FTS5 parses the MATCH once by design")
    record(bob.client, make_contact(db, tenant_a), "Boiler leak")
    sent, hits = search(db, engine, tenant_a, "boil", limit=5)
    assert [h.snippet for h in hits] == ["<mark>Boiler</mark> leak"]
    statement, parameters = next(s for s in sent if "ts_rank" in s[0])
    plan = "\n".join(plan_lines(db, statement, parameters, verbose=True, prepared=True))
    # The documents are matched and ranked against the InitPlan's result ($n), whatever
    # plan is made: not against a to_tsquery(...) of the words evaluated for each row.
    assert "InitPlan" in plan, plan
    assert "vector @@ $" in plan and "ts_rank(history_documents.vector, $" in plan, plan
