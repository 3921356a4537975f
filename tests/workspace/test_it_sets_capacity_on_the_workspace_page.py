"""On the workspace page an agent sets how many workitems of each channel they take at once;
a wrong number is named and changes nothing."""

from __future__ import annotations

from rapport.users.models import User
from tests.web.helpers import signed_in


def _capacity(db, bob) -> dict:
    db.expire_all()
    return db.get(User, (bob.user.tenant_id, bob.user.id)).capacity


def test_bob_takes_two_calls_and_five_chats(app, db, bob):
    ui = signed_in(app, bob)
    page = ui.get("/workspace").text
    assert 'name="capacity.voice"' in page and 'name="capacity.chat"' in page
    assert "data-offer-sound" in page  # the sound setting lives in the browser
    form = {"capacity.voice": "2", "capacity.chat": "5", "capacity.email": "1", "capacity.sms": "0"}
    saved = ui.post("/workspace/capacity", form)
    assert saved.status_code == 303, saved.text
    assert _capacity(db, bob) == {"voice": 2, "chat": 5, "email": 1, "sms": 0}
    assert 'name="capacity.chat" type="number"' in ui.get("/workspace").text
    assert bob.client.get("/api/v1/me/availability").json()["capacity"]["chat"] == 5


def test_a_wrong_number_is_named_and_nothing_changes(app, db, bob):
    before = _capacity(db, bob)
    ui = signed_in(app, bob)
    form = {"capacity.voice": "2", "capacity.chat": "lots", "capacity.email": "99",
            "capacity.sms": "1"}  # fmt: skip
    refused = ui.post("/workspace/capacity", form)
    assert refused.status_code == 422
    assert "Chat must be a whole number from 0 to 20." in refused.text
    assert "Email must be a whole number from 0 to 20." in refused.text
    assert 'value="lots"' in refused.text
    assert '<details class="card presence" open>' in refused.text
    assert _capacity(db, bob) == before
