import tracemalloc

from sqlalchemy import insert

from rapport.contacts.listing import ContactFilters
from rapport.contacts.models import Contact
from rapport.core.ids import new_id
from rapport.exports import service

ROWS = 10_000


def _many(db, tenant):
    db.execute(insert(Contact), [
        {"tenant_id": tenant.id, "id": new_id(), "first_name": f"P{i:05d}", "priority": 3,
         "preferred_channels": [], "custom_attributes": {}, "sort_name": f"p{i:05d}",
         "version": 1} for i in range(ROWS)
    ])  # fmt: skip
    db.commit()


def test_the_export_is_produced_in_chunks_a_page_at_a_time(session_factory, db, tenant_a):
    _many(db, tenant_a)
    tracemalloc.start()
    chunks = service.export(session_factory=session_factory, tenant_id=tenant_a.id,
                            filters=ContactFilters(), file_format="csv")  # fmt: skip
    first = next(chunks)  # the first chunk comes before the rest is read
    sizes = [len(first)] + [len(c) for c in chunks]
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(sizes) > 2 and max(sizes) < 2 * service.CHUNK
    total = sum(sizes)
    # One page of contacts at a time: loading all 10,000 as objects would take tens of MB.
    assert peak < 10 * 1024 * 1024
    assert total > ROWS * 20


def test_every_format_streams_all_rows(session_factory, db, tenant_a):
    _many(db, tenant_a)
    for file_format in ("jsonl", "xlsx"):
        body = service.export(session_factory=session_factory, tenant_id=tenant_a.id,
                              filters=ContactFilters(), file_format=file_format)  # fmt: skip
        chunks = list(body)
        assert len(chunks) > 1, file_format
    lines = b"".join(service.export(session_factory=session_factory, tenant_id=tenant_a.id,
                                    filters=ContactFilters(), file_format="jsonl"))  # fmt: skip
    assert lines.count(b"\n") == ROWS
