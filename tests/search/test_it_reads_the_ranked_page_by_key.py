"""Bob searches the whole workspace's history: the best documents come from the full-text
index, and their interactions are then read once, by key (not the tenant's every
interaction through the (tenant, started_at, id) index, and not a second time for the page)."""

from tests.factories import make_contact
from tests.search.searching import record, search
from tests.sql import plan_lines


def test_the_ranked_interactions_are_read_once_by_their_key(db, engine, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    made = [record(bob.client, contact, f"Boiler leak number {n}") for n in range(4)]
    record(bob.client, contact, "Invoice question")
    sent, hits = search(db, engine, tenant_a, "boiler")
    reads = [s for s in sent if "FROM interactions" in s[0]]
    # Tied in score: the latest first, as the joined query orders them.
    assert [str(h.interaction.id) for h in hits] == [made[3]["id"], made[2]["id"]]
    assert all(h.snippet.startswith("<mark>Boiler</mark>") for h in hits)
    assert len(reads) == 1, reads
    if engine.dialect.name == "sqlite":
        plan = " | ".join(plan_lines(db, *reads[0]))
        assert "(tenant_id=? AND id=?)" in plan, plan
