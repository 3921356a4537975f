"""The bare limit for `http_bench.py`: the same operations as Rapport's API on the same
database, as a plain ASGI app with no framework: the bearer token checked with one indexed
query, SQLAlchemy Core statements on the same tables and pool, JSON out with `json.dumps`.
Served by the same uvicorn settings as `rapport serve` (see `main`).

    python -m benchmarks.bare_app --port 8100 [--workers N]   # DATABASE_URL from the env
"""

from __future__ import annotations

import argparse
import hashlib
import json
import uuid
from datetime import UTC, datetime
from urllib.parse import parse_qs

import anyio
import phonenumbers
from sqlalchemy import and_, case, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from rapport.accounts.models import Account
from rapport.contacts.fields import display_phone
from rapport.contacts.models import Contact, ContactAddress, ContactPoint
from rapport.contacts.present import address_lines
from rapport.core.config import get_settings
from rapport.core.db import make_engine
from rapport.core.ids import new_id
from rapport.interactions.models import Interaction, Message
from rapport.notes.models import Note
from rapport.search import index
from rapport.search.models import HistoryDocument
from rapport.users.models import ApiToken, User

C, P, IX, T, U, M, N, A = (
    Contact.__table__, ContactPoint.__table__, Interaction.__table__, ApiToken.__table__,
    User.__table__, Message.__table__, Note.__table__, Account.__table__)  # fmt: skip
H = HistoryDocument.__table__
AD = ContactAddress.__table__
CONTACT_COLUMNS = [c for c in C.columns if c.key not in ("sort_name", "first_key", "last_key")]


def _json(value) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def contact_json(row) -> dict:
    out = dict(row._mapping)
    for key in ("phone", "mobile", "fax"):
        out[f"{key}_display"] = display_phone(out[key], out["country"])
    return out


def with_lists(db, tenant_id: uuid.UUID, contacts: list[dict]) -> list[dict]:
    """The contacts' numbers, emails and addresses, as Rapport answers them: one query per
    list for the whole page, each address also formatted in its country's order."""
    by_id = {c["id"]: c for c in contacts}
    for c in contacts:
        c.update(phones=[], emails=[], addresses=[])
    if not by_id:
        return contacts
    points = select(P.c.contact_id, P.c.kind, P.c.value, P.c.label, P.c.is_primary, P.c.shown)
    for p in db.execute(points.where(P.c.tenant_id == tenant_id, P.c.contact_id.in_(by_id))
                        .order_by(P.c.contact_id, P.c.position)):  # fmt: skip
        family = "emails" if p.kind == "email" else "phones"
        by_id[p.contact_id][family].append(
            {"value": p.shown or p.value, "label": p.label, "primary": p.is_primary})
    for a in db.execute(select(AD).where(AD.c.tenant_id == tenant_id, AD.c.contact_id.in_(by_id))
                        .order_by(AD.c.contact_id, AD.c.position)):  # fmt: skip
        by_id[a.contact_id]["addresses"].append(
            {"label": a.label, "primary": a.is_primary, "address": a.address, "city": a.city,
             "state": a.state, "postal_code": a.postal_code, "country": a.country,
             "formatted": "\n".join(address_lines(a))})  # fmt: skip
    return contacts


class Bare:
    def __init__(self) -> None:
        self.engine = make_engine(get_settings().database_url)
        self.postgres = self.engine.dialect.name == "postgresql"

    def principal(self, connection, headers: dict) -> tuple[uuid.UUID, uuid.UUID] | None:
        auth = headers.get(b"authorization", b"").decode()
        if not auth.lower().startswith("bearer "):
            return None
        digest = hashlib.sha256(auth[7:].encode()).hexdigest()
        return connection.execute(
            select(T.c.tenant_id, T.c.user_id)
            .join(U, and_(U.c.tenant_id == T.c.tenant_id, U.c.id == T.c.user_id))
            .where(T.c.token_hash == digest, T.c.revoked_at.is_(None), U.c.is_active)
        ).first()

    def handle(self, method: str, path: str, query: dict, body: bytes, headers: dict):
        write = method == "POST"
        # SQLite: a writing request takes the write lock up front, as Rapport's do.
        options = {"sqlite_begin": "IMMEDIATE"} if write else {}
        with self.engine.connect().execution_options(**options) as connection:
            with connection.begin():
                who = self.principal(connection, headers)
                if who is None:
                    return 401, {"detail": "token"}
                return self.route(connection, who, method, path, query, body)

    def route(self, db, who, method, path, query, body):
        tenant_id, user_id = who
        if method == "GET" and path.startswith("/api/v1/contacts/"):
            row = db.execute(select(*CONTACT_COLUMNS).where(
                C.c.tenant_id == tenant_id, C.c.id == uuid.UUID(path.rsplit("/", 1)[1]))).first()
            if row is None:
                return 404, {"detail": "not found"}
            return 200, with_lists(db, tenant_id, [contact_json(row)])[0]
        if method == "GET" and path == "/api/v1/contacts":
            q = select(*CONTACT_COLUMNS).where(C.c.tenant_id == tenant_id)
            if "phone" in query:
                e164 = phonenumbers.format_number(phonenumbers.parse(query["phone"][0], "US"),
                                                  phonenumbers.PhoneNumberFormat.E164)
                ids = select(P.c.contact_id).where(P.c.tenant_id == tenant_id, P.c.value == e164)
                q = q.where(C.c.id.in_(ids))
            if "country" in query:
                q = q.where(C.c.country == query["country"][0])
            if "priority" in query:
                q = q.where(C.c.priority == int(query["priority"][0]))
            rows = db.execute(q.order_by(C.c.sort_name, C.c.id).limit(51)).all()
            items = with_lists(db, tenant_id, [contact_json(r) for r in rows[:50]])
            return 200, {"items": items, "next_cursor": None}
        if method == "POST" and path == "/api/v1/contacts":
            values = json.loads(body)
            now = datetime.now(UTC)
            phone = phonenumbers.format_number(phonenumbers.parse(values["phone"], "US"),
                                               phonenumbers.PhoneNumberFormat.E164)
            first, last, email = values["first_name"], values["last_name"], values["email"]
            row = {"tenant_id": tenant_id, "id": new_id(), "first_name": first,
                   "last_name": last, "email": email, "email_key": email.lower(),
                   "phone": phone, "country": "US", "priority": 3, "version": 1,
                   "preferred_channels": [], "custom_attributes": {},
                   "sort_name": f"{first} {last}".lower(), "first_key": first.lower(),
                   "last_key": last.lower(), "created_at": now, "updated_at": now}  # fmt: skip
            db.execute(insert(C), row)
            db.execute(insert(P), [
                {"tenant_id": tenant_id, "contact_id": row["id"], "kind": "phone",
                 "value": phone, "national": phone[2:]},
                {"tenant_id": tenant_id, "contact_id": row["id"], "kind": "email",
                 "value": row["email_key"], "national": None}])  # fmt: skip
            return 201, contact_json(db.execute(
                select(*CONTACT_COLUMNS).where(C.c.tenant_id == tenant_id, C.c.id == row["id"])
            ).first())
        if method == "POST" and path == "/api/v1/interactions":
            values = json.loads(body)
            address = phonenumbers.format_number(phonenumbers.parse(values["address"], "US"),
                                                 phonenumbers.PhoneNumberFormat.E164)
            matches = db.execute(select(P.c.contact_id).where(
                P.c.tenant_id == tenant_id, P.c.value == address).limit(2)).scalars().all()
            now = datetime.now(UTC)
            row = {"tenant_id": tenant_id, "id": new_id(), "channel": values["channel"],
                   "direction": values["direction"], "address": address,
                   "address_entered": values["address"], "match_count": len(matches),
                   "contact_id": matches[0] if len(matches) == 1 else None, "state": "queued",
                   "started_at": now, "queued_at": now, "routing_priority": 3, "version": 1,
                   "created_at": now, "updated_at": now}  # fmt: skip
            db.execute(insert(IX), row)
            return 201, row
        if method == "POST" and path == "/api/v1/queue/accept":
            # One round trip: claim and assign (SKIP LOCKED on PostgreSQL; SQLite holds the lock).
            next_one = (select(IX.c.id).where(IX.c.tenant_id == tenant_id, IX.c.state == "queued")
                        .order_by(IX.c.routing_priority, IX.c.queued_at, IX.c.id).limit(1))
            if self.postgres:
                next_one = next_one.with_for_update(skip_locked=True)
            row = db.execute(
                update(IX).where(IX.c.tenant_id == tenant_id, IX.c.id == next_one.scalar_subquery())
                .values(state="active", agent_id=user_id, accepted_at=func.now(),
                        version=IX.c.version + 1)
                .returning(*IX.c)
            ).first()
            if row is None:
                return 204, None
            return 200, self.screen_pop(db, tenant_id, dict(row._mapping))
        if method == "POST" and path.endswith("/messages"):
            # The interaction (and who holds it), the message, its text added to the interaction's
            # search document (kept in step as Rapport keeps it).
            interaction_id = uuid.UUID(path.split("/")[-2])
            found = db.execute(select(IX.c.agent_id).where(
                IX.c.tenant_id == tenant_id, IX.c.id == interaction_id)).first()
            if found is None:
                return 404, {"detail": "not found"}
            values = json.loads(body)
            now = datetime.now(UTC)
            row = {"tenant_id": tenant_id, "id": new_id(), "interaction_id": interaction_id,
                   "sender": values["sender"], "subject": None, "content_type": "text/plain",
                   "text": values["text"].strip(), "html": None, "sent_at": now,
                   "external_id": None, "created_at": now}  # fmt: skip
            db.execute(insert(M), row)
            if self.postgres:  # the search document created or extended in one statement
                new = pg_insert(H).values(tenant_id=tenant_id, interaction_id=interaction_id,
                                          body=row["text"])  # fmt: skip
                db.execute(new.on_conflict_do_update(
                    index_elements=[H.c.tenant_id, H.c.interaction_id],
                    set_={"body": case((H.c.body == "", new.excluded.body),
                                       else_=H.c.body + "\n\n" + new.excluded.body)}))  # fmt: skip
            else:  # SQLite mirrors it into FTS5 as Rapport does
                index.add_text(db=db, tenant_id=tenant_id, interaction_id=interaction_id,
                               parts=[row["text"]])  # fmt: skip
            return 201, row
        return 404, {"detail": "no route"}


    def screen_pop(self, db, tenant_id, interaction: dict) -> dict:
        """What Rapport's accept answers with: an unlinked call linked to the one contact
        with its number, then that contact with its account and numbers, which of them was
        used, its last notes and interactions, and the transcript."""
        if interaction["contact_id"] is None:
            matches = db.execute(select(P.c.contact_id).where(
                P.c.tenant_id == tenant_id, P.c.value == interaction["address"],
                P.c.kind.in_(("phone", "mobile"))).limit(2)).scalars().all()  # fmt: skip
            if len(matches) == 1 or len(matches) != interaction["match_count"]:
                interaction["match_count"] = len(matches)
                interaction["contact_id"] = matches[0] if len(matches) == 1 else None
                db.execute(update(IX).where(IX.c.tenant_id == tenant_id,
                                            IX.c.id == interaction["id"])
                           .values(contact_id=interaction["contact_id"],
                                   match_count=interaction["match_count"]))  # fmt: skip
        messages = db.execute(select(M).where(
            M.c.tenant_id == tenant_id, M.c.interaction_id == interaction["id"]
        ).order_by(M.c.sent_at, M.c.id)).all()  # fmt: skip
        interaction["messages"] = [dict(m._mapping) for m in messages]
        out = {"interaction": interaction, "match": "none"}
        if interaction["contact_id"] is None:  # a number no contact has: a new contact
            number = phonenumbers.parse(interaction["address"])
            out["suggested_contact"] = {
                "phone": interaction["address"],
                "country": phonenumbers.region_code_for_number(number)}  # fmt: skip
            return out
        contact_id = interaction["contact_id"]
        row = db.execute(
            select(*CONTACT_COLUMNS, *[c.label(f"account.{c.key}") for c in A.c])
            .outerjoin(A, and_(A.c.tenant_id == C.c.tenant_id, A.c.id == C.c.account_id))
            .where(C.c.tenant_id == tenant_id, C.c.id == contact_id)
        ).first()  # fmt: skip
        contact = contact_json(row)
        points = db.execute(select(P).where(
            P.c.tenant_id == tenant_id, P.c.contact_id == contact_id).order_by(P.c.position)
        ).all()  # fmt: skip
        contact["points"] = [dict(p._mapping) for p in points]
        used = [p for p in contact["points"] if p["value"] == interaction["address"]]
        notes = db.execute(
            select(N, U.c.email.label("author_email"), U.c.name.label("author_name"))
            .outerjoin(U, and_(U.c.tenant_id == N.c.tenant_id, U.c.id == N.c.author_id))
            .where(N.c.tenant_id == tenant_id, N.c.contact_id == contact_id)
            .order_by(N.c.created_at.desc(), N.c.id.desc()).limit(5)
        ).all()  # fmt: skip
        recent = db.execute(
            select(*IX.c).where(IX.c.tenant_id == tenant_id, IX.c.contact_id == contact_id,
                                IX.c.id != interaction["id"])
            .order_by(IX.c.started_at.desc(), IX.c.id.desc()).limit(5)).all()  # fmt: skip
        return {**out, "match": "one", "contact": contact, "reached_on": used[0] if used else None,
                "notes": [dict(n._mapping) for n in notes],
                "recent_interactions": [dict(r._mapping) for r in recent]}  # fmt: skip


def create_app():
    bare = Bare()

    async def app(scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            while (message := await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        status, out = await anyio.to_thread.run_sync(
            bare.handle, scope["method"], scope["path"],
            parse_qs(scope["query_string"].decode()), body, dict(scope["headers"]),
        )  # fmt: skip
        payload = b"" if out is None else json.dumps(out, default=_json).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(payload)).encode())]})  # fmt: skip
        await send({"type": "http.response.body", "body": payload})

    return app


def main() -> None:
    import uvicorn

    from rapport.core.serving import uvicorn_options

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    options = uvicorn_options(get_settings(), host="127.0.0.1", port=args.port,
                              workers=args.workers, access_log=False)  # fmt: skip
    uvicorn.run("benchmarks.bare_app:create_app", factory=True, **options)


if __name__ == "__main__":
    main()
