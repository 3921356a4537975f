"""The full-text query on each database, behind one interface.

A query is the words of what was typed, case- and accent-folded, each matched as a word
prefix, all required ("refu cred" finds "refund ... credit"). SQLite answers from the FTS5
table (bm25 rank, snippet()); PostgreSQL from the GIN-indexed tsvector (ts_rank,
ts_headline). Highlights come back between control characters, which stored text never
contains, and are turned into `<mark>` only after the rest has been HTML-escaped.
"""

from __future__ import annotations

import html
import re
import uuid
from dataclasses import dataclass

from sqlalchemy import (
    Integer,
    String,
    Uuid,
    bindparam,
    column,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session

from rapport.core.text import fold
from rapport.search.models import HistoryDocument

MAX_TERMS = 8
_WORD = re.compile(r"[^\W_]+")
_OPEN, _CLOSE = "\x02", "\x03"
TS_CONFIG = "rapport_search"
_fts = table("history_fts", column("rowid", Integer))
_SQLITE_SNIPPET = "snippet(history_fts, 0, char(2), char(3), '…', 24)"


@dataclass
class Ranked:
    interaction_id: uuid.UUID
    score: float
    snippet: str | None = None  # None when the engine builds snippets separately


def terms_of(q: str) -> list[str]:
    return _WORD.findall(fold(q))[:MAX_TERMS]


def highlight(raw: str | None) -> str | None:
    """HTML-escape the snippet, then mark the matches."""
    if raw is None:
        return None
    escaped = html.escape(raw, quote=False)
    return escaped.replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")


class SqliteFullText:
    def __init__(self, terms: list[str]) -> None:
        self.query = " ".join(f'"{t}"*' for t in terms)

    def join(self, statement):
        return statement.join(_fts, _fts.c.rowid == HistoryDocument.fts_rowid).where(
            text("history_fts MATCH :fts_query").bindparams(fts_query=self.query)
        )

    def within(self, statement, rowids):
        """Only these documents: FTS5 then probes each rowid instead of scanning every match,
        which is what makes one contact's history fast however large the tenant's is."""
        return statement.where(_fts.c.rowid.in_(rowids))

    def score(self):
        # bm25() is lower for better matches; negate so that higher is better everywhere.
        return literal_column("-bm25(history_fts)")

    def top(self, db: Session, tenant_id: uuid.UUID, n: int) -> list[Ranked]:
        """The tenant's n best documents, best first, each with its snippet.

        `ORDER BY rank` lets FTS5 rank every match in its own sorter and hand the rows over
        best first, so snippet() runs only for the rows returned (asking for snippets
        afterwards, by id, made FTS5 evaluate the whole query again for each id)."""
        rows = db.execute(
            text(
                f"SELECT d.interaction_id, -bm25(history_fts), {_SQLITE_SNIPPET} "
                "FROM history_fts JOIN history_documents d "
                "ON d.fts_rowid = history_fts.rowid AND d.tenant_id = :t "
                "WHERE history_fts MATCH :q ORDER BY history_fts.rank LIMIT :n"
            )
            .bindparams(bindparam("t", type_=HistoryDocument.tenant_id.type))
            .columns(column("interaction_id", Uuid), column("score"), column("snippet", String)),
            {"q": self.query, "t": tenant_id, "n": n},
        )
        return [Ranked(i, float(score), highlight(raw)) for i, score, raw in rows]

    def snippets(self, db: Session, tenant_id: uuid.UUID, ids: list[uuid.UUID]) -> dict:
        rows = db.execute(
            text(
                f"SELECT d.interaction_id, {_SQLITE_SNIPPET} "
                "FROM history_fts JOIN history_documents d ON d.fts_rowid = history_fts.rowid "
                "WHERE history_fts MATCH :q AND d.tenant_id = :t AND d.interaction_id IN :ids"
            )
            .bindparams(
                bindparam("ids", expanding=True, type_=HistoryDocument.interaction_id.type),
                bindparam("t", type_=HistoryDocument.tenant_id.type),
            )
            .columns(column("interaction_id", Uuid), column("snippet", String)),
            {"q": self.query, "t": tenant_id, "ids": ids},
        )
        return {interaction_id: highlight(raw) for interaction_id, raw in rows}


class PostgresFullText:
    def __init__(self, terms: list[str]) -> None:
        self.query = " & ".join(f"{t}:*" for t in terms)

    def _tsquery(self):
        # A scalar subquery, computed once per statement. Written inline, a plan made for any
        # query (psycopg prepares a statement run five times on a connection, and PostgreSQL
        # then settles on such a generic plan) parses it again for every row it ranks: about
        # 30% slower at 90,000 documents.
        return select(
            func.to_tsquery(
                literal_column(f"'{TS_CONFIG}'::regconfig"), bindparam("fts_query", self.query)
            )
        ).scalar_subquery()

    def join(self, statement):
        return statement.where(literal_column("history_documents.vector").op("@@")(self._tsquery()))

    def within(self, statement, rowids):
        return statement  # the planner already starts from the contact's interactions

    def score(self):
        return func.ts_rank(literal_column("history_documents.vector"), self._tsquery())

    def top(self, db: Session, tenant_id: uuid.UUID, n: int) -> list[Ranked]:
        """The tenant's n best documents, best first (ids and scores; snippets come after)."""
        score = self.score().label("score")  # ordered by its label: ranked once a row
        rows = db.execute(
            select(HistoryDocument.interaction_id, score)
            .where(HistoryDocument.tenant_id == tenant_id)
            .where(literal_column("history_documents.vector").op("@@")(self._tsquery()))
            .order_by(score.desc())
            .limit(n)
        )
        return [Ranked(i, float(score)) for i, score in rows]

    def snippets(self, db: Session, tenant_id: uuid.UUID, ids: list[uuid.UUID]) -> dict:
        # ShortWord=0: keep short words such as "My" at the edges, as SQLite's snippet does.
        options = f"StartSel={_OPEN}, StopSel={_CLOSE}, MaxWords=30, MinWords=12, ShortWord=0"
        rows = db.execute(
            text(
                "SELECT interaction_id, ts_headline(CAST(:config AS regconfig), body, "
                "to_tsquery(CAST(:config AS regconfig), :q), :options) "
                "FROM history_documents WHERE tenant_id = :t AND interaction_id IN :ids"
            )
            .bindparams(
                bindparam("ids", expanding=True, type_=HistoryDocument.interaction_id.type),
                bindparam("t", type_=HistoryDocument.tenant_id.type),
            )
            .columns(column("interaction_id", Uuid), column("snippet", String)),
            {"config": TS_CONFIG, "q": self.query, "options": options, "t": tenant_id, "ids": ids},
        )
        return {interaction_id: highlight(raw) for interaction_id, raw in rows}


def for_session(db: Session, terms: list[str]) -> SqliteFullText | PostgresFullText:
    if db.get_bind().dialect.name == "sqlite":
        return SqliteFullText(terms)
    return PostgresFullText(terms)
