"""Reads that may go to a streaming replica of PostgreSQL (DATABASE_REPLICA_URL).

History, search, the contact list and exports read from the replica, which takes that load
off the primary. A request that wrote reads from the primary, so it sees its own writes; so
does every request while the replica is behind by more than RAPPORT_REPLICA_MAX_LAG_S
seconds or does not answer. The replica is asked for its lag when a read session opens, on
the connection that will serve the reads: one round trip, and no state to go stale.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from rapport.core.db import make_engine, make_session_factory

log = logging.getLogger(__name__)

# Caught up (all WAL received is replayed): no lag, however long since the last write. A
# replica whose replay is paused is not caught up, whatever it has received.
LAG_SQL = text(
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN NULL "
    "WHEN NOT pg_is_wal_replay_paused() "
    "AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


class Replica:
    """A read replica and the rule for when to use it."""

    def __init__(self, url: str, max_lag_s: float, *, engine: Engine | None = None) -> None:
        self.engine = engine or make_engine(url, connect_args={"connect_timeout": 2})
        self.max_lag_s = max_lag_s
        self.session_factory = make_session_factory(self.engine)

    def lag(self, session: Session) -> float | None:
        """Seconds behind the primary; None when it is no replica (promoted, or misconfigured)."""
        value = session.scalar(LAG_SQL)
        return None if value is None else float(value)

    def open(self) -> Session | None:
        """A read-only session on the replica, or None when the primary must answer."""
        session = self.session_factory()
        try:
            session.execute(text("SET TRANSACTION READ ONLY"))
            lag = self.lag(session)
        except DBAPIError as exc:
            session.close()
            log.warning("Replica unavailable, reading from the primary: %s", exc.orig)
            return None
        if lag is None or lag > self.max_lag_s:
            session.close()
            log.info("Replica %s, reading from the primary", "not in recovery"
                     if lag is None else f"{lag:.1f}s behind")  # fmt: skip
            return None
        return session

    def factory_or(self, primary: sessionmaker[Session]) -> Callable[[], Session]:
        """A session factory for a read that runs later (a streamed export): the replica's
        when it is usable now, else the primary's."""
        probe = self.open()
        if probe is None:
            return primary
        probe.close()
        return self.session_factory


def wrote(session: Session) -> bool:
    """Whether this session has written, or holds changes it will write."""
    return bool(session.new or session.dirty or session.deleted or session.info.get("wrote"))


@event.listens_for(Session, "after_flush")
def _remember_the_write(session: Session, _context) -> None:
    session.info["wrote"] = True  # its changes are flushed, no longer new or dirty
