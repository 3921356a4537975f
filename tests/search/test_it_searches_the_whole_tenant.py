from tests.factories import make_account, make_contact


def _search(client, q):
    response = client.get("/api/v1/search", params={"q": q})
    assert response.status_code == 200, response.text
    return response.json()


def _names(results):
    return [c["display_name"] for c in results["contacts"]]


def test_names_by_prefix_ignoring_accents_and_case(db, bob, tenant_a):
    make_contact(db, tenant_a, first_name="Zoë", last_name="Müller")
    make_contact(db, tenant_a, first_name="Zack", last_name="Other")
    assert _names(_search(bob.client, "mull")) == ["Zoë Müller"]
    assert _names(_search(bob.client, "ZOE MU")) == ["Zoë Müller"]


def test_one_typo_is_forgiven(db, bob, tenant_a):
    make_contact(db, tenant_a, first_name="Jonathan", last_name="Whitaker")
    for typo in ("whitkaer", "witaker", "jonahtan", "whitaler"):
        results = _search(bob.client, typo)
        assert _names(results) == ["Jonathan Whitaker"], typo
        assert results["contacts"][0]["matched"] == "name"
    assert _names(_search(bob.client, "wxyzaker")) == []


def test_email_phone_digits_and_account_identifier(db, bob, tenant_a):
    account = make_account(db, tenant_a, identifier="ACME-7731", name="Acme Plumbing")
    make_contact(
        db,
        tenant_a,
        first_name="Vera",
        email="vera.stone@example.com",
        phone="+1 415 555 2671",
        account=str(account.id),
    )
    assert _names(_search(bob.client, "vera.stone@")) == ["Vera Person" + ""] or _names(
        _search(bob.client, "vera.stone@")
    )[0].startswith("Vera")
    assert _names(_search(bob.client, "(415) 555-26"))[0].startswith("Vera")
    by_account = _search(bob.client, "acme-7731")
    assert by_account["accounts"][0]["identifier"] == "ACME-7731"
    assert by_account["contacts"][0]["account_identifier"] == "ACME-7731"


def test_interactions_by_text_are_grouped_apart(db, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    bob.client.post(
        "/api/v1/interactions",
        json={
            "channel": "voice",
            "direction": "inbound",
            "address": "+14155550100",
            "contact_id": str(contact.id),
            "subject": "Thermostat broken",
        },
    )
    results = _search(bob.client, "thermostat")
    assert set(results) == {"contacts", "accounts", "interactions"}
    assert results["interactions"][0]["snippet"] == "<mark>Thermostat</mark> broken"


def test_charlie_finds_nothing_of_tenant_a(db, bob, charlie, tenant_a):
    make_contact(db, tenant_a, first_name="Jonathan", last_name="Whitaker", phone="+14155552671")
    make_account(db, tenant_a, identifier="SECRET-1")
    for q in ("whitaker", "4155552671", "secret-1"):
        results = _search(charlie.client, q)
        assert results["contacts"] == [] and results["accounts"] == [], q
