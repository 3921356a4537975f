from tests.factories import make_account, make_contact


def test_it_flags_same_number_and_similar_name_in_the_same_account_before_saving(db, bob, tenant_a):
    make_account(db, tenant_a, identifier="ACME")
    by_phone = make_contact(db, tenant_a, first_name="Pat", phone="+1 212 555 0147")
    by_name = make_contact(db, tenant_a, first_name="Jonathan", last_name="Smyth", account="ACME")
    make_contact(db, tenant_a, first_name="Jonathan", last_name="Smyth")  # no shared place
    found = bob.client.post(
        "/api/v1/duplicates/check",
        json={"first_name": "Jonathon", "last_name": "Smyth", "account": "acme",
              "phone": "(212) 555-0147"},
    ).json()  # fmt: skip
    assert [m["contact"]["id"] for m in found] == [str(by_phone.id), str(by_name.id)]
    assert found[0]["reasons"] == ["same phone number"]
    assert "same account" in found[1]["reasons"][0]


def test_it_checks_what_it_can_while_the_form_has_errors(db, bob, tenant_a):
    existing = make_contact(db, tenant_a, email="taken@example.com")
    found = bob.client.post(
        "/api/v1/duplicates/check", json={"email": "TAKEN@example.com", "country": "Narnia"}
    ).json()
    assert [m["contact"]["id"] for m in found] == [str(existing.id)]
    assert found[0]["score"] == 1.0


def test_it_lists_candidate_pairs_ranked_with_reasons(db, sam, bob, tenant_a):
    a = make_contact(db, tenant_a, first_name="Maria", last_name="Garcia", city="Madrid")
    b = make_contact(db, tenant_a, first_name="María", last_name="García", city="Madrid")
    c = make_contact(db, tenant_a, first_name="Leo", mobile="+44 7911 123456")
    d = make_contact(db, tenant_a, first_name="Leona", phone="+44 7911 123456")
    make_contact(db, tenant_a, first_name="Maria", last_name="Garcia", city="Lima")
    pairs = sam.client.get("/api/v1/duplicates").json()
    found = {frozenset((p["first"]["id"], p["second"]["id"])): p for p in pairs}
    assert set(found) == {frozenset((str(a.id), str(b.id))), frozenset((str(c.id), str(d.id)))}
    assert found[frozenset((str(c.id), str(d.id)))]["reasons"] == ["same phone number"]
    assert pairs[0]["score"] >= pairs[-1]["score"]
    assert bob.client.get("/api/v1/duplicates").status_code == 403


def test_a_contact_s_duplicates_exclude_itself(db, bob, tenant_a, charlie):
    one = make_contact(db, tenant_a, first_name="Ann", phone="+1 212 555 0147")
    two = make_contact(db, tenant_a, first_name="Anne", phone="+1 212 555 0147")
    found = bob.client.get(f"/api/v1/contacts/{one.id}/duplicates").json()
    assert [m["contact"]["id"] for m in found] == [str(two.id)]
    assert charlie.client.get(f"/api/v1/contacts/{one.id}/duplicates").status_code == 404
