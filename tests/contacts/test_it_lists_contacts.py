import pytest
from sqlalchemy import text

from rapport.contacts.listing import ContactFilters, list_contacts
from tests.factories import make_account, make_contact
from tests.sql import plan_lines, statements_sent


def _names(page):
    return [c["display_name"] for c in page["items"]]


@pytest.mark.parametrize("sort", ["name", "-name"])
def test_it_pages_through_every_contact_once_in_a_stable_order(db, bob, tenant_a, sort):
    # Four names shared by 23 contacts: pages must break ties between equal names.
    for i in range(23):
        make_contact(db, tenant_a, first_name=f"P{i % 4}", last_name="Same")
    seen, cursor = [], None
    while True:
        params = {"limit": 5, "sort": sort, **({"cursor": cursor} if cursor else {})}
        page = bob.client.get("/api/v1/contacts", params=params).json()
        seen += [(c["display_name"], c["id"]) for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 23 == len(set(seen))
    assert [name for name, _ in seen] == sorted((n for n, _ in seen), reverse=sort == "-name")


def test_it_pages_by_last_update_newest_first(db, bob, tenant_a):
    ids = [make_contact(db, tenant_a, first_name=f"U{i}").id for i in range(7)]
    seen, cursor = [], None
    while True:
        params = {"limit": 3, "sort": "-updated", **({"cursor": cursor} if cursor else {})}
        page = bob.client.get("/api/v1/contacts", params=params).json()
        seen += [c["id"] for c in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert seen == [str(i) for i in reversed(ids)]


def test_it_sorts_by_name_ignoring_case_and_accents(db, bob, tenant_a):
    for first, last in [("zoe", "Zane"), ("Émile", "Adams"), ("bea", "baker")]:
        make_contact(db, tenant_a, first_name=first, last_name=last)
    assert _names(bob.client.get("/api/v1/contacts").json()) == [
        "bea baker",
        "Émile Adams",
        "zoe Zane",
    ]


def test_it_filters_by_account_priority_and_country(db, bob, tenant_a):
    account = make_account(db, tenant_a, identifier="VIP")
    make_contact(db, tenant_a, first_name="In", account="VIP", priority=1, country="FR")
    make_contact(db, tenant_a, first_name="Out", priority=1, country="DE")
    make_contact(db, tenant_a, first_name="Low", account=str(account.id), priority=4)
    get = bob.client.get
    by_account = get("/api/v1/contacts", params={"account": "vip"}).json()["items"]
    assert {c["first_name"] for c in by_account} == {"In", "Low"}
    by_priority = get("/api/v1/contacts", params={"priority": 1}).json()["items"]
    assert {c["first_name"] for c in by_priority} == {"In", "Out"}
    by_country = get("/api/v1/contacts", params={"country": "france"}).json()["items"]
    assert [c["first_name"] for c in by_country] == ["In"]
    assert get("/api/v1/contacts", params={"country": "Narnia"}).status_code == 422


def test_it_finds_a_caller_by_number_in_any_format(db, bob, tenant_a):
    make_contact(db, tenant_a, first_name="Caller", phone="+1 415 555 2671")
    make_contact(db, tenant_a, first_name="Mobile", mobile="+1 415 555 0199")
    make_contact(db, tenant_a, first_name="Fax", fax="+1 415 555 2671", email="f@example.com")
    for typed in ("(415) 555-2671", "+14155552671", "1-415-555-2671", "415.555.2671"):
        found = bob.client.get("/api/v1/contacts", params={"phone": typed}).json()["items"]
        assert [c["first_name"] for c in found] == ["Caller"], typed
    found = bob.client.get("/api/v1/contacts", params={"phone": "415 555 0199"}).json()
    assert [c["first_name"] for c in found["items"]] == ["Mobile"]
    bad = bob.client.get("/api/v1/contacts", params={"phone": "abc"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["query", "phone"]


def test_it_finds_by_email_in_any_case(db, bob, tenant_a):
    make_contact(db, tenant_a, first_name="Mail", email="Some.One@Example.com")
    found = bob.client.get("/api/v1/contacts", params={"email": "some.one@EXAMPLE.com"}).json()
    assert [c["first_name"] for c in found["items"]] == ["Mail"]


def test_q_matches_a_prefix_of_name_email_or_phone_digits(db, bob, tenant_a):
    make_contact(db, tenant_a, first_name="Jürgen", last_name="Klopp", email="jk@example.de")
    make_contact(db, tenant_a, first_name="Ann", last_name="Lee", phone="+1 212 555 0147")
    make_contact(db, tenant_a, first_name="Other", last_name="Person", email="zz@example.com")

    def q(text):
        page = bob.client.get("/api/v1/contacts", params={"q": text}).json()
        return sorted(c["first_name"] for c in page["items"])

    assert q("jur") == ["Jürgen"]
    assert q("KLO") == ["Jürgen"]
    assert q("jürgen k") == ["Jürgen"]
    assert q("jk@") == ["Jürgen"]
    assert q("212 555") == ["Ann"]
    assert q("+1212") == ["Ann"]
    assert q("nobody") == []


def test_a_later_page_is_read_from_the_name_index_from_the_cursor_on(db, engine, tenant_a):
    """A deep page must start in the index at the cursor, not filter every row after it."""
    for i in range(3):
        make_contact(db, tenant_a, first_name=f"K{i}")
    _, cursor = list_contacts(db=db, tenant=tenant_a, filters=ContactFilters(), limit=1)
    with statements_sent(engine) as statements:
        list_contacts(db=db, tenant=tenant_a, filters=ContactFilters(), limit=1, cursor=cursor)
    statement, parameters = next(s for s in statements if "ORDER BY" in s[0])
    if engine.dialect.name == "sqlite":
        plan = " ".join(plan_lines(db, statement, parameters))
        assert "ix_contacts_tenant_sort_name (tenant_id=? AND (sort_name,id)>(?,?))" in plan, plan
    else:
        db.execute(text("SET LOCAL enable_seqscan = off"))
        # A handful of rows: without this the planner may as well sort another index's rows,
        # depending on what statistics earlier tests left. The check is that the cursor is in
        # the index condition.
        db.execute(text("SET LOCAL enable_sort = off"))
        plan = plan_lines(db, statement, parameters)
        scan = next(i for i, line in enumerate(plan) if "ix_contacts_tenant_sort_name" in line)
        assert "Index Cond:" in plan[scan + 1] and "ROW(" in plan[scan + 1], plan
