"""Audit events as people read them: field labels, readable values, where a change came from."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rapport.accounts.models import Account
from rapport.audit.models import AuditEvent
from rapport.contacts.forms import LABELS

VIA_LABELS = {"api": "API", "ui": "Web", "cli": "CLI", "import": "Import", "system": "System"}
ACTION_LABELS = {
    "create": "Created",
    "update": "Changed",
    "delete": "Deleted",
    "merge": "Merged",
    "import": "Imported",
    "erase": "Erased",
    "disable": "Switched off",
}
FIELD_LABELS = {
    **LABELS,
    "account_id": "Account",
    "merged_into": "Merged into",
    "erased": "Erased records",
}
EMPTY = "(empty)"
GONE = "(deleted account)"
# Fields whose stored value is an account's id: shown by the account's name.
ACCOUNT_FIELDS = ("account_id",)


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name) or name.replace("_", " ").capitalize()


def readable(value: Any) -> str:
    """One value of a diff as text: lists joined, mappings as compact JSON, None as (empty)."""
    if value in (None, "", [], {}):
        return EMPTY
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class EventRow:
    event: AuditEvent
    action: str
    via: str
    changes: list[Change]


def account_names(db: Session, tenant_id: uuid.UUID, events: list[AuditEvent]) -> dict[str, str]:
    """'IDENT — Name' of every account an account field of these events points to, in one read.
    An account deleted since keeps its id out of sight: it reads "(deleted account)"."""
    ids: set[uuid.UUID] = set()
    for event in events:
        for name in ACCOUNT_FIELDS:
            for value in (event.changes or {}).get(name) or ():
                try:
                    ids.add(uuid.UUID(str(value)))
                except ValueError:
                    continue
    if not ids:
        return {}
    rows = db.execute(
        select(Account.id, Account.identifier, Account.name).where(
            Account.tenant_id == tenant_id, Account.id.in_(ids)
        )
    ).all()
    names = {str(i): GONE for i in ids}
    names.update({str(i): f"{ident} — {name}" for i, ident, name in rows})
    return names


def _value(name: str, value: Any, accounts: dict[str, str]) -> str:
    if name in ACCOUNT_FIELDS and value not in (None, ""):
        return accounts.get(str(value), GONE)
    return readable(value)


def event_rows(events: list[AuditEvent], accounts: dict[str, str] | None = None) -> list[EventRow]:
    """Events as rows to read; `accounts` (from account_names) names the accounts they mention."""
    accounts = accounts or {}
    rows = []
    for event in events:
        changes = [
            Change(
                field_label(name), _value(name, pair[0], accounts), _value(name, pair[1], accounts)
            )
            for name, pair in sorted((event.changes or {}).items())
            if isinstance(pair, list | tuple) and len(pair) == 2
        ]
        # None -> {} is a change to the database but not to anyone reading it.
        changes = [c for c in changes if c.before != c.after]
        rows.append(
            EventRow(
                event=event,
                action=ACTION_LABELS.get(event.action, event.action.capitalize()),
                via=VIA_LABELS.get(event.via, event.via),
                changes=changes,
            )
        )
    return rows
