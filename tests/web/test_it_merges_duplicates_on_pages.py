"""Duplicates on pages: the ranked pairs, and merging two contacts picking field by field."""

from rapport.contacts import service as contacts_service
from rapport.contacts.models import Contact
from tests.factories import make_contact
from tests.web.helpers import signed_in


def _twins(db, tenant):
    same = {"first_name": "Ada", "last_name": "Lovelace", "city": "London"}
    older = make_contact(db, tenant, phone="+1 415 555 2671", email="ada@old.example", **same)
    newer = make_contact(db, tenant, mobile="+1 415 555 2671", email="ada@new.example", **same)
    return older, newer


def test_supervisors_see_candidate_pairs_ranked_with_reasons(app, db, sam, tenant_a):
    older, newer = _twins(db, tenant_a)
    html = signed_in(app, sam).get("/duplicates").text
    assert 'href="/duplicates"' in html  # the nav link
    assert "same phone number" in html and "similar name (100%), same city" in html
    assert f"/duplicates/merge?ids={min(older.id, newer.id)},{max(older.id, newer.id)}" in html


def test_the_merge_page_defaults_to_the_most_recent_non_empty_value(app, db, sam, tenant_a):
    older, newer = _twins(db, tenant_a)
    html = signed_in(app, sam).get(f"/duplicates/merge?ids={older.id},{newer.id}").text
    assert f'name="field_email" value="{newer.id}" checked' in html
    assert f'name="field_email" value="{older.id}" checked' not in html
    assert f'name="field_email" value="{older.id}"' in html
    assert f'name="survivor" value="{older.id}" checked' in html
    assert 'name="field_first_name"' not in html  # the same on both: nothing to pick


def test_it_merges_through_the_form_keeping_the_picked_values(app, db, sam, tenant_a):
    older, newer = _twins(db, tenant_a)
    older_id, newer_id = older.id, newer.id
    ui = signed_in(app, sam)
    response = ui.post(
        "/duplicates/merge",
        {"ids": f"{older_id},{newer_id}", "survivor": str(newer_id),
         "field_email": str(older_id)},
    )  # fmt: skip
    assert response.status_code == 303
    assert response.headers["location"] == f"/contacts/{newer_id}"
    assert "Merged 2 contacts into Ada Lovelace." in ui.get(response.headers["location"]).text
    db.expire_all()
    survivor = db.get(Contact, (tenant_a.id, newer_id))
    assert survivor.email == "ada@old.example"
    assert survivor.phone == "+14155552671"
    assert db.get(Contact, (tenant_a.id, older_id)) is None
    assert contacts_service.merged_into(db=db, tenant_id=tenant_a.id, contact_id=older_id) == (
        newer_id
    )
    assert ui.get(f"/contacts/{older_id}").headers["location"] == f"/contacts/{newer_id}"


def test_a_survivor_that_is_not_one_of_the_contacts_is_refused(app, db, sam, tenant_a):
    older, newer = _twins(db, tenant_a)
    other = make_contact(db, tenant_a, first_name="Grace")
    response = signed_in(app, sam).post(
        "/duplicates/merge", {"ids": f"{older.id},{newer.id}", "survivor": str(other.id)}
    )
    assert response.status_code == 422
    assert 'aria-invalid="true" aria-describedby="f-survivor-error"' in response.text
    assert db.query(Contact).filter_by(first_name="Ada").count() == 2


def test_agents_see_no_duplicates_and_may_not_merge(app, db, bob, tenant_a):
    older, newer = _twins(db, tenant_a)
    ui = signed_in(app, bob)
    assert 'href="/duplicates"' not in ui.get("/contacts").text
    assert ui.get("/duplicates").status_code == 403
    assert ui.get(f"/duplicates/merge?ids={older.id},{newer.id}").status_code == 403
    forged = ui.post(
        "/duplicates/merge", {"ids": f"{older.id},{newer.id}", "survivor": str(older.id)}
    )
    assert forged.status_code == 403
    assert db.query(Contact).filter_by(first_name="Ada").count() == 2


def test_merging_without_the_csrf_token_changes_nothing(app, db, sam, tenant_a):
    older, newer = _twins(db, tenant_a)
    response = signed_in(app, sam).post(
        "/duplicates/merge", {"ids": f"{older.id},{newer.id}", "survivor": str(older.id)}, csrf=""
    )
    assert response.status_code == 403
    assert db.query(Contact).filter_by(first_name="Ada").count() == 2


def test_charlie_gets_not_found_for_tenant_a_contacts(app, db, charlie, tenant_a):
    older, newer = _twins(db, tenant_a)
    ui = signed_in(app, charlie)
    assert "Ada" not in ui.get("/duplicates").text
    assert ui.get(f"/duplicates/merge?ids={older.id},{newer.id}").status_code == 404
    posted = ui.post(
        "/duplicates/merge", {"ids": f"{older.id},{newer.id}", "survivor": str(older.id)}
    )
    assert posted.status_code == 404
    assert db.query(Contact).filter_by(first_name="Ada").count() == 2
    assert signed_in(app, charlie).get("/duplicates/merge?ids=nope").status_code == 404
