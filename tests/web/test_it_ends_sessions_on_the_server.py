"""A session ends on the server: a cookie copied before sign-out, a password or role change or
deactivation opens nothing afterwards."""

from fastapi.testclient import TestClient

from rapport.web import session
from tests.conftest import make_persona
from tests.web.helpers import csrf_of, signed_in

PASSWORD = "correct-horse-battery"


def _copy(ui) -> TestClient:
    cookie = ui.client.cookies[session.COOKIE_NAME]
    return TestClient(ui.client.app, cookies={session.COOKIE_NAME: cookie})


def _opens_contacts(client: TestClient) -> bool:
    response = client.get("/contacts", follow_redirects=False)
    assert response.status_code in (200, 303), response.text
    return response.status_code == 200


def test_a_cookie_copied_before_sign_out_is_dead_after_it(db, app, tenant_a):
    make_persona(db, app, tenant_a, "alice@acme.example", "admin", password=PASSWORD)
    client = TestClient(app)
    token = csrf_of(client.get("/login").text)
    data = {"csrf_token": token, "email": "alice@acme.example", "password": PASSWORD}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303
    copy = TestClient(app, cookies={session.COOKIE_NAME: client.cookies[session.COOKIE_NAME]})
    assert _opens_contacts(copy)

    page = client.get("/contacts")
    client.post("/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert not _opens_contacts(copy)


def test_another_browser_of_the_same_user_stays_signed_in_after_sign_out(app, alice):
    laptop, phone = signed_in(app, alice), signed_in(app, alice)
    assert laptop.post("/logout").status_code == 303
    assert not _opens_contacts(laptop.client)
    assert _opens_contacts(phone.client)


def test_a_password_change_ends_the_users_sessions_only(app, alice, bob, sam):
    bobs, sams = signed_in(app, bob), signed_in(app, sam)
    copy = _copy(bobs)
    changed = alice.client.patch(
        f"/api/v1/users/{bob.user.id}", json={"password": "a-new-long-password"}
    )
    assert changed.status_code == 200, changed.text
    assert not _opens_contacts(bobs.client) and not _opens_contacts(copy)
    assert _opens_contacts(sams.client)
    assert bob.client.get("/api/v1/me").status_code == 200  # tokens are not sessions


def test_a_role_change_ends_the_users_sessions(app, alice, bob):
    bobs = signed_in(app, bob)
    assert alice.client.patch(f"/api/v1/users/{bob.user.id}", json={"name": "Bob B"}).is_success
    assert _opens_contacts(bobs.client)  # a new name changes nothing of what Bob may do
    assert alice.client.patch(
        f"/api/v1/users/{bob.user.id}", json={"role": "supervisor"}
    ).is_success
    assert not _opens_contacts(bobs.client)


def test_a_role_change_on_the_settings_page_ends_the_users_sessions(app, alice, bob):
    admin, bobs = signed_in(app, alice), signed_in(app, bob)
    assert admin.post(f"/settings/users/{bob.user.id}", {"role": "supervisor"}).status_code == 303
    assert not _opens_contacts(bobs.client)
    assert _opens_contacts(admin.client)


def test_deactivation_ends_sessions_and_revokes_api_tokens(app, alice, bob):
    bobs = signed_in(app, bob)
    response = alice.client.patch(f"/api/v1/users/{bob.user.id}", json={"is_active": False})
    assert response.status_code == 200, response.text
    assert not _opens_contacts(bobs.client)
    assert bob.client.get("/api/v1/me").status_code == 401
    tokens = alice.client.get("/api/v1/tokens").json()
    bobs_tokens = [t for t in tokens if t["user_id"] == str(bob.user.id)]
    assert bobs_tokens and all(t["revoked_at"] for t in bobs_tokens)

    # Reactivated, Bob signs in again; his old token stays revoked.
    alice.client.patch(f"/api/v1/users/{bob.user.id}", json={"is_active": True})
    assert bob.client.get("/api/v1/me").status_code == 401
    assert _opens_contacts(signed_in(app, bob).client)


def test_a_cookie_without_a_server_session_opens_nothing(app, alice):
    cookie = session.encode(
        app.state.settings.resolved_secret_key(),
        {"u": str(alice.user.id), "t": str(alice.tenant.id), "k": "made-up", "c": "x", "s": 0},
    )
    client = TestClient(app, cookies={session.COOKIE_NAME: cookie})
    assert not _opens_contacts(client)
