"""Likely duplicates: the same email, the same number, or a very similar name in the same
account or city. Candidates are found by index look-ups and compared with rapidfuzz."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import (
    Integer,
    String,
    bindparam,
    func,
    literal_column,
    or_,
    select,
    text,
    tuple_,
    type_coerce,
    union,
    union_all,
)
from sqlalchemy.orm import Session

from rapport.accounts import service as accounts_service
from rapport.contacts import service as contacts_service
from rapport.contacts.fields import normalize_email, parse_phone
from rapport.contacts.models import Contact, ContactPoint
from rapport.contacts.service import display_name_of
from rapport.core.errors import FieldError, ValidationFailed
from rapport.core.text import fold
from rapport.tenants.models import Tenant

NAME_THRESHOLD = 88  # token-sort similarity (0-100) that counts as "very similar"
NEIGHBOURS = 8  # how far apart, in name order within an account or city, pairs are compared
PHONE_KINDS = ("phone", "mobile")
SAME_NUMBER = (0.9, "same phone number")  # (score, reason)


@dataclass
class Resemblance:
    """How much a record looks like another (0 to 1), and why."""

    score: float = 0.0
    reasons: list[str] = field(default_factory=list)

    def add(self, score: float, reason: str) -> None:
        self.score = max(self.score, score)
        if reason not in self.reasons:
            self.reasons.append(reason)


@dataclass
class Match(Resemblance):
    contact: Contact | None = None


def name_similarity(a: str, b: str) -> float:
    """0-100; word order does not matter ('Smith John' ~ 'John Smith')."""
    return fuzz.token_sort_ratio(fold(a), fold(b)) if a and b else 0.0


def full_name(record) -> str:
    get = record.get if isinstance(record, dict) else lambda f: getattr(record, f)
    return " ".join(p for p in (get("first_name"), get("last_name")) if p)


def comparable_record(*, db: Session, tenant: Tenant, values: dict) -> dict:
    """Normalised values to compare; while the form still has errors, each valid field alone."""
    try:
        return contacts_service.normalize(db=db, tenant=tenant, values=values)
    except ValidationFailed:
        pass
    record = {"first_name": values.get("first_name"), "last_name": values.get("last_name"),
              "city": (values.get("city") or "").strip() or None}  # fmt: skip
    with suppress(FieldError):
        record["email_key"] = normalize_email("email", values.get("email") or "")[1]
    for kind in PHONE_KINDS:
        with suppress(FieldError):
            record[kind] = parse_phone(kind, values.get(kind) or "", tenant.default_country).e164
    if values.get("account"):
        account = accounts_service.find(db=db, tenant_id=tenant.id, reference=values["account"])
        record["account_id"] = account.id if account else None
    return record


def find_for(
    *,
    db: Session,
    tenant_id: uuid.UUID,
    record: dict | Contact,
    exclude_id: uuid.UUID | None = None,
    limit: int = 10,
) -> list[Match]:
    """Contacts that look like `record` (normalised values or a contact), best first."""
    get = record.get if isinstance(record, dict) else lambda f: getattr(record, f, None)
    matches: dict[uuid.UUID, Match] = {}

    def note(contact: Contact, score: float, reason: str) -> None:
        if contact.id != exclude_id:
            matches.setdefault(contact.id, Match(contact=contact)).add(score, reason)

    base = select(Contact).where(Contact.tenant_id == tenant_id)
    # Every number and email of the record, not only the primaries.
    points = get("_points") if isinstance(record, dict) else record.points
    emails = {get("email_key")} | {p.value for p in points or () if p.kind == "email"}
    emails.discard(None)
    if emails:  # one probe of the contact points, which hold every contact's emails
        with_email = select(ContactPoint.contact_id).where(
            ContactPoint.tenant_id == tenant_id,
            ContactPoint.value.in_(sorted(emails)),
            ContactPoint.kind == "email",
        )
        for contact in db.scalars(base.where(Contact.id.in_(with_email))):
            note(contact, 1.0, "same email")
    numbers = {get(kind) for kind in PHONE_KINDS if get(kind)}
    numbers |= {p.value for p in points or () if p.kind in PHONE_KINDS}
    numbers = sorted(numbers)
    if numbers:
        with_number = select(ContactPoint.contact_id).where(
            ContactPoint.tenant_id == tenant_id,
            ContactPoint.value.in_(numbers),
            ContactPoint.kind.in_(PHONE_KINDS),
        )
        for contact in db.scalars(base.where(Contact.id.in_(with_number))):
            note(contact, *SAME_NUMBER)
    name = full_name(record)
    places = []
    if get("account_id"):
        places.append((Contact.account_id == get("account_id"), "same account"))
    if get("city"):
        places.append((Contact.city == get("city"), "same city"))
    if name and places:
        for condition, reason in places:
            for contact in db.scalars(base.where(condition).limit(5000)):
                similarity = name_similarity(name, full_name(contact))
                if similarity >= NAME_THRESHOLD:
                    note(contact, *similar_name(similarity, reason))
    ranked = sorted(matches.values(), key=lambda m: (-m.score, display_name_of(m.contact)))
    return ranked[:limit]


# Both name orders, as in the duplicates view: a typo early in one name moves it away from its
# twin in one order but not in the other.
NAME_ORDERS = ((Contact.last_key, Contact.first_key), (Contact.first_key, Contact.last_key))
PLACES = ((Contact.account_id, "same account"), (Contact.city, "same city"))


def _near(place: str, n: int | str):
    """The probes of one record (its values bound as `name_n`): the contacts just before and
    after its name in each name order, in its place, at most NEIGHBOURS // 2 each."""
    column = getattr(Contact, place)
    keys = {"first_key": bindparam(f"first_key_{n}"), "last_key": bindparam(f"last_key_{n}")}
    near = select(Contact.id, Contact.first_name, Contact.last_name).where(
        Contact.tenant_id == bindparam("tenant_id"),
        column == bindparam(f"place_{n}"),
        Contact.id != bindparam(f"contact_id_{n}"),
    )
    probes = []
    for order in NAME_ORDERS:
        here = tuple_(*(keys[c.key] for c in order))
        probes += [
            near.where(tuple_(*order) >= here).order_by(*order),
            near.where(tuple_(*order) < here).order_by(*(c.desc() for c in order)),
        ]
    return union(*(select(q.limit(NEIGHBOURS // 2).subquery()) for q in probes))


@cache
def _neighbours_query(place: str, records: int):
    """For one place column and that many records, one statement (built once per size; its
    values are bound on each call): each row of the answer says which record it is near."""
    arms = []
    for n in range(records):
        near = _near(place, n).subquery()
        which = literal_column(str(n), Integer).label("n")
        # The id as the driver gives it (SQLite: hex text): only the few alike become UUIDs.
        contact_id = type_coerce(near.c.id, String).label("id")
        arms.append(select(which, contact_id, near.c.first_name, near.c.last_name))
    return arms[0] if records == 1 else union_all(*arms)


# Records probed per statement: fewer round trips; PostgreSQL plans a statement of 50 records
# more slowly than 50 of one (0.5 ms of planning per record), so a few at a time.
RECORDS_PER_STATEMENT = 10


def name_neighbours(
    *, db: Session, tenant_id: uuid.UUID, record: Contact
) -> dict[uuid.UUID, Resemblance]:
    """Contacts with a very similar name in the same account or city: the few just before
    and after the record in each name order, read from the name-ordered indexes in one
    statement per place, so it is cheap enough for every row of an import."""
    return name_neighbours_of(db=db, tenant_id=tenant_id, records=[record])[record.id]


def name_neighbours_of(
    *, db: Session, tenant_id: uuid.UUID, records: list[Contact]
) -> dict[uuid.UUID, dict[uuid.UUID, Resemblance]]:
    """`name_neighbours` of many records, with a statement per place for many records."""
    found: dict[uuid.UUID, dict[uuid.UUID, Resemblance]] = {r.id: {} for r in records}
    named = [(r, fold(name)) for r in records if (name := full_name(r))]  # folded once
    # The records of a batch are near the same few contacts, each read back many times.
    folded: dict[tuple[str | None, str | None], str] = {}
    postgresql = db.get_bind().dialect.name == "postgresql"
    if postgresql and named:
        # The probes' statements, prepared by the driver once run a few times, keep one plan
        # for any values instead of being planned again on every run (PostgreSQL kept
        # choosing to, about 0.6 ms a record): they read the same name-ordered index whatever
        # the values, with the same answers. Only until the loop ends.
        db.execute(text("SET LOCAL plan_cache_mode = force_generic_plan"))
    for column, reason in PLACES:
        placed = [(r, name) for r, name in named if getattr(r, column.key)]
        for start in range(0, len(placed), RECORDS_PER_STATEMENT):
            chunk = placed[start : start + RECORDS_PER_STATEMENT]
            values: dict[str, Any] = {"tenant_id": tenant_id}
            for n, (record, _name) in enumerate(chunk):
                values |= {f"contact_id_{n}": record.id, f"place_{n}": getattr(record, column.key),
                           f"first_key_{n}": fold(record.first_name or ""),
                           f"last_key_{n}": fold(record.last_name or "")}  # fmt: skip
            query = _neighbours_query(column.key, len(chunk))
            for n, contact_id, first_name, last_name in db.execute(query, values).all():
                record, name = chunk[n]
                key = (first_name, last_name)
                if key not in folded:
                    folded[key] = fold(" ".join(p for p in key if p))
                # Below the cutoff it answers 0 sooner; at or above it, the same score.
                similarity = (fuzz.token_sort_ratio(name, folded[key], score_cutoff=NAME_THRESHOLD)
                              if first_name or last_name else 0.0)  # fmt: skip
                if similarity >= NAME_THRESHOLD:
                    contact_id = _as_uuid(contact_id)
                    found[record.id].setdefault(contact_id, Resemblance()).add(
                        *similar_name(similarity, reason)
                    )
    if postgresql and named:
        db.execute(text("SET LOCAL plan_cache_mode TO DEFAULT"))
    return found


def _as_uuid(value: uuid.UUID | str) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


def similar_name(similarity: float, place: str) -> tuple[float, str]:
    """The score and reason of a similar name in the same place."""
    return 0.8 * similarity / 100, f"similar name ({similarity:.0f}%), {place}"


@dataclass
class Pair:
    first: Contact
    second: Contact
    score: float
    reasons: list[str]


def _shared_numbers(db: Session, tenant_id: uuid.UUID) -> Iterator[tuple[uuid.UUID, uuid.UUID]]:
    shared = (
        select(ContactPoint.value)
        .where(ContactPoint.tenant_id == tenant_id, ContactPoint.kind.in_(PHONE_KINDS))
        .group_by(ContactPoint.value)
        .having(func.count(func.distinct(ContactPoint.contact_id)) > 1)
    )
    rows = db.execute(
        select(ContactPoint.value, ContactPoint.contact_id)
        .where(
            ContactPoint.tenant_id == tenant_id,
            ContactPoint.kind.in_(PHONE_KINDS),
            ContactPoint.value.in_(shared),
        )
        .order_by(ContactPoint.value, ContactPoint.contact_id)
    )
    group: list[uuid.UUID] = []
    current = None
    for value, contact_id in rows:
        if value != current:
            group, current = [], value
        for other in group:
            if other != contact_id:
                yield other, contact_id
        group.append(contact_id)


def _similar_names(
    db: Session, tenant_id: uuid.UUID, block, name_order: tuple
) -> Iterator[tuple[uuid.UUID, uuid.UUID, float]]:
    """Sorted neighbourhood: within each account (or city), compare each contact with the
    few before it in name order, so the work grows with the number of contacts, not its square."""
    rows = db.execute(
        select(block, Contact.id, Contact.first_name, Contact.last_name)
        .where(Contact.tenant_id == tenant_id, block.is_not(None))
        .where(or_(Contact.first_name.is_not(None), Contact.last_name.is_not(None)))
        .order_by(block, *name_order, Contact.id)
        .execution_options(yield_per=2000)
    )
    window: list[tuple[uuid.UUID, str]] = []
    current = object()
    for key, contact_id, first, last in rows:
        if key != current:
            window, current = [], key
        name = " ".join(p for p in (first, last) if p)
        for other_id, other_name in window:
            similarity = name_similarity(name, other_name)
            if similarity >= NAME_THRESHOLD:
                yield other_id, contact_id, similarity
        window = [*window[-(NEIGHBOURS - 1) :], (contact_id, name)]


def list_pairs(*, db: Session, tenant_id: uuid.UUID, limit: int = 50) -> list[Pair]:
    """Candidate pairs across the tenant, ranked by score, with the reasons."""
    scores: dict[tuple[uuid.UUID, uuid.UUID], tuple[float, list[str]]] = {}

    def note(a: uuid.UUID, b: uuid.UUID, score: float, reason: str) -> None:
        key = (min(a, b), max(a, b))
        best, reasons = scores.get(key, (0.0, []))
        scores[key] = (max(best, score), reasons if reason in reasons else [*reasons, reason])

    for a, b in _shared_numbers(db, tenant_id):
        note(a, b, *SAME_NUMBER)
    # Two passes, by last then first name and the other way round: a typo early in one name
    # moves it away in one order but not in the other.
    orders = ((Contact.last_key, Contact.first_key), (Contact.first_key, Contact.last_key))
    for block, reason in ((Contact.account_id, "same account"), (Contact.city, "same city")):
        for order in orders:
            for a, b, similarity in _similar_names(db, tenant_id, block, order):
                note(a, b, *similar_name(similarity, reason))

    best = sorted(scores.items(), key=lambda item: -item[1][0])[:limit]
    ids = {contact_id for key, _ in best for contact_id in key}
    contacts = {
        c.id: c
        for c in db.scalars(
            select(Contact).where(Contact.tenant_id == tenant_id, Contact.id.in_(ids))
        )
    }
    return [
        Pair(contacts[a], contacts[b], round(score, 3), reasons)
        for (a, b), (score, reasons) in best
        if a in contacts and b in contacts
    ]
