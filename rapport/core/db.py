"""Database engine, sessions and the declarative base shared by every domain."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import DateTime, MetaData, Uuid, and_, create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.orm.instrumentation import manager_of_class
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC and always hands back timezone-aware datetimes, on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


_LIKE_SPECIALS = str.maketrans({"/": "//", "%": "/%", "_": "/_"})


def like_literal(text_: str) -> str:
    """`text_` as literal characters of a LIKE pattern written with `escape="/"`."""
    return text_.translate(_LIKE_SPECIALS)


def starts_with(column, prefix: str, dialect: str):
    """`column` starts with `prefix`, written so that an index on the column answers it.

    SQLite's LIKE ignores case and so cannot use a plain index: there the prefix is a range
    (`>= 'abc' AND < 'abd'`, exact under its binary, code-point order). PostgreSQL keeps
    LIKE, answered by the `text_pattern_ops` indexes (its database collation is not "C").
    """
    if dialect != "sqlite":
        return column.startswith(prefix, autoescape=True)
    if not prefix or ord(prefix[-1]) >= 0x10FFFF:
        return and_(prefix_range(column, prefix), column.startswith(prefix, autoescape=True))
    return prefix_range(column, prefix)


def prefix_range(column, prefix: str):
    """`column >= 'abc' AND column < 'abd'`: the texts starting with `prefix` in code-point
    order, which a plain index answers (without an upper bound when none can be written)."""
    if not prefix or ord(prefix[-1]) >= 0x10FFFF:
        return column >= prefix
    return and_(column >= prefix, column < prefix[:-1] + chr(ord(prefix[-1]) + 1))


_Row = TypeVar("_Row")


def built(model: type[_Row], values: dict[str, Any]) -> _Row:
    """A new row object holding every column's value, as `model(**values)` would, without an
    attribute event per value: for rows written whole and never diffed (a contact and its
    list rows, a message), where those events were most of building them."""
    row = manager_of_class(model).new_instance()
    row.__dict__.update(values)
    return row


class TenantOwned:
    """Mixin: `tenant_id` leads the primary key of every tenant-owned table (see DESIGN.md)."""

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Take transaction control away from pysqlite so that BEGIN is ours to issue.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        # Per transaction: Session.connection(execution_options={"sqlite_begin": "IMMEDIATE"}).
        mode = connection.get_execution_options().get("sqlite_begin") or connection.info.get(
            "sqlite_begin", "DEFERRED"
        )
        connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str, **kwargs) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def refresh_statistics(db: Session, *tables: str) -> None:
    """Let PostgreSQL plan again for tables that just grew a lot.

    Its foreign-key checks keep the plan they chose when a table was nearly empty (a scan),
    so a large import into a fresh table slows with every row until the table is analyzed.
    SQLite plans each statement afresh and needs nothing.
    """
    if db.get_bind().dialect.name == "postgresql":
        for table in tables:
            db.execute(text(f'ANALYZE "{table}"'))
