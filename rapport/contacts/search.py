"""The agent's search box: one text that may be a name, an email or a phone number."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from rapport.contacts import fields
from rapport.contacts.listing import ContactFilters, list_contacts
from rapport.contacts.models import Contact
from rapport.core.errors import FieldError
from rapport.tenants.models import Tenant


def looks_like_phone(text: str, tenant: Tenant) -> bool:
    """A valid number in any format, national ones read in the tenant's default country."""
    if sum(ch.isdigit() for ch in text) < 5:
        return False
    try:
        fields.parse_phone("q", text, tenant.default_country)
    except FieldError:
        return False
    return True


def search_contacts(
    *,
    db: Session,
    tenant: Tenant,
    text: str | None,
    filters: ContactFilters,
    sort: str = "name",
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[Contact], str | None]:
    """Contacts matching `text` within `filters`.

    A text that parses as a phone number is first looked up exactly (the screen-pop index),
    so '(415) 555-2671' finds the contact stored as +14155552671; when that finds nobody,
    or the text is not a number, it is a prefix of a name, an email or a number's digits.
    """
    text = (text or "").strip()
    if text and not cursor and looks_like_phone(text, tenant):
        rows, next_cursor = list_contacts(
            db=db, tenant=tenant, filters=replace(filters, phone=text), sort=sort, limit=limit
        )
        if rows:
            return rows, next_cursor
    return list_contacts(
        db=db,
        tenant=tenant,
        filters=replace(filters, q=text or None),
        sort=sort,
        limit=limit,
        cursor=cursor,
    )
