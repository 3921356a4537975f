"""The Personality tab of a contact: guidance, Big Five, needs and values, and the examples.

Thin: every rule (the tenant switch, who may delete an example, when a profile is
recomputed) lives in `rapport.insights.service`; this module only reads forms and renders.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from rapport.contacts import service as contacts_service
from rapport.contacts.models import Contact
from rapport.contacts.present import contact_out
from rapport.core.auth import Principal
from rapport.core.deps import DbSession
from rapport.core.errors import ValidationFailed
from rapport.insights import examples, service
from rapport.insights.engine.analyzer import MIN_WORDS
from rapport.interactions import service as interactions_service
from rapport.web.deps import CSRF_PROTECTED, PostedForm, UiPrincipal, form_text
from rapport.web.session import get_session
from rapport.web.templating import render

router = APIRouter(prefix="/contacts", include_in_schema=False, dependencies=CSRF_PROTECTED)

# Under this many words the engine flags a profile as low confidence (Watson's threshold).
SIGNIFICANT_WORDS = 600
METHOD_LABELS = {
    "lexicon_indicator": "word lists written from Watson's definitions of each need",
    "lexicon_pyvalues": "the pyvalues dictionary of Schwartz values",
}


def _tab_url(contact_id: uuid.UUID) -> str:
    return f"/contacts/{contact_id}/personality"


def _examples_context(db, principal: Principal, contact_id: uuid.UUID) -> list[dict[str, Any]]:
    found = examples.list_examples(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    authors = interactions_service.agents_by_id(
        db=db, tenant_id=principal.tenant_id, ids={e.author_id for e in found if e.author_id}
    )
    return [
        {
            "example": e,
            "author": authors.get(e.author_id) if e.author_id else None,
            "can_delete": e.kind == "manual"
            and (e.author_id == principal.user.id or principal.can("supervisor")),
        }
        for e in found
    ]


def _profile_context(profile: dict[str, Any]) -> dict[str, Any]:
    """The stored profile, arranged for the page: traits beside their evidence."""
    evidence = profile.get("evidence", {})
    big5 = [
        {**trait, "evidence": evidence.get("personality", {}).get(trait["trait_id"], {})}
        for trait in profile.get("personality", [])
    ]
    needs = [
        {**need, "words": evidence.get("needs", {}).get(need["trait_id"], [])}
        for need in profile.get("needs", [])
    ]
    values = [
        {**value, "words": evidence.get("values", {}).get(value["trait_id"], [])}
        for value in profile.get("values", [])
    ]
    return {"big5": big5, "needs": needs, "values": values}


def _page(
    request: Request,
    db,
    principal: Principal,
    contact: Contact,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "contact": contact_out(contact),
        "title": f"Personality · {contacts_service.display_name_of(contact)}",
        "enabled": principal.tenant.personality_insights_enabled,
        "form": form or {},
        "errors": errors or {},
        "significant_words": SIGNIFICANT_WORDS,
        "minimum_words": MIN_WORDS,
        "method_labels": METHOD_LABELS,
    }
    # Nothing is read or analysed while the tenant has the feature off.
    if context["enabled"]:
        result = service.current_profile(db=db, tenant=principal.tenant, contact_id=contact.id)
        if isinstance(result, service.NotEnoughText):
            context["not_enough"] = service.presented_not_enough(result, contact.id)
        else:
            profile = service.presented_row(result)
            context["profile"] = profile
            context.update(_profile_context(profile))
        context["examples"] = _examples_context(db, principal, contact.id)
    return render(
        request, "insights/personality.html", context, principal=principal,
        status_code=status_code,
    )  # fmt: skip


@router.get("/{contact_id}/personality")
def personality_tab(
    request: Request, contact_id: uuid.UUID, db: DbSession, principal: UiPrincipal
) -> Response:
    contact = contacts_service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    return _page(request, db, principal, contact)


@router.post("/{contact_id}/personality/examples")
def add_example(
    request: Request,
    contact_id: uuid.UUID,
    db: DbSession,
    principal: UiPrincipal,
    posted: PostedForm,
) -> Response:
    contact = contacts_service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    text, source = form_text(posted, "text"), form_text(posted, "source")
    try:
        service.add_example(
            db=db, tenant=principal.tenant, contact_id=contact_id, author_id=principal.user.id,
            text=text, source=source,
        )  # fmt: skip
    except ValidationFailed as exc:
        db.rollback()
        form = {"text": text or "", "source": source or ""}
        return _page(
            request, db, principal, contact, form=form, errors=exc.by_field(), status_code=422
        )
    get_session(request).flash("Example added.")
    return RedirectResponse(_tab_url(contact_id) + "#examples", status_code=303)


@router.post("/{contact_id}/personality/examples/{example_id}/delete")
def delete_example(
    request: Request,
    contact_id: uuid.UUID,
    example_id: uuid.UUID,
    db: DbSession,
    principal: UiPrincipal,
) -> Response:
    contacts_service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    service.delete_example(
        db=db, tenant=principal.tenant, principal=principal, contact_id=contact_id,
        example_id=example_id,
    )  # fmt: skip
    get_session(request).flash("Example deleted.")
    return RedirectResponse(_tab_url(contact_id) + "#examples", status_code=303)


def _set_excluded(
    request: Request, db, principal: Principal, contact_id: uuid.UUID, message_id: uuid.UUID,
    excluded: bool,
) -> Response:  # fmt: skip
    contacts_service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    service.set_excluded(
        db=db, tenant=principal.tenant, contact_id=contact_id, message_id=message_id,
        excluded=excluded, user_id=principal.user.id,
    )  # fmt: skip
    message = "Message left out of the analysis." if excluded else "Message included again."
    get_session(request).flash(message)
    return RedirectResponse(_tab_url(contact_id) + "#examples", status_code=303)


@router.post("/{contact_id}/personality/messages/{message_id}/exclude")
def exclude_message(
    request: Request,
    contact_id: uuid.UUID,
    message_id: uuid.UUID,
    db: DbSession,
    principal: UiPrincipal,
) -> Response:
    return _set_excluded(request, db, principal, contact_id, message_id, excluded=True)


@router.post("/{contact_id}/personality/messages/{message_id}/include")
def include_message(
    request: Request,
    contact_id: uuid.UUID,
    message_id: uuid.UUID,
    db: DbSession,
    principal: UiPrincipal,
) -> Response:
    return _set_excluded(request, db, principal, contact_id, message_id, excluded=False)
