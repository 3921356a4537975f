"""Use case: an integrator posts text and gets a profile back; nothing is stored."""

from sqlalchemy import func, select

from rapport.insights.models import PersonalityProfile
from tests.insights_api.helpers import words

URL = "/api/v1/personality/profile"


def test_plain_text_is_profiled(db, bob, enabled):
    response = bob.client.post(
        URL, content=words(700), headers={"Content-Type": "text/plain; charset=utf-8"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["status"], body["word_count"], body["contact_id"]) == ("ready", 700, None)
    assert body["confidence"]["level"] == "medium" and body["guidance"]
    assert db.scalar(select(func.count()).select_from(PersonalityProfile)) == 0


def test_watson_content_items_are_profiled_and_html_reduced_to_text(bob, enabled):
    items = [
        {"content": words(150), "contenttype": "text/plain"},
        {"content": f"<p>{words(150)}</p><script>x()</script>", "contenttype": "text/html"},
    ]
    body = bob.client.post(URL, json={"content_items": items}).json()
    assert (body["status"], body["word_count"]) == ("ready", 300)
    assert body["confidence"]["level"] == "low"


def test_a_list_of_strings_is_profiled_as_one_author(bob, enabled):
    body = bob.client.post(URL, json=[words(100), words(100), words(100)]).json()
    assert (body["status"], body["word_count"]) == ("ready", 300)


def test_short_text_says_how_many_words_are_needed(bob, enabled):
    body = bob.client.post(URL, json=[words(40)]).json()
    assert body == {
        "status": "not_enough_text",
        "contact_id": None,
        "word_count": 40,
        "words_needed": 60,
        "minimum_words": 100,
        "message": body["message"],
    }


def test_bad_bodies_get_clear_errors(bob, enabled):
    assert bob.client.post(URL, json={"text": "x"}).status_code == 422
    response = bob.client.post(URL, json={"content_items": [{"content": 3}]})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "content_items", "0", "content"]
    items = {"content_items": [{"content": "x", "contenttype": "application/pdf"}]}
    assert bob.client.post(URL, json=items).status_code == 422
    bad_json = bob.client.post(URL, content=b"{", headers={"Content-Type": "application/json"})
    assert bad_json.status_code == 422
    form = bob.client.post(URL, content=b"a=b", headers={"Content-Type": "application/xml"})
    assert form.status_code == 415
    huge = bob.client.post(URL, content=b"a " * 600_000, headers={"Content-Type": "text/plain"})
    assert huge.status_code == 413
