"""Two real Rapport deployments on one PostgreSQL database: A runs `--workers 2`, B one
process, as a load balancer would see them. Shared by the tests of this package."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from rapport.core import migrate
from rapport.core.db import make_session_factory, transaction
from rapport.tenants import service as tenants_service
from rapport.users import service as users_service
from tests.serving import servers

AGENTS = 4


@dataclass
class Cluster:
    database_url: str
    a: servers.Server
    b: servers.Server
    tokens: list[str] = field(default_factory=list)  # agents of tenant "acme"
    other_token: str = ""  # the administrator of tenant "globex"

    def headers(self, n: int = 0) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[n]}"}


@pytest.fixture(scope="package")
def cluster(databases, tmp_path_factory) -> Iterator[Cluster]:
    engine = databases.create("postgresql")  # skipped when PostgreSQL is not reachable
    migrate.upgrade(engine)
    tokens = []
    with transaction(make_session_factory(engine)) as db:
        acme = tenants_service.create(db=db, slug="acme", name="Acme", default_country="US")
        for n in range(AGENTS):
            user = users_service.create(
                db=db, tenant_id=acme.id, email=f"agent{n}@acme.example", role="agent"
            )
            tokens.append(users_service.create_token(db=db, user=user)[1])
        globex = tenants_service.create(db=db, slug="globex", name="Globex", default_country="GB")
        admin = users_service.create(
            db=db, tenant_id=globex.id, email="ops@globex.example", role="admin"
        )
        other = users_service.create_token(db=db, user=admin)[1]
    url = engine.url.render_as_string(hide_password=False)
    logs = tmp_path_factory.mktemp("servers")
    trusted = {"RAPPORT_TRUSTED_PROXIES": "127.0.0.1"}
    a = servers.start(url, logs / "a.log", "--workers", "2", env=trusted)
    try:
        b = servers.start(url, logs / "b.log", "--workers", "1", env=trusted)
    except BaseException:
        a.stop()
        raise
    yield Cluster(url, a, b, tokens, other)
    for server in (a, b):
        assert server.stop() in servers.STOPPED_CLEANLY, server.log.read_text()
