"""Realistic contact-center history, generated fast and bulk-inserted (not through the API)."""

from __future__ import annotations

import random
import sys
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, text
from sqlalchemy.engine import Engine

from rapport.accounts.models import Account, AccountWord
from rapport.accounts.names import words_of
from rapport.contacts.models import Contact, ContactPoint
from rapport.core.ids import new_id
from rapport.core.text import fold
from rapport.interactions.models import Interaction, Message
from rapport.search.models import HistoryDocument

FIRST = (
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara "
    "Zoë José Renée Søren Ana Chloé Mateo Aisha Wei Yuki Olga Liam Noah Emma Mia Lucas Hana"
)
LAST = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernández "
    "Müller Schmidt Dubois Rossi Nowak Kowalski Tanaka Nguyen Kim Okafor Whitaker O'Brien"
)
WORDS = (
    "account bill billing invoice refund payment card charged twice order delivery parcel "
    "tracking address router modem internet outage slow connection password reset login "
    "upgrade plan contract cancel renewal discount warranty repair technician appointment "
    "thermostat boiler heating leak meter reading balance overdue late fee credit dispute "
    "thanks please help today tomorrow morning afternoon call back email confirm number "
    "the a to and of is it for on my your we can you i not with this that will have be "
    "café résumé naïve façade"
).split()
CHANNELS = ("voice", "chat", "email", "sms")
TRADES = "Plumbing Bakery Logistics Dental Motors Studio Consulting Farms Books Hardware".split()
SUBJECTS = [
    "Billing question", "Refund request", "Delivery delayed", "Internet outage",
    "Password reset", "Plan upgrade", "Warranty repair", "Late fee dispute", None,
]  # fmt: skip
BATCH = 5000


def progress(label: str, done: int, total: int, started: float) -> None:
    rate = done / max(time.perf_counter() - started, 1e-9)
    sys.stderr.write(f"\r  {label}: {done:>9,}/{total:,}  ({rate:,.0f}/s)   ")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def sentence(rng: random.Random, channel: str) -> str:
    # Chat and SMS lines are short; emails run to a few paragraphs.
    n = rng.randint(40, 220) if channel == "email" else rng.randint(4, 30)
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _batched(engine: Engine, table, rows_iter, total: int, label: str) -> None:
    started, done, batch = time.perf_counter(), 0, []
    with engine.begin() as connection:
        for row in rows_iter:
            batch.append(row)
            if len(batch) >= BATCH:
                connection.execute(insert(table), batch)
                done += len(batch)
                batch = []
                progress(label, done, total, started)
        if batch:
            connection.execute(insert(table), batch)
            done += len(batch)
        progress(label, done, total, started)


def generate(engine: Engine, tenant_id, scale: float, seed: int = 7) -> dict:
    rng = random.Random(seed)
    n_contacts = max(100, int(100_000 * scale))
    n_interactions = max(300, int(300_000 * scale))
    n_messages = max(1000, int(1_000_000 * scale))
    n_accounts = max(10, int(5_000 * scale))
    first, last = FIRST.split(), LAST.split()
    contact_ids = [new_id() for _ in range(n_contacts)]
    account_ids = [new_id() for _ in range(n_accounts)]
    now = datetime.now(UTC)

    def accounts():
        for n, aid in enumerate(account_ids):
            identifier = f"ACC-{n:06d}"
            yield {
                "tenant_id": tenant_id, "id": aid, "identifier": identifier,
                "identifier_key": identifier.casefold(),
                "name": f"{rng.choice(last)} {rng.choice(TRADES)}", "version": 1,
                "created_at": now, "updated_at": now,
            }  # fmt: skip

    def contacts():
        for n, cid in enumerate(contact_ids):
            f, la = rng.choice(first), rng.choice(last)
            yield {
                "tenant_id": tenant_id, "id": cid, "first_name": f, "last_name": la,
                "email": f"{fold(f)}.{fold(la)}{n}@example.com".replace("'", ""),
                "email_key": f"{fold(f)}.{fold(la)}{n}@example.com".replace("'", ""),
                "phone": f"+1415{n:07d}", "priority": 3, "preferred_channels": [],
                "custom_attributes": {}, "sort_name": fold(f"{f} {la}"), "first_key": fold(f),
                "last_key": fold(la), "version": 1, "created_at": now, "updated_at": now,
                # A third of the contacts belong to an account (a company or household).
                "account_id": rng.choice(account_ids) if n % 3 == 0 else None,
            }  # fmt: skip

    def points():
        for n, cid in enumerate(contact_ids):
            yield {"tenant_id": tenant_id, "contact_id": cid, "kind": "phone",
                   "value": f"+1415{n:07d}", "national": f"415{n:07d}"}  # fmt: skip

    account_rows = list(accounts())
    _batched(engine, Account.__table__, iter(account_rows), n_accounts, "accounts")
    words = [
        {"tenant_id": tenant_id, "account_id": row["id"], "word": word}
        for row in account_rows
        for word in words_of(row["name"])
    ]  # what accounts.names keeps for accounts written through the ORM
    _batched(engine, AccountWord.__table__, iter(words), len(words), "account words")
    _batched(engine, Contact.__table__, contacts(), n_contacts, "contacts")
    _batched(engine, ContactPoint.__table__, points(), n_contacts, "contact points")

    interactions = []
    for _ in range(n_interactions):
        channel = rng.choice(CHANNELS)
        started = now - timedelta(seconds=rng.randint(600, 2 * 365 * 86400))
        interactions.append((new_id(), rng.choice(contact_ids), channel, started))
    subjects = {}

    def interaction_rows():
        for n, (iid, cid, channel, started) in enumerate(interactions):
            subjects[iid] = rng.choice(SUBJECTS)
            yield {
                "tenant_id": tenant_id, "id": iid, "contact_id": cid, "channel": channel,
                "direction": "inbound", "address": f"+1415{n % n_contacts:07d}",
                "address_entered": "", "match_count": 1, "subject": subjects[iid],
                "state": "completed", "started_at": started,
                "ended_at": started + timedelta(minutes=8), "version": 1,
                "created_at": started, "updated_at": started,
            }  # fmt: skip

    _batched(engine, Interaction.__table__, interaction_rows(), n_interactions, "interactions")

    bodies: dict = {}

    def message_rows():
        for n in range(n_messages):
            # Every interaction gets one message, the rest fall where they fall.
            iid, _cid, channel, started = interactions[
                n if n < n_interactions else rng.randrange(n_interactions)
            ]
            body = sentence(rng, channel)
            bodies.setdefault(iid, []).append(body)
            yield {
                "tenant_id": tenant_id, "id": new_id(), "interaction_id": iid,
                "sender": rng.choice(("contact", "agent")), "content_type": "text/plain",
                "text": body, "sent_at": started + timedelta(seconds=n % 600), "created_at": now,
            }  # fmt: skip

    _batched(engine, Message.__table__, message_rows(), n_messages, "messages")
    sqlite = engine.dialect.name == "sqlite"

    def document_rows():
        for n, (iid, _cid, _channel, _started) in enumerate(interactions, start=1):
            parts = [subjects[iid], *bodies.get(iid, [])]
            yield {
                "tenant_id": tenant_id, "interaction_id": iid,
                "body": "\n\n".join(p for p in parts if p), "fts_rowid": n if sqlite else None,
            }  # fmt: skip

    _batched(engine, HistoryDocument.__table__, document_rows(), n_interactions, "documents")
    if sqlite:
        sys.stderr.write("  building the FTS5 index...\n")
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO history_fts(history_fts) VALUES ('rebuild')"))
    else:
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    return {
        "contacts": n_contacts, "accounts": n_accounts, "interactions": n_interactions,
        "messages": n_messages, "contact_ids": contact_ids,
        "interaction_ids": [i[0] for i in interactions],
    }  # fmt: skip
