"""The workspace page: the queue in order, accept next and the screen pop, tenancy, CSRF."""

from __future__ import annotations

from rapport.contacts.models import Contact
from rapport.interactions.models import Interaction
from tests.factories import make_contact
from tests.routing.helpers import post_interaction
from tests.web.helpers import signed_in


def _accept_next(ui) -> str:
    response = ui.post("/workspace/accept")
    assert response.status_code == 303, response.text
    return response.headers["location"]


def test_the_page_shows_the_queue_in_the_order_it_will_be_served(app, db, bob, tenant_a):
    make_contact(db, tenant_a, first_name="Vip", last_name="Person", phone="+14155552671",
                 priority=1)  # fmt: skip
    post_interaction(bob.client, address="+14155550111", waited=600, queue="billing")
    post_interaction(bob.client, address="+14155552671", waited=5)
    page = signed_in(app, bob).get("/workspace")
    assert page.status_code == 200
    assert 'aria-current="page">' in page.text and "Accept next" in page.text
    text = page.text
    assert text.index("Vip Person") < text.index("+14155550111") < text.index("billing")
    assert 'data-waiting-since="' in text and 'aria-live="polite"' in text
    nav = text[text.index('class="sidebar"'):]
    assert nav.index('href="/workspace"') < nav.index('href="/contacts"')  # first in the nav


def test_the_queue_fragment_is_the_table_alone(app, bob):
    post_interaction(bob.client, address="+14155550111", subject="Lost parcel")
    fragment = signed_in(app, bob).get("/workspace/queue")
    assert fragment.status_code == 200
    assert "Lost parcel" in fragment.text and "<html" not in fragment.text


def test_accept_next_pops_the_known_caller(app, db, bob, tenant_a):
    caller = make_contact(db, tenant_a, first_name="Vera", last_name="Stone",
                          phone="+14155552671", time_zone="America/Los_Angeles")  # fmt: skip
    post_interaction(bob.client, address="(415) 555-2671")
    ui = signed_in(app, bob)
    page = ui.get(_accept_next(ui))
    assert page.status_code == 200
    assert "Vera Stone" in page.text and f'href="/contacts/{caller.id}"' in page.text
    assert 'href="tel:+14155552671"' in page.text and "Los Angeles" in page.text
    assert "Complete" in page.text and "Transfer back to the queue" in page.text


def test_accept_next_offers_the_candidates_and_links_the_chosen_one(app, db, bob, tenant_a):
    make_contact(db, tenant_a, first_name="Ann", last_name="Home", phone="+14155552672")
    bo = make_contact(db, tenant_a, first_name="Bo", last_name="Work", mobile="+14155552672")
    post_interaction(bob.client, address="415-555-2672")
    ui = signed_in(app, bob)
    url = _accept_next(ui)
    page = ui.get(url)
    assert "2 contacts match" in page.text and page.text.count("This is the caller") == 2
    linked = ui.post(f"{url}/contact", {"contact_id": str(bo.id)})
    assert linked.status_code == 303
    db.expire_all()
    assert db.query(Interaction).one().contact_id == bo.id
    assert "Contact Bo Work linked." in ui.get(url).text


def test_accept_next_prefills_a_new_contact_and_creates_it(app, db, bob):
    post_interaction(bob.client, address="+44 20 7946 0958")
    earlier = post_interaction(bob.client, address="+442079460958", waited=3000)
    bob.client.post(f"/api/v1/interactions/{earlier['id']}/abandon")
    ui = signed_in(app, bob)
    url = _accept_next(ui)
    page = ui.get(url).text
    assert 'value="+442079460958"' in page and 'value="Europe/London"' in page
    assert '<option value="GB" selected>' in page and "1 other unlinked interaction" in page
    created = ui.post(f"{url}/contact", {
        "first_name": "Nia", "last_name": "New", "phone": "+442079460958", "country": "GB",
        "time_zone": "Europe/London", "time_zone_inferred": "Europe/London", "priority": "3",
        "link_others": "on",
    })  # fmt: skip
    assert created.status_code == 303
    db.expire_all()
    contact = db.query(Contact).one()
    assert contact.first_name == "Nia" and contact.time_zone == "Europe/London"
    assert {i.contact_id for i in db.query(Interaction)} == {contact.id}


def test_an_invalid_email_is_shown_beside_the_field_and_nothing_is_saved(app, db, bob):
    post_interaction(bob.client, channel="email", address="Jane Doe <jane@example.com>")
    ui = signed_in(app, bob)
    url = _accept_next(ui)
    assert 'value="Jane"' in ui.get(url).text
    failed = ui.post(f"{url}/contact", {"first_name": "Jane", "email": "jane@@example"})
    assert failed.status_code == 422
    assert 'id="f-email-error"' in failed.text and 'value="jane@@example"' in failed.text
    db.expire_all()
    assert db.query(Contact).count() == 0
    assert db.query(Interaction).one().contact_id is None


def test_nothing_waiting_and_away_are_explained(app, db, bob):
    ui = signed_in(app, bob)
    assert _accept_next(ui) == "/workspace"
    assert "Nothing is waiting on your channels." in ui.get("/workspace").text
    assert ui.post("/workspace/availability", {"availability": "away"}).status_code == 303
    db.expire_all()
    assert bob.user.availability == "away"
    post_interaction(bob.client)
    assert _accept_next(ui) == "/workspace"
    assert "You are away" in ui.get("/workspace").text


def test_a_forged_post_is_refused_and_takes_nothing(app, db, bob):
    post_interaction(bob.client)
    response = signed_in(app, bob).post("/workspace/accept", csrf="forged")
    assert response.status_code == 403
    db.expire_all()
    assert db.query(Interaction).one().state == "queued"


def test_charlie_gets_404_for_another_tenants_workitem(app, db, bob, charlie):
    item = post_interaction(bob.client)
    ui = signed_in(app, charlie)
    assert ui.get(f"/workspace/interactions/{item['id']}").status_code == 404
    assert ui.post(f"/workspace/interactions/{item['id']}/accept").status_code == 404
    assert ui.post(f"/workspace/interactions/{item['id']}/complete",
                   {"disposition": "Resolved"}).status_code == 404  # fmt: skip
    assert "+14155550100" not in ui.get("/workspace").text
    db.expire_all()
    assert db.query(Interaction).one().state == "queued"
