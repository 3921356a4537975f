"""An operator runs the delivery worker as its own process: `rapport webhooks deliver`."""

import os
import subprocess
from datetime import timedelta

from sqlalchemy import update

from rapport.contacts import service as contacts_service
from rapport.core import idempotency, migrate
from rapport.core.db import make_engine, make_session_factory, transaction, utcnow
from rapport.tenants import service as tenants_service
from rapport.webhooks import service as webhooks_service
from rapport.webhooks.models import WebhookDelivery
from rapport.webhooks.worker import housekeeping
from tests.webhooks.test_it_delivers_after_a_crash import RAPPORT


def test_deliver_once_sends_what_is_due_and_exits(tmp_path, receiver):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    with transaction(factory) as db:
        tenant = tenants_service.create(db=db, slug="acme", name="Acme Support")
        webhooks_service.create(db=db, tenant_id=tenant.id, values={
            "url": receiver.url, "event_types": ["contact.created"]})  # fmt: skip
        for name in ("Ada", "Grace"):
            contacts_service.create(db=db, tenant=tenant, values={"first_name": name})
    env = {**os.environ, "DATABASE_URL": url, "RAPPORT_SECRET_KEY": "cli-secret-" + "w" * 32}
    result = subprocess.run([RAPPORT, "webhooks", "deliver", "--once"], capture_output=True,
                            text=True, env=env, cwd=tmp_path, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "2 deliveries attempted" in result.stdout
    assert sorted(r.event["data"]["changes"]["first_name"][1] for r in receiver.accepted()) == [
        "Ada", "Grace"]  # fmt: skip

    # A month on, the log of delivered events and the day-old idempotency keys are cleared.
    with transaction(factory) as db:
        db.execute(update(WebhookDelivery).values(created_at=utcnow() - timedelta(days=31)))
        db.add(idempotency.IdempotencyKey(
            tenant_id=tenant.id, key="old", fingerprint="f", method="POST", path="/",
            headers={}, created_at=utcnow() - timedelta(days=2)))  # fmt: skip
    housekeeping(factory)
    with factory() as db:
        assert db.query(WebhookDelivery).count() == 0
        assert db.query(idempotency.IdempotencyKey).count() == 0
    engine.dispose()
