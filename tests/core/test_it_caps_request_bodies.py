"""Request bodies are bounded: an upload past RAPPORT_MAX_UPLOAD_MB answers 413 whether its
size is announced or streamed, and creates no import; /readyz tells no one why it is down."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rapport.core.config import Settings
from rapport.core.db import make_engine
from rapport.imports.models import ImportJob
from rapport.main import create_app

MB = 1024 * 1024


@pytest.fixture
def small_app(engine, session_factory):
    settings = Settings(
        DATABASE_URL=engine.url.render_as_string(hide_password=False),
        RAPPORT_SECRET_KEY="test-secret-key-" + "x" * 32,
        RAPPORT_MAX_UPLOAD_MB=1,
    )
    application = create_app(settings, engine)
    application.state.session_factory = session_factory
    return application


def _csv(size: int) -> bytes:
    row = b"Ada,Lovelace,ada@example.com\n"
    return b"first_name,last_name,email\n" + row * (size // len(row))


def _jobs(db) -> int:
    return db.scalar(select(func.count()).select_from(ImportJob))


def test_an_announced_upload_over_the_limit_is_413(small_app, db, alice):
    client = TestClient(small_app, headers={"Authorization": f"Bearer {alice.token}"})
    response = client.post(
        "/api/v1/imports", files={"file": ("big.csv", _csv(2 * MB), "text/csv")}
    )
    assert response.status_code == 413
    assert "1 MB" in response.json()["detail"]
    assert _jobs(db) == 0


def test_a_streamed_upload_over_the_limit_is_413(small_app, db, alice):
    client = TestClient(small_app, headers={"Authorization": f"Bearer {alice.token}"})
    boundary = "xyz"
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="b.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n").encode()  # fmt: skip

    def chunks():  # no Content-Length: the size is known only by counting
        yield head
        for _ in range(40):
            yield _csv(64 * 1024)
        yield f"\r\n--{boundary}--\r\n".encode()

    response = client.post(
        "/api/v1/imports",
        content=chunks(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 413
    assert _jobs(db) == 0


def test_a_json_body_over_the_limit_is_413(small_app, alice):
    client = TestClient(small_app, headers={"Authorization": f"Bearer {alice.token}"})
    response = client.post(
        "/api/v1/contacts",
        content=b'{"last_name": "' + b"x" * (2 * MB) + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413


def test_an_upload_under_the_limit_still_works(small_app, alice):
    client = TestClient(small_app, headers={"Authorization": f"Bearer {alice.token}"})
    response = client.post("/api/v1/imports", files={"file": ("s.csv", _csv(1000), "text/csv")})
    assert response.status_code in (201, 202), response.text


def test_readyz_does_not_show_why_the_database_is_down(tmp_path):
    settings = Settings(DATABASE_URL="sqlite:///x.db", RAPPORT_SECRET_KEY="k" * 40)
    down = make_engine("postgresql+psycopg://nobody:secret-password@127.0.0.1:1/nowhere")
    response = TestClient(create_app(settings, down)).get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


def test_a_streamed_json_body_is_still_checked(alice):
    # Sent in chunks, without a length: read ahead and checked all the same.
    def chunks():
        yield b'{"last_name": "Chunked", '
        yield b'"priority": NaN}'

    response = alice.client.post(
        "/api/v1/contacts", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422, response.text
    refused = response.json()["detail"][0]
    assert (refused["type"], refused["loc"]) == ("json_invalid", ["body", "priority"])


def test_a_get_naming_a_json_type_has_no_body_to_wait_for(alice):
    # Clients send their JSON content type on every call; a GET has no body to read ahead.
    response = alice.client.get("/api/v1/contacts", headers={"Content-Type": "application/json"})
    assert response.status_code == 200
