"""Handling one workitem: the screen pop, the live transcript, and finishing it.

Every rule lives in the routing services (who may complete, which moves are allowed) and in
the linking service (creating or linking the contact); these routes only read the form,
call them, and show the answer or the field errors.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from rapport.contacts import fields
from rapport.contacts import forms as contact_forms
from rapport.contacts import service as contacts_service
from rapport.contacts.present import contact_out
from rapport.core.auth import Principal
from rapport.core.deps import DbSession
from rapport.core.errors import Conflict, FieldError, ValidationFailed
from rapport.customfields import forms as cf_forms
from rapport.customfields import service as custom_fields
from rapport.interactions import service as interactions_service
from rapport.interactions import transcript
from rapport.interactions.models import Interaction
from rapport.routing import linking
from rapport.routing import service as routing
from rapport.routing.screen_pop import screen_pop
from rapport.web.deps import CSRF_PROTECTED, PostedForm, UiPrincipal, form_text
from rapport.web.session import get_session
from rapport.web.templating import render

router = APIRouter(
    prefix="/workspace/interactions", include_in_schema=False, dependencies=CSRF_PROTECTED
)
DISPOSITIONS = ("Resolved", "Follow-up needed", "Escalated", "No answer", "Wrong number")
NEW_CONTACT_FIELDS = (
    "first_name", "last_name", "email", "phone", "mobile", "account",
    "address", "city", "state", "postal_code", "country", "time_zone",
)  # fmt: skip


def _interaction(db: Session, principal: Principal, interaction_id: uuid.UUID) -> Interaction:
    return interactions_service.get(
        db=db, tenant_id=principal.tenant_id, interaction_id=interaction_id
    )


def _new_contact_form(principal: Principal, suggestion: dict[str, Any] | None) -> dict:
    form = {name: (suggestion or {}).get(name) or "" for name in NEW_CONTACT_FIELDS}
    # Sent back unchanged, the suggested zone stays "inferred" (see contacts.forms).
    form["time_zone_inferred"] = form["time_zone"]
    form["priority"] = principal.tenant.default_priority
    return form


def _subdivisions(country: str | None) -> tuple[tuple[str, str], ...]:
    try:
        return fields.subdivisions_of(fields.normalize_country(country)) if country else ()
    except FieldError:
        return ()  # an unknown country typed: the state stays free text, the error says why


def _page(
    request: Request,
    db: Session,
    principal: Principal,
    interaction: Interaction,
    *,
    contact_form: dict | None = None,
    wrap_up: dict | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    pop = screen_pop(db=db, tenant=principal.tenant, interaction=interaction)
    contact = pop.get("contact")
    form = contact_form or _new_contact_form(principal, pop.get("suggested_contact"))
    held_by_other = interaction.agent_id not in (None, principal.user.id) and not principal.can(
        "supervisor"
    )
    defined = custom_fields.definitions(db=db, tenant_id=principal.tenant_id)
    popped = [f for f in defined if f.show_in_screen_pop]
    context = {
        "title": interaction.subject or "Workitem",
        "i": interaction,
        "pop": pop,
        "c": contact_out(contact) if contact else None,
        "candidates": [(contact_out(m.contact), m.reasons) for m in pop.get("candidates", [])],
        "contact_form": form,
        "labels": contact_forms.LABELS | cf_forms.labels(defined),
        "custom_inputs": cf_forms.inputs(defined, form, principal.role) if not contact else [],
        "pop_values": cf_forms.shown_values(popped, contact.custom_fields, contact.country)
        if contact
        else [],
        "countries": contact_forms.country_choices(),
        "accounts": contact_forms.account_choices(db, principal.tenant_id) if not contact else [],
        "subdivisions": _subdivisions(form["country"]),
        "others": linking.unlinked_from_same_address(db=db, interaction=interaction),
        "wrap_up": wrap_up or {},
        "errors": errors or {},
        "dispositions": DISPOSITIONS,
        "agent_zone": principal.tenant.time_zone,
        "messages": transcript.list_messages(db=db, interaction=interaction),
        # The forms show only to whom the routing service lets finish it (it says so too).
        "handling": interaction.state == "active" and not held_by_other,
        "held_by_other": held_by_other,
    }
    return render(
        request, "workspace/handle.html", context, principal=principal, status_code=status_code
    )


@router.get("/{interaction_id}")
def handling_page(
    request: Request, interaction_id: uuid.UUID, db: DbSession, principal: UiPrincipal
) -> Response:
    interaction = _interaction(db, principal, interaction_id)
    return _page(request, db, principal, interaction)


@router.get("/{interaction_id}/transcript")
def transcript_fragment(
    request: Request, interaction_id: uuid.UUID, db: DbSession, principal: UiPrincipal
) -> Response:
    """The transcript alone, fetched when an event says a message was appended."""
    interaction = _interaction(db, principal, interaction_id)
    context = {
        "i": interaction,
        "messages": transcript.list_messages(db=db, interaction=interaction),
        "agent_zone": principal.tenant.time_zone,
    }
    return render(request, "workspace/_transcript.html", context, principal=principal)


def _errors_of(exc: ValidationFailed | Conflict) -> dict[str, str]:
    if isinstance(exc, ValidationFailed):
        return exc.by_field()
    return {exc.extra.get("field", "form"): exc.message}


@router.post("/{interaction_id}/contact")
def set_contact(
    request: Request,
    interaction_id: uuid.UUID,
    db: DbSession,
    principal: UiPrincipal,
    posted: PostedForm,
) -> Response:
    """Link the chosen contact (`contact_id`), or create one from the pre-filled form."""
    interaction = _interaction(db, principal, interaction_id)
    chosen = form_text(posted, "contact_id")
    defined = custom_fields.definitions(db=db, tenant_id=principal.tenant_id)
    new_contact = (
        None if chosen else contact_forms.values_from_form(posted, defined, principal.role)
    )
    try:
        contact, created, _, linked = linking.set_contact(
            db=db,
            principal=principal,
            interaction=interaction,
            contact_id=_uuid_or_nil(chosen) if chosen else None,
            new_contact=new_contact,
            link_others=posted.get("link_others") == "on",
        )
    except (ValidationFailed, Conflict) as exc:
        db.rollback()  # nothing of the failed form is kept
        typed = {name: posted.get(name) or "" for name in (*NEW_CONTACT_FIELDS, "priority")}
        typed["time_zone_inferred"] = posted.get("time_zone_inferred") or ""
        typed.update(cf_forms.posted_values(defined, posted))
        interaction = _interaction(db, principal, interaction_id)
        return _page(request, db, principal, interaction, contact_form=typed,
                     errors=_errors_of(exc), status_code=422)  # fmt: skip
    name = contacts_service.display_name_of(contact)
    verb = "created and linked" if created else "linked"
    also = " The other interactions from this address were linked too." if linked else ""
    get_session(request).flash(f"Contact {name} {verb}.{also}")
    return RedirectResponse(f"/workspace/interactions/{interaction.id}", status_code=303)


def _uuid_or_nil(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value.strip())
    except ValueError:
        return uuid.UUID(int=0)  # no such contact: the linking service says so


@router.post("/{interaction_id}/complete")
def complete(
    request: Request,
    interaction_id: uuid.UUID,
    db: DbSession,
    principal: UiPrincipal,
    posted: PostedForm,
) -> Response:
    """Finish with a disposition; the note (outcome, next steps) is kept on the contact."""
    note = {name: form_text(posted, name) for name in ("body", "outcome", "next_steps")}
    try:
        routing.complete(
            db=db,
            principal=principal,
            interaction_id=interaction_id,
            disposition=form_text(posted, "disposition") or "",
            note=note if any(note.values()) else None,
        )
    except ValidationFailed as exc:
        db.rollback()
        errors = {k.removeprefix("note."): v for k, v in exc.by_field().items()}
        wrap_up = {**note, "disposition": posted.get("disposition") or ""}
        interaction = _interaction(db, principal, interaction_id)
        return _page(request, db, principal, interaction, wrap_up=wrap_up, errors=errors,
                     status_code=422)  # fmt: skip
    get_session(request).flash("Interaction completed.")
    return RedirectResponse("/workspace", status_code=303)


@router.post("/{interaction_id}/transfer")
def transfer(
    request: Request, interaction_id: uuid.UUID, db: DbSession, principal: UiPrincipal
) -> Response:
    """Back to the queue, keeping its place by waiting time."""
    routing.transfer(db=db, principal=principal, interaction_id=interaction_id)
    get_session(request).flash("Interaction transferred back to the queue.")
    return RedirectResponse("/workspace", status_code=303)


@router.post("/{interaction_id}/abandon")
def abandon(
    request: Request, interaction_id: uuid.UUID, db: DbSession, principal: UiPrincipal
) -> Response:
    """The contact left (hung up, closed the chat)."""
    routing.abandon(db=db, principal=principal, interaction_id=interaction_id)
    get_session(request).flash("Interaction marked abandoned.")
    return RedirectResponse("/workspace", status_code=303)
