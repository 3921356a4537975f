"""An account's name as words to find it by: folded (no case, no accents), each a prefix
to search (`account_words`). Kept in step on every write of an account through the ORM
(the service, imports, the demo), in the same flush."""

from __future__ import annotations

import re

from sqlalchemy import delete, event, insert, inspect, select
from sqlalchemy.orm import Session

from rapport.accounts.models import Account, AccountWord
from rapport.core.db import starts_with
from rapport.core.text import fold, key_of

_WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 8  # typed words looked up; more only narrow further


def words_of(text: str | None) -> list[str]:
    """The distinct folded words of `text`, in order ("O'Brien Café" → o, brien, cafe), each
    cut to the column (a name of 200 'ﬃ' is one word of 600 letters)."""
    return list(dict.fromkeys(key_of(w, AccountWord.word) for w in _WORD.findall(fold(text))))


def _write(connection, account: Account) -> None:
    rows = [
        {"tenant_id": account.tenant_id, "account_id": account.id, "word": word}
        for word in words_of(account.name)
    ]
    if rows:
        connection.execute(insert(AccountWord), rows)


@event.listens_for(Account, "after_insert")
def _index_new(_mapper, connection, account: Account) -> None:
    _write(connection, account)


@event.listens_for(Account, "after_update")
def _index_renamed(_mapper, connection, account: Account) -> None:
    if not inspect(account).attrs.name.history.has_changes():
        return
    connection.execute(
        delete(AccountWord).where(
            AccountWord.tenant_id == account.tenant_id, AccountWord.account_id == account.id
        )
    )
    _write(connection, account)


def named(db: Session, tenant_id, typed: str):
    """The ids of the tenant's accounts with, for each typed word, a name word starting with
    it: the first word's index probe, narrowed by the others' (None when no word typed)."""
    words = words_of(typed)[:MAX_WORDS]
    if not words:
        return None
    dialect = db.get_bind().dialect.name

    def probe(word: str):
        return select(AccountWord.account_id).where(
            AccountWord.tenant_id == tenant_id, starts_with(AccountWord.word, word, dialect)
        )

    found = probe(words[0])
    for word in words[1:]:
        found = found.where(AccountWord.account_id.in_(probe(word)))
    return found
