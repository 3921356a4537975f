"""Alice adds, changes and switches off an endpoint in Settings and reads its delivery log;
Bob (agent) cannot open the page."""

import re

from tests.web.helpers import signed_in
from tests.webhooks.receiver import wait_for

TYPES = ["contact.created", "note.created"]


def test_alice_manages_an_endpoint_and_reads_its_log(app, alice, bob, receiver, deliver):
    ui = signed_in(app, alice)
    wrong = ui.client.post("/settings/webhooks", data={
        "csrf_token": ui.csrf, "url": "ftp://example.com", "event_types": TYPES})
    assert wrong.status_code == 422 and "http:// or https://" in wrong.text

    added = ui.client.post("/settings/webhooks", data={
        "csrf_token": ui.csrf, "url": receiver.url, "description": "CRM sync",
        "event_types": TYPES})  # fmt: skip
    assert added.status_code == 201
    assert added.headers["Cache-Control"] == "no-store"
    secret = re.search(r"whsec_[\w-]+", added.text).group(0)
    endpoint_id = alice.client.get("/api/v1/webhooks").json()[0]["id"]
    assert "whsec_" not in ui.get("/settings/webhooks").text  # shown once

    receiver.answers = [502]
    bob.client.post("/api/v1/contacts", json={"first_name": "Ada", "last_name": "Byron"})
    wait_for(lambda: receiver.accepted(), step=deliver)
    page = ui.get(f"/settings/webhooks/{endpoint_id}")
    assert page.status_code == 200
    assert "contact.created" in page.text and "502, 200" in page.text
    assert secret not in page.text

    delivery_id = alice.client.get(f"/api/v1/webhooks/{endpoint_id}/deliveries").json()[0]["id"]
    again = ui.post(f"/settings/webhooks/{endpoint_id}/deliveries/{delivery_id}/redeliver")
    assert again.status_code == 303
    wait_for(lambda: len(receiver.accepted()) == 2, step=deliver)

    saved = ui.client.post(f"/settings/webhooks/{endpoint_id}", data={
        "csrf_token": ui.csrf, "url": receiver.url, "event_types": ["note.created"]},
        follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303
    assert alice.client.get(f"/api/v1/webhooks/{endpoint_id}").json()["event_types"] == [
        "note.created"
    ]
    switched = ui.post(f"/settings/webhooks/{endpoint_id}", {"enabled": "0"})
    assert switched.status_code == 303
    assert alice.client.get(f"/api/v1/webhooks/{endpoint_id}").json()["enabled"] is False

    removed = ui.post(f"/settings/webhooks/{endpoint_id}/delete")
    assert removed.status_code == 303
    assert alice.client.get("/api/v1/webhooks").json() == []


def test_agents_and_other_tenants_cannot_open_the_pages(app, alice, bob, charlie, receiver):
    ui = signed_in(app, alice)
    ui.client.post("/settings/webhooks", data={
        "csrf_token": ui.csrf, "url": receiver.url, "event_types": TYPES})
    endpoint_id = alice.client.get("/api/v1/webhooks").json()[0]["id"]
    assert signed_in(app, bob).get("/settings/webhooks").status_code == 403
    assert signed_in(app, charlie).get(f"/settings/webhooks/{endpoint_id}").status_code == 404
