"""Use case: an agent adds text the contact wrote elsewhere (a review, a post)."""

from tests.insights_api.helpers import profile_url, words


def test_an_agent_adds_an_example_with_its_source(bob, enabled, contact):
    url = profile_url(contact.id) + "/examples"
    body = {"text": words(120), "source": "https://reviews.example/vera/42"}
    response = bob.client.post(url, json=body)
    assert response.status_code == 201, response.text
    added = response.json()
    assert added["kind"] == "manual" and added["word_count"] == 120
    assert added["source"] == body["source"]
    assert added["author"]["email"] == "bob@acme.example"
    listed = bob.client.get(url).json()
    assert [item["id"] for item in listed["items"]] == [added["id"]]
    assert listed["items"][0]["author"]["email"] == "bob@acme.example"
    assert listed["word_count"] == 120 and listed["words_needed"] == 0
    assert bob.client.get(profile_url(contact.id)).json()["status"] == "ready"


def test_an_example_needs_text(bob, enabled, contact):
    url = profile_url(contact.id) + "/examples"
    response = bob.client.post(url, json={"text": "   "})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "text"]
    assert bob.client.post(url, json={"source": "x"}).status_code == 422
    assert bob.client.get(url).json()["items"] == []


def test_the_author_or_a_supervisor_deletes_an_example(db, app, bob, sam, enabled, contact):
    from tests.conftest import make_persona

    other_agent = make_persona(db, app, enabled, "dora@acme.example", "agent")
    url = profile_url(contact.id) + "/examples"
    first = bob.client.post(url, json={"text": words(60)}).json()["id"]
    second = bob.client.post(url, json={"text": words(60)}).json()["id"]
    assert bob.client.get(profile_url(contact.id)).json()["word_count"] == 120

    refused = other_agent.client.delete(f"{url}/{first}")
    assert refused.status_code == 403
    assert bob.client.delete(f"{url}/{first}").status_code == 204
    assert sam.client.delete(f"{url}/{second}").status_code == 204
    assert bob.client.delete(f"{url}/{second}").status_code == 404
    assert bob.client.get(url).json()["items"] == []
    assert bob.client.get(profile_url(contact.id)).json()["status"] == "not_enough_text"
