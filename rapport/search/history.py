"""A contact's (or the tenant's) interaction history: filtered, newest first, or ranked
by relevance with a highlighted snippet when searched with words."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from rapport.core.errors import FieldError, ValidationFailed
from rapport.core.pagination import as_count, as_datetime, decode_cursor, encode_cursor, past_cursor
from rapport.interactions.models import Interaction
from rapport.search import fulltext
from rapport.search.models import HistoryDocument


@dataclass
class HistoryFilters:
    contact_id: uuid.UUID | None = None
    channel: str | None = None
    state: str | None = None
    agent_id: uuid.UUID | None = None
    started_from: datetime | None = None
    started_to: datetime | None = None
    q: str | None = None


@dataclass
class Hit:
    interaction: Interaction
    score: float | None = None
    snippet: str | None = None


def _conditions(tenant_id: uuid.UUID, filters: HistoryFilters) -> list:
    conditions = [Interaction.tenant_id == tenant_id]
    if filters.contact_id is not None:
        conditions.append(Interaction.contact_id == filters.contact_id)
    if filters.channel:
        conditions.append(Interaction.channel == filters.channel)
    if filters.state:
        conditions.append(Interaction.state == filters.state)
    if filters.agent_id is not None:
        conditions.append(Interaction.agent_id == filters.agent_id)
    if filters.started_from is not None:
        conditions.append(Interaction.started_at >= filters.started_from)
    if filters.started_to is not None:
        conditions.append(Interaction.started_at < filters.started_to)
    return conditions


def history(
    *,
    db: Session,
    tenant_id: uuid.UUID,
    filters: HistoryFilters,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[Hit], str | None]:
    if filters.q is not None and filters.q.strip():
        terms = fulltext.terms_of(filters.q)
        if not terms:
            raise ValidationFailed([FieldError("query.q", "needs at least one letter or digit")])
        return _ranked(db, tenant_id, filters, terms, limit, cursor)
    return _newest_first(db, tenant_id, filters, limit, cursor)


def _newest_first(db, tenant_id, filters, limit, cursor) -> tuple[list[Hit], str | None]:
    query = select(Interaction).where(*_conditions(tenant_id, filters))
    if cursor:
        started, last = decode_cursor(cursor, as_datetime, uuid.UUID)
        position = (Interaction.started_at, Interaction.id)
        query = query.where(past_cursor(position, (started, last), descending=True))
    order = (Interaction.started_at.desc(), Interaction.id.desc())
    rows = list(db.scalars(query.order_by(*order).limit(limit + 1)))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor([rows[-1].started_at.isoformat(), str(rows[-1].id)])
    return [Hit(row) for row in rows], next_cursor


def _ranked(db, tenant_id, filters, terms, limit, cursor) -> tuple[list[Hit], str | None]:
    # Relevance changes as history grows, so ranked pages are addressed by position.
    offset = decode_cursor(cursor, as_count)[0] if cursor else 0
    engine = fulltext.for_session(db, terms)
    page, read = None, {}
    if filters == HistoryFilters(q=filters.q):  # the whole tenant: rank first, then the rest
        found = _ranked_first(db, tenant_id, engine, offset + limit + 1)
        if found is not None:
            page, read = found
    if page is None:
        page = _ranked_joined(db, tenant_id, filters, engine, offset + limit + 1)
    rows = page[offset:]
    next_cursor = encode_cursor([offset + limit]) if len(rows) > limit else None
    rows = rows[:limit]
    snippets = {r.interaction_id: r.snippet for r in rows}
    if any(r.snippet is None for r in rows):  # not read with the ranking
        snippets = engine.snippets(db, tenant_id, [r.interaction_id for r in rows])
    interactions = {
        r.interaction_id: read[r.interaction_id] for r in rows if r.interaction_id in read
    }
    if len(interactions) < len(rows):
        interactions.update(_interactions(db, tenant_id, [r.interaction_id for r in rows]))
    hits = [
        Hit(interactions[r.interaction_id], r.score, snippets.get(r.interaction_id)) for r in rows
    ]
    return hits, next_cursor


def _interactions(db, tenant_id, ids: list[uuid.UUID]) -> dict[uuid.UUID, Interaction]:
    """Whole rows, by their key. (Only id and started_at would be read from the covering
    (tenant, started_at, id) index instead: SQLite then walks every interaction of the tenant.)"""
    if not ids:
        return {}
    query = select(Interaction).where(Interaction.tenant_id == tenant_id, Interaction.id.in_(ids))
    return {i.id: i for i in db.scalars(query)}


# Ranked ids read past the page's end, so that documents tied in score with its last one are
# all seen (and ordered by time, as they are by the joined query) before the page is cut.
TIES_READ = 20


def _ranked_first(db, tenant_id, engine, n: int) -> tuple[list[fulltext.Ranked], dict] | None:
    """The n best documents, ordered as `_ranked_joined` orders them, from the full-text
    index alone: only those n (and their ties) are then read from the interactions, once,
    and handed back beside them for the page.
    None when more ties than TIES_READ straddle the n-th: the joined query decides then."""
    top = engine.top(db, tenant_id, n + TIES_READ)
    if len(top) == n + TIES_READ and top[-1].score == top[n - 1].score:
        return None
    if len(top) >= n:
        top = [r for r in top if r.score >= top[n - 1].score]
    read = _interactions(db, tenant_id, [r.interaction_id for r in top])
    top = [r for r in top if r.interaction_id in read]
    # Best score first, then the latest, then the highest id: the joined query's order.
    top.sort(
        key=lambda r: (r.score, read[r.interaction_id].started_at, r.interaction_id), reverse=True
    )
    return top[:n], read


def _ranked_joined(db, tenant_id, filters, engine, n: int) -> list[fulltext.Ranked]:
    """The n best of the documents the filters keep, joined with their interactions."""
    score = engine.score().label("score")
    query = select(Interaction.id, score).join(
        HistoryDocument,
        and_(
            HistoryDocument.tenant_id == Interaction.tenant_id,
            HistoryDocument.interaction_id == Interaction.id,
        ),
    )
    query = engine.join(query).where(*_conditions(tenant_id, filters))
    if filters.contact_id is not None:
        contact_documents = (
            select(HistoryDocument.fts_rowid)
            .join(
                Interaction,
                and_(
                    Interaction.tenant_id == HistoryDocument.tenant_id,
                    Interaction.id == HistoryDocument.interaction_id,
                ),
            )
            .where(Interaction.tenant_id == tenant_id, Interaction.contact_id == filters.contact_id)
        )
        query = engine.within(query, contact_documents)
    query = query.order_by(score.desc(), Interaction.started_at.desc(), Interaction.id.desc())
    rows = db.execute(query.limit(n)).all()
    return [fulltext.Ranked(interaction_id, float(value)) for interaction_id, value in rows]
