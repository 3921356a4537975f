"""Personality Insights API fixtures: the switch turned on, a contact to write about."""

from __future__ import annotations

import pytest

from tests.factories import make_contact


@pytest.fixture
def enabled(db, tenant_a):
    tenant_a.personality_insights_enabled = True
    db.commit()
    return tenant_a


@pytest.fixture
def contact(db, tenant_a):
    return make_contact(db, tenant_a, email="vera@example.com")
