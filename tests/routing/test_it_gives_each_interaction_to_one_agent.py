"""Many agents accepting at once, each on its own connection, against a real database."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import func, select

from rapport.core import migrate
from rapport.core.db import make_session_factory, transaction
from rapport.interactions import service as interactions_service
from rapport.interactions.models import Interaction
from rapport.routing import service
from rapport.tenants import service as tenants_service
from rapport.users import service as users_service

AGENTS = 12
WAITING = 240


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_concurrent_accepts_take_every_interaction_exactly_once(databases, backend):
    engine = databases.create(backend)  # not the per-test rolled-back connection: real commits
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    with transaction(factory) as db:
        tenant = tenants_service.create(db=db, slug="race", name="Race", default_country="US")
        agents = [
            users_service.create(db=db, tenant_id=tenant.id, email=f"a{n}@race.io", role="agent")
            for n in range(AGENTS)
        ]
        for n in range(WAITING):
            interactions_service.record(db=db, tenant=tenant, values={
                "channel": "voice", "direction": "inbound", "address": f"+1415555{n:04d}",
                "priority": n % 5 + 1,
            })  # fmt: skip

    taken: list[tuple[str, object]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(AGENTS)

    def agent_loop(agent) -> None:
        try:
            start.wait()
            while True:
                with transaction(factory) as db:
                    interaction = service.accept_next(db=db, tenant=tenant, agent=agent)
                    if interaction is None:
                        return
                    taken.append((agent.email, interaction.id))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=agent_loop, args=(a,)) for a in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:3]

    ids = [interaction_id for _agent, interaction_id in taken]
    assert len(ids) == WAITING
    assert len(set(ids)) == WAITING, "an interaction was given to two agents"
    assert len(Counter(agent for agent, _ in taken)) > 1, "the agents did not actually compete"
    with factory() as db:
        states = dict(
            db.execute(
                select(Interaction.state, func.count()).group_by(Interaction.state)
            ).all()
        )
        assert states == {"active": WAITING}
        missing_agent = db.scalar(
            select(func.count()).where(Interaction.agent_id.is_(None))
        )
        assert missing_agent == 0
