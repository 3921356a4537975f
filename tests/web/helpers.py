"""Page clients for HTTP-level tests: a TestClient holding a signed session and its CSRF token."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from fastapi.testclient import TestClient

from rapport.users import sessions
from rapport.web import session

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class UiClient:
    client: TestClient
    csrf: str

    def get(self, url: str, **kwargs):
        return self.client.get(url, follow_redirects=False, **kwargs)

    def post(self, url: str, data: dict | None = None, csrf: str | None = None):
        """Post a form with the session's CSRF token (or the one given, to forge one)."""
        token = self.csrf if csrf is None else csrf
        body = {**({"csrf_token": token} if token else {}), **(data or {})}
        return self.client.post(url, data=body, follow_redirects=False)


def session_cookie(app, data: dict) -> str:
    return session.encode(app.state.settings.resolved_secret_key(), data)


def start_session(app, persona) -> str:
    """A server-side session for the persona, as signing in makes; returns its key."""
    db = app.state.session_factory()
    try:
        key = sessions.start(db=db, user=persona.user, max_age=app.state.settings.session_max_age)
        db.commit()
    finally:
        db.close()
    return key


def signed_in(app, persona) -> UiClient:
    """A browser-like client already signed in as the persona (no password hashing needed)."""
    csrf = session.new_csrf_token()
    cookie = session_cookie(
        app,
        {
            "u": str(persona.user.id),
            "t": str(persona.tenant.id),
            "k": start_session(app, persona),
            "c": csrf,
            "s": int(time.time()),
        },
    )
    client = TestClient(app, cookies={session.COOKIE_NAME: cookie})
    return UiClient(client=client, csrf=csrf)


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "the page has no CSRF field"
    return match.group(1)
