"""Keeps each interaction's search document in step with its sources, in the caller's
transaction: the subject, every transcript message and every note tied to it.

PostgreSQL derives its tsvector from the stored body (a generated column), so writing the
body is enough. SQLite's FTS5 table uses history_documents as external content, so every
change to a body is mirrored into the FTS index: the old text is deleted, the new inserted.
"""

from __future__ import annotations

import uuid

from sqlalchemy import bindparam, case, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from rapport.search.models import HistoryDocument

Db = Session | Connection  # services pass their Session; ORM event hooks a Connection
_documents = HistoryDocument.__table__
_SEPARATOR = "\n\n"


def _extend_statement():
    """PostgreSQL: create the document or extend it, whoever else appends meanwhile: the first
    text creates it, the next ones wait for its row lock and extend it. Built once (building
    it took a tenth of an append)."""
    new = pg_insert(_documents).values(
        tenant_id=bindparam("tenant_id"), interaction_id=bindparam("interaction_id"),
        body=bindparam("addition"),
    )  # fmt: skip
    old = _documents.c.body
    extended = case((old == "", new.excluded.body), else_=old + _SEPARATOR + new.excluded.body)
    return new.on_conflict_do_update(
        index_elements=[_documents.c.tenant_id, _documents.c.interaction_id],
        set_={"body": extended},
    )


_EXTEND = _extend_statement()


def _is_sqlite(db: Db) -> bool:
    dialect = db.dialect if isinstance(db, Connection) else db.get_bind().dialect
    return dialect.name == "sqlite"


def _flush(db: Db) -> None:
    # Sources written through the ORM must reach the database before they are read back.
    if isinstance(db, Session):
        db.flush()


def _key(tenant_id: uuid.UUID, interaction_id: uuid.UUID):
    return (_documents.c.tenant_id == tenant_id) & (_documents.c.interaction_id == interaction_id)


def compose(*, db: Db, tenant_id: uuid.UUID, interaction_id: uuid.UUID) -> str:
    """The full searchable text of an interaction, read from its sources."""
    from rapport.interactions.models import Interaction, Message
    from rapport.notes.models import Note

    parts: list[str | None] = [
        db.scalar(
            select(Interaction.subject).where(
                Interaction.tenant_id == tenant_id, Interaction.id == interaction_id
            )
        )
    ]
    for subject, body in db.execute(
        select(Message.subject, Message.text)
        .where(Message.tenant_id == tenant_id, Message.interaction_id == interaction_id)
        .order_by(Message.sent_at, Message.id)
    ):
        parts += [subject, body]
    for body, outcome, next_steps in db.execute(
        select(Note.body_text, Note.outcome, Note.next_steps)
        .where(Note.tenant_id == tenant_id, Note.interaction_id == interaction_id)
        .order_by(Note.created_at, Note.id)
    ):
        parts += [body, outcome, next_steps]
    return _SEPARATOR.join(p for p in parts if p)


def rebuild(*, db: Db, tenant_id: uuid.UUID, interaction_id: uuid.UUID) -> None:
    """Recompute the document from its sources (after a note changes or goes away)."""
    _flush(db)
    body = compose(db=db, tenant_id=tenant_id, interaction_id=interaction_id)
    _store(db, tenant_id, interaction_id, lambda _old: body)


def add_text(
    *, db: Db, tenant_id: uuid.UUID, interaction_id: uuid.UUID, parts: list[str | None]
) -> None:
    """Append text (a new message) without re-reading the whole transcript."""
    addition = _SEPARATOR.join(p for p in parts if p)
    if not addition:
        return
    _flush(db)
    if not _is_sqlite(db):
        db.execute(
            _EXTEND,
            {"tenant_id": tenant_id, "interaction_id": interaction_id, "addition": addition},
        )
        return
    _store(
        db,
        tenant_id,
        interaction_id,
        lambda old: f"{old}{_SEPARATOR}{addition}" if old else addition,
    )


def _store(db: Db, tenant_id: uuid.UUID, interaction_id: uuid.UUID, new_body) -> None:
    current = db.execute(
        select(_documents.c.body, _documents.c.fts_rowid).where(_key(tenant_id, interaction_id))
    ).first()
    sqlite = _is_sqlite(db)
    if current is None:
        body = new_body("")
        values = {"tenant_id": tenant_id, "interaction_id": interaction_id, "body": body}
        if sqlite:
            # One statement reads the next key and inserts it: SQLite has a single writer.
            values["fts_rowid"] = select(
                func.coalesce(func.max(_documents.c.fts_rowid), 0) + 1
            ).scalar_subquery()
        db.execute(insert(_documents).values(**values))
        if sqlite:
            rowid = db.scalar(select(_documents.c.fts_rowid).where(_key(tenant_id, interaction_id)))
            db.execute(
                text("INSERT INTO history_fts(rowid, body) VALUES (:rowid, :body)"),
                {"rowid": rowid, "body": body},
            )
        return
    old_body, rowid = current
    body = new_body(old_body)
    if body == old_body:
        return
    if sqlite:
        db.execute(
            text("INSERT INTO history_fts(history_fts, rowid, body) VALUES ('delete', :r, :b)"),
            {"r": rowid, "b": old_body},
        )
    db.execute(update(_documents).where(_key(tenant_id, interaction_id)).values(body=body))
    if sqlite:
        db.execute(
            text("INSERT INTO history_fts(rowid, body) VALUES (:r, :b)"), {"r": rowid, "b": body}
        )


def forget(*, db: Db, tenant_id: uuid.UUID, interaction_id: uuid.UUID) -> None:
    """Remove a document (before its interaction is deleted)."""
    current = db.execute(
        select(_documents.c.body, _documents.c.fts_rowid).where(_key(tenant_id, interaction_id))
    ).first()
    if current is None:
        return
    if _is_sqlite(db):
        db.execute(
            text("INSERT INTO history_fts(history_fts, rowid, body) VALUES ('delete', :r, :b)"),
            {"r": current.fts_rowid, "b": current.body},
        )
    db.execute(_documents.delete().where(_key(tenant_id, interaction_id)))
