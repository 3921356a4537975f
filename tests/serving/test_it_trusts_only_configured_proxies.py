"""Forwarded headers (X-Forwarded-For/-Proto) are believed only from the proxies named in
RAPPORT_TRUSTED_PROXIES; by default from nobody, not even 127.0.0.1."""

from __future__ import annotations

from rapport.core.config import Settings
from rapport.core.serving import uvicorn_options


def _options(**env: str) -> dict:
    settings = Settings(DATABASE_URL="postgresql+psycopg://db/rapport", **env)
    return uvicorn_options(settings, host="127.0.0.1", port=8001, workers=2, access_log=False)


def test_by_default_no_proxy_is_trusted():
    options = _options()
    assert options["proxy_headers"] is False
    assert options["forwarded_allow_ips"] == ""  # uvicorn would otherwise trust 127.0.0.1


def test_the_configured_proxies_are_passed_to_the_server():
    options = _options(RAPPORT_TRUSTED_PROXIES=" 10.0.0.5, 10.1.0.0/16 ,")
    assert options["proxy_headers"] is True
    assert options["forwarded_allow_ips"] == "10.0.0.5/32,10.1.0.0/16"  # checked networks
    assert (options["workers"], options["access_log"]) == (2, False)
