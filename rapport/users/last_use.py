"""When each API token was last used, recorded outside the request that used it.

Writing `last_used_at` inside a read turned every read into a write: on SQLite a read then
waited for, or failed on, the write lock held by anyone creating contacts. Uses are noted in
memory (at most once per token per LAST_USED_PRECISION) and written after the response in one
short transaction of their own; if the database is busy, they wait for the next flush."""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.attributes import set_committed_value

from rapport.users.models import ApiToken

log = logging.getLogger(__name__)
# A minute's precision is enough to tell a token in use from a forgotten one.
LAST_USED_PRECISION = timedelta(minutes=1)


class LastUseRecorder:
    def __init__(self) -> None:
        self._pending: dict[tuple[uuid.UUID, uuid.UUID], datetime] = {}
        self._lock = threading.Lock()

    def note(self, token: ApiToken, now: datetime) -> bool:
        """Remember a use; True when it is news worth writing."""
        if token.last_used_at is not None and now - token.last_used_at <= LAST_USED_PRECISION:
            return False
        with self._lock:
            self._pending[(token.tenant_id, token.id)] = now
        # The token in hand (often the verified-token cache's copy, shared by the requests of
        # the next seconds) now says so too, without marking it changed: those requests
        # note nothing again, and no UPDATE joins the request's own transaction.
        set_committed_value(token, "last_used_at", now)
        return True

    def flush(self, session_factory: sessionmaker[Session]) -> int:
        """Write the noted uses; returns how many. A busy database keeps them for later."""
        with self._lock:
            pending, self._pending = self._pending, {}
        if not pending:
            return 0
        session = session_factory(execution_options={"sqlite_begin": "IMMEDIATE"})
        try:
            for (tenant_id, token_id), at in pending.items():
                session.execute(
                    update(ApiToken)
                    .where(ApiToken.tenant_id == tenant_id, ApiToken.id == token_id)
                    .where(or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < at))
                    .values(last_used_at=at)
                )
            session.commit()
        except OperationalError:
            session.rollback()
            log.info("token use not recorded yet: the database is busy")
            with self._lock:
                for key, at in pending.items():
                    self._pending.setdefault(key, at)
            return 0
        finally:
            session.close()
        return len(pending)
