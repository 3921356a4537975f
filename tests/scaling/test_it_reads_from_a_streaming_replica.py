"""History search, the contact list and exports read from a real streaming replica; when it
lags past RAPPORT_REPLICA_MAX_LAG_S or is stopped, they read from the primary.

Alice (admin of Acme) works against a throwaway primary with a replica made by
`pg_basebackup -R`. Pausing the replica's replay makes what it serves tell itself apart from
the primary: a write after the pause is on the primary only.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text, update
from sqlalchemy.orm import Session

from rapport.core import migrate
from rapport.core.config import Settings
from rapport.core.db import make_engine, utcnow
from rapport.main import create_app
from rapport.tenants import service as tenants_service
from rapport.users import service as users_service
from rapport.users.models import ApiToken
from tests.conftest import IN_CI
from tests.scaling import streaming


@pytest.fixture(scope="module")
def pair():
    problem = streaming.available()
    if problem:
        (pytest.fail if IN_CI else pytest.skip)(problem)
    servers = streaming.StreamingPair()
    try:
        servers.start()
        yield servers
    finally:
        servers.stop()


def _token(url: str) -> str:
    engine = make_engine(url)
    migrate.upgrade(engine)
    with Session(engine) as db:
        tenant = tenants_service.create(db=db, slug="acme", name="Acme", default_country="US",
                                        time_zone="America/Chicago")  # fmt: skip
        alice = users_service.create(db=db, tenant_id=tenant.id, email="alice@acme.example",
                                     role="admin")  # fmt: skip
        token, secret = users_service.create_token(db=db, user=alice)
        # Used just now: reads in this test record no use, so they stay read-only requests.
        db.execute(update(ApiToken).where(ApiToken.id == token.id)
                   .values(last_used_at=utcnow() + timedelta(days=1)))  # fmt: skip
        db.commit()
    engine.dispose()
    return secret


def _replica_sql(pair, sql: str) -> None:
    engine = create_engine(pair.url(pair.replica_port))
    with engine.connect() as connection:
        connection.execute(text(sql))
    engine.dispose()


def _write_a_call(client: TestClient, name: str, subject: str) -> str:
    contact = client.post("/api/v1/contacts", json={"first_name": name, "last_name": "Okafor"})
    assert contact.status_code == 201, contact.text
    call = client.post("/api/v1/interactions", json={
        "channel": "voice", "direction": "inbound", "address": "+14155552671",
        "contact_id": contact.json()["id"], "subject": subject,
    })  # fmt: skip
    assert call.status_code == 201, call.text
    return contact.json()["id"]


def _found(client: TestClient, word: str) -> bool:
    response = client.get("/api/v1/search", params={"q": word})
    assert response.status_code == 200, response.text
    return any(word in (i["subject"] or "").lower() for i in response.json()["interactions"])


def _listed(client: TestClient, name: str) -> bool:
    response = client.get("/api/v1/contacts", params={"q": name})
    assert response.status_code == 200, response.text
    return any(c["first_name"] == name for c in response.json()["items"])


def _exported(client: TestClient, name: str) -> bool:
    response = client.get("/api/v1/contacts/export", params={"format": "csv"})
    assert response.status_code == 200, response.text
    return name in response.text


def test_reads_come_from_the_replica_and_fall_back_to_the_primary(pair):
    database = f"rapport_replica_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pair.url(pair.primary_port), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    primary_url = pair.url(pair.primary_port, database)
    secret = _token(primary_url)
    settings = Settings(
        DATABASE_URL=primary_url,
        DATABASE_REPLICA_URL=pair.url(pair.replica_port, database),
        RAPPORT_REPLICA_MAX_LAG_S=3600,
        RAPPORT_SECRET_KEY="test-secret-key-" + "x" * 32,
    )
    app = create_app(settings)
    alice = TestClient(app, headers={"Authorization": f"Bearer {secret}"})

    _write_a_call(alice, "Ada", "Invoice dispute")
    pair.wait_until_received(database, replayed=True)
    assert _found(alice, "invoice") and _listed(alice, "Ada")

    # Replay paused: the replica keeps serving what it had; the primary has more.
    _replica_sql(pair, "SELECT pg_wal_replay_pause()")
    _write_a_call(alice, "Grace", "Refund request")
    pair.wait_until_received(database, replayed=False)
    assert not _found(alice, "refund")
    assert not _listed(alice, "Grace")
    assert not _exported(alice, "Grace") and _exported(alice, "Ada")

    # Behind by more than the bound: the primary answers.
    app.state.replica.max_lag_s = 0
    assert _found(alice, "refund") and _listed(alice, "Grace") and _exported(alice, "Grace")
    app.state.replica.max_lag_s = 3600

    _replica_sql(pair, "SELECT pg_wal_replay_resume()")
    pair.wait_until_received(database, replayed=True)
    assert _found(alice, "refund") and _listed(alice, "Grace")

    # The replica stops: every read still answers, from the primary.
    pair.stop_replica()
    try:
        _write_a_call(alice, "Hedy", "Warranty claim")
        assert _found(alice, "warranty") and _listed(alice, "Hedy") and _exported(alice, "Hedy")
        history = alice.get(f"/api/v1/contacts/{_write_a_call(alice, 'Kat', 'Upgrade')}"
                            "/interactions", params={"q": "upgrade"})  # fmt: skip
        assert history.status_code == 200 and len(history.json()["items"]) == 1
    finally:
        pair.start_replica()
    app.state.engine.dispose()
    app.state.replica.engine.dispose()
