"""A workspace never loses its last active administrator: no one could manage it then."""

from tests.conftest import make_persona
from tests.web.helpers import signed_in


def _me(persona) -> str:
    return f"/api/v1/users/{persona.user.id}"


def test_the_only_administrator_cannot_demote_or_deactivate_themself(alice, bob):
    for change in ({"role": "supervisor"}, {"role": "agent"}, {"is_active": False}):
        response = alice.client.patch(_me(alice), json=change)
        assert response.status_code == 409, response.text
        body = response.json()
        assert body["code"] == "last_administrator"
        assert "last active administrator" in body["detail"]
    me = alice.client.get("/api/v1/me").json()
    assert (me["role"], me["user"]["is_active"]) == ("admin", True)
    assert alice.client.patch(_me(alice), json={"name": "Alice A"}).status_code == 200


def test_with_a_second_administrator_one_may_step_down(db, app, tenant_a, alice):
    ada = make_persona(db, app, tenant_a, "ada@acme.example", "admin")
    assert alice.client.patch(_me(alice), json={"role": "agent"}).status_code == 200
    # Now Ada is the last one: Alice (an agent) cannot act, and Ada cannot leave.
    assert ada.client.patch(_me(ada), json={"is_active": False}).status_code == 409
    assert ada.client.patch(_me(ada), json={"role": "agent"}).status_code == 409


def test_a_deactivated_administrator_does_not_count(db, app, tenant_a, alice):
    ada = make_persona(db, app, tenant_a, "ada@acme.example", "admin")
    assert alice.client.patch(_me(ada), json={"is_active": False}).status_code == 200
    assert alice.client.patch(_me(alice), json={"role": "agent"}).status_code == 409


def test_another_workspaces_administrators_do_not_count(alice, charlie):
    assert alice.client.patch(_me(alice), json={"is_active": False}).status_code == 409
    assert charlie.client.patch(_me(charlie), json={"is_active": False}).status_code == 409


def test_the_settings_page_refuses_with_the_reason(app, alice):
    ui = signed_in(app, alice)
    response = ui.post(f"/settings/users/{alice.user.id}", {"role": "agent"})
    assert response.status_code == 303
    page = ui.get("/settings/users")
    assert page.status_code == 200
    assert "last active administrator" in page.text
    assert alice.client.get("/api/v1/me").json()["role"] == "admin"
    ui.post(f"/settings/users/{alice.user.id}", {"active": "0"})
    assert "cannot be deactivated" in ui.get("/settings/users").text
    assert alice.client.get("/api/v1/me").status_code == 200
