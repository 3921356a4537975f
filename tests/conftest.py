"""Test fixtures: a real database (SQLite and PostgreSQL), the real app, named personas.

Every database test runs on both backends. Each test runs inside a transaction that is rolled
back at its end (requests commit to a savepoint), so tests never see each other's data. Each
test run gets its own SQLite file and its own PostgreSQL database, so runs never collide.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from rapport.core import migrate
from rapport.core.config import Settings
from rapport.core.db import make_engine
from rapport.main import create_app
from rapport.tenants import service as tenants_service
from rapport.tenants.models import Tenant
from rapport.users import service as users_service
from rapport.users.models import User

POSTGRES_ADMIN_URL = os.environ.get(
    "RAPPORT_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _postgres_available() -> str | None:
    try:
        engine = create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001
        return str(exc).splitlines()[0]


def run_id() -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw")
    return f"{worker}_{os.getpid()}_{uuid.uuid4().hex[:8]}"


class Databases:
    """Creates throw-away databases for one test run and drops them afterwards."""

    def __init__(self, tmp_dir) -> None:
        self.tmp_dir = tmp_dir
        self.created: list[tuple[str, Engine]] = []

    def create(self, backend: str) -> Engine:
        name = f"rapport_test_{run_id()}"
        if backend == "sqlite":
            engine = make_engine(f"sqlite:///{self.tmp_dir / (name + '.db')}")
        else:
            problem = _postgres_available()
            if problem:
                message = f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {problem}"
                if IN_CI:
                    pytest.fail(message)
                pytest.skip(message)
            admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            admin.dispose()
            url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
            engine = make_engine(url)
        self.created.append((name, engine))
        return engine

    def drop_all(self) -> None:
        for name, engine in self.created:
            engine.dispose()
            if engine.dialect.name == "postgresql":
                admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory) -> Iterator[Databases]:
    dbs = Databases(tmp_path_factory.mktemp("databases"))
    yield dbs
    dbs.drop_all()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def engine(request, databases: Databases) -> Engine:
    """A migrated database of each backend, shared by the tests of the session."""
    engine = databases.create(request.param)
    migrate.upgrade(engine)
    return engine


@pytest.fixture
def connection(engine: Engine) -> Iterator:
    with engine.connect() as connection:
        outer = connection.begin()
        yield connection
        if outer.is_active:
            outer.rollback()


@pytest.fixture
def session_factory(connection) -> sessionmaker[Session]:
    # Commits inside the app release a savepoint; the outer transaction is rolled back.
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def db(session_factory) -> Iterator[Session]:
    session = session_factory()
    yield session
    session.close()


@pytest.fixture
def app(engine: Engine, session_factory):
    settings = Settings(
        DATABASE_URL=engine.url.render_as_string(hide_password=False),
        RAPPORT_SECRET_KEY="test-secret-key-" + "x" * 32,
        # Tests send webhooks by running the worker's rounds themselves: a worker thread of a
        # served app would share the test's one connection.
        RAPPORT_WEBHOOK_WORKER=False,
    )
    application = create_app(settings, engine)
    application.state.session_factory = session_factory
    return application


# --- personas (healthchecks style): Alice admin of A, Sam supervisor of A, Bob agent of A,
# --- Charlie admin of B.


@dataclass
class Persona:
    user: User
    tenant: Tenant
    token: str
    client: TestClient


@pytest.fixture
def tenant_a(db: Session) -> Tenant:
    tenant = tenants_service.create(
        db=db, slug="acme", name="Acme Support", default_country="US", time_zone="America/Chicago"
    )
    db.commit()
    return tenant


@pytest.fixture
def enabled(db: Session, tenant_a: Tenant) -> Tenant:
    """Tenant A with Personality Insights switched on by its administrator."""
    tenant_a.personality_insights_enabled = True
    db.commit()
    return tenant_a


@pytest.fixture
def tenant_b(db: Session) -> Tenant:
    tenant = tenants_service.create(
        db=db, slug="globex", name="Globex Care", default_country="GB", time_zone="Europe/London"
    )
    db.commit()
    return tenant


def make_persona(
    db: Session, app, tenant: Tenant, email: str, role: str, password: str | None = None
) -> Persona:
    # API personas need no password; hashing one (argon2) is deliberately slow.
    user = users_service.create(
        db=db, tenant_id=tenant.id, email=email, role=role, password=password
    )
    _token, secret = users_service.create_token(db=db, user=user, name=f"{email} token")
    db.commit()
    client = TestClient(app, headers={"Authorization": f"Bearer {secret}"})
    return Persona(user=user, tenant=tenant, token=secret, client=client)


@pytest.fixture
def alice(db, app, tenant_a) -> Persona:
    return make_persona(db, app, tenant_a, "alice@acme.example", "admin")


@pytest.fixture
def sam(db, app, tenant_a) -> Persona:
    return make_persona(db, app, tenant_a, "sam@acme.example", "supervisor")


@pytest.fixture
def bob(db, app, tenant_a) -> Persona:
    return make_persona(db, app, tenant_a, "bob@acme.example", "agent")


@pytest.fixture
def charlie(db, app, tenant_b) -> Persona:
    return make_persona(db, app, tenant_b, "charlie@globex.example", "admin")


@pytest.fixture
def anonymous(app) -> TestClient:
    return TestClient(app)
