"""Browser fixtures: one real server on a temporary SQLite database and one Chromium per run.

The server is uvicorn in a background thread, on a free local port, with its own migrated
database seeded through the real services. Each test gets a fresh browser context (its own
cookies), so tests do not see each other's sign-in, while the costly browser start happens
once per run.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import uvicorn

from rapport.core import migrate
from rapport.core.config import Settings
from rapport.core.db import make_engine, make_session_factory, transaction
from rapport.main import create_app
from rapport.tenants import service as tenants_service
from rapport.users import service as users_service
from tests.factories import make_account, make_contact

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "browser-test-password"


@dataclass
class LiveServer:
    url: str
    session_factory: object
    ids: dict[str, str] = field(default_factory=dict)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _seed(db, ids: dict[str, str]) -> None:
    acme = tenants_service.create(
        db=db, slug="acme", name="Acme Support", default_country="US", time_zone="America/Chicago"
    )
    globex = tenants_service.create(db=db, slug="globex", name="Globex Care", default_country="GB")
    for tenant, email, role in (
        (acme, "alice@acme.example", "admin"),
        (acme, "sam@acme.example", "supervisor"),
        (acme, "bob@acme.example", "agent"),
        (globex, "charlie@globex.example", "admin"),
    ):
        users_service.create(db=db, tenant_id=tenant.id, email=email, role=role, password=PASSWORD)
    make_account(db, acme, identifier="GLOBAL", name="Global Shipping")
    john = make_contact(
        db, acme, first_name="John", last_name="Caller", phone="+1 415 555 2671", account="GLOBAL",
        priority=1,
    )  # fmt: skip
    make_contact(db, acme, first_name="Jane", last_name="Other", phone="+1 212 555 0147")
    secret = make_contact(db, globex, first_name="Gina", last_name="Globex", country="GB")
    ids.update(john=str(john.id), globex_contact=str(secret.id))


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    path = tmp_path_factory.mktemp("browser") / "rapport.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    # The test's own writes take the write lock before they read, as the app's writes do: a
    # deferred transaction that reads and then writes fails at once ("database is locked")
    # when the server committed in between, whatever the busy timeout.
    factory = make_session_factory(engine.execution_options(sqlite_begin="IMMEDIATE"))
    ids: dict[str, str] = {}
    with transaction(factory) as db:
        _seed(db, ids)
    settings = Settings(
        DATABASE_URL=f"sqlite:///{path}",
        RAPPORT_SECRET_KEY="b" * 48,
        RAPPORT_DATA_DIR=str(path.parent / "data"),  # uploads stay out of the working tree
    )
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings, engine), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield LiveServer(url=f"http://127.0.0.1:{port}", session_factory=factory, ids=ids)
    server.should_exit = True
    thread.join(timeout=5)
    engine.dispose()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(5000)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.locator("#f-email").fill(email)
    page.locator("#f-password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/contacts")
