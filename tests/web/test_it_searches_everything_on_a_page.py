from rapport.search.views import looks_like_phone
from tests.factories import make_account, make_contact
from tests.web.helpers import signed_in
from tests.web.interaction_helpers import make_interaction


def test_the_top_search_box_searches_everything(app, bob):
    page = signed_in(app, bob).get("/contacts").text
    assert 'action="/search"' in page and 'id="global-q"' in page


def test_results_are_grouped_by_kind_with_interaction_snippets(app, db, bob, tenant_a):
    make_account(db, tenant_a, identifier="ZEPHYR", name="Zephyr Freight")
    contact = make_contact(db, tenant_a, first_name="Zephyrine", last_name="Moss")
    make_interaction(
        db, tenant_a, contact, subject="Billing",
        messages=[{"sender": "contact", "text": "Zephyr invoice is <wrong>"}],
    )  # fmt: skip
    page = signed_in(app, bob).get("/search?q=zephyr")
    assert page.status_code == 200
    text = page.text
    assert text.index('id="found-contacts"') < text.index("Zephyrine Moss")
    assert text.index('id="found-accounts"') < text.index("ZEPHYR — Zephyr Freight")
    assert text.index('id="found-interactions"') < text.index("Billing")
    assert "<mark>Zephyr</mark> invoice is" in text and "<wrong>" not in text
    assert 'value="zephyr"' in text  # the box keeps what was typed


def test_a_phone_number_in_any_format_goes_straight_to_its_one_contact(app, db, bob, tenant_a):
    contact = make_contact(db, tenant_a, first_name="John", phone="+1 415 555 2671")
    ui = signed_in(app, bob)
    for typed in ("(415) 555-2671", "+14155552671", "415.555.2671"):
        response = ui.get("/search", params={"q": typed})
        assert response.status_code == 303, typed
        assert response.headers["location"] == f"/contacts/{contact.id}"


def test_nothing_found_says_so(app, bob):
    page = signed_in(app, bob).get("/search?q=nobody").text
    assert "No contacts match." in page and "No interactions match." in page
    assert "0 results" in page


def test_charlie_finds_nothing_of_tenant_a(app, db, bob, charlie, tenant_a):
    contact = make_contact(db, tenant_a, first_name="Ada", phone="+1 415 555 2671")
    make_interaction(db, tenant_a, contact, subject="Ada secret chat")
    ui = signed_in(app, charlie)
    for typed in ("Ada", "(415) 555-2671", "secret"):
        response = ui.get("/search", params={"q": typed})
        assert response.status_code == 200
        assert "0 results" in response.text, typed
        assert "Ada secret chat" not in response.text and "/contacts/" + str(contact.id) not in (
            response.text
        )


def test_what_looks_like_a_phone_number():
    assert looks_like_phone("(415) 555-2671") and looks_like_phone("+44 20 7946 0958")
    assert not looks_like_phone("Ada") and not looks_like_phone("123")
