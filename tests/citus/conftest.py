"""Fixtures for the scenario suite on a real Citus cluster (a coordinator and two workers).

Runs only when RAPPORT_TEST_CITUS names the coordinator (`make test` starts the cluster
with ../shared/citus/cluster and sets it); under CI its absence is a failure, not a skip.
Each test run makes its own database on every node; data is committed for real (Citus
routes each request's transaction to one worker), in tenants made for the test.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.engine.url import make_url

from rapport.core import migrate
from rapport.core.config import Settings
from rapport.core.db import make_engine, make_session_factory, transaction
from rapport.main import create_app
from rapport.tenants import service as tenants_service
from rapport.users import service as users_service
from tests.conftest import IN_CI

CITUS_URL = os.environ.get("RAPPORT_TEST_CITUS", "")
SHARDS = 4  # enough to show routing; fewer shards keep the suite quick


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if "/citus/" in str(item.fspath):
            item.add_marker(pytest.mark.citus)


def _admin(url: str, database: str) -> Engine:
    return create_engine(make_url(url).set(database=database), isolation_level="AUTOCOMMIT")


def create_database(base_url: str, name: str) -> str:
    """A database with citus on the coordinator and every worker, the workers added."""
    coordinator = _admin(base_url, "postgres")
    with coordinator.connect() as c:
        workers = c.execute(text("SELECT nodename, nodeport FROM pg_dist_node "
                                 "WHERE groupid <> 0 ORDER BY nodeport")).all()  # fmt: skip
        coordinator_port = make_url(base_url).port
    coordinator.dispose()
    nodes = [make_url(base_url)] + [
        make_url(base_url).set(host=host, port=port) for host, port in workers
    ]
    for node in nodes:
        engine = _admin(node.render_as_string(hide_password=False), "postgres")
        with engine.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        engine = _admin(node.render_as_string(hide_password=False), name)
        with engine.connect() as c:
            c.execute(text("CREATE EXTENSION citus"))
        engine.dispose()
    engine = _admin(base_url, name)
    with engine.connect() as c:
        c.execute(text(f"ALTER DATABASE \"{name}\" SET citus.shard_count = {SHARDS}"))
        c.execute(text("SELECT citus_set_coordinator_host(:h, :p)"),
                  {"h": make_url(base_url).host, "p": coordinator_port})  # fmt: skip
        for host, port in workers:
            c.execute(text("SELECT citus_add_node(:h, :p)"), {"h": host, "p": port})
    engine.dispose()
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


def drop_database(base_url: str, name: str) -> None:
    coordinator = _admin(base_url, "postgres")
    with coordinator.connect() as c:
        workers = c.execute(text("SELECT nodename, nodeport FROM pg_dist_node "
                                 "WHERE groupid <> 0")).all()  # fmt: skip
    coordinator.dispose()
    for node in [make_url(base_url)] + [make_url(base_url).set(host=h, port=p)
                                        for h, p in workers]:  # fmt: skip
        engine = _admin(node.render_as_string(hide_password=False), "postgres")
        with engine.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture(scope="session")
def citus_base_url() -> str:
    if not CITUS_URL:
        message = "RAPPORT_TEST_CITUS is not set (make test starts the Citus cluster)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return CITUS_URL.rstrip("/")


@pytest.fixture(scope="session")
def fresh_citus_database(citus_base_url) -> Iterator:
    """Makes databases on the cluster and drops them at the end."""
    made: list[str] = []

    def make() -> str:
        name = f"rapport_citus_{uuid.uuid4().hex[:10]}"
        made.append(name)
        return create_database(citus_base_url, name)

    yield make
    for name in made:
        drop_database(citus_base_url, name)


@pytest.fixture(scope="session")
def citus_engine(fresh_citus_database) -> Iterator[Engine]:
    """A database migrated by `rapport migrate`'s code: distributed on first run."""
    engine = make_engine(fresh_citus_database(), pool_size=20)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@dataclass
class Statements:
    """Every statement sent to the database while recording (for EXPLAIN)."""

    recording: bool = False
    seen: list[tuple[str, object]] = field(default_factory=list)


@pytest.fixture(scope="session")
def statements(citus_engine) -> Statements:
    recorder = Statements()

    @event.listens_for(citus_engine, "before_cursor_execute")
    def _record(_conn, _cursor, statement, parameters, _context, executemany) -> None:
        if recorder.recording and not executemany:
            recorder.seen.append((statement, parameters))

    return recorder


@pytest.fixture(scope="session")
def citus_app(citus_engine, statements, tmp_path_factory):
    settings = Settings(
        DATABASE_URL=citus_engine.url.render_as_string(hide_password=False),
        RAPPORT_SECRET_KEY="test-secret-key-" + "x" * 32,
        RAPPORT_DATA_DIR=str(tmp_path_factory.mktemp("citus-data")),
    )
    return create_app(settings, citus_engine)


@dataclass
class Member:
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    client: TestClient


def make_tenant(app, engine: Engine, roles: dict[str, str]) -> dict[str, Member]:
    """A new tenant with a user (and API client) per name -> role."""
    slug = "t" + uuid.uuid4().hex[:12]
    members = {}
    with transaction(make_session_factory(engine)) as db:
        tenant = tenants_service.create(db=db, slug=slug, name=slug.upper(),
                                        default_country="US", time_zone="America/Chicago")
        for name, role in roles.items():
            user = users_service.create(db=db, tenant_id=tenant.id,
                                        email=f"{name}@{slug}.example", role=role)
            _token, secret = users_service.create_token(db=db, user=user)
            client = TestClient(app, headers={"Authorization": f"Bearer {secret}"})
            members[name] = Member(tenant.id, user.id, client)  # fmt: skip
    return members


_WORDS = re.compile(r"^\s*(SELECT|UPDATE|DELETE|INSERT|WITH)\b", re.IGNORECASE)


def explain(engine: Engine, statement: str, parameters) -> str:
    with engine.connect() as c:
        rows = c.exec_driver_sql("EXPLAIN " + statement, parameters or {}).all()
        c.rollback()
    return "\n".join(r[0] for r in rows)


def is_query(statement: str) -> bool:
    return bool(_WORDS.match(statement))
