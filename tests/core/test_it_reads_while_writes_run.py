"""On SQLite (the default), reads never fail while writes run.

Writers create contacts while readers list them, each read with a token never used before
(its first use is recorded, which once made every such read a write). A real database file
with real commits: the app here has its own engine, not the rolled-back test transaction."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient
from sqlalchemy import select

from rapport.core import migrate
from rapport.core.config import Settings
from rapport.core.db import make_engine, transaction
from rapport.main import create_app
from rapport.tenants import service as tenants_service
from rapport.users import service as users_service
from rapport.users.models import ApiToken

WRITERS, CONTACTS_EACH = 3, 12
READERS, READS_EACH = 3, 8


def test_it_never_answers_5xx_to_readers_or_writers_under_load(tmp_path):
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    app = create_app(Settings(DATABASE_URL=url, RAPPORT_SECRET_KEY="s" * 40), engine)
    with transaction(app.state.session_factory) as db:
        tenant = tenants_service.create(db=db, slug="busy", name="Busy", default_country="US")
        writer = users_service.create(db=db, tenant_id=tenant.id, email="w@busy.example",
                                      role="agent")  # fmt: skip
        reader = users_service.create(db=db, tenant_id=tenant.id, email="r@busy.example",
                                      role="agent")  # fmt: skip
        write_secret = users_service.create_token(db=db, user=writer)[1]
        fresh = [users_service.create_token(db=db, user=reader, name=f"r{i}")[1]
                 for i in range(READERS * READS_EACH)]  # fmt: skip

    answers: list[tuple[str, int]] = []
    lock = threading.Lock()

    def write(n: int) -> None:
        client = TestClient(app, headers={"Authorization": f"Bearer {write_secret}"})
        for i in range(CONTACTS_EACH):
            response = client.post("/api/v1/contacts", json={"last_name": f"W{n}-{i}"})
            with lock:
                answers.append(("write", response.status_code))

    def read(n: int) -> None:
        for i in range(READS_EACH):
            secret = fresh[n * READS_EACH + i]
            client = TestClient(app, headers={"Authorization": f"Bearer {secret}"})
            response = client.get("/api/v1/contacts?limit=5")
            with lock:
                answers.append(("read", response.status_code))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    threads += [threading.Thread(target=read, args=(n,)) for n in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(answers) == WRITERS * CONTACTS_EACH + READERS * READS_EACH
    assert [a for a in answers if a[1] >= 500] == []
    assert all(status == 200 for kind, status in answers if kind == "read")
    assert all(status == 201 for kind, status in answers if kind == "write")
    # Every first use is recorded in the end, none lost to a busy moment.
    app.state.token_uses.flush(app.state.session_factory)
    with transaction(app.state.session_factory) as db:
        used = db.scalars(select(ApiToken.last_used_at).where(ApiToken.user_id == reader.id))
        assert all(at is not None for at in used)
    engine.dispose()
