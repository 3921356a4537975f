"""The Activity tab, the tenant-wide audit trail, and a merged contact's old address."""

from rapport.duplicates.merge import merge
from tests.factories import make_contact
from tests.web.helpers import signed_in


def _edit(ui, contact, **changes):
    form = {
        "version": str(contact.version),
        "first_name": contact.first_name,
        "last_name": contact.last_name or "",
        "priority": str(contact.priority),
        **changes,
    }
    response = ui.post(f"/contacts/{contact.id}/edit", form)
    assert response.status_code == 303, response.text


def test_it_shows_who_changed_what_field_by_field_newest_first(app, db, bob, tenant_a):
    contact = make_contact(db, tenant_a, first_name="Ada", last_name="Byron")
    ui = signed_in(app, bob)
    _edit(ui, contact, last_name="Lovelace")
    page = ui.get(f"/contacts/{contact.id}/activity")
    assert page.status_code == 200
    html = page.text
    assert 'aria-current="page">Activity' in html
    assert html.index("Changed") < html.index("Created")  # newest first
    assert "bob@acme.example" in html
    assert ">Web<" in html and ">System<" in html  # the page edit, the factory's create
    assert '<td class="diff-before">Byron</td>' in html
    assert '<td class="diff-after">Lovelace</td>' in html
    assert "Export all data" not in html and "Erase this person" not in html  # agents


def test_it_pages_through_long_activity(app, db, bob, tenant_a):
    contact = make_contact(db, tenant_a, first_name="Ada")
    ui = signed_in(app, bob)
    for n in range(26):
        db.refresh(contact)
        _edit(ui, contact, last_name=f"Name{n}")
    first = ui.get(f"/contacts/{contact.id}/activity").text
    assert ">Name25</td>" in first and "Older changes" in first
    cursor = first.split("cursor=")[1].split('"')[0]
    older = ui.get(f"/contacts/{contact.id}/activity?cursor={cursor}").text
    assert "Created" in older and ">Name25</td>" not in older


def test_charlie_gets_not_found_for_tenant_a_activity(app, db, charlie, tenant_a):
    contact = make_contact(db, tenant_a, first_name="Ada")
    response = signed_in(app, charlie).get(f"/contacts/{contact.id}/activity")
    assert response.status_code == 404
    assert "Ada" not in response.text


def test_a_merged_contacts_old_address_leads_to_the_survivor(app, db, bob, tenant_a):
    survivor = make_contact(db, tenant_a, first_name="Ada")
    merged = make_contact(db, tenant_a, first_name="Ada")
    merge(db=db, tenant=tenant_a, survivor_id=survivor.id, merged_ids=[merged.id])
    db.commit()
    ui = signed_in(app, bob)
    for suffix in ("", "/activity", "/edit"):
        response = ui.get(f"/contacts/{merged.id}{suffix}")
        assert response.status_code == 303
        assert response.headers["location"] == f"/contacts/{survivor.id}{suffix}"
    posted = ui.post(f"/contacts/{merged.id}/edit", {"first_name": "Eve"})
    assert posted.status_code == 410
    assert f'href="/contacts/{survivor.id}"' in posted.text


def test_admins_filter_the_tenant_audit_trail(app, db, alice, bob, tenant_a):
    ada = make_contact(db, tenant_a, first_name="Ada")
    make_contact(db, tenant_a, first_name="Grace")
    _edit(signed_in(app, bob), ada, last_name="Lovelace")
    ui = signed_in(app, alice)
    everything = ui.get("/settings/audit").text
    assert "Audit trail" in everything and "Grace" in everything and "Lovelace" in everything
    by_bob = ui.get(f"/settings/audit?user={bob.user.id}").text
    assert "Lovelace" in by_bob and "Grace" not in by_bob
    by_record = ui.get(f"/settings/audit?record_type=contact&record_id={ada.id}").text
    assert "Ada" in by_record and "Grace" not in by_record
    assert "No changes recorded" in ui.get("/settings/audit?to=2000-01-01").text
    bad = ui.get("/settings/audit?from=yesterday&record_id=nope")
    assert bad.status_code == 422
    assert 'aria-invalid="true"' in bad.text and "f-from-error" in bad.text


def test_only_admins_open_the_audit_trail(app, sam, bob, charlie):
    assert signed_in(app, sam).get("/settings/audit").status_code == 403
    assert signed_in(app, bob).get("/settings/audit").status_code == 403
    assert "Audit trail" in signed_in(app, charlie).get("/settings/audit").text
