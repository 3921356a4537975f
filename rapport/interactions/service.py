"""Interactions (workitems): recorded by integrators, linked to the contact they were with."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Row, bindparam, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from rapport.contacts import service as contacts_service
from rapport.core.auth import Principal
from rapport.core.db import utcnow
from rapport.core.errors import (
    Conflict,
    FieldCollector,
    FieldError,
    Forbidden,
    NotFound,
    ValidationFailed,
    check_version,
)
from rapport.core.ids import new_id
from rapport.core.text import clean_text
from rapport.interactions import addresses, transcript
from rapport.interactions.models import CHANNELS, DIRECTIONS, STATES, Interaction
from rapport.interactions.times import check_moment
from rapport.routing import lifecycle
from rapport.search import index
from rapport.tenants.models import Tenant
from rapport.users import service as users_service
from rapport.users.models import User

TEXT_LIMITS = {"subject": 500, "queue": 100, "disposition": 100, "external_id": 200}
# What PATCH changes: the descriptive fields, and the agent (an assignment, supervisors up).
# The state is not among them: it moves only through the routing actions, which keep its rules.
DESCRIPTIVE = ("subject", "disposition")
UPDATABLE = (*DESCRIPTIVE, "agent", "state")
ROUTING_ACTIONS = "accepting, transferring, completing or abandoning it"


def get(*, db: Session, tenant_id: uuid.UUID, interaction_id: uuid.UUID) -> Interaction:
    interaction = db.get(Interaction, (tenant_id, interaction_id))
    if interaction is None:
        raise NotFound("Interaction not found.")
    return interaction


_PLAIN = select(
    Interaction.tenant_id, Interaction.id, Interaction.channel, Interaction.state,
    Interaction.agent_id, Interaction.contact_id,
).where(
    Interaction.tenant_id == bindparam("tenant_id"), Interaction.id == bindparam("id")
)  # fmt: skip


def get_plain(*, db: Session, tenant_id: uuid.UUID, interaction_id: uuid.UUID) -> Row:
    """Who holds the interaction and whom it is with, as a plain row: what appending a
    message reads (loading the whole object took a third of an append's CPU)."""
    row = db.execute(_PLAIN, {"tenant_id": tenant_id, "id": interaction_id}).first()
    if row is None:
        raise NotFound("Interaction not found.")
    return row


def find_by_external_id(
    *, db: Session, tenant_id: uuid.UUID, external_id: str
) -> Interaction | None:
    return db.scalar(
        select(Interaction).where(
            Interaction.tenant_id == tenant_id, Interaction.external_id == external_id
        )
    )


def resolve_agent(*, db: Session, tenant_id: uuid.UUID, reference: str) -> User | None:
    """A user of the tenant by id or email; None when there is no such user."""
    try:
        return db.get(User, (tenant_id, uuid.UUID(reference)))
    except ValueError:
        return users_service.get_by_email(db=db, tenant_id=tenant_id, email=reference)


def _one_of(errors: FieldCollector, field: str, value: Any, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        errors.add(field, f"must be one of {', '.join(allowed)}")


def _clean_agent(errors: FieldCollector, db: Session, tenant_id: uuid.UUID, reference) -> Any:
    if reference is None or not str(reference).strip():
        return None
    agent = resolve_agent(db=db, tenant_id=tenant_id, reference=str(reference).strip())
    if agent is None:
        errors.add("agent", f"no user with id or email '{reference}' in this tenant")
        return None
    return agent.id


def normalize(*, db: Session, tenant: Tenant, values: dict[str, Any]) -> dict[str, Any]:
    """Validate a new interaction and its initial messages; every error at once."""
    errors = FieldCollector()
    now = utcnow()
    clean: dict[str, Any] = {}
    for field in ("channel", "direction"):
        clean[field] = values.get(field)
    _one_of(errors, "channel", clean["channel"], CHANNELS)
    _one_of(errors, "direction", clean["direction"], DIRECTIONS)
    for field, limit in TEXT_LIMITS.items():
        try:
            clean[field] = clean_text(field, values.get(field), limit)
        except FieldError as exc:
            errors.add(exc.field, exc.message)

    clean["address"] = None
    if not errors.has("channel"):
        try:
            raw = values.get("address") or ""
            address = addresses.normalize("address", clean["channel"], raw, tenant.default_country)
            clean["address"], clean["address_entered"] = address.value, raw.strip()
            clean["_address"] = address
        except FieldError as exc:
            errors.add(exc.field, exc.message)

    clean["contact_id"] = values.get("contact_id")
    if clean["contact_id"] is not None:
        try:
            contacts_service.get(db=db, tenant_id=tenant.id, contact_id=clean["contact_id"])
        except NotFound:
            errors.add("contact_id", "no contact with this id in this tenant")

    clean["agent_id"] = _clean_agent(errors, db, tenant.id, values.get("agent"))
    started = check_moment(errors, "started_at", values.get("started_at"), now)
    ended = check_moment(errors, "ended_at", values.get("ended_at"), now)
    if started and ended and ended < started:
        errors.add("ended_at", "must not be before started_at")
    # Recorded after the fact without a start: it started no later than it ended.
    clean["started_at"], clean["ended_at"] = started or ended or now, ended

    state = values.get("state") or ("completed" if ended else "queued")
    _one_of(errors, "state", state, STATES)
    clean["state"] = state
    priority = values.get("priority")
    if priority is not None and (
        isinstance(priority, bool) or not isinstance(priority, int) or not 1 <= priority <= 5
    ):
        errors.add("priority", "must be a whole number from 1 (served first) to 5 (served last)")
    clean["priority"] = priority

    messages = []
    for n, message in enumerate(values.get("messages") or []):
        messages.append(transcript.clean_message(errors, f"messages.{n}.", message, now))
    clean["_messages"] = messages
    errors.raise_if_any()
    return clean


def record(
    *,
    db: Session,
    tenant: Tenant,
    values: dict[str, Any],
    principal: Principal | None = None,
) -> tuple[Interaction, bool]:
    """Record an interaction; (interaction, created). A known `external_id` is not repeated.

    With a `principal`, an agent may record an interaction only as their own or unassigned:
    naming another agent is an assignment, for supervisors and administrators.
    """
    clean = normalize(db=db, tenant=tenant, values=values)
    if principal is not None and clean["agent_id"] not in (None, principal.user.id):
        principal.require("supervisor", "assign an interaction to another agent")
    if clean["external_id"]:
        existing = find_by_external_id(db=db, tenant_id=tenant.id, external_id=clean["external_id"])
        if existing is not None:
            return existing, False
    address, messages = clean.pop("_address"), clean.pop("_messages")
    if clean["contact_id"] is None:
        priorities: dict = {}
        matches = addresses.matching_contacts(
            db=db, tenant_id=tenant.id, address=address, priorities=priorities
        )
        clean["match_count"] = len(matches)
        clean["contact_id"] = matches[0] if len(matches) == 1 else None
        if clean["contact_id"] is not None:  # routing places it by this, without reading it
            lifecycle.known_priority(db, tenant.id, clean["contact_id"], priorities[matches[0]])
    else:
        clean["match_count"] = 1
    interaction = Interaction(tenant_id=tenant.id, id=new_id(), **clean)
    if not clean["external_id"]:
        # Nothing another request could store first: no savepoint to fall back to.
        db.add(interaction)
        db.flush()
    else:
        try:
            with db.begin_nested():
                db.add(interaction)
                db.flush()
        except IntegrityError:
            # A concurrent request stored the same external id first: answer with that one.
            existing = find_by_external_id(
                db=db, tenant_id=tenant.id, external_id=clean["external_id"]
            )
            if existing is None:
                raise
            return existing, False
    index.add_text(
        db=db, tenant_id=tenant.id, interaction_id=interaction.id, parts=[interaction.subject]
    )
    for message in messages:
        transcript.add_clean(db=db, interaction=interaction, clean=message)
    db.flush()
    return interaction, True


def require_hands_on(principal: Principal, interaction: Interaction | Row, action: str) -> None:
    """An agent acts on unassigned interactions and their own, never on another agent's."""
    held_by_other = interaction.agent_id is not None and interaction.agent_id != principal.user.id
    if held_by_other and not principal.can("supervisor"):
        raise Forbidden(
            f"This interaction is held by another agent; only they or a supervisor can "
            f"{action} it.",
            required_role="supervisor",
        )


def update(
    *,
    db: Session,
    principal: Principal,
    interaction: Interaction,
    changes: dict[str, Any],
    expected_version: int | None = None,
) -> Interaction:
    """Change the subject or disposition; the agent (supervisors and administrators only).

    Sending a field with the value it already has changes nothing and is not refused.
    """
    check_version(interaction.version, expected_version)
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise ValidationFailed([FieldError(f, "cannot be changed") for f in sorted(unknown)])
    if "state" in changes and changes["state"] != interaction.state:
        raise Conflict(
            f"The state of an interaction changes only by {ROUTING_ACTIONS} "
            f"(it is {interaction.state}).",
            field="state",
            state=interaction.state,
        )
    require_hands_on(principal, interaction, "change")
    errors = FieldCollector()
    clean: dict[str, Any] = {}
    if "agent" in changes:
        agent_id = _clean_agent(errors, db, principal.tenant_id, changes["agent"])
        if agent_id != interaction.agent_id and not errors.has("agent"):
            principal.require("supervisor", "assign an interaction to an agent")
            clean["agent_id"] = agent_id
    for field in DESCRIPTIVE:
        if field in changes:
            try:
                clean[field] = clean_text(field, changes[field], TEXT_LIMITS[field])
            except FieldError as exc:
                errors.add(exc.field, exc.message)
    errors.raise_if_any()
    for column, value in clean.items():
        setattr(interaction, column, value)
    db.flush()
    if "subject" in clean:  # the subject is part of the interaction's search document
        index.rebuild(db=db, tenant_id=interaction.tenant_id, interaction_id=interaction.id)
    return interaction


def agents_by_id(*, db: Session, tenant_id: uuid.UUID, ids: set[uuid.UUID]) -> dict:
    if not ids:
        return {}
    # The agent asking is usually the one named (accept-next): already in the session.
    known = {}
    for agent_id in ids:
        user = db.identity_map.get(identity_key(User, (tenant_id, agent_id)))
        if user is not None and not inspect(user).expired_attributes:
            known[agent_id] = user
    if len(known) == len(ids):
        return known
    rows = db.scalars(select(User).where(User.tenant_id == tenant_id, User.id.in_(ids)))
    return {user.id: user for user in rows}
