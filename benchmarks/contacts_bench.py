"""Contacts at scale: get-by-id, a filtered list page, a look-up by phone number and a search by
the start of an email through the HTTP app, each beside the same query in raw SQL on the same
database in the same run.

    .venv/bin/python benchmarks/contacts_bench.py [--contacts 100000] [--database both]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import uuid
from pathlib import Path

import httpx
from rich.progress import Progress
from sqlalchemy import insert, text
from sqlalchemy.engine import Engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import bench_database, comparison_table, console, serve, timed  # noqa: E402
from rapport.contacts.models import Contact, ContactAddress, ContactPoint  # noqa: E402
from rapport.core.db import make_session_factory, utcnow  # noqa: E402
from rapport.core.ids import new_id  # noqa: E402
from rapport.tenants import service as tenants_service  # noqa: E402
from rapport.users import service as users_service  # noqa: E402

FIRST = ["Anna", "Ben", "Chloé", "David", "Emma", "Felix", "Grace", "Hugo", "Ines", "Jonas",
         "Karin", "Liam", "Maria", "Noah", "Olga", "Paul", "Quinn", "Rosa", "Sven", "Tara"]
LAST = ["Smith", "Müller", "García", "Rossi", "Dubois", "Novak", "Kowalski", "Silva", "Jensen",
        "Tanaka", "Brown", "Martin", "Nguyen", "Khan", "Olsen", "Horvat", "Costa", "Meyer"]
COUNTRIES = ["US", "DE", "FR", "GB", "ES", "IT", "NL", "JP"]
BATCH = 5_000


def phone_of(i: int) -> str:
    # Valid North American numbers: area code 415, exchanges 200 to 299.
    return f"+1415{200 + i // 10_000:03d}{i % 10_000:04d}"


def email_of(i: int) -> str:
    """Every contact's second email (its first is its name's)."""
    return f"c{i}@home.example"


def generate(engine: Engine, tenant_id: uuid.UUID, count: int) -> list[uuid.UUID]:
    rng = random.Random(7)
    ids: list[uuid.UUID] = []
    now = utcnow()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(f"{engine.dialect.name}: {count:,} contacts", total=count)
        for start in range(0, count, BATCH):
            contacts, points, addresses = [], [], []
            for i in range(start, min(start + BATCH, count)):
                first, last = rng.choice(FIRST), rng.choice(LAST)
                contact_id = new_id()
                ids.append(contact_id)
                email = f"{first.lower()}.{last.lower()}.{i}@example.com"
                phone = phone_of(i)
                contacts.append({
                    "tenant_id": tenant_id, "id": contact_id, "first_name": first,
                    "last_name": last, "country": (country := rng.choice(COUNTRIES)),
                    "email": email, "email_key": email, "phone": phone,
                    "priority": rng.randint(1, 5), "preferred_channels": ["email"],
                    "custom_attributes": {}, "sort_name": f"{first} {last}".lower(),
                    "first_key": first.lower(), "last_key": last.lower(), "version": 1,
                    "created_at": now, "updated_at": now, "time_zone": "America/Los_Angeles",
                    "time_zone_source": "inferred",
                })  # fmt: skip
                points.append({"tenant_id": tenant_id, "contact_id": contact_id, "kind": "phone",
                               "value": phone, "national": phone[2:]})  # fmt: skip
                points.append({"tenant_id": tenant_id, "contact_id": contact_id, "kind": "email",
                               "value": email, "national": None, "position": 1})  # fmt: skip
                points.append({"tenant_id": tenant_id, "contact_id": contact_id, "kind": "email",
                               "value": email_of(i), "national": None, "label": "home",
                               "is_primary": False, "position": 2})  # fmt: skip
                addresses.append({"tenant_id": tenant_id, "contact_id": contact_id,
                                  "position": 0, "label": "work", "is_primary": True,
                                  "country": country})  # fmt: skip
            with engine.begin() as connection:
                connection.execute(insert(Contact), contacts)
                connection.execute(insert(ContactPoint), points)
                connection.execute(insert(ContactAddress), addresses)
            progress.advance(task, len(contacts))
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    return ids


def setup_tenant(engine: Engine) -> tuple[uuid.UUID, str]:
    factory = make_session_factory(engine)
    with factory.begin() as db:
        tenant = tenants_service.create(db=db, slug="bench", name="Bench", default_country="US")
        user = users_service.create(db=db, tenant_id=tenant.id, email="b@bench.io", role="agent")
        _token, secret = users_service.create_token(db=db, user=user)
        return tenant.id, secret


def sql_param(engine: Engine, value: uuid.UUID) -> object:
    # Rapport stores UUIDs as 32 hex characters on SQLite and as native uuid on PostgreSQL.
    return value.hex if engine.dialect.name == "sqlite" else value


EMAIL_PREFIX_SQL = (
    "SELECT contact_id FROM contact_points WHERE tenant_id = :t AND value >= :v "
    "AND value < :upper AND kind = 'email' AND value LIKE :like ESCAPE '/'"
)


def explain(engine: Engine, tenant_id: uuid.UUID, query: str, **values) -> str:
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    with engine.connect() as connection:
        rows = connection.execute(
            text(prefix + query), {"t": sql_param(engine, tenant_id), **values}
        ).fetchall()
    return " | ".join(str(row[-1]) for row in rows)


def prefix_values(typed: str) -> dict[str, str]:
    return {"v": typed, "upper": typed[:-1] + chr(ord(typed[-1]) + 1), "like": typed + "%"}


def run(engine: Engine, count: int, iterations: int) -> list[tuple]:
    tenant_id, token = setup_tenant(engine)
    ids = generate(engine, tenant_id, count)
    phone_plan = explain(
        engine, tenant_id, "SELECT contact_id FROM contact_points WHERE tenant_id = :t "
        "AND value = :v", v=phone_of(1),
    )  # fmt: skip
    console.print(f"[bold]{engine.dialect.name}[/] phone look-up plan: {phone_plan}")
    email_plan = explain(engine, tenant_id, EMAIL_PREFIX_SQL, **prefix_values(email_of(1)))
    console.print(f"[bold]{engine.dialect.name}[/] email prefix plan: {email_plan}")
    rng = random.Random(11)
    sample_ids = [rng.choice(ids) for _ in range(iterations + 20)]
    sample_phones = [rng.randrange(count) for _ in range(iterations + 20)]
    tenant = sql_param(engine, tenant_id)

    get_sql = text("SELECT * FROM contacts WHERE tenant_id = :t AND id = :id")
    list_sql = text(
        "SELECT * FROM contacts WHERE tenant_id = :t AND country = :c AND priority = :p "
        "ORDER BY sort_name, id LIMIT 51"
    )
    phone_sql = text(
        "SELECT * FROM contacts WHERE tenant_id = :t AND id IN (SELECT contact_id FROM "
        "contact_points WHERE tenant_id = :t AND value = :v AND kind IN ('phone', 'mobile')) "
        "ORDER BY sort_name, id LIMIT 51"
    )
    # The start of a contact's second email, as an agent types it ("c12345@home"): more
    # letters than digits, so not also a digit search.
    typed = [email_of(rng.randrange(count))[:-8] for _ in range(iterations + 20)]
    q_sql = text(
        "SELECT * FROM contacts WHERE tenant_id = :t AND (first_key LIKE :like ESCAPE '/' "
        "OR last_key LIKE :like ESCAPE '/' OR sort_name LIKE :like ESCAPE '/' OR id IN ("
        + EMAIL_PREFIX_SQL + ")) ORDER BY sort_name, id LIMIT 51"
    )
    rows = []
    with serve(engine) as base, httpx.Client(
        base_url=base, headers={"Authorization": f"Bearer {token}"}
    ) as client, engine.connect() as connection:

        def national(i: int) -> str:
            number = phone_of(sample_phones[i])
            return f"({number[2:5]}) {number[5:8]}-{number[8:]}"

        cases = [
            ("get by id",
             lambda i: client.get(f"/api/v1/contacts/{sample_ids[i]}").raise_for_status(),
             lambda i: connection.execute(
                 get_sql, {"t": tenant, "id": sql_param(engine, sample_ids[i])}).fetchall()),
            ("filtered list page (country, priority; 50 rows)",
             lambda i: client.get("/api/v1/contacts", params={
                 "country": COUNTRIES[i % 8], "priority": i % 5 + 1, "limit": 50,
             }).raise_for_status(),
             lambda i: connection.execute(
                 list_sql, {"t": tenant, "c": COUNTRIES[i % 8], "p": i % 5 + 1}).fetchall()),
            ("look-up by phone (national format)",
             lambda i: client.get("/api/v1/contacts", params={"phone": national(i)})
             .raise_for_status(),
             lambda i: connection.execute(
                 phone_sql, {"t": tenant, "v": phone_of(sample_phones[i])}).fetchall()),
            ("search by the start of a second email (?q=)",
             lambda i: client.get("/api/v1/contacts", params={"q": typed[i]})
             .raise_for_status(),
             lambda i: connection.execute(
                 q_sql, {"t": tenant, **prefix_values(typed[i])}).fetchall()),
        ]  # fmt: skip
        for name, app_call, raw_call in cases:
            app_samples = timed(app_call, iterations)
            raw_samples = timed(raw_call, iterations)
            rows.append((engine.dialect.name, name, app_samples, raw_samples))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            with bench_database(backend, tmp) as engine:
                rows += run(engine, args.contacts, args.iterations)
    console.print(comparison_table(f"Contacts: {args.contacts:,} per tenant", rows))


if __name__ == "__main__":
    main()
