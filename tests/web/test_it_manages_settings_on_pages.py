import re

from rapport.users.models import ApiToken, User
from tests.web.helpers import signed_in


def test_an_admin_adds_a_user_changes_the_role_and_deactivates(app, db, alice):
    ui = signed_in(app, alice)
    added = ui.post(
        "/settings/users",
        {"email": "new@acme.example", "role": "agent", "password": "long-enough-1"},
    )
    assert added.status_code == 303
    user = db.query(User).filter_by(email_key="new@acme.example").one()
    user_id = user.id
    assert ui.post(f"/settings/users/{user_id}", {"role": "supervisor"}).status_code == 303
    assert ui.post(f"/settings/users/{user_id}", {"active": "0"}).status_code == 303
    db.expire_all()
    user = db.query(User).filter_by(id=user_id).one()
    assert (user.role, user.is_active) == ("supervisor", False)
    assert "Deactivated" in ui.get("/settings/users").text


def test_a_short_password_is_shown_beside_its_field(app, alice):
    response = signed_in(app, alice).post(
        "/settings/users", {"email": "x@acme.example", "role": "agent", "password": "short"}
    )
    assert response.status_code == 422
    assert 'id="f-password-error"' in response.text


def test_an_admin_creates_a_token_once_and_revokes_it(app, db, alice, anonymous):
    ui = signed_in(app, alice)
    created = ui.post("/settings/tokens", {"name": "Phone system"})
    assert created.status_code == 201
    assert created.headers["Cache-Control"] == "no-store"
    secret = re.search(r'<code id="new-token">(rpt_[^<]+)</code>', created.text).group(1)
    auth = {"Authorization": f"Bearer {secret}"}
    assert anonymous.get("/api/v1/me", headers=auth).status_code == 200

    listing = ui.get("/settings/tokens").text
    assert "Phone system" in listing and secret not in listing
    token = db.query(ApiToken).filter_by(name="Phone system").one()
    assert ui.post(f"/settings/tokens/{token.id}/revoke").status_code == 303
    assert anonymous.get("/api/v1/me", headers=auth).status_code == 401


def test_an_admin_changes_the_workspace_settings(app, db, alice, tenant_a):
    ui = signed_in(app, alice)
    response = ui.post(
        "/settings/tenant",
        {"name": "Acme Care", "default_country": "CA", "time_zone": "America/Toronto",
         "default_priority": "2", "personality_insights_enabled": "on"},
    )  # fmt: skip
    assert response.status_code == 303
    db.refresh(tenant_a)
    assert tenant_a.name == "Acme Care"
    assert tenant_a.personality_insights_enabled is True
    assert (tenant_a.default_country, tenant_a.default_priority) == ("CA", 2)

    bad = ui.post("/settings/tenant", {"name": "Acme", "time_zone": "Mars/Base"})
    assert bad.status_code == 422
    assert 'id="f-time_zone-error"' in bad.text


def test_settings_are_for_administrators_only(app, db, sam, alice):
    ui = signed_in(app, sam)
    for path in ("/settings", "/settings/users", "/settings/tokens", "/settings/tenant"):
        assert ui.get(path).status_code == 403, path
    assert (
        ui.post("/settings/users", {"email": "x@acme.example", "role": "admin"}).status_code == 403
    )
    assert ui.post(f"/settings/users/{alice.user.id}", {"active": "0"}).status_code == 403
    assert ui.post("/settings/tokens", {"name": "Sneaky"}).status_code == 403
    assert db.query(ApiToken).filter_by(name="Sneaky").count() == 0


def test_charlie_cannot_touch_tenant_a_users_or_tokens(app, db, charlie, alice):
    ui = signed_in(app, charlie)
    token = db.query(ApiToken).filter_by(user_id=alice.user.id).first()
    assert ui.post(f"/settings/users/{alice.user.id}", {"active": "0"}).status_code == 404
    assert ui.post(f"/settings/tokens/{token.id}/revoke").status_code == 404
    assert alice.user.email not in ui.get("/settings/users").text
