"""Account pages: list, create, edit, delete, and an account with its contacts."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from rapport.accounts import service
from rapport.contacts.listing import ContactFilters, list_contacts
from rapport.contacts.present import contact_out
from rapport.core.auth import Principal
from rapport.core.deps import DbSession
from rapport.core.errors import Conflict, PreconditionFailed, ValidationFailed
from rapport.core.inputs import Cursor
from rapport.web.deps import CSRF_PROTECTED, PostedForm, UiPrincipal, form_text, posted_version
from rapport.web.session import get_session
from rapport.web.templating import render

router = APIRouter(prefix="/accounts", include_in_schema=False, dependencies=CSRF_PROTECTED)
PAGE_SIZE = 50
LABELS = {"identifier": "Account identifier", "name": "Name", "description": "Description"}


@router.get("")
def account_list(
    request: Request,
    db: DbSession,
    principal: UiPrincipal,
    q: str | None = None,
    cursor: Cursor = None,
) -> Response:
    rows, next_cursor = service.list_accounts(
        db=db, tenant_id=principal.tenant_id, q=q or None, limit=PAGE_SIZE, cursor=cursor or None
    )
    counts = {
        a.id: service.contact_count(db=db, tenant_id=principal.tenant_id, account_id=a.id)
        for a in rows
    }
    context = {
        "accounts": rows,
        "counts": counts,
        "next_cursor": next_cursor,
        "paged": bool(cursor),
        "query": {"q": q} if q else {},
        "title": "Accounts",
    }
    if request.headers.get("X-Fragment") == "results":
        return render(request, "accounts/_results.html", context, principal=principal)
    return render(request, "accounts/list.html", context, principal=principal)


def _form_page(
    request: Request,
    principal: Principal,
    *,
    form: dict,
    account=None,
    errors: dict | None = None,
    status_code: int = 200,
) -> Response:
    context = {"account": account, "form": form, "errors": errors or {}, "labels": LABELS}
    return render(
        request, "accounts/form.html", context, principal=principal, status_code=status_code
    )


def _posted(posted) -> dict:
    return {name: form_text(posted, name) for name in LABELS}


def _errors_of(exc: ValidationFailed | Conflict) -> dict[str, str]:
    if isinstance(exc, ValidationFailed):
        return exc.by_field()
    return {"identifier": exc.message}  # the one unique field of an account


@router.get("/new")
def new_account(request: Request, principal: UiPrincipal) -> Response:
    principal.require("supervisor", "manage accounts")
    return _form_page(request, principal, form={})


@router.post("/new")
def create_account(
    request: Request, db: DbSession, principal: UiPrincipal, posted: PostedForm
) -> Response:
    principal.require("supervisor", "manage accounts")
    values = _posted(posted)
    try:
        account = service.create(
            db=db, tenant_id=principal.tenant_id, values=values, actor=principal.actor
        )
    except (ValidationFailed, Conflict) as exc:
        db.rollback()
        return _form_page(request, principal, form=values, errors=_errors_of(exc), status_code=422)
    get_session(request).flash(f"Account {account.identifier} created.")
    return RedirectResponse(f"/accounts/{account.id}", status_code=303)


@router.get("/{account_id}")
def account_page(
    request: Request,
    account_id: uuid.UUID,
    db: DbSession,
    principal: UiPrincipal,
    cursor: Cursor = None,
) -> Response:
    account = service.get(db=db, tenant_id=principal.tenant_id, account_id=account_id)
    rows, next_cursor = list_contacts(
        db=db,
        tenant=principal.tenant,
        filters=ContactFilters(account=str(account.id)),
        limit=PAGE_SIZE,
        cursor=cursor or None,
    )
    context = {
        "account": account,
        "contact_count": service.contact_count(
            db=db, tenant_id=principal.tenant_id, account_id=account.id
        ),
        "contacts": [contact_out(c) for c in rows],
        "next_cursor": next_cursor,
        "title": account.name,
    }
    return render(request, "accounts/detail.html", context, principal=principal)


@router.get("/{account_id}/edit")
def edit_account(
    request: Request, account_id: uuid.UUID, db: DbSession, principal: UiPrincipal
) -> Response:
    principal.require("supervisor", "manage accounts")
    account = service.get(db=db, tenant_id=principal.tenant_id, account_id=account_id)
    form = {name: getattr(account, name) or "" for name in LABELS}
    return _form_page(request, principal, form=form, account=account)


@router.post("/{account_id}/edit")
def save_account(
    request: Request,
    account_id: uuid.UUID,
    db: DbSession,
    principal: UiPrincipal,
    posted: PostedForm,
) -> Response:
    principal.require("supervisor", "manage accounts")
    account = service.get(db=db, tenant_id=principal.tenant_id, account_id=account_id)
    values = _posted(posted)
    try:
        service.update(
            db=db,
            account=account,
            changes=values,
            expected_version=posted_version(posted),
            actor=principal.actor,
        )
    except PreconditionFailed as exc:
        db.rollback()
        return _form_page(
            request, principal, form=values, account=account,
            errors={"form": exc.message}, status_code=409,
        )  # fmt: skip
    except (ValidationFailed, Conflict) as exc:
        db.rollback()
        account = service.get(db=db, tenant_id=principal.tenant_id, account_id=account_id)
        return _form_page(
            request, principal, form=values, account=account,
            errors=_errors_of(exc), status_code=422,
        )  # fmt: skip
    get_session(request).flash("Account saved.")
    return RedirectResponse(f"/accounts/{account.id}", status_code=303)


def _delete_page(
    request: Request, db, principal: Principal, account, problem: str | None, status_code: int
) -> Response:
    count = service.contact_count(db=db, tenant_id=principal.tenant_id, account_id=account.id)
    return render(
        request,
        "accounts/delete.html",
        {"account": account, "contact_count": count, "problem": problem},
        principal=principal,
        status_code=status_code,
    )


@router.get("/{account_id}/delete")
def confirm_delete(
    request: Request, account_id: uuid.UUID, db: DbSession, principal: UiPrincipal
) -> Response:
    principal.require("supervisor", "manage accounts")
    account = service.get(db=db, tenant_id=principal.tenant_id, account_id=account_id)
    return _delete_page(request, db, principal, account, None, 200)


@router.post("/{account_id}/delete")
def delete_account(
    request: Request,
    account_id: uuid.UUID,
    db: DbSession,
    principal: UiPrincipal,
    posted: PostedForm,
) -> Response:
    principal.require("supervisor", "manage accounts")
    account = service.get(db=db, tenant_id=principal.tenant_id, account_id=account_id)
    identifier = account.identifier
    try:
        service.delete(
            db=db,
            account=account,
            expected_version=posted_version(posted),
            actor=principal.actor,
        )
    except (Conflict, PreconditionFailed) as exc:
        db.rollback()
        account = service.get(db=db, tenant_id=principal.tenant_id, account_id=account_id)
        return _delete_page(request, db, principal, account, exc.message, exc.status_code)
    get_session(request).flash(f"Account {identifier} deleted.")
    return RedirectResponse("/accounts", status_code=303)
