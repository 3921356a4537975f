"""Retries racing each other with one Idempotency-Key create one contact: the others wait
for the first and answer its answer (the app on a real, committed database)."""

import threading
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select

from rapport.contacts.models import Contact
from rapport.core.config import Settings
from rapport.core.db import make_session_factory, transaction
from rapport.main import create_app
from rapport.tenants import service as tenants_service
from rapport.tenants.models import Tenant
from rapport.users import service as users_service

RACERS = 4


def test_racing_requests_with_one_key_create_once(engine):
    factory = make_session_factory(engine)
    with transaction(factory) as db:
        tenant = tenants_service.create(db=db, slug=f"race-{uuid.uuid4().hex[:8]}", name="Race")
        user = users_service.create(db=db, tenant_id=tenant.id, email="ops@race.example",
                                    role="agent")  # fmt: skip
        # One token each, as separate processes of an integrator would have: requests of
        # one token also queue on its last-use stamp.
        secrets = [users_service.create_token(db=db, user=user, name=f"race {n}")[1]
                   for n in range(RACERS)]  # fmt: skip
    settings = Settings(DATABASE_URL=engine.url.render_as_string(hide_password=False),
                        RAPPORT_SECRET_KEY="race-secret-" + "r" * 32)  # fmt: skip
    app = create_app(settings, engine)
    try:
        start = threading.Barrier(RACERS)
        answers = []

        def race(secret: str) -> None:
            client = TestClient(app, headers={"Authorization": f"Bearer {secret}",
                                              "Idempotency-Key": "one-order"})  # fmt: skip
            start.wait()
            answers.append(client.post("/api/v1/contacts", json={"first_name": "Ada"}))

        racers = [threading.Thread(target=race, args=(secret,)) for secret in secrets]
        for racer in racers:
            racer.start()
        for racer in racers:
            racer.join(60)

        assert [a.status_code for a in answers] == [201] * RACERS, [a.text for a in answers]
        assert len({a.json()["id"] for a in answers}) == 1
        assert sum(a.headers.get("Idempotent-Replayed") == "true" for a in answers) == RACERS - 1
        with factory() as db:
            count = db.scalar(select(func.count()).select_from(Contact)
                              .where(Contact.tenant_id == tenant.id))  # fmt: skip
        assert count == 1
    finally:
        with transaction(factory) as db:
            db.execute(delete(Tenant).where(Tenant.id == tenant.id))
