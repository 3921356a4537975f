"""Two writers append the first messages of one chat at the same moment (an integration and
the agent's desk): both messages are stored and both are searchable. On PostgreSQL the second
append waits for the first one's search document instead of failing on it (the app on a real,
committed database; SQLite has one writer, so the second waits for the lock up front)."""

import threading
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select, text

from rapport.core.config import Settings
from rapport.core.db import make_session_factory, transaction, utcnow
from rapport.core.ids import new_id
from rapport.interactions.models import Interaction, Message
from rapport.main import create_app
from rapport.search import index
from rapport.search.models import HistoryDocument
from rapport.tenants import service as tenants_service
from rapport.tenants.models import Tenant
from rapport.users import service as users_service


def _someone_waits_on_a_lock(engine) -> bool:
    with engine.connect() as connection:
        return bool(connection.scalar(text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()"
        )))  # fmt: skip


def test_a_second_writer_waits_for_the_first_ones_search_document(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite takes its single write lock before the first statement")
    factory = make_session_factory(engine)
    with transaction(factory) as db:
        tenant = tenants_service.create(db=db, slug=f"chat-{uuid.uuid4().hex[:8]}", name="Chat")
        user = users_service.create(db=db, tenant_id=tenant.id, email="desk@chat.example",
                                    role="agent")  # fmt: skip
        secret = users_service.create_token(db=db, user=user)[1]
        chat = Interaction(tenant_id=tenant.id, id=new_id(), channel="chat",
                           direction="inbound", address="nightowl", address_entered="nightowl",
                           state="active", started_at=utcnow())  # fmt: skip
        db.add(chat)
    settings = Settings(DATABASE_URL=engine.url.render_as_string(hide_password=False),
                        RAPPORT_SECRET_KEY="chat-secret-" + "c" * 32)  # fmt: skip
    client = TestClient(create_app(settings, engine),
                        headers={"Authorization": f"Bearer {secret}"})  # fmt: skip
    try:
        first = factory()
        # The integration's append: its message and the new search document, not committed.
        first.add(Message(tenant_id=tenant.id, id=new_id(), interaction_id=chat.id,
                          sender="contact", text="where is parcel kestrel", sent_at=utcnow()))
        index.add_text(db=first, tenant_id=tenant.id, interaction_id=chat.id,
                       parts=["where is parcel kestrel"])  # fmt: skip
        answers = []
        desk = threading.Thread(target=lambda: answers.append(client.post(
            f"/api/v1/interactions/{chat.id}/messages",
            json={"sender": "agent", "text": "checking on ptarmigan now"},
        )))  # fmt: skip
        desk.start()
        while not _someone_waits_on_a_lock(engine):  # the agent's append waits for the first
            assert desk.is_alive(), answers[0].text if answers else "no answer"
            threading.Event().wait(0.05)
        first.commit()
        first.close()
        desk.join(60)

        assert [a.status_code for a in answers] == [201], [a.text for a in answers]
        with factory() as db:
            body = db.scalar(select(HistoryDocument.body).where(
                HistoryDocument.tenant_id == tenant.id, HistoryDocument.interaction_id == chat.id
            ))  # fmt: skip
        assert body == "where is parcel kestrel\n\nchecking on ptarmigan now"
        found = client.get("/api/v1/search", params={"q": "ptarmigan kestrel"})
        assert found.status_code == 200, found.text
        assert [i["id"] for i in found.json()["interactions"]] == [str(chat.id)]
    finally:
        with transaction(factory) as db:
            db.execute(delete(Tenant).where(Tenant.id == tenant.id))

