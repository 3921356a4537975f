"""Contact pages: the list with search and filters, the contact, its form, its deletion."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from rapport.contacts import fields, form_lists, forms, listing, service
from rapport.contacts.models import ADDRESS_LABELS, EMAIL_LABELS, PHONE_LABELS
from rapport.contacts.present import contact_out
from rapport.contacts.search import search_contacts
from rapport.core.auth import Principal
from rapport.core.deps import DbSession
from rapport.core.errors import Conflict, PreconditionFailed, ValidationFailed
from rapport.core.inputs import Cursor, plain_number
from rapport.customfields import forms as cf_forms
from rapport.customfields import query as cf_query
from rapport.customfields import service as custom_fields
from rapport.customfields import values as cf_values
from rapport.duplicates import service as duplicates_service
from rapport.web.deps import CSRF_PROTECTED, PostedForm, UiPrincipal, posted_version
from rapport.web.session import get_session
from rapport.web.templating import render

router = APIRouter(prefix="/contacts", include_in_schema=False, dependencies=CSRF_PROTECTED)
PAGE_SIZE = 50
SORTS = {"name": "Name", "-updated": "Last updated"}


@router.get("")
def contact_list(
    request: Request,
    db: DbSession,
    principal: UiPrincipal,
    q: str | None = None,
    sort: str = "name",
    account: str | None = None,
    priority: Annotated[str | None, Query()] = None,
    country: str | None = None,
    cursor: Cursor = None,
) -> Response:
    sort = sort if sort in SORTS or cf_query.SORT.match(sort) else "name"
    chosen_priority = plain_number(priority)
    custom = [c for c in cf_query.parse_params(request.query_params) if c.raw.strip()]
    filters = listing.ContactFilters(
        account=account or None, priority=chosen_priority, country=country or None,
        custom=custom,
    )  # fmt: skip
    errors: dict[str, str] = {}
    try:
        rows, next_cursor = search_contacts(
            db=db, tenant=principal.tenant, text=q, filters=filters, sort=sort,
            limit=PAGE_SIZE, cursor=cursor or None,
        )  # fmt: skip
    except ValidationFailed as exc:
        rows, next_cursor = [], None
        errors = {k.removeprefix("query."): v for k, v in exc.by_field().items()}
    query = {"q": q, "sort": sort, "account": account, "priority": priority, "country": country}
    query |= {name: value for name, value in request.query_params.items()
              if name.startswith("cf.") and value.strip()}  # fmt: skip
    context = {
        "list_fields": [f for f in custom_fields.definitions(db=db, tenant_id=principal.tenant_id)
                        if f.show_in_list],  # fmt: skip
        "cf_display": cf_values.display,
        "contacts": [contact_out(c) for c in rows],
        "next_cursor": next_cursor,
        "paged": bool(cursor),
        "query": {k: v for k, v in query.items() if v},
        "errors": errors,
        "sorts": SORTS,
        "accounts": forms.account_choices(db, principal.tenant_id),
        "countries": forms.country_choices(),
        "global_q": q or "",
    }
    status_code = 422 if errors else 200
    template = "contacts/_results.html" if request.headers.get("X-Fragment") == "results" else (
        "contacts/list.html")  # fmt: skip
    return render(request, template, context, principal=principal, status_code=status_code)


@router.get("/subdivisions")
def subdivisions(principal: UiPrincipal, country: str = "") -> JSONResponse:
    """States or provinces of a country, for the contact form's select."""
    try:
        code = fields.normalize_country(country) if country else ""
    except fields.FieldError:
        code = ""
    found = fields.subdivisions_of(code) if code else ()
    return JSONResponse({"country": code, "subdivisions": found})


def _form_page(
    request: Request,
    db,
    principal: Principal,
    *,
    form: dict[str, Any],
    contact=None,
    errors: dict[str, str] | None = None,
    stale: list | None = None,
    duplicates: list | None = None,
    base: str | None = None,
    status_code: int = 200,
) -> Response:
    country = form.get("country") or ""
    try:
        country = fields.normalize_country(country) if country else ""
    except fields.FieldError:
        country = ""
    defined = custom_fields.definitions(db=db, tenant_id=principal.tenant_id)
    context = {
        "contact": contact,
        "contact_name": service.display_name_of(contact) if contact else None,
        "form": form,
        "errors": errors or {},
        "labels": forms.LABELS | cf_forms.labels(defined) | form_lists.labels_for(errors or {}),
        "PHONE_LABELS": PHONE_LABELS,
        "EMAIL_LABELS": EMAIL_LABELS,
        "ADDRESS_LABELS": ADDRESS_LABELS,
        "custom_inputs": cf_forms.inputs(defined, form, principal.role),
        "stale": stale,
        "countries": forms.country_choices(),
        "subdivisions": fields.subdivisions_of(country) if country else (),
        "time_zones": forms.time_zone_choices(),
        "accounts": forms.account_choices(db, principal.tenant_id),
        "channels": forms.channel_rows(form.get("preferred_channels") or []),
        "duplicates": [(contact_out(m.contact), m.reasons) for m in duplicates or []],
        # What the edit started from, for the three-way merge of a save that meets another.
        "base": base or (forms.base_of(forms.form_from_contact(contact)) if contact else None),
    }
    return render(
        request, "contacts/form.html", context, principal=principal, status_code=status_code
    )


def _errors_of(exc: ValidationFailed | Conflict, values: dict[str, Any]) -> dict[str, str]:
    if isinstance(exc, ValidationFailed):
        return form_lists.form_errors(exc.by_field())
    field = exc.extra.get("field", "form")
    if field == "email" and values.get("emails"):  # the primary email's row
        field = form_lists.primary_row_field("emails", values["emails"])
    return {field: exc.message}


def _defined(db, principal: Principal) -> list:
    return custom_fields.definitions(db=db, tenant_id=principal.tenant_id)


@router.get("/new")
def new_contact(request: Request, db: DbSession, principal: UiPrincipal) -> Response:
    form = {"priority": principal.tenant.default_priority, "country": "", "preferred_channels": []}
    return _form_page(request, db, principal, form=form)


@router.post("/new")
def create_contact(
    request: Request, db: DbSession, principal: UiPrincipal, posted: PostedForm
) -> Response:
    defined = _defined(db, principal)
    values = forms.values_from_form(posted, defined, principal.role)
    if not posted.get("create_anyway"):
        # Show likely duplicates before anything is saved; the agent confirms to go on.
        record = duplicates_service.comparable_record(db=db, tenant=principal.tenant, values=values)
        matches = duplicates_service.find_for(db=db, tenant_id=principal.tenant_id, record=record)
        if matches:
            return _form_page(
                request, db, principal, form=forms.form_from_post(posted, defined),
                duplicates=matches, status_code=409,
            )  # fmt: skip
    try:
        contact = service.create(
            db=db, tenant=principal.tenant, values=values, actor=principal.actor,
            role=principal.role,
        )  # fmt: skip
    except (ValidationFailed, Conflict) as exc:
        db.rollback()
        return _form_page(
            request, db, principal, form=forms.form_from_post(posted, defined),
            errors=_errors_of(exc, values), status_code=422,
        )  # fmt: skip
    get_session(request).flash(f"Contact {service.display_name_of(contact)} created.")
    return RedirectResponse(f"/contacts/{contact.id}", status_code=303)


@router.get("/{contact_id}")
def contact_page(
    request: Request, contact_id: uuid.UUID, db: DbSession, principal: UiPrincipal
) -> Response:
    contact = service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    context = {
        "contact": contact_out(contact),
        "title": service.display_name_of(contact),
        # Free-form attributes no field was made from; the fields show with their labels.
        "attributes": contact.custom_attributes or {},
        "custom_values": cf_forms.shown_values(
            _defined(db, principal), contact.custom_fields, contact.country, include_empty=True
        ),
    }
    return render(request, "contacts/detail.html", context, principal=principal)


@router.get("/{contact_id}/edit")
def edit_contact(
    request: Request, contact_id: uuid.UUID, db: DbSession, principal: UiPrincipal
) -> Response:
    contact = service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    return _form_page(
        request, db, principal, form=forms.form_from_contact(contact), contact=contact
    )


@router.post("/{contact_id}/edit")
def save_contact(
    request: Request,
    contact_id: uuid.UUID,
    db: DbSession,
    principal: UiPrincipal,
    posted: PostedForm,
) -> Response:
    contact = service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    defined = _defined(db, principal)
    typed = forms.form_from_post(posted, defined)
    base = forms.posted_base(posted)
    values = forms.values_from_form(posted, defined, principal.role, existing=True)
    if base is not None:  # only what this agent changed: a colleague's other edits stay
        values = forms.only_changed(values, forms.changed_from(base, typed))
    merged = False
    try:
        try:
            contact = _update(db, principal, contact, values, posted_version(posted))
        except PreconditionFailed:
            # Someone saved first. Fields only they changed are kept; fields only this agent
            # changed go onto their version; a field both changed is a real conflict.
            db.rollback()
            contact = service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
            current = forms.form_from_contact(contact, rows=bool(form_lists.edited(posted)))
            labels = cf_forms.labels(defined)
            clashes = forms.conflicts(base, typed, current, labels) if base is not None else None
            if clashes is None or clashes:
                return _conflict_page(
                    request, db, principal, contact, typed, base, clashes, posted
                )
            contact = _update(db, principal, contact, values, contact.version)
            merged = True
    except (ValidationFailed, Conflict) as exc:
        db.rollback()
        contact = service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
        return _form_page(
            request, db, principal, form=typed, contact=contact, errors=_errors_of(exc, values),
            base=posted.get("base") or None, status_code=422,
        )  # fmt: skip
    also = " Someone else's changes saved meanwhile were kept." if merged else ""
    get_session(request).flash(f"Changes saved.{also}")
    return RedirectResponse(f"/contacts/{contact.id}", status_code=303)


def _update(db, principal: Principal, contact, values: dict, version: int | None):
    return service.update(
        db=db, tenant=principal.tenant, contact=contact, changes=values,
        expected_version=version, actor=principal.actor, role=principal.role,
    )  # fmt: skip


def _conflict_page(request, db, principal, contact, typed, base, clashes, posted) -> Response:
    """Their version with this agent's changes on it; the clashing fields listed. The form now
    starts from their version, so saving again sends only this agent's changes once more."""
    current = forms.form_from_contact(contact, rows=bool(form_lists.edited(posted)))
    shown = forms.form_from_contact(contact)  # the form always edits the lists as rows
    if base is None:  # a form without its starting values: show every difference
        labels = cf_forms.labels(_defined(db, principal))
        form, stale = {**shown, **typed}, forms.differences(typed, current, labels)
    else:
        mine = forms.changed_from(base, typed)
        form = {**shown, **{name: typed[name] for name in mine if name in typed}}
        stale = clashes
    return _form_page(
        request, db, principal, form=form, contact=contact, stale=stale,
        base=forms.base_of(shown), status_code=409,
    )  # fmt: skip


@router.get("/{contact_id}/delete")
def confirm_delete(
    request: Request, contact_id: uuid.UUID, db: DbSession, principal: UiPrincipal
) -> Response:
    principal.require("supervisor", "delete contacts")
    contact = service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    return render(
        request, "contacts/delete.html", {"contact": contact_out(contact)}, principal=principal
    )


@router.post("/{contact_id}/delete")
def delete_contact(
    request: Request,
    contact_id: uuid.UUID,
    db: DbSession,
    principal: UiPrincipal,
    posted: PostedForm,
) -> Response:
    principal.require("supervisor", "delete contacts")
    contact = service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    name = service.display_name_of(contact)
    service.delete_contact(
        db=db,
        contact=contact,
        expected_version=posted_version(posted),
        actor=principal.actor,
    )
    get_session(request).flash(f"Contact {name} deleted.")
    return RedirectResponse("/contacts", status_code=303)
