"""An image in a note or an HTML email loads only from this site: one from another host is a
tracking pixel that reports every agent who reads it."""

from tests.factories import make_contact


def _note_html(client, contact, body: str) -> str:
    response = client.post(f"/api/v1/contacts/{contact.id}/notes", json={"body": body})
    assert response.status_code == 201, response.text
    return response.json()["body_html"]


def test_a_note_keeps_relative_images_and_drops_other_hosts(db, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    kept = _note_html(bob.client, contact, "![logo](/static/favicon.svg)")
    assert '<img src="/static/favicon.svg" alt="logo">' in kept
    for tracker in (
        "![x](https://tracker.example/p.gif?agent=bob)",
        "<img src='http://tracker.example/p.gif'>",
        "<img src='//tracker.example/p.gif'>",
        "<img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='>",
        "<img src='/\\tracker.example/p.gif'>",
    ):
        html = _note_html(bob.client, contact, tracker)
        assert "tracker.example" not in html and "data:" not in html, html
    link = _note_html(bob.client, contact, "[site](https://example.com)")
    assert 'href="https://example.com"' in link  # links stay: they load nothing by themselves


def test_an_html_email_loses_its_tracking_pixel(bob):
    interaction = bob.client.post(
        "/api/v1/interactions",
        json={"channel": "email", "direction": "inbound", "address": "ann@example.com"},
    ).json()
    message = bob.client.post(
        f"/api/v1/interactions/{interaction['id']}/messages",
        json={
            "sender": "contact",
            "content_type": "text/html",
            "text": '<p>Hello</p><img src="https://mail.tracker.example/open?id=1" width="1">',
        },
    )
    assert message.status_code == 201, message.text
    assert "tracker.example" not in message.json()["html"]
    assert "Hello" in message.json()["html"]
