"""Import and export at scale: the importer (every row validated and normalised by the contacts
service, upserted, audited, checked for likely duplicates, checkpointed) beside a bare bulk
insert of the same rows already normalised (executemany), and the streamed CSV export, on the
same database in the same run.

    .venv/bin/python benchmarks/import_bench.py [--rows 10000,200000] [--database both]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import bench_database, console  # noqa: E402
from rapport.audit.models import AuditEvent  # noqa: E402
from rapport.contacts import fields  # noqa: E402
from rapport.contacts.listing import ContactFilters  # noqa: E402
from rapport.contacts.models import Contact, ContactAddress, ContactPoint  # noqa: E402
from rapport.core.auth import Actor  # noqa: E402
from rapport.core.db import make_session_factory, utcnow  # noqa: E402
from rapport.core.ids import new_id  # noqa: E402
from rapport.core.text import fold
from rapport.exports import service as exports  # noqa: E402
from rapport.imports import runner, service  # noqa: E402
from rapport.imports.models import ImportChange  # noqa: E402
from rapport.imports.worker import claim  # noqa: E402
from rapport.tenants import service as tenants_service  # noqa: E402

FIRST = ["Anna", "Ben", "Chloé", "David", "Emma", "Felix", "Grace", "Hugo", "Ines", "Jonas",
         "Karin", "Liam", "Maya", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Sven", "Tara",
         "Umar", "Vera", "Wei", "Xenia", "Yusuf", "Zoë", "Aiko", "Björn", "Carmen", "Dmitri",
         "Elena", "Farah", "Gustav", "Hana", "Ivan", "Julia", "Kofi", "Lena", "Mateo", "Nina"]
CONSONANTS, VOWELS = "bdfgklmnprstvz", "aeiou"
CITIES = ["San Francisco", "Oakland", "Berkeley", "San José", "Palo Alto", "Fremont",
          "Sacramento", "Fresno", "Daly City", "Hayward", "Richmond", "Santa Rosa"]
# Every TWIN_EVERY-th row is an earlier row's person again, with two letters of the last name
# swapped and a new email and mobile: the possible duplicates the import should flag. Other
# names are drawn from about 24 million last names, so few pairs look alike by chance.
TWIN_EVERY, TWIN_OF = 50, 17
HEADER = ["First Name", "Last Name", "E-mail", "Mobile Phone", "City", "Zip", "Country", "Priority"]
BULK_BATCH = 5_000
AUDITED = {"first_name", "last_name", "email", "mobile", "city", "postal_code", "country",
           "priority", "time_zone"}  # fmt: skip


def person(i: int) -> tuple[str, str, str]:
    """First name, last name and city of row i, the same on every call."""
    draw = random.Random(i)
    syllables = draw.randint(3, 4)
    last = "".join(draw.choice(CONSONANTS) + draw.choice(VOWELS) for _ in range(syllables))
    return draw.choice(FIRST), last.title(), CITIES[i % len(CITIES)]


def row_of(i: int) -> list[str]:
    if i % TWIN_EVERY == TWIN_EVERY - 1:
        first, last, city = person(i - TWIN_OF)
        last = last[:-2] + last[-1] + last[-2]
    else:
        first, last, city = person(i)
    mobile = f"(415) {200 + i // 10_000:03d}-{i % 10_000:04d}"
    return [first, last, f"{first.lower()}.{i}@example.com", mobile, city,
            f"94{i % 1000:03d}", "US", str(1 + i % 5)]  # fmt: skip


def write_file(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            writer.writerow(row_of(i))


class PeakRss:
    """Peak resident memory above the starting point, sampled from /proc while a phase runs."""

    def __enter__(self):
        self.base = self.peak = self._rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @staticmethod
    def _rss() -> int:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, self._rss())

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.base) / 2**20


def new_job(factory, tenant_id, path: Path):
    with factory() as db, db.begin():
        return service.create_job(db=db, tenant_id=tenant_id, actor=Actor(via="import",
                                  label="bench"), filename=path.name, file_path=path)  # fmt: skip


def run_import(factory, tenant_id, path: Path, rows: int, label: str) -> tuple[float, float, int]:
    job = new_job(factory, tenant_id, path)
    with factory() as db, db.begin():
        claim(db=db, tenant_id=tenant_id, job_id=job.id)
    columns = (TextColumn(f"{label} import"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]:,.0f} rows/s"))  # fmt: skip
    with Progress(*columns, console=console, transient=True) as bar, PeakRss() as memory:
        task = bar.add_task("import", total=rows, rate=0.0)
        started = time.perf_counter()
        done = runner.run(session_factory=factory, tenant_id=tenant_id, job_id=job.id,
                          on_progress=lambda p: bar.update(task, completed=p.rows_done,
                                                           rate=p.rate or 0))  # fmt: skip
        elapsed = time.perf_counter() - started
    assert done.status == "completed" and done.created == rows, done.message
    return rows / elapsed, memory.growth_mb, done.possible_duplicates


def bulk_insert(engine, tenant_id, job_id, rows: int, label: str) -> tuple[float, float]:
    """The same rows, normalised before the clock starts, inserted with executemany into the
    tables an import writes: contacts, their points and address, an audit event and an import
    change each."""
    now = utcnow()
    contacts, points, addresses, events, changes = [], [], [], [], []
    for i in range(rows):
        first, last, email, mobile, city, postal, country, priority = row_of(i)
        e164 = fields.parse_phone("mobile", mobile, "US").e164
        contact_id = new_id()
        contacts.append({
            "tenant_id": tenant_id, "id": contact_id, "first_name": first, "last_name": last,
            "email": email, "email_key": email.lower(), "mobile": e164, "city": city,
            "postal_code": postal, "country": country, "priority": int(priority),
            "time_zone": "America/Los_Angeles", "time_zone_source": "inferred",
            "preferred_channels": [], "custom_attributes": {},
            "sort_name": fold(f"{first} {last}"), "first_key": fold(first),
            "last_key": fold(last), "version": 1,
            "created_at": now, "updated_at": now,
        })  # fmt: skip
        audited = {k: [None, v] for k, v in contacts[-1].items() if k in AUDITED and v}
        audited["phones"] = [None, f"{e164} (mobile, primary)"]
        audited["emails"] = [None, f"{email} (work, primary)"]
        events.append({
            "tenant_id": tenant_id, "id": new_id(), "at": now, "actor_label": "bench",
            "via": "import", "action": "create", "record_type": "contact",
            "record_id": contact_id, "record_label": f"{first} {last}", "changes": audited,
        })  # fmt: skip
        changes.append({"tenant_id": tenant_id, "import_id": job_id, "contact_id": contact_id,
                        "line": i + 2, "action": "created", "version_after": 1})  # fmt: skip
        points += [
            {"tenant_id": tenant_id, "contact_id": contact_id, "kind": "mobile", "value": e164,
             "national": e164[2:]},
            {"tenant_id": tenant_id, "contact_id": contact_id, "kind": "email",
             "value": email.lower(), "national": None},
        ]  # fmt: skip
        # The import keeps the city, ZIP and country as the contact's primary address too.
        addresses.append({"tenant_id": tenant_id, "contact_id": contact_id, "position": 0,
                          "label": "work", "is_primary": True, "city": city,
                          "postal_code": postal, "country": country})  # fmt: skip
    with Progress(TextColumn(f"{label} bulk insert"), BarColumn(), MofNCompleteColumn(),
                  console=console, transient=True) as bar, PeakRss() as memory:  # fmt: skip
        task = bar.add_task("bulk", total=rows)
        started = time.perf_counter()
        for start in range(0, rows, BULK_BATCH):
            with engine.begin() as connection:
                connection.execute(insert(Contact), contacts[start : start + BULK_BATCH])
                batch_points = points[2 * start : 2 * (start + BULK_BATCH)]
                connection.execute(insert(ContactPoint), batch_points)
                connection.execute(insert(ContactAddress), addresses[start : start + BULK_BATCH])
                connection.execute(insert(AuditEvent), events[start : start + BULK_BATCH])
                connection.execute(insert(ImportChange), changes[start : start + BULK_BATCH])
            bar.update(task, completed=min(rows, start + BULK_BATCH))
        elapsed = time.perf_counter() - started
    return rows / elapsed, memory.growth_mb


def run_export(factory, tenant_id, rows: int, label: str) -> tuple[float, float]:
    with Progress(TextColumn(f"{label} export"), BarColumn(), MofNCompleteColumn(),
                  console=console, transient=True) as bar, PeakRss() as memory:  # fmt: skip
        task = bar.add_task("export", total=rows)
        started = time.perf_counter()
        size = 0
        for chunk in exports.export(session_factory=factory, tenant_id=tenant_id,
                                    filters=ContactFilters(), file_format="csv",
                                    on_record=lambda: bar.advance(task)):  # fmt: skip
            size += len(chunk)
        elapsed = time.perf_counter() - started
    return rows / elapsed, memory.growth_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", default="10000,200000", help="comma-separated row counts")
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    table = Table(title="Import and export (rows/s; memory = peak RSS growth during the phase)")
    for column in ("database", "rows", "import rows/s", "import MB", "flagged (planted)",
                   "bulk insert rows/s", "bulk MB", "import / bulk", "export rows/s",
                   "export MB"):  # fmt: skip
        table.add_column(column, justify="left" if column == "database" else "right")
    with tempfile.TemporaryDirectory() as tmp:
        for rows in (int(r) for r in args.rows.split(",")):
            path = Path(tmp) / f"contacts-{rows}.csv"
            write_file(path, rows)
            for backend in backends:
                label = f"{backend} {rows:,}"
                with bench_database(backend, tmp, name=f"rapport_import_bench_{rows}") as engine:
                    factory = make_session_factory(engine)
                    with factory() as db, db.begin():
                        imported = tenants_service.create(db=db, slug="imported", name="I",
                                                          default_country="US").id  # fmt: skip
                        bulk = tenants_service.create(db=db, slug="bulk", name="B",
                                                      default_country="US").id  # fmt: skip
                    rate, memory, flagged = run_import(factory, imported, path, rows, label)
                    bulk_job = new_job(factory, bulk, path).id
                    bulk_rate, bulk_memory = bulk_insert(engine, bulk, bulk_job, rows, label)
                    export_rate, export_memory = run_export(factory, imported, rows, label)
                table.add_row(backend, f"{rows:,}", f"{rate:,.0f}", f"{memory:,.0f}",
                              f"{flagged:,} ({rows // TWIN_EVERY:,})", f"{bulk_rate:,.0f}",
                              f"{bulk_memory:,.0f}",
                              f"{rate / bulk_rate:.2f}", f"{export_rate:,.0f}",
                              f"{export_memory:,.0f}")  # fmt: skip
                console.print(f"{label}: import {rate:,.0f} rows/s, bulk {bulk_rate:,.0f} "
                              f"rows/s, export {export_rate:,.0f} rows/s")  # fmt: skip
    console.print(table)


if __name__ == "__main__":
    main()
