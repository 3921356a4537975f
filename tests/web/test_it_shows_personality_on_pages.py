"""Use case: an agent opens a contact's Personality tab to see how to talk to them."""

import re

import pytest
from sqlalchemy import func, select

from rapport.insights import service
from rapport.insights.models import PersonalityProfile
from tests.factories import make_contact
from tests.insights_api.helpers import record, words
from tests.web.helpers import signed_in


@pytest.fixture
def contact(db, tenant_a):
    return make_contact(db, tenant_a, first_name="Vera", email="vera@example.com")


def _tab(contact) -> str:
    return f"/contacts/{contact.id}/personality"


def test_it_says_an_administrator_can_enable_it_and_analyses_nothing(
    db, app, alice, bob, contact, monkeypatch
):
    def refuse(texts):
        raise AssertionError("text was analysed while Personality Insights is off")

    monkeypatch.setattr(service, "analyze", refuse)
    record(bob.client, contact.id, "sms", [("contact", words(300))])
    page = signed_in(app, bob).get(_tab(contact))
    assert page.status_code == 200
    assert "A system administrator can enable Personality Insights in Settings" in page.text
    assert 'href="/settings/tenant"' not in page.text
    assert "How to talk to this person" not in page.text
    assert 'aria-current="page">Personality' in page.text
    admin_page = signed_in(app, alice).get(_tab(contact))
    assert 'href="/settings/tenant"' in admin_page.text
    assert db.scalar(select(func.count()).select_from(PersonalityProfile)) == 0


def test_under_100_words_it_says_how_many_more_are_needed(app, bob, enabled, contact):
    record(bob.client, contact.id, "chat", [("contact", words(37))])
    page = signed_in(app, bob).get(_tab(contact))
    assert page.status_code == 200
    assert "63 more words needed" in page.text
    assert "How to talk to this person" not in page.text
    assert "Low confidence" not in page.text


def test_a_short_profile_shows_guidance_first_and_a_low_confidence_warning(
    app, bob, enabled, contact
):
    record(bob.client, contact.id, "sms", [("contact", words(300))])
    html = signed_in(app, bob).get(_tab(contact)).text
    assert html.index("How to talk to this person") < html.index("Big Five")
    assert "Low confidence:" in html and "300 words analysed" in html
    assert re.search(r"data-word-count>300<", html)
    for trait in ("Openness", "Conscientiousness", "Extraversion", "Agreeableness"):
        assert trait in html
    assert re.search(r"\d+(st|nd|rd|th) percentile", html)
    assert "Facets are not provided by this model version" in html
    assert html.count(">indicators<") == 2
    assert "Method: word lists" in html and "Method: the pyvalues dictionary" in html
    assert "Raised it" in html and "Lowered it" in html
    assert "SMS message" in html and "Exclude from the analysis" in html


def test_a_long_profile_has_no_low_confidence_warning(app, bob, enabled, contact):
    record(bob.client, contact.id, "email", [("contact", words(700))])
    html = signed_in(app, bob).get(_tab(contact)).text
    assert "Low confidence:" not in html
    assert "data-word-count>700<" in html
    assert "Medium" in html


def test_charlie_gets_not_found_on_the_tab_and_its_forms(db, app, charlie, contact, enabled):
    ui = signed_in(app, charlie)
    tab = _tab(contact)
    assert ui.get(tab).status_code == 404
    assert ui.post(tab + "/examples", {"text": words(150)}).status_code == 404
    some_id = "0190a000-0000-7000-8000-000000000000"
    assert ui.post(f"{tab}/messages/{some_id}/exclude").status_code == 404
    assert ui.post(f"{tab}/examples/{some_id}/delete").status_code == 404
    assert db.scalar(select(func.count()).select_from(PersonalityProfile)) == 0
