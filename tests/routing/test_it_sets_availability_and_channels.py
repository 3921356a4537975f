from tests.routing.helpers import post_interaction


def test_availability_and_channels(alice, bob, charlie):
    assert bob.client.get("/api/v1/me/availability").json() == {
        "availability": "available", "channels": ["voice", "chat", "email", "sms"],
        "capacity": {"voice": 1, "chat": 3, "email": 1, "sms": 3},
    }  # fmt: skip
    post_interaction(bob.client)
    assert bob.client.patch("/api/v1/me/availability", json={"availability": "away"}).json()[
        "availability"
    ] == "away"
    away = bob.client.post("/api/v1/queue/accept")
    assert away.status_code == 409 and "away" in away.json()["detail"]
    bob.client.patch("/api/v1/me/availability", json={"availability": "available"})
    gone = bob.client.patch("/api/v1/me/availability", json={"availability": "gone"})
    assert gone.status_code == 422
    assert bob.client.patch(
        f"/api/v1/users/{bob.user.id}", json={"channels": ["sms"]}
    ).status_code == 403  # only administrators assign channels
    assert alice.client.patch(
        f"/api/v1/users/{bob.user.id}", json={"channels": ["fax"]}
    ).status_code == 422
    assert charlie.client.patch(
        f"/api/v1/users/{bob.user.id}", json={"channels": ["sms"]}
    ).status_code == 404
    assert alice.client.patch(
        f"/api/v1/users/{bob.user.id}", json={"channels": []}
    ).json()["channels"] == []
    assert bob.client.post("/api/v1/queue/accept").status_code == 409
