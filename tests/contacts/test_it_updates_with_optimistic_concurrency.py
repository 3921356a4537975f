def _create(client, **values):
    response = client.post("/api/v1/contacts", json={"first_name": "Vera", **values})
    assert response.status_code == 201
    return response.json()


def test_it_updates_and_bumps_the_version_and_etag(bob):
    contact = _create(bob.client)
    response = bob.client.patch(
        f"/api/v1/contacts/{contact['id']}",
        json={"last_name": "Stone", "priority": 2},
        headers={"If-Match": '"1"'},
    )
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 2
    assert response.json()["last_name"] == "Stone"
    assert response.headers["ETag"] == '"2"'
    assert bob.client.get(f"/api/v1/contacts/{contact['id']}").headers["ETag"] == '"2"'


def test_a_stale_if_match_answers_412_and_changes_nothing(bob, sam):
    contact = _create(bob.client)
    first = sam.client.patch(
        f"/api/v1/contacts/{contact['id']}", json={"city": "Oslo"}, headers={"If-Match": '"1"'}
    )
    assert first.status_code == 200
    stale = bob.client.patch(
        f"/api/v1/contacts/{contact['id']}", json={"city": "Bergen"}, headers={"If-Match": '"1"'}
    )
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 2
    assert bob.client.get(f"/api/v1/contacts/{contact['id']}").json()["city"] == "Oslo"


def test_a_stale_delete_answers_412(sam):
    contact = _create(sam.client)
    sam.client.patch(f"/api/v1/contacts/{contact['id']}", json={"city": "Oslo"})
    assert (
        sam.client.delete(
            f"/api/v1/contacts/{contact['id']}", headers={"If-Match": 'W/"1"'}
        ).status_code
        == 412
    )
    assert (
        sam.client.delete(
            f"/api/v1/contacts/{contact['id']}", headers={"If-Match": '"2"'}
        ).status_code
        == 204
    )
    assert sam.client.get(f"/api/v1/contacts/{contact['id']}").status_code == 404


def test_a_malformed_if_match_is_a_validation_error(bob):
    contact = _create(bob.client)
    response = bob.client.patch(
        f"/api/v1/contacts/{contact['id']}", json={"city": "X"}, headers={"If-Match": "nonsense"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", "If-Match"]


def test_patch_with_null_clears_a_field(bob):
    contact = _create(bob.client, city="Lyon", email="v@example.com")
    response = bob.client.patch(f"/api/v1/contacts/{contact['id']}", json={"city": None})
    assert response.json()["city"] is None
    assert response.json()["email"] == "v@example.com"


def test_unknown_ids_answer_404(bob):
    missing = "01900000-0000-7000-8000-000000000000"
    assert bob.client.get(f"/api/v1/contacts/{missing}").status_code == 404
    assert bob.client.patch(f"/api/v1/contacts/{missing}", json={}).status_code == 404
    assert bob.client.get("/api/v1/contacts/not-a-uuid").status_code == 422


def test_an_update_that_changes_nothing_keeps_the_version(bob):
    contact = _create(bob.client, phone="+1 212 555 0147")
    same = bob.client.patch(
        f"/api/v1/contacts/{contact['id']}", json={"first_name": "Vera", "phone": "212-555-0147"}
    )
    assert same.status_code == 200
    assert same.json()["version"] == 1
