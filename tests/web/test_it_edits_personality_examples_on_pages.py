"""Use case: an agent adds, deletes, excludes and includes the examples of a profile."""

import re

import pytest
from sqlalchemy import select

from rapport.insights.models import PersonalityExample
from tests.conftest import make_persona
from tests.factories import make_contact
from tests.insights_api.helpers import record, words
from tests.web.helpers import signed_in


@pytest.fixture
def contact(db, tenant_a):
    return make_contact(db, tenant_a, first_name="Vera", email="vera@example.com")


def _tab(contact) -> str:
    return f"/contacts/{contact.id}/personality"


def _examples(db, contact) -> list[PersonalityExample]:
    db.expire_all()
    query = select(PersonalityExample).where(PersonalityExample.contact_id == contact.id)
    return list(db.scalars(query))


def test_adding_enough_text_turns_the_count_into_a_profile(db, app, bob, enabled, contact):
    ui = signed_in(app, bob)
    form = {"text": words(150), "source": "https://reviews.example/vera"}
    response = ui.post(_tab(contact) + "/examples", form)
    assert response.status_code == 303
    assert response.headers["location"] == _tab(contact) + "#examples"
    html = ui.get(_tab(contact)).text
    assert "Example added." in html
    assert "How to talk to this person" in html and "Low confidence:" in html
    assert "Added by bob@acme.example" in html
    assert 'href="https://reviews.example/vera"' in html
    assert len(_examples(db, contact)) == 1


def test_an_empty_example_is_refused_beside_its_field(db, app, bob, enabled, contact):
    response = signed_in(app, bob).post(_tab(contact) + "/examples", {"text": "  ", "source": "x"})
    assert response.status_code == 422
    assert 'id="f-text-error"' in response.text and "must not be empty" in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'value="x"' in response.text
    assert _examples(db, contact) == []


def test_a_post_without_the_csrf_token_adds_nothing(db, app, bob, enabled, contact):
    response = signed_in(app, bob).post(_tab(contact) + "/examples", {"text": words(150)}, csrf="")
    assert response.status_code == 403
    assert _examples(db, contact) == []


def test_the_author_or_a_supervisor_deletes_an_example(db, app, bob, sam, enabled, contact):
    dora = make_persona(db, app, enabled, "dora@acme.example", "agent")
    signed_in(app, bob).post(_tab(contact) + "/examples", {"text": words(60)})
    signed_in(app, bob).post(_tab(contact) + "/examples", {"text": words(70)})
    first, second = _examples(db, contact)

    other = signed_in(app, dora)
    assert "Delete example" not in other.get(_tab(contact)).text
    assert other.post(f"{_tab(contact)}/examples/{first.id}/delete").status_code == 403
    assert "Delete example" in signed_in(app, bob).get(_tab(contact)).text
    delete = _tab(contact) + "/examples/{}/delete"
    assert signed_in(app, bob).post(delete.format(first.id)).status_code == 303
    assert signed_in(app, sam).post(delete.format(second.id)).status_code == 303
    assert _examples(db, contact) == []


def test_a_message_is_excluded_then_included_again(app, bob, enabled, contact):
    record(bob.client, contact.id, "sms", [("contact", "Pasted " + words(199))])
    record(bob.client, contact.id, "chat", [("contact", "Mine " + words(149))])
    ui = signed_in(app, bob)
    html = ui.get(_tab(contact)).text
    assert "data-word-count>350<" in html
    actions = re.findall(r'action="([^"]+/messages/[^"]+/exclude)"', html)
    assert len(actions) == 2
    # Newest first: the chat message ("Mine") is listed before the SMS ("Pasted").
    pasted = actions[1]
    assert ui.post(pasted).status_code == 303
    html = ui.get(_tab(contact)).text
    assert "data-word-count>150<" in html
    assert "Message left out of the analysis." in html
    assert "Include in the analysis" in html and ">excluded<" in html
    assert ui.post(pasted.replace("/exclude", "/include")).status_code == 303
    assert "data-word-count>350<" in ui.get(_tab(contact)).text
