"""Use case: an operator upgrades to the personality tables and can step back down."""

import pytest
from sqlalchemy import inspect

from rapport.core import migrate

TABLES = {"personality_examples", "personality_exclusions", "personality_profiles"}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_0006_goes_up_down_and_up_again(databases, backend):
    engine = databases.create(backend)
    migrate.upgrade(engine, "0006")
    assert TABLES <= set(inspect(engine).get_table_names())
    keys = {
        fk["referred_table"]: fk
        for fk in inspect(engine).get_foreign_keys("personality_exclusions")
    }
    assert keys["interaction_messages"]["constrained_columns"] == ["tenant_id", "message_id"]
    assert keys["interaction_messages"]["options"].get("ondelete", "").upper() == "CASCADE"
    migrate.downgrade(engine, "0003")
    tables = set(inspect(engine).get_table_names())
    assert not TABLES & tables and "interaction_messages" in tables
    migrate.upgrade(engine, "0006")
    assert TABLES <= set(inspect(engine).get_table_names())
