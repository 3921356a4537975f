URL = "/api/v1/interactions"


def _interaction(client, channel="email", address="vera@example.com"):
    response = client.post(
        URL, json={"channel": channel, "direction": "inbound", "address": address}
    )
    return response.json()["id"]


def test_it_appends_and_orders_the_transcript_by_sent_at(bob):
    iid = _interaction(bob.client)
    late = {"sender": "agent", "text": "Answer", "sent_at": "2025-03-01T10:05:00Z"}
    early = {"sender": "contact", "text": "Question", "sent_at": "2025-03-01T10:00:00Z"}
    assert bob.client.post(f"{URL}/{iid}/messages", json=late).status_code == 201
    assert bob.client.post(f"{URL}/{iid}/messages", json=early).status_code == 201
    texts = [m["text"] for m in bob.client.get(f"{URL}/{iid}").json()["messages"]]
    assert texts == ["Question", "Answer"]


def test_html_email_is_sanitised_and_kept_as_plain_text(bob):
    iid = _interaction(bob.client)
    response = bob.client.post(
        f"{URL}/{iid}/messages",
        json={
            "sender": "contact",
            "subject": "Refund",
            "content_type": "text/html",
            "text": "<p>Hello&nbsp;team,</p><script>steal()</script>"
            '<p onclick="x()">Please <b>refund</b> &amp; '
            '<a href="javascript:alert(1)">call</a></p>',
        },
    )
    assert response.status_code == 201, response.text
    message = response.json()
    assert message["text"] == "Hello\xa0team,\nPlease refund & call"
    assert "script" not in message["html"] and "steal" not in message["html"]
    assert "onclick" not in message["html"] and "javascript" not in message["html"]
    assert message["subject"] == "Refund"


def test_the_same_external_id_is_stored_once(bob):
    iid = _interaction(bob.client)
    body = {"sender": "contact", "text": "hi", "external_id": "msg-1"}
    first = bob.client.post(f"{URL}/{iid}/messages", json=body)
    again = bob.client.post(f"{URL}/{iid}/messages", json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert len(bob.client.get(f"{URL}/{iid}").json()["messages"]) == 1


def test_a_bad_message_is_refused_by_field(bob):
    iid = _interaction(bob.client)
    response = bob.client.post(
        f"{URL}/{iid}/messages",
        json={"sender": "contact", "text": "x", "sent_at": "2999-01-01T00:00:00Z"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "sent_at"]


def test_charlie_cannot_append_to_tenant_a(bob, charlie):
    iid = _interaction(bob.client)
    response = charlie.client.post(
        f"{URL}/{iid}/messages", json={"sender": "contact", "text": "intrusion"}
    )
    assert response.status_code == 404
    assert len(bob.client.get(f"{URL}/{iid}").json()["messages"]) == 0
