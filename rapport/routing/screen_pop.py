"""Screen pop: everything the workspace shows the moment an agent accepts a workitem."""

from __future__ import annotations

import re
from email.utils import parseaddr
from typing import Any

import phonenumbers
from phonenumbers import PhoneNumberType
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from rapport.contacts import fields
from rapport.contacts.models import Contact
from rapport.contacts.service import display_name_of
from rapport.core.text import fold
from rapport.duplicates import service as duplicates
from rapport.interactions import addresses
from rapport.interactions.models import Interaction
from rapport.notes.models import Note
from rapport.tenants.models import Tenant
from rapport.users.models import User

RECENT = 5  # notes and interactions shown beside the contact
_NAME = re.compile(r"^[^\W\d_]+(?:[ ,'.-]+[^\W\d_]+)*$")


def relink(*, db: Session, tenant: Tenant, interaction: Interaction) -> list | None:
    """An unlinked interaction may match a contact created since it arrived: link it now.

    Returns the contacts the address matched (None when the interaction was linked already),
    for `screen_pop`: when none did, it has no candidates to look for.
    """
    if interaction.contact_id is not None:
        return None
    address = addresses.Address(interaction.address, addresses.kind_of(interaction.address))
    matches = addresses.matching_contacts(db=db, tenant_id=tenant.id, address=address)
    if interaction.match_count != len(matches):
        interaction.match_count = len(matches)
    if len(matches) == 1:
        interaction.contact_id = matches[0]
    db.flush()
    return matches


def screen_pop(
    *, db: Session, tenant: Tenant, interaction: Interaction, matches: list | None = None
) -> dict[str, Any]:
    """{"match": "one"|"many"|"none", ...}: the contact with its account, last notes and
    interactions; or the ranked candidates; or a new contact pre-filled from the interaction.

    `matches`: what `relink` found for this interaction just now, if it ran."""
    if interaction.contact_id is not None:
        # With its account and its numbers and emails (shown, and which one was used) at once.
        contact = db.get(
            Contact, (tenant.id, interaction.contact_id), options=[joinedload(Contact.points)]
        )
        used = reached_on(contact, interaction)
        return {"match": "one", "contact": contact, "reached_on": used,
                **recent_history(db, contact, interaction)}  # fmt: skip
    # No contact has the address (relink just looked): the candidates' probe of the same
    # contact points would find none either.
    candidates = [] if matches == [] else ranked_candidates(
        db=db, tenant=tenant, interaction=interaction)  # fmt: skip
    if candidates:
        return {"match": "many", "candidates": candidates}
    return {"match": "none", "suggested_contact": suggest_contact(tenant, interaction)}


def reached_on(contact: Contact, interaction: Interaction) -> dict[str, str] | None:
    """Which of the contact's numbers or emails the workitem came from, with its label: a
    contact may have several, and the agent should know which one the caller used. From
    the contact's points, which showing the contact reads anyway."""
    point = next((p for p in contact.points if p.value == interaction.address), None)
    if point is None:
        return None
    shown = point.value if point.kind == "email" else (
        fields.display_phone(point.value, contact.country) or point.value)  # fmt: skip
    return {"value": point.value, "shown": shown, "label": point.label, "kind": point.kind}


_NOTE_AUTHOR = (User.email.label("author_email"), User.name.label("author_name"))
_AGENT = (User.email.label("agent_email"), User.name.label("agent_name"))


def recent_history(db: Session, contact: Contact, current: Interaction) -> dict[str, Any]:
    """The last notes with their authors and the last other interactions with their agents,
    one statement each, as plain rows (nothing the session needs to track)."""
    notes = db.execute(
        select(*Note.__table__.c, *_NOTE_AUTHOR)
        .outerjoin(User, (User.tenant_id == Note.tenant_id) & (User.id == Note.author_id))
        .where(Note.tenant_id == contact.tenant_id, Note.contact_id == contact.id)
        .order_by(Note.created_at.desc(), Note.id.desc())
        .limit(RECENT)
    ).all()
    interactions = db.execute(
        select(*Interaction.__table__.c, *_AGENT)
        .outerjoin(User, (User.tenant_id == Interaction.tenant_id)
                   & (User.id == Interaction.agent_id))
        .where(
            Interaction.tenant_id == contact.tenant_id,
            Interaction.contact_id == contact.id,
            Interaction.id != current.id,
        )
        .order_by(Interaction.started_at.desc(), Interaction.id.desc())
        .limit(RECENT)
    ).all()  # fmt: skip
    return {"account": contact.account, "notes": notes, "interactions": interactions}


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
