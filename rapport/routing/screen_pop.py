"""Screen pop: everything the workspace shows the moment an agent accepts a workitem."""

from __future__ import annotations

import re
from email.utils import parseaddr
from typing import Any

import phonenumbers
from phonenumbers import PhoneNumberType
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rapport.contacts import fields
from rapport.contacts.models import Contact, ContactPoint
from rapport.contacts.service import display_name_of
from rapport.core.text import fold
from rapport.duplicates import service as duplicates
from rapport.interactions import addresses
from rapport.interactions.models import Interaction
from rapport.notes.models import Note
from rapport.tenants.models import Tenant

RECENT = 5  # notes and interactions shown beside the contact
_NAME = re.compile(r"^[^\W\d_]+(?:[ ,'.-]+[^\W\d_]+)*$")


def relink(*, db: Session, tenant: Tenant, interaction: Interaction) -> None:
    """An unlinked interaction may match a contact created since it arrived: link it now."""
    if interaction.contact_id is not None:
        return
    address = addresses.Address(interaction.address, addresses.kind_of(interaction.address))
    matches = addresses.matching_contacts(db=db, tenant_id=tenant.id, address=address)
    interaction.match_count = len(matches)
    if len(matches) == 1:
        interaction.contact_id = matches[0]
    db.flush()


def screen_pop(*, db: Session, tenant: Tenant, interaction: Interaction) -> dict[str, Any]:
    """{"match": "one"|"many"|"none", ...}: the contact with its account, last notes and
    interactions; or the ranked candidates; or a new contact pre-filled from the interaction."""
    if interaction.contact_id is not None:
        contact = db.get(Contact, (tenant.id, interaction.contact_id))
        used = reached_on(db, contact, interaction)
        return {"match": "one", "contact": contact, "reached_on": used,
                **recent_history(db, contact, interaction)}  # fmt: skip
    candidates = ranked_candidates(db=db, tenant=tenant, interaction=interaction)
    if candidates:
        return {"match": "many", "candidates": candidates}
    return {"match": "none", "suggested_contact": suggest_contact(tenant, interaction)}


def reached_on(db: Session, contact: Contact, interaction: Interaction) -> dict[str, str] | None:
    """Which of the contact's numbers or emails the workitem came from, with its label: a
    contact may have several, and the agent should know which one the caller used."""
    point = db.scalar(select(ContactPoint).where(
        ContactPoint.tenant_id == contact.tenant_id, ContactPoint.contact_id == contact.id,
        ContactPoint.value == interaction.address,
    ).limit(1))  # fmt: skip
    if point is None:
        return None
    shown = point.value if point.kind == "email" else (
        fields.display_phone(point.value, contact.country) or point.value)  # fmt: skip
    return {"value": point.value, "shown": shown, "label": point.label, "kind": point.kind}


def recent_history(db: Session, contact: Contact, current: Interaction) -> dict[str, Any]:
    notes = db.scalars(
        select(Note)
        .where(Note.tenant_id == contact.tenant_id, Note.contact_id == contact.id)
        .order_by(Note.created_at.desc(), Note.id.desc())
        .limit(RECENT)
    )
    interactions = db.scalars(
        select(Interaction)
        .where(
            Interaction.tenant_id == contact.tenant_id,
            Interaction.contact_id == contact.id,
            Interaction.id != current.id,
        )
        .order_by(Interaction.started_at.desc(), Interaction.id.desc())
        .limit(RECENT)
    )
    return {"account": contact.account, "notes": list(notes), "interactions": list(interactions)}


def ranked_candidates(
    *, db: Session, tenant: Tenant, interaction: Interaction
) -> list[duplicates.Match]:
    """Contacts this address could be, best first: strongest evidence, then most recently
    in touch (the caller is likelier the one who called last), then by name."""
    kind = addresses.kind_of(interaction.address)
    if kind == "handle":
        return []
    key = "phone" if kind == "phone" else "email_key"
    record = {key: interaction.address}
    matches = duplicates.find_for(db=db, tenant_id=tenant.id, record=record, limit=20)
    if not matches:
        return []
    last_seen = dict(
        db.execute(
            select(Interaction.contact_id, func.max(Interaction.started_at))
            .where(
                Interaction.tenant_id == tenant.id,
                Interaction.contact_id.in_([m.contact.id for m in matches]),
            )
            .group_by(Interaction.contact_id)
        ).all()
    )
    matches.sort(
        key=lambda m: (
            -m.score,
            -(last_seen[m.contact.id].timestamp() if m.contact.id in last_seen else 0),
            fold(display_name_of(m.contact)),
        )
    )
    return matches


def split_name(name: str) -> tuple[str | None, str | None]:
    """'Jane Doe' -> (Jane, Doe); 'Doe, Jane' -> (Jane, Doe); one word is a first name."""
    name = " ".join(name.replace('"', " ").split())
    if "," in name:
        last, _, first = name.partition(",")
        return first.strip() or None, last.strip() or None
    first, _, last = name.rpartition(" ")
    return (first, last) if first else (last or None, None)


def _name_from(interaction: Interaction) -> str | None:
    entered = interaction.address_entered.strip()
    if "<" in entered:  # "Jane Doe <jane@example.com>"
        return parseaddr(entered)[0].strip() or None
    kind = addresses.kind_of(interaction.address)
    if interaction.channel == "chat" and kind == "handle" and _NAME.match(entered.lstrip("@")):
        return entered.lstrip("@") if " " in entered else None  # "Jane Doe", not "nightowl"
    return None


def suggest_contact(tenant: Tenant, interaction: Interaction) -> dict[str, Any]:
    """A new contact pre-filled from what the interaction knows, for the agent to complete."""
    suggestion: dict[str, Any] = {}
    name = _name_from(interaction)
    if name:
        suggestion["first_name"], suggestion["last_name"] = split_name(name)
    kind = addresses.kind_of(interaction.address)
    if kind == "email":
        suggestion["email"] = parseaddr(interaction.address_entered)[1] or interaction.address
        suggestion["country"] = tenant.default_country
    elif kind == "phone":
        number = phonenumbers.parse(interaction.address)
        is_mobile = phonenumbers.number_type(number) == PhoneNumberType.MOBILE
        field = "mobile" if is_mobile or interaction.channel == "sms" else "phone"
        suggestion[field] = interaction.address
        country = phonenumbers.region_code_for_number(number)
        suggestion["country"] = country
        suggestion["time_zone"] = fields.infer_time_zone([interaction.address], country)
    suggestion.setdefault("time_zone", None)
    suggestion["country_name"] = fields.country_name(suggestion.get("country"))
    return suggestion
