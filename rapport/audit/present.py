"""Audit events as people read them: field labels, readable values, where a change came from."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

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


def event_rows(events: list[AuditEvent]) -> list[EventRow]:
    rows = []
    for event in events:
        changes = [
            Change(field_label(name), readable(pair[0]), readable(pair[1]))
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
