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

from rapport.users.models import ApiToken

log = logging.getLogger(__name__)
# A minute's precision is enough to tell a token in use from a forgotten one.
LAST_USED_PRECISION = timedelta(minutes=1)
MAX_NOTED = 100_000  # tokens remembered as recently noted; beyond that the memory starts over


class LastUseRecorder:
    def __init__(self) -> None:
        self._pending: dict[tuple[uuid.UUID, uuid.UUID], datetime] = {}
        # When this process last noted each token: a token verified a moment ago comes from
        # the token cache with the `last_used_at` it had then, so without this every request
        # within the cache's lifetime would write the same minute again.
        self._noted: dict[tuple[uuid.UUID, uuid.UUID], datetime] = {}
        self._lock = threading.Lock()

    def note(self, token: ApiToken, now: datetime) -> bool:
        """Remember a use; True when it is news worth writing."""
        if token.last_used_at is not None and now - token.last_used_at <= LAST_USED_PRECISION:
            return False
        key = (token.tenant_id, token.id)
        noted = self._noted.get(key)
        if noted is not None and now - noted <= LAST_USED_PRECISION:
            return False
        with self._lock:
            if len(self._noted) >= MAX_NOTED:
                self._noted.clear()
            self._noted[key] = now
            self._pending[key] = now
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
