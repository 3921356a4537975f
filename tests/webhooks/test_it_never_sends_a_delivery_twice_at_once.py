"""Two workers (as two server processes would) share the outbox: each delivery is sent by
exactly one of them (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: one writer at a time)."""

import threading
import uuid
from collections import Counter

from sqlalchemy import delete

from rapport.contacts import service as contacts_service
from rapport.core.db import make_session_factory, transaction
from rapport.tenants import service as tenants_service
from rapport.tenants.models import Tenant
from rapport.webhooks import delivery
from rapport.webhooks import service as webhooks_service
from tests.webhooks.conftest import QUICK

EVENTS = 24


def test_two_workers_never_send_one_delivery_twice(engine, receiver):
    # Committed for real: the workers' own connections must see it.
    factory = make_session_factory(engine)
    with transaction(factory) as db:
        tenant = tenants_service.create(db=db, slug=f"race-{uuid.uuid4().hex[:8]}", name="Race")
        webhooks_service.create(db=db, tenant_id=tenant.id,
                                values={"url": receiver.url, "event_types": ["contact.created"]})
    with transaction(factory) as db:
        for n in range(EVENTS):
            contacts_service.create(db=db, tenant=tenant, values={"first_name": f"Caller {n}"})
    try:
        policy = delivery.Policy(timeout=QUICK.timeout, backoff_seconds=QUICK.backoff_seconds,
                                 retry_window=QUICK.retry_window, batch=3)  # fmt: skip
        start = threading.Barrier(2)

        def work() -> None:
            own = make_session_factory(engine)
            start.wait()
            while delivery.deliver_due(session_factory=own, policy=policy):
                pass

        workers = [threading.Thread(target=work) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)

        sent = Counter(r.headers["Rapport-Delivery-Id"] for r in receiver.received)
        assert len(sent) == EVENTS
        assert set(sent.values()) == {1}
    finally:
        with transaction(factory) as db:
            db.execute(delete(Tenant).where(Tenant.id == tenant.id))
