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


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(default="sqlite:///./rapport.db", alias="DATABASE_URL")
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
    # Reverse proxies whose X-Forwarded-For is believed (comma-separated IPs or CIDRs). By
    # default none: anyone can send the header, so it must not decide who a client is.
    trusted_proxies: str = Field(default="", alias="RAPPORT_TRUSTED_PROXIES")

    @field_validator("log_level", mode="before")
    @classmethod
    def _lower_log_level(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
            raise ValueError("must start with sqlite:// or postgresql+psycopg://")
        if value.startswith("postgresql://"):
            # psycopg 3 is the driver we ship; accept the plain scheme operators paste.
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

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
