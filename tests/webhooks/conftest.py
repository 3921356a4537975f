"""Webhook fixtures: a real local receiver and a quick delivery policy."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.webhooks import delivery
from tests.webhooks.receiver import Receiver

QUICK = delivery.Policy(timeout=5.0, backoff_seconds=0.01, retry_window=timedelta(hours=1))


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def deliver(session_factory):
    """One delivery round, as the background worker runs it, with a quick backoff."""

    def run(policy: delivery.Policy = QUICK) -> int:
        return delivery.deliver_due(session_factory=session_factory, policy=policy)

    return run

