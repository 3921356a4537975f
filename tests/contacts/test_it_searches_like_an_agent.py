from rapport.contacts.listing import ContactFilters
from rapport.contacts.search import looks_like_phone, search_contacts
from tests.factories import make_contact


def test_a_number_in_any_format_finds_its_contact(db, tenant_a):
    john = make_contact(db, tenant_a, first_name="John", mobile="+1 415 555 2671")
    make_contact(db, tenant_a, first_name="Jane", phone="+1 212 555 0147")
    for text in ("(415) 555-2671", "+1 415-555-2671", "4155552671"):
        rows, _ = search_contacts(db=db, tenant=tenant_a, text=text, filters=ContactFilters())
        assert [c.id for c in rows] == [john.id], text


def test_a_name_or_email_prefix_is_searched_as_text(db, tenant_a):
    make_contact(db, tenant_a, first_name="Ada", email="ada@example.com")
    rows, _ = search_contacts(db=db, tenant=tenant_a, text="ad", filters=ContactFilters())
    assert [c.first_name for c in rows] == ["Ada"]
    rows, _ = search_contacts(db=db, tenant=tenant_a, text="", filters=ContactFilters())
    assert len(rows) == 1


def test_what_looks_like_a_phone(tenant_a):
    assert looks_like_phone("(415) 555-2671", tenant_a)
    assert not looks_like_phone("Ada", tenant_a)
    assert not looks_like_phone("555", tenant_a)
