"""Finding contacts: the list's filters, sort orders and keyset pages (API, pages, exports,
search)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from rapport.accounts import service as accounts_service
from rapport.contacts import fields
from rapport.contacts.models import Contact, ContactAddress, ContactPoint
from rapport.core.db import prefix_range, starts_with
from rapport.core.errors import FieldError, ValidationFailed
from rapport.core.pagination import as_datetime, as_text, decode_cursor, encode_cursor, past_cursor
from rapport.core.text import fold
from rapport.customfields import query as cf_query
from rapport.tenants.models import Tenant


@dataclass
class ContactFilters:
    account: str | None = None
    priority: int | None = None
    country: str | None = None
    phone: str | None = None
    email: str | None = None
    q: str | None = None
    # `cf.KEY=value`, `cf.KEY[lt]=value`: conditions on custom fields (customfields.query).
    custom: list[cf_query.Condition] = dataclass_field(default_factory=list)


SORTS = ("name", "-updated", "updated", "-name")  # and "cf.KEY" / "-cf.KEY"


def _phone_condition(db: Session, tenant: Tenant, text: str):
    try:
        phone = fields.parse_phone("query.phone", text, tenant.default_country)
    except FieldError as exc:
        raise ValidationFailed([exc]) from None
    # IN (one index probe on contact_points) rather than EXISTS per contact row.
    matching = select(ContactPoint.contact_id).where(
        ContactPoint.tenant_id == tenant.id,
        ContactPoint.value == phone.e164,
        # Not IN: an expanding parameter is rendered again on every execution.
        or_(ContactPoint.kind == "phone", ContactPoint.kind == "mobile"),
    )
    return Contact.id.in_(matching)


def _email_prefix_ids(tenant: Tenant, folded: str):
    """Contacts with any email starting with `folded`: one range probe of the look-up index
    (tenant, value, ...) on contact_points. The range is the prefix in code-point order (SQLite,
    PostgreSQL's C and C.UTF-8 collations); LIKE keeps the answer exact under any other."""
    return select(ContactPoint.contact_id).where(
        ContactPoint.tenant_id == tenant.id,
        prefix_range(ContactPoint.value, folded),
        ContactPoint.kind == "email",
        ContactPoint.value.startswith(folded, autoescape=True),
    )


def _q_condition(tenant: Tenant, text: str, dialect: str):
    """Contacts whose name, display name or email starts with `text` (folded), or one of whose
    numbers holds its digits: each an index probe, their ids united. (One OR of the same
    conditions is planned by SQLite as a walk of every contact of the tenant.)"""
    folded = fold(text.strip())
    found = [
        select(Contact.id).where(
            Contact.tenant_id == tenant.id, starts_with(column, folded, dialect)
        )
        for column in (Contact.first_key, Contact.last_key, Contact.sort_name)
    ]
    if folded:  # every email, the primary among them
        found.append(_email_prefix_ids(tenant, folded))
    digits = fields.phone_query_digits(text)
    if len(digits) >= 3 and len(digits) * 2 >= len(text.replace(" ", "")):
        national = digits.lstrip("0")
        found.append(
            select(ContactPoint.contact_id).where(
                ContactPoint.tenant_id == tenant.id,
                ContactPoint.kind != "email",
                or_(
                    starts_with(ContactPoint.value, "+" + digits, dialect),
                    starts_with(ContactPoint.national, national, dialect),
                ),
            )
        )
    return Contact.id.in_(union_all(*found))


def _as_sort_value(value: Any) -> Any:
    """A custom field's sort value from a cursor: a number, text or nothing (JSON scalars)."""
    if value is not None and not isinstance(value, str | int | float):
        raise TypeError
    return value


LISTS = {"points": ContactPoint, "addresses": ContactAddress}  # a contact's list rows


def list_contacts(
    *,
    db: Session,
    tenant: Tenant,
    filters: ContactFilters,
    sort: str = "name",
    limit: int = 50,
    cursor: str | None = None,
    with_lists: bool = True,
) -> tuple[list[Contact], str | None]:
    """A page of contacts and the cursor of the next. `with_lists`: load every contact's
    numbers, emails and addresses for the page (two more queries); exports, which carry the
    primaries only, leave them out (building those rows tripled an export's time)."""
    query = select(Contact).where(Contact.tenant_id == tenant.id)
    if filters.account:
        account = accounts_service.find(db=db, tenant_id=tenant.id, reference=filters.account)
        if account is None:
            return [], None
        query = query.where(Contact.account_id == account.id)
    if filters.priority is not None:
        query = query.where(Contact.priority == filters.priority)
    if filters.country:
        try:
            country = fields.normalize_country(filters.country)
        except FieldError as exc:
            raise ValidationFailed([FieldError("query.country", exc.message)]) from None
        query = query.where(Contact.country == country)
    if filters.email:  # any of the contact's emails: one probe of the contact points
        with_email = select(ContactPoint.contact_id).where(
            ContactPoint.tenant_id == tenant.id,
            ContactPoint.value == filters.email.strip().casefold(),
            ContactPoint.kind == "email",
        )
        query = query.where(Contact.id.in_(with_email))
    if filters.phone:
        query = query.where(_phone_condition(db, tenant, filters.phone))
    if filters.q and filters.q.strip():
        query = query.where(_q_condition(tenant, filters.q, db.get_bind().dialect.name))
    for wanted in filters.custom:
        condition = cf_query.condition(
            db=db, tenant_id=tenant.id, wanted=wanted, column=Contact.custom_fields,
            region=tenant.default_country,
        )  # fmt: skip
        query = query.where(condition)

    descending = sort.startswith("-")
    column = Contact.sort_name if sort.lstrip("-") == "name" else Contact.updated_at
    if sort.lstrip("-").startswith("cf."):
        column = cf_query.sort_expression(db=db, tenant_id=tenant.id, column=Contact.custom_fields,
                                          key=sort.lstrip("-")[3:])  # fmt: skip
    if cursor:
        parse_key = as_datetime if column is Contact.updated_at else as_text
        if sort.lstrip("-").startswith("cf."):
            parse_key = _as_sort_value
        key, last = decode_cursor(cursor, parse_key, uuid.UUID)
        query = query.where(past_cursor((column, Contact.id), (key, last), descending=descending))
    ordered = column
    if filters.q and column is Contact.sort_name and db.get_bind().dialect.name == "sqlite":
        # Sort the few the prefix probes find: else SQLite walks every contact of the tenant
        # in name order to skip a sort, testing each (it keeps no statistics to know better).
        ordered = column.concat("")
    order = (ordered.desc(), Contact.id.desc()) if descending else (ordered, Contact.id)
    if column is Contact.sort_name or column is Contact.updated_at:
        rows = list(db.scalars(query.order_by(*order).limit(limit + 1)).unique())
        keys = [getattr(row, column.key) for row in rows]
    else:  # a custom field: its sort value comes back beside each row, for the cursor
        pairs = list(db.execute(query.add_columns(column).order_by(*order).limit(limit + 1)))
        rows, keys = [p[0] for p in pairs], [p[1] for p in pairs]
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last_row = rows[-1]
        key = keys[limit - 1]
        next_cursor = encode_cursor(
            [key.isoformat() if isinstance(key, datetime) else key, str(last_row.id)]
        )
    if with_lists:  # not joined: with LIMIT that is a subquery Citus sends to every shard
        load_lists(db, tenant.id, rows)
    return rows, next_cursor


def load_lists(
    db: Session,
    tenant_id: uuid.UUID,
    contacts: list[Contact],
    names: tuple[str, ...] = tuple(LISTS),
) -> None:
    """Every number, email and address of these contacts (`names`: which lists), one query
    per list for all. Not selectinload: its `(tenant_id, contact_id) IN (pairs)` is a full
    scan on SQLite, where `tenant_id = ? AND contact_id IN (...)` probes the primary key."""
    ids = [c.id for c in contacts]
    if not ids:
        return
    for name in names:
        model = LISTS[name]
        found: dict[uuid.UUID, list] = {i: [] for i in ids}
        query = select(model).where(model.tenant_id == tenant_id, model.contact_id.in_(ids))
        for row in db.scalars(query.order_by(model.contact_id, model.position)):
            found[row.contact_id].append(row)
        for contact in contacts:
            set_committed_value(contact, name, found[contact.id])
