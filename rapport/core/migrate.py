"""Schema migrations, run programmatically so operators need only `rapport migrate`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from rapport.core import citus

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


class BrokenReferences(RuntimeError):
    """A migration left rows pointing at rows that do not exist; nothing was changed."""


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """One transaction for the whole migration.

    On SQLite, altering a table in batch mode rebuilds it (copy, drop the original, rename).
    With foreign keys enforced, dropping the original would cascade-delete every row that
    refers to it (a rebuilt `users` took every API token with it), so enforcement is off
    while migrating and the references are checked before the commit instead. The pragma
    only takes effect outside a transaction, hence on the driver's connection before BEGIN.
    """
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        driver = connection.connection.driver_connection if sqlite else None
        if driver is not None:
            driver.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                yield connection
                if sqlite:
                    broken = connection.execute(text("PRAGMA foreign_key_check")).all()
                    if broken:
                        raise BrokenReferences(f"rows refer to missing rows: {broken[:5]}")
        finally:
            if driver is not None:
                driver.execute("PRAGMA foreign_keys=ON")


def _run(engine: Engine, action, revision: str) -> None:
    with _migrating(engine) as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        action(config, revision)


def upgrade(engine: Engine, revision: str = "head") -> dict[str, str]:
    """Migrate; on Citus then distribute every table not yet placed (returns those placed)."""
    _run(engine, command.upgrade, revision)
    return citus.distribute(engine)


def downgrade(engine: Engine, revision: str) -> None:
    _run(engine, command.downgrade, revision)
