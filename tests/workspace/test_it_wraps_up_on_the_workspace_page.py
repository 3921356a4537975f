"""Handling a workitem on the page: complete with a note, transfer, abandon, live transcript."""

from __future__ import annotations

from rapport.interactions.models import Interaction
from rapport.notes.models import Note
from tests.factories import make_contact
from tests.routing.helpers import post_interaction
from tests.web.helpers import signed_in


def _accepted(app, db, bob, tenant_a):
    make_contact(db, tenant_a, first_name="Vera", last_name="Stone", phone="+14155552671")
    post_interaction(bob.client, address="+14155552671", messages=[
        {"sender": "contact", "text": "My parcel is late"},
    ])  # fmt: skip
    ui = signed_in(app, bob)
    url = ui.post("/workspace/accept").headers["location"]
    return ui, url


def test_complete_with_a_note_stores_it_tied_to_the_interaction(app, db, bob, tenant_a):
    ui, url = _accepted(app, db, bob, tenant_a)
    assert "My parcel is late" in ui.get(url).text
    wrap_up = {"disposition": "Resolved", "body": "Resent the parcel",
               "outcome": "Resent", "next_steps": "Check Friday"}  # fmt: skip
    done = ui.post(f"{url}/complete", wrap_up)
    assert done.status_code == 303 and done.headers["location"] == "/workspace"
    db.expire_all()
    interaction = db.query(Interaction).one()
    assert (interaction.state, interaction.disposition) == ("completed", "Resolved")
    [note] = db.query(Note).all()
    assert (note.interaction_id, note.outcome, note.next_steps) == (
        interaction.id, "Resent", "Check Friday",
    )  # fmt: skip


def test_a_missing_disposition_is_explained_and_nothing_is_saved(app, db, bob, tenant_a):
    ui, url = _accepted(app, db, bob, tenant_a)
    failed = ui.post(f"{url}/complete", {"disposition": " ", "body": "Kept in the form"})
    assert failed.status_code == 422
    assert 'id="f-disposition-error"' in failed.text and "Kept in the form" in failed.text
    db.expire_all()
    assert db.query(Interaction).one().state == "active" and db.query(Note).count() == 0


def test_transfer_and_abandon(app, db, bob, tenant_a):
    ui, url = _accepted(app, db, bob, tenant_a)
    assert ui.post(f"{url}/transfer").status_code == 303
    db.expire_all()
    assert db.query(Interaction).one().state == "queued"
    url = ui.post("/workspace/accept").headers["location"]
    assert ui.post(f"{url}/abandon").status_code == 303
    db.expire_all()
    assert db.query(Interaction).one().state == "abandoned"


def test_the_transcript_fragment_and_another_agents_work(app, db, bob, sam, tenant_a):
    ui, url = _accepted(app, db, bob, tenant_a)
    fragment = ui.get(f"{url}/transcript")
    assert "My parcel is late" in fragment.text and "<html" not in fragment.text
    # an agent cannot move a workitem another agent handles
    item = post_interaction(sam.client, address="+14155550199")
    sam.client.post(f"/api/v1/interactions/{item['id']}/accept")
    refused = ui.post(f"/workspace/interactions/{item['id']}/transfer")
    assert refused.status_code == 403
