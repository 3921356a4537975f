"""What every `rapport` command shares: one-line failures, settings, a migrated engine.

Kept apart from `rapport.cli` so that domain command groups (`rapport contacts ...`) use them
without importing the main command, which imports them."""

from __future__ import annotations

import typer
from sqlalchemy.engine import Engine

from rapport.core import migrate
from rapport.core.config import Settings, SettingsError, load_settings
from rapport.core.db import make_engine


def fail(message: str) -> typer.Exit:
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code=1)


def settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        raise fail(str(exc)) from None


def migrated_engine(settings: Settings) -> Engine:
    engine = make_engine(settings.database_url)
    try:
        migrate.upgrade(engine)
    except Exception as exc:  # noqa: BLE001 - one clear line instead of a traceback
        raise fail(f"cannot migrate the database at {engine.url!r}: {exc}") from None
    return engine
