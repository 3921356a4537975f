def test_a_missing_or_bad_token_is_401(anonymous, alice):
    assert anonymous.get("/api/v1/contacts").status_code == 401
    response = anonymous.get("/api/v1/contacts", headers={"Authorization": "Bearer rpt_wrong"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    basic = anonymous.get("/api/v1/contacts", headers={"Authorization": "Basic YTpi"})
    assert basic.status_code == 401


def test_an_admin_creates_a_token_that_is_shown_once_and_works(alice, anonymous):
    created = alice.client.post("/api/v1/tokens", json={"name": "Telephony bridge"})
    assert created.status_code == 201
    secret = created.json()["token"]
    assert secret.startswith("rpt_") and len(secret) > 40
    listed = alice.client.get("/api/v1/tokens").json()
    assert all("token" not in t for t in listed)
    entry = next(t for t in listed if t["id"] == created.json()["id"])
    assert entry["last_used_at"] is None

    me = anonymous.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200
    assert me.json()["user"]["email"] == "alice@acme.example"
    entry = next(t for t in alice.client.get("/api/v1/tokens").json() if t["id"] == entry["id"])
    assert entry["last_used_at"] is not None


def test_a_revoked_token_stops_working_at_once(alice, anonymous):
    created = alice.client.post("/api/v1/tokens", json={"name": "Short-lived"}).json()
    headers = {"Authorization": f"Bearer {created['token']}"}
    assert anonymous.get("/api/v1/me", headers=headers).status_code == 200
    revoked = alice.client.delete(f"/api/v1/tokens/{created['id']}")
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    assert anonymous.get("/api/v1/me", headers=headers).status_code == 401


def test_tokens_are_stored_hashed(db, alice):
    from sqlalchemy import select

    from rapport.users.models import ApiToken

    hashes = db.scalars(select(ApiToken.token_hash)).all()
    assert alice.token not in hashes
    assert all(len(h) == 64 for h in hashes)


def test_a_deactivated_user_token_is_refused(alice, bob):
    assert bob.client.get("/api/v1/me").status_code == 200
    response = alice.client.patch(f"/api/v1/users/{bob.user.id}", json={"is_active": False})
    assert response.status_code == 200
    assert bob.client.get("/api/v1/me").status_code == 401


def test_an_admin_creates_users_with_validation(alice):
    created = alice.client.post(
        "/api/v1/users",
        json={"email": "New.Agent@Acme.example", "role": "agent", "password": "long enough pw"},
    )
    assert created.status_code == 201
    duplicate = alice.client.post(
        "/api/v1/users", json={"email": "new.agent@acme.example", "role": "agent"}
    )
    assert duplicate.status_code == 409
    bad = alice.client.post("/api/v1/users", json={"email": "x", "role": "boss", "password": "s"})
    assert bad.status_code == 422
