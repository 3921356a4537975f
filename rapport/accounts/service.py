"""Accounts: what contacts belong to, chosen by agents by their Account Identifier."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session

from rapport.accounts import names
from rapport.accounts.models import Account
from rapport.audit import service as audit
from rapport.contacts.models import Contact
from rapport.core.auth import Actor
from rapport.core.db import starts_with
from rapport.core.errors import Conflict, FieldCollector, FieldError, NotFound, check_version
from rapport.core.ids import new_id
from rapport.core.pagination import as_text, decode_cursor, encode_cursor, past_cursor
from rapport.core.text import clean_text, fold, key_of


def get(*, db: Session, tenant_id: uuid.UUID, account_id: uuid.UUID) -> Account:
    account = db.get(Account, (tenant_id, account_id))
    if account is None:
        raise NotFound("Account not found.")
    return account


def find(*, db: Session, tenant_id: uuid.UUID, reference: str) -> Account | None:
    """An account by its id or its identifier (any case)."""
    try:
        account = db.get(Account, (tenant_id, uuid.UUID(reference)))
        if account is not None:
            return account
    except ValueError:
        pass
    key = reference.strip().casefold()
    return db.scalar(
        select(Account).where(Account.tenant_id == tenant_id, Account.identifier_key == key)
    )


def contact_count(*, db: Session, tenant_id: uuid.UUID, account_id: uuid.UUID) -> int:
    return db.scalar(
        select(func.count())
        .select_from(Contact)
        .where(Contact.tenant_id == tenant_id, Contact.account_id == account_id)
    )


def list_accounts(
    *,
    db: Session,
    tenant_id: uuid.UUID,
    q: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[Account], str | None]:
    """Ordered by identifier. `q`: a prefix of the identifier, or words each starting a word
    of the name ("acme plu" finds "Acme Plumbing"); case ignored, and accents in names."""
    query = select(Account).where(Account.tenant_id == tenant_id)
    ordered = Account.identifier_key
    if q and q.strip():
        dialect = db.get_bind().dialect.name
        # Index probes, their ids united (an OR of them is planned as a scan of the accounts).
        found = [
            select(Account.id).where(
                Account.tenant_id == tenant_id,
                starts_with(Account.identifier_key, fold(q.strip()), dialect),
            )
        ]
        by_name = names.named(db, tenant_id, q)
        if by_name is not None:
            found.append(by_name)
        query = query.where(Account.id.in_(union_all(*found)))
        if dialect == "sqlite":  # sort the few found, not walk every account in order
            ordered = Account.identifier_key.concat("")
    if cursor:
        key, last = decode_cursor(cursor, as_text, uuid.UUID)
        query = query.where(past_cursor((Account.identifier_key, Account.id), (key, last)))
    rows = list(db.scalars(query.order_by(ordered, Account.id).limit(limit + 1)))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor([rows[-1].identifier_key, str(rows[-1].id)])
    return rows, next_cursor


def _clean(values: dict) -> dict:
    errors = FieldCollector()
    clean: dict = {}
    for field, limit, required in (
        ("identifier", 100, True),
        ("name", 200, True),
        ("description", 5000, False),
    ):
        if field not in values:
            continue
        try:
            text = clean_text(field, values[field], limit, multiline=field == "description")
        except FieldError as exc:
            errors.add(exc.field, exc.message)
            continue
        if required and not text:
            errors.add(field, "must not be empty")
        clean[field] = text
    errors.raise_if_any()
    if clean.get("identifier"):
        clean["identifier_key"] = key_of(clean["identifier"].casefold(), Account.identifier_key)
    return clean


def _ensure_identifier_free(
    db: Session, tenant_id: uuid.UUID, key: str, except_id: uuid.UUID | None = None
) -> None:
    existing = db.scalar(
        select(Account).where(Account.tenant_id == tenant_id, Account.identifier_key == key)
    )
    if existing is not None and existing.id != except_id:
        raise Conflict(
            f"Account identifier '{existing.identifier}' is already used by '{existing.name}'.",
            existing_account_id=str(existing.id),
        )


def snapshot(account: Account) -> dict:
    return {f: getattr(account, f) for f in ("identifier", "name", "description")}


def _audit(db: Session, account: Account, actor: Actor | None, action: str, before, after):
    audit.record(
        db=db, tenant_id=account.tenant_id, actor=actor, action=action, record_type="account",
        record_id=account.id, label=account.identifier, before=before, after=after,
    )  # fmt: skip


def create(
    *, db: Session, tenant_id: uuid.UUID, values: dict, actor: Actor | None = None
) -> Account:
    clean = _clean({"identifier": None, "name": None, **values})
    _ensure_identifier_free(db, tenant_id, clean["identifier_key"])
    account = Account(tenant_id=tenant_id, id=new_id(), **clean)
    db.add(account)
    db.flush()
    _audit(db, account, actor, "create", None, snapshot(account))
    return account


def update(
    *,
    db: Session,
    account: Account,
    changes: dict,
    expected_version: int | None = None,
    actor: Actor | None = None,
) -> Account:
    check_version(account.version, expected_version)
    clean = _clean(changes)
    if "identifier_key" in clean:
        _ensure_identifier_free(db, account.tenant_id, clean["identifier_key"], account.id)
    before = snapshot(account)
    for field, value in clean.items():
        setattr(account, field, value)
    db.flush()
    _audit(db, account, actor, "update", before, snapshot(account))
    return account


def delete(
    *,
    db: Session,
    account: Account,
    expected_version: int | None = None,
    actor: Actor | None = None,
) -> None:
    check_version(account.version, expected_version)
    count = contact_count(db=db, tenant_id=account.tenant_id, account_id=account.id)
    if count:
        noun = "contact" if count == 1 else "contacts"
        raise Conflict(
            f"Account '{account.identifier}' still has {count} {noun}; move or delete them first.",
            contact_count=count,
        )
    _audit(db, account, actor, "delete", snapshot(account), None)
    db.delete(account)
    db.flush()
