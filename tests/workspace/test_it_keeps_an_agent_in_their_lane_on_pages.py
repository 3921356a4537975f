"""The workitem pages follow the same rules as the API, through the same services: an agent
cannot finish, move or link a contact to an interaction another agent holds."""

from tests.conftest import make_persona
from tests.web.helpers import signed_in

URL = "/api/v1/interactions"


def test_an_agent_cannot_handle_another_agents_interaction_on_the_page(db, app, tenant_a, bob,
                                                                       sam):  # fmt: skip
    dora = make_persona(db, app, tenant_a, "dora@acme.example", "agent")
    call = {"channel": "voice", "direction": "inbound", "address": "+14155552671"}
    interaction = bob.client.post(URL, json=call).json()
    assert dora.client.post(f"{URL}/{interaction['id']}/accept").status_code == 200
    page = f"/workspace/interactions/{interaction['id']}"
    ui = signed_in(app, bob)
    shown = ui.get(page)
    assert shown.status_code == 200
    assert "Another agent is handling this workitem" in shown.text
    assert f'action="{page}/complete"' not in shown.text
    assert f'action="{page}/complete"' in signed_in(app, dora).get(page).text

    linked = ui.post(f"{page}/contact", {"first_name": "Ann", "phone": "+14155552671"})
    assert linked.status_code == 403
    assert "held by another agent" in linked.text
    done = ui.post(f"{page}/complete", {"disposition": "Resolved"})
    assert done.status_code == 403
    for action in ("transfer", "abandon"):
        assert ui.post(f"{page}/{action}").status_code == 403
    after = bob.client.get(f"{URL}/{interaction['id']}").json()
    assert (after["state"], after["agent"]["email"], after["contact_id"]) == (
        "active", "dora@acme.example", None,
    )  # fmt: skip
    assert bob.client.get("/api/v1/contacts", params={"q": "Ann"}).json()["items"] == []

    # A supervisor steps in on the same page.
    supervisor = signed_in(app, sam)
    assert supervisor.post(f"{page}/transfer").status_code == 303
    assert bob.client.get(f"{URL}/{interaction['id']}").json()["state"] == "queued"
