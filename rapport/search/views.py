"""The results page of the one search box: contacts, accounts and interactions."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from rapport.contacts import fields
from rapport.contacts.service import display_name_of
from rapport.core.deps import DbSession
from rapport.interactions.views import duration_of
from rapport.search import everything
from rapport.web.deps import UiPrincipal
from rapport.web.templating import render

router = APIRouter(include_in_schema=False)
PER_KIND = 10
MAX_QUERY = 200
# Digits with the punctuation people type in phone numbers, and enough digits to be one.
_PHONE_LIKE = re.compile(r"^\+?[\d\s().\-/]+$")


def looks_like_phone(q: str) -> bool:
    return bool(_PHONE_LIKE.match(q.strip())) and sum(ch.isdigit() for ch in q) >= 5


@router.get("/search")
def search_page(request: Request, db: DbSession, principal: UiPrincipal, q: str = "") -> Response:
    q = q.strip()[:MAX_QUERY]
    found = everything.search(db=db, tenant=principal.tenant, q=q, limit=PER_KIND)
    if looks_like_phone(q) and len(found.contacts) == 1:
        # A caller's number found one contact: the agent wants that contact, not a list.
        return RedirectResponse(f"/contacts/{found.contacts[0][0].id}", status_code=303)
    contacts = [
        {
            "contact": contact,
            "name": display_name_of(contact),
            "phone": fields.display_phone(contact.phone or contact.mobile, contact.country),
            "matched": matched,
        }
        for contact, _score, matched in found.contacts
    ]
    interactions = [
        {"interaction": hit.interaction, "snippet": hit.snippet,
         "duration": duration_of(hit.interaction)}
        for hit in found.interactions
    ]  # fmt: skip
    context = {
        "title": f"Search: {q}" if q else "Search",
        "q": q,
        "global_q": q,
        "contacts": contacts,
        "accounts": [account for account, _score in found.accounts],
        "interactions": interactions,
        "total": len(contacts) + len(found.accounts) + len(interactions),
    }
    return render(request, "search/results.html", context, principal=principal)
