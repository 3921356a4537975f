"""Personality Insights API fixtures: a contact to write about (`enabled` is shared)."""

from __future__ import annotations

import pytest

from tests.factories import make_contact


@pytest.fixture
def contact(db, tenant_a):
    return make_contact(db, tenant_a, email="vera@example.com")
