"""Rows of an import: from cells to contacts, through the same rules as the contacts API.

A row is checked by the API's own request model (types, allowed channels, priority range) and
then created or updated by `contacts.service` (through a `ContactBatch`, which applies the
same rules to many rows and writes them together), which validates and normalises every field.
An empty cell means "no value given": a new contact is created without it, and an existing
contact keeps what it has (an import never clears a field).
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import phonenumbers
from pydantic import ValidationError
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from rapport.contacts import fields
from rapport.contacts import service as contacts_service
from rapport.contacts.models import Contact
from rapport.contacts.schemas import ContactCreate
from rapport.core import timezones
from rapport.core.auth import Actor
from rapport.core.errors import Conflict, FieldError, ValidationFailed
from rapport.duplicates import service as duplicates
from rapport.duplicates.service import Resemblance
from rapport.imports import lists
from rapport.imports.accounts import ImportContacts, audit_created
from rapport.imports.columns import SOURCES, Layout, assemble
from rapport.imports.models import ImportChange, ImportJob, ImportPossibleDuplicate
from rapport.imports.reader import CONTACT_ID, CUSTOM, FULL_NAME
from rapport.tenants.models import Tenant

PHONE_FIELDS = contacts_service.PHONE_FIELDS
MATCH_LABELS = {"email": "email", "phone": "phone or mobile", "external_id": "external id"}


class RowRejected(Exception):
    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{f}: {m}" for f, m in errors))
        self.errors = errors


# Priorities as other systems write them, onto Rapport's 1 (served first) to 5 (served last).
PRIORITY_WORDS = {
    "urgent": 1, "critical": 1, "highest": 1, "high": 2, "normal": 3, "medium": 3,
    "low": 4, "lowest": 5,
}  # fmt: skip
# The row's own contact id, when the file is an export of Rapport; taken off before the
# values are validated as a contact's.
ROW_ID = "__id__"


def values_of(layout: Layout, cells: list[str | None]) -> dict[str, Any]:
    """The row's contact values as the API would receive them; blank cells are left out."""
    raw, aside = assemble(layout, cells)
    sources = raw.pop(SOURCES, {})
    errors: list[tuple[str, str]] = []
    row_id = None
    if CONTACT_ID in raw:
        try:
            row_id = uuid.UUID(raw.pop(CONTACT_ID))
        except ValueError:
            errors.append(("id", "must be the id of a Rapport contact (a UUID), or empty"))
    if FULL_NAME in raw:  # first and last name columns, when the file has them too, win
        first, last = fields.split_full_name(raw.pop(FULL_NAME))
        for field, part in (("first_name", first), ("last_name", last)):
            if part:
                raw.setdefault(field, part)
    if "priority" in raw:
        text = raw["priority"].strip()
        number = int(float(text)) if re.fullmatch(r"\d+(\.0+)?", text) else None
        raw["priority"] = number or PRIORITY_WORDS.get(text.casefold(), text)
    if "time_zone" in raw:
        raw["time_zone"] = timezones.to_iana(raw["time_zone"]) or raw["time_zone"]
    if "preferred_channels" in raw:
        parts = re.split(r"[\s,;|]+", raw["preferred_channels"].strip().lower())
        raw["preferred_channels"] = [p for p in parts if p]
    if "custom_attributes" in raw:
        try:
            raw["custom_attributes"] = json.loads(raw["custom_attributes"])
        except ValueError:
            errors.append(("custom_attributes", 'must be a JSON object, like {"tier": "gold"}'))
    if aside and isinstance(raw.get("custom_attributes", {}), dict):
        raw["custom_attributes"] = {**aside, **raw.get("custom_attributes", {})}
    # Custom fields' cells go as text; each field's type reads it ("yes", "1,200", "a; b").
    custom = {name[len(CUSTOM) :]: raw.pop(name) for name in list(raw) if name.startswith(CUSTOM)}
    if custom:
        raw["custom_fields"] = custom
    try:
        checked = ContactCreate.model_validate(raw)
    except ValidationError as exc:
        errors += lists.named([(_location(e["loc"]), e["msg"]) for e in exc.errors()], raw, sources)
    errors += _numbers_of_another_country(raw, sources, own_record=row_id is not None)
    if errors:
        raise RowRejected(errors)
    values = checked.model_dump(exclude_unset=True)
    if row_id:
        values[ROW_ID] = row_id
    if sources:
        values[SOURCES] = sources
    return values


def _location(loc: tuple) -> str:
    """'email'; an entry of a list as 'phones.2.number', to name its column."""
    if not loc:
        return "row"
    return ".".join(str(p) for p in loc[:3]) if loc[0] in lists.LISTED else str(loc[0])


def _numbers_of_another_country(
    raw: dict[str, Any], sources: dict[str, list[str]], *, own_record: bool = False
) -> list[tuple[str, str]]:
    """Numbers the row's country contradicts, refused rather than stored.

    A number written without its country code is read in the row's country (never in the
    tenant's default one); one that still comes out as another country's (a national prefix
    the parser took for a country code), or one written with another country's code
    (+1 ... in a Brazilian row), contradicts the row. Countries that share a calling code
    (GB and GG, US and CA, IT and VA) do not contradict each other. A row of Rapport's own
    export (it carries the contact's id) holds numbers Rapport accepted already: kept."""
    try:
        country = fields.normalize_country(raw["country"]) if raw.get("country") else None
    except FieldError:
        return []  # reported on its own field; the row is refused anyway
    if not country or own_record:
        return []
    calling_code = phonenumbers.country_code_for_region(country)
    problems = []
    listed = [
        (lists.column_of(f"phones.{n}", sources), e.get("number"))
        for n, e in enumerate(raw.get("phones") or [])
        if isinstance(e, dict) and not e.get("primary")
    ]  # the primaries are the fields
    for field, text in [*((f, raw.get(f)) for f in PHONE_FIELDS), *listed]:
        if not isinstance(text, str) or not text.strip():
            continue
        try:
            phone = fields.parse_phone(field, text, country)
        except FieldError:
            continue  # reported by the contact's rules
        if not phone.e164.startswith(f"+{calling_code}"):
            problems.append((field, f"'{text}' reads as {phone.e164}, a number of another "
                                    f"country than the row's ({fields.country_name(country)}); "
                                    "correct the number or the row's country"))  # fmt: skip
    return problems


class Batch:
    """Rows of one import batch, applied through a `ContactBatch` and written together."""

    def __init__(self, *, db: Session, tenant: Tenant, job: ImportJob, actor: Actor,
                 rows: list[dict[str, Any]]) -> None:  # fmt: skip
        self.db, self.job = db, job
        self.match = job.options.get("match", "email")
        self.actor = actor
        create = job.options.get("accounts", "create") == "create"
        self.contacts = ImportContacts(db=db, tenant=tenant, actor=actor, rows=rows,
                                       create_accounts=create)  # fmt: skip
        self.contacts.load_ids({r[ROW_ID] for r in rows if ROW_ID in r})
        self.accounts_created: list[str] = []
        self._changes: list[tuple[Contact, int, str, dict | None]] = []
        self.possible_duplicates: list[ImportPossibleDuplicate] = []
        self._created_line: dict[uuid.UUID, int] = {}
        # Which line of this file already touched a contact: a contact appears once per file.
        self._line_of: dict[uuid.UUID, int] = dict(
            db.execute(
                select(ImportChange.contact_id, ImportChange.line).where(
                    ImportChange.tenant_id == job.tenant_id,
                    ImportChange.import_id == job.id,
                    ImportChange.contact_id.in_(self.contacts.known_ids()),
                )
            ).all()
        )

    def find_match(self, values: dict[str, Any], row_id: uuid.UUID | None) -> Contact | None:
        """The contact of the row's Rapport id (an export imported back), else of its key."""
        if row_id and (same := self.contacts.with_id(row_id)):
            return same
        if self.match == "email":
            return self.contacts.with_email(values)
        if self.match == "external_id":
            return self.contacts.with_external_id(values)
        found = self.contacts.with_numbers(values)
        if len(found) > 1:
            raise RowRejected([("phone", "matches more than one contact; match by email or id")])
        return found[0] if found else None

    def apply(self, line: int, values: dict[str, Any]) -> str:
        """Stage the row's create or update; 'created', 'updated' or 'unchanged'."""
        values = dict(values)
        existing = self.find_match(values, values.pop(ROW_ID, None))
        sources = dict(values.pop(SOURCES, {}))  # a copy: merging renumbers the entries
        try:
            if existing is None:
                contact = self.contacts.create(values)
                action, before = "created", None
            else:
                if (earlier := self._line_of.get(existing.id)) is not None:
                    label = MATCH_LABELS[self.match]
                    raise RowRejected([_once_per_file(self.match, label, earlier)])
                before = contacts_service.input_values(existing)
                if values.get("custom_attributes"):
                    # Attributes the row names are set; the contact's others stay, as an
                    # import never clears a field.
                    values["custom_attributes"] = {**(existing.custom_attributes or {}),
                                                   **values["custom_attributes"]}  # fmt: skip
                lists.merge_into(existing, values, sources, self.contacts.tenant.default_country)
                changed = self.contacts.update(existing, values)
                contact, action = existing, "updated" if changed else "unchanged"
        except ValidationFailed as exc:
            raise RowRejected(lists.named([(e.field, e.message) for e in exc.errors],
                                          values, sources)) from None  # fmt: skip
        except Conflict as exc:
            raise RowRejected([self._conflict_reason(exc)]) from None
        if account := self.contacts.accept_account(contact.account_id):
            audit_created(self.db, account, self.actor)
            self.accounts_created.append(account.name)
        self._line_of[contact.id] = line
        if action == "created":
            self._created_line[contact.id] = line
        self._changes.append((contact, line, action, before if action == "updated" else None))
        return action

    def _flag_if_familiar(
        self, line: int, contact: Contact, found: dict[uuid.UUID, Resemblance]
    ) -> None:
        """Note a new contact that looks like one already there or an earlier row's.

        Runs once the batch is written, so the database holds this batch's rows too; rows
        after this one are left out, so the answer does not depend on the batch size."""
        for other in self.contacts.sharing_a_number(contact):
            found.setdefault(other.id, Resemblance()).add(*duplicates.SAME_NUMBER)
        earlier = {i: r for i, r in found.items() if self._created_line.get(i, 0) < line}
        if not earlier:
            return
        # The most alike; on a tie, a contact from before the import, then the earliest line.
        lines = {i: self._line_created(i) for i in earlier}
        other_id = max(earlier, key=lambda i: (earlier[i].score, lines[i] is None,
                                               -(lines[i] or 0), str(i)))  # fmt: skip
        self.possible_duplicates.append(ImportPossibleDuplicate(
            tenant_id=self.job.tenant_id, import_id=self.job.id, line=line, contact_id=other_id,
            other_line=lines[other_id], score=round(earlier[other_id].score, 3),
            reasons=earlier[other_id].reasons,
        ))  # fmt: skip

    def _line_created(self, contact_id: uuid.UUID) -> int | None:
        """The line of this file that created the contact, if one did."""
        if contact_id in self._created_line:
            return self._created_line[contact_id]
        earlier = self.db.get(ImportChange, (self.job.tenant_id, self.job.id, contact_id))
        return earlier.line if earlier and earlier.action == "created" else None

    def write(self) -> None:
        """Write the batch's contacts, then what the import did to each (with its new version),
        and note the new ones that look like another contact."""
        self.contacts.write()
        created = [(contact, line) for contact, line, action, _ in self._changes
                   if action == "created"]  # fmt: skip
        neighbours = duplicates.name_neighbours_of(db=self.db, tenant_id=self.job.tenant_id,
                                                   records=[c for c, _ in created])  # fmt: skip
        for contact, line in created:
            self._flag_if_familiar(line, contact, neighbours[contact.id])
        if self._changes:  # one executemany: nothing reads these rows back as objects
            self.db.execute(insert(ImportChange.__table__), [
                {"tenant_id": self.job.tenant_id, "import_id": self.job.id,
                 "contact_id": contact.id, "line": line, "action": action, "before": before,
                 "version_after": contact.version}
                for contact, line, action, before in self._changes
            ])  # fmt: skip
        self._changes.clear()

    def _conflict_reason(self, exc: Conflict) -> tuple[str, str]:
        field = exc.extra.get("field", "row")
        existing = exc.extra.get("existing_contact_id")
        earlier = self._line_of.get(uuid.UUID(existing)) if existing else None
        if earlier is not None:
            return _once_per_file(field, field.replace("_", " "), earlier)
        return field, exc.message


def _once_per_file(field: str, label: str, earlier_line: int) -> tuple[str, str]:
    return field, f"same {label} as line {earlier_line}; a contact may appear once per file"
