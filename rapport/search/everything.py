"""The one search box: contacts, accounts and interactions of the tenant, ranked per kind.

Contacts are found by name prefix (accents and case ignored, one typo forgiven), email
prefix, phone digits in any format, or their account's identifier. The typo tolerance runs
in Python (rapidfuzz) over a candidate set narrowed in the database by the first two
letters of each typed word (index probes of the name keys), so it costs the same on SQLite
and PostgreSQL and stays cheap at a hundred thousand contacts.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA
from sqlalchemy import and_, or_, select, union
from sqlalchemy.orm import Session

from rapport.accounts import service as accounts_service
from rapport.accounts.models import Account
from rapport.contacts import listing
from rapport.contacts.models import Contact
from rapport.core.db import like_literal, starts_with
from rapport.search import fulltext, history

CANDIDATES = 2000
NARROWING_PREFIX = 2


@dataclass
class Results:
    contacts: list[tuple[Contact, float, str]] = field(default_factory=list)
    accounts: list[tuple[Account, float]] = field(default_factory=list)
    interactions: list[history.Hit] = field(default_factory=list)


def _word_score(typed: str, words: list[str]) -> float:
    """1 for a prefix of a word; 0.8 for a prefix with one typo (a wrong, missing, extra
    or swapped letter) once three letters are typed; else 0."""
    best = 0.0
    for word in words:
        if word.startswith(typed):
            return 1.0
        if len(typed) >= 3 and any(
            OSA.distance(typed, word[:n], score_cutoff=1) <= 1
            for n in (len(typed) - 1, len(typed), len(typed) + 1)
        ):
            best = 0.8
    return best


def _narrowing(word: str, column, dialect: str) -> list:
    """Conditions that keep every name within one typo of `word`'s start, as long as its
    first letter is right: same two letters, a wrong or missing second one, or an extra.
    Each is an index probe: a prefix range, filtered by a pattern within it."""
    if len(word) < NARROWING_PREFIX:
        return []
    conditions = [starts_with(column, word[:2], dialect)]
    if len(word) >= 3:
        first, second, third = (like_literal(c) for c in word[:3])
        conditions.append(starts_with(column, word[0] + word[2], dialect))
        conditions.append(
            and_(
                starts_with(column, word[0], dialect),
                or_(column.like(f"{first}_{third}%", escape="/"),
                    column.like(f"{first}_{second}%", escape="/")),
            )
        )  # fmt: skip
    return conditions


def _fuzzy_contacts(db: Session, tenant_id: uuid.UUID, typed: list[str]) -> list[tuple]:
    dialect = db.get_bind().dialect.name
    # One probe per column and pattern, united (an OR of them all is planned as a scan).
    probes = [
        select(Contact.id, Contact.first_key, Contact.last_key).where(
            Contact.tenant_id == tenant_id, condition
        )
        for word in typed
        for column in (Contact.first_key, Contact.last_key)
        for condition in _narrowing(word, column, dialect)
    ]
    if not probes:
        return []
    # Names only for the candidates (up to CANDIDATES of them); whole contacts for the few kept.
    rows = db.execute(union(*probes).limit(CANDIDATES))
    scored = []
    # Names repeat (many Marias, many Garcias): each distinct one is scored once.
    score_of: dict[tuple[str, str], float] = {}
    for contact_id, first_key, last_key in rows:
        score = score_of.get((first_key, last_key))
        if score is None:
            words = f"{first_key} {last_key}".split()
            scores = [_word_score(word, words) for word in typed]
            score = score_of[first_key, last_key] = sum(scores) / len(scores) if all(scores) else 0
        if score:
            scored.append((contact_id, score))
    if not scored:
        return []
    contacts = {
        c.id: c
        for c in db.scalars(
            select(Contact).where(
                Contact.tenant_id == tenant_id, Contact.id.in_([i for i, _ in scored])
            )
        )
    }
    return [(contacts[i], score, "name") for i, score in scored if i in contacts]


def search(*, db: Session, tenant, q: str, limit: int = 10) -> Results:
    results = Results()
    typed = fulltext.terms_of(q)
    if not typed:
        return results
    ranked: dict[uuid.UUID, tuple[Contact, float, str]] = {}

    # Exact-ish matches first: name/email prefixes and phone digits (the contacts list rules).
    exact, _ = listing.list_contacts(
        db=db, tenant=tenant, filters=listing.ContactFilters(q=q), limit=limit
    )
    for contact in exact:
        ranked[contact.id] = (contact, 1.0, "exact")
    for contact, score, why in _fuzzy_contacts(db, tenant.id, typed):
        if contact.id not in ranked or ranked[contact.id][1] < score:
            ranked[contact.id] = (contact, score, why)

    accounts, _ = accounts_service.list_accounts(db=db, tenant_id=tenant.id, q=q, limit=limit)
    results.accounts = [
        (a, 1.0 if a.identifier_key.startswith(q.strip().casefold()) else 0.7) for a in accounts
    ]
    results.accounts.sort(key=lambda pair: (-pair[1], pair[0].identifier_key))
    exact_account = [a for a, score in results.accounts if score == 1.0]
    if exact_account:
        members, _ = listing.list_contacts(
            db=db,
            tenant=tenant,
            filters=listing.ContactFilters(account=str(exact_account[0].id)),
            limit=limit,
        )
        for contact in members:
            ranked.setdefault(contact.id, (contact, 0.6, "account"))

    results.contacts = sorted(ranked.values(), key=lambda t: (-t[1], t[0].sort_name))[:limit]
    results.interactions, _ = history.history(
        db=db, tenant_id=tenant.id, filters=history.HistoryFilters(q=q), limit=limit
    )
    return results
