"""Typed settings read from the environment (and an optional `.env`), validated at start."""

from __future__ import annotations

import ipaddress
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SECRET_FILE = Path(".rapport-secret")


class SettingsError(RuntimeError):
    """A setting is wrong; the message names it in one line."""


def _psycopg(url: str) -> str:
    # psycopg 3 is the driver we ship; accept the plain scheme operators paste.
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(default="sqlite:///./rapport.db", alias="DATABASE_URL")
    # A streaming replica of the PostgreSQL primary for history, search, lists and exports.
    database_replica_url: str | None = Field(default=None, alias="DATABASE_REPLICA_URL")
    replica_max_lag_s: float = Field(default=5.0, ge=0, alias="RAPPORT_REPLICA_MAX_LAG_S")
    host: str = Field(default="127.0.0.1", alias="RAPPORT_HOST")
    port: int = Field(default=8000, ge=1, le=65535, alias="RAPPORT_PORT")
    secret_key: str | None = Field(default=None, alias="RAPPORT_SECRET_KEY")
    log_level: Literal["debug", "info", "warning", "error", "critical"] = Field(
        default="info", alias="RAPPORT_LOG_LEVEL"
    )
    session_max_age: int = Field(default=12 * 3600, ge=60, alias="RAPPORT_SESSION_MAX_AGE")
    # Uploaded import files are kept here while their jobs may still read them (the import
    # after a dry run, a resumed job), then removed after this many days.
    data_dir: Path = Field(default=Path("./rapport-data"), alias="RAPPORT_DATA_DIR")
    upload_retention_days: int = Field(default=7, ge=1, alias="RAPPORT_UPLOAD_RETENTION_DAYS")
    # Addresses (comma-separated IPs or networks) of the reverse proxies whose
    # X-Forwarded-For/-Proto headers are believed; from anyone else they are ignored.
    trusted_proxies: str = Field(default="", alias="RAPPORT_TRUSTED_PROXIES")
    # Server processes; 0 = one per CPU core on PostgreSQL, one on SQLite.
    workers: int = Field(default=0, ge=0, alias="RAPPORT_WORKERS")
    access_log: bool = Field(default=True, alias="RAPPORT_ACCESS_LOG")
    # Any request body (an import file above all) is refused with 413 past this size.
    max_upload_mb: int = Field(default=100, ge=1, le=1_000_000, alias="RAPPORT_MAX_UPLOAD_MB")
    # A client that stops sending its request body for this long gets 408, freeing the worker.
    body_timeout: float = Field(default=30.0, gt=0, le=3600, alias="RAPPORT_BODY_TIMEOUT")
    # Webhooks: the in-app delivery worker (off when `rapport webhooks deliver` runs apart),
    # how long one request may take, the first retry's delay (doubling, with jitter, up to an
    # hour) and how long a failing delivery is retried before it is given up.
    webhook_worker: bool = Field(default=True, alias="RAPPORT_WEBHOOK_WORKER")
    webhook_timeout_seconds: float = Field(
        default=10.0, gt=0, le=60, alias="RAPPORT_WEBHOOK_TIMEOUT_SECONDS"
    )
    webhook_backoff_seconds: float = Field(
        default=30.0, gt=0, alias="RAPPORT_WEBHOOK_BACKOFF_SECONDS"
    )
    webhook_retry_window_seconds: int = Field(
        default=86400, ge=1, alias="RAPPORT_WEBHOOK_RETRY_WINDOW_SECONDS"
    )
    webhook_poll_seconds: float = Field(default=1.0, gt=0, alias="RAPPORT_WEBHOOK_POLL_SECONDS")

    @field_validator("log_level", mode="before")
    @classmethod
    def _lower_log_level(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @field_validator("database_replica_url")
    @classmethod
    def _known_replica(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not value.startswith(("postgresql:", "postgresql+psycopg:")):
            raise ValueError("must start with postgresql+psycopg:// (a replica of PostgreSQL)")
        return _psycopg(value)

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
            raise ValueError("must start with sqlite:// or postgresql+psycopg://")
        return _psycopg(value)

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_networks(cls, value: str) -> str:
        networks = []
        for entry in value.split(","):
            if entry.strip():
                try:
                    networks.append(str(ipaddress.ip_network(entry.strip(), strict=False)))
                except ValueError:
                    raise ValueError(f"{entry.strip()!r} is not an IP address or CIDR") from None
        return ",".join(networks)

    def trusted_proxy_networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return [ipaddress.ip_network(n) for n in self.trusted_proxies.split(",") if n]

    @field_validator("secret_key")
    @classmethod
    def _long_enough(cls, value: str | None) -> str | None:
        if value is not None and len(value) < 32:
            raise ValueError("must be at least 32 characters")
        return value

    def resolved_secret_key(self) -> str:
        """The configured key, else one generated once and kept in a local file."""
        if self.secret_key:
            return self.secret_key
        if SECRET_FILE.exists():
            return SECRET_FILE.read_text().strip()
        key = secrets.token_urlsafe(48)
        SECRET_FILE.write_text(key + "\n")
        SECRET_FILE.chmod(0o600)
        return key


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "settings"
        raise SettingsError(f"Invalid setting {field}: {first['msg']}") from None


@lru_cache
def get_settings() -> Settings:
    return load_settings()
