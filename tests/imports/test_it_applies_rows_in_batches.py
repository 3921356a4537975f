"""Rows are written a batch at a time; a row must still see every row before it, in its own
batch or an earlier one, exactly as if each were written alone."""

import pytest
from sqlalchemy import func, select

from rapport.accounts import service as accounts_service
from rapport.audit.models import AuditEvent
from rapport.contacts.models import Contact, ContactPoint
from rapport.imports.models import ImportRejection
from tests.factories import make_contact

ONE_BY_ONE, TOGETHER = 1, 500


def _rejections(db, job) -> dict[int, str]:
    rows = db.scalars(select(ImportRejection).where(ImportRejection.import_id == job.id))
    return {r.line: r.errors[0]["message"] for r in rows}


@pytest.mark.parametrize("batch_rows", [ONE_BY_ONE, TOGETHER])
def test_an_email_given_up_by_one_row_can_be_taken_by_a_later_one(run_import, db, tenant_a,
                                                                  batch_rows):  # fmt: skip
    ada = make_contact(db, tenant_a, first_name="Ada", email="ada@example.com", external_id="c1")
    content = ("External ID,Email,First Name\n"
               "c1,ada@lovelace.example,Ada\n"
               "c2,ada@example.com,Another Ada\n")  # fmt: skip
    job = run_import(tenant_a, content, match="external_id", batch_rows=batch_rows)
    assert (job.updated, job.created, job.rejected) == (1, 1, 0), job.message
    db.refresh(ada)
    assert ada.email == "ada@lovelace.example"
    holder = db.scalar(select(Contact).where(Contact.email_key == "ada@example.com"))
    assert (holder.first_name, holder.external_id) == ("Another Ada", "c2")


@pytest.mark.parametrize("batch_rows", [ONE_BY_ONE, TOGETHER])
def test_a_number_created_earlier_in_the_file_is_a_match(run_import, db, tenant_a, batch_rows):
    content = ("First Name,Mobile\n"
               "Ada,415 555 2671\n"
               "Alan,(415) 555-2672\n"
               "Ada again,+1 415 555 2671\n")  # fmt: skip
    job = run_import(tenant_a, content, match="phone", batch_rows=batch_rows)
    assert (job.created, job.rejected) == (2, 1), job.message
    assert _rejections(db, job) == {
        4: "same phone or mobile as line 2; a contact may appear once per file"
    }


@pytest.mark.parametrize("batch_rows", [ONE_BY_ONE, TOGETHER])
def test_an_email_taken_earlier_in_the_file_is_refused_when_matching_by_phone(
    run_import, db, tenant_a, batch_rows
):
    content = ("First Name,Mobile,Email\n"
               "Ada,415 555 2671,ada@example.com\n"
               "Al,415 555 2672,ADA@example.com\n")  # fmt: skip
    job = run_import(tenant_a, content, match="phone", batch_rows=batch_rows)
    assert (job.created, job.rejected) == (1, 1), job.message
    assert _rejections(db, job) == {3: "same email as line 2; a contact may appear once per file"}


@pytest.mark.parametrize("batch_rows", [ONE_BY_ONE, TOGETHER])
def test_accounts_are_found_by_identifier_and_unknown_ones_refused(run_import, db, tenant_a,
                                                                   batch_rows):  # fmt: skip
    acme = accounts_service.create(db=db, tenant_id=tenant_a.id,
                                   values={"name": "Acme", "identifier": "ACME-1"})
    db.commit()
    content = "First Name,Account ID\nAda,acme-1\nAlan,ACME-1\nGrace,NOPE-9\n"
    job = run_import(tenant_a, content, batch_rows=batch_rows, accounts="refuse")
    assert (job.created, job.rejected) == (2, 1), job.message
    assert "no account with identifier or id 'NOPE-9'" in _rejections(db, job)[4]
    in_acme = select(func.count()).where(Contact.tenant_id == tenant_a.id,
                                         Contact.account_id == acme.id)  # fmt: skip
    assert db.scalar(in_acme) == 2


@pytest.mark.parametrize("batch_rows", [ONE_BY_ONE, 2])
def test_every_written_contact_has_its_points_and_one_audit_event(run_import, db, tenant_a,
                                                                  batch_rows):  # fmt: skip
    existing = make_contact(db, tenant_a, email="ada@example.com", mobile="+14155552671")
    content = ("Email,Mobile,City\n"
               "ada@example.com,415 555 2679,Paris\n"
               "alan@example.com,415 555 2672,\n"
               "grace@example.com,,Boston\n")  # fmt: skip
    job = run_import(tenant_a, content, batch_rows=batch_rows)
    assert (job.created, job.updated) == (2, 1), job.message
    mobiles = select(ContactPoint.value).where(
        ContactPoint.tenant_id == tenant_a.id, ContactPoint.kind == "mobile"
    )
    # The updated contact's old number is gone, its new one is there.
    assert sorted(db.scalars(mobiles)) == ["+14155552672", "+14155552679"]
    events = db.execute(select(AuditEvent.action, func.count()).where(
        AuditEvent.tenant_id == tenant_a.id, AuditEvent.via == "import"
    ).group_by(AuditEvent.action))  # fmt: skip
    assert dict(events.all()) == {"create": 2, "update": 1}
    db.refresh(existing)
    assert (existing.city, existing.version) == ("Paris", 2)


@pytest.mark.parametrize("batch_rows", [ONE_BY_ONE, TOGETHER])
def test_a_number_given_up_by_one_row_no_longer_matches_its_old_contact(run_import, db, tenant_a,
                                                                      batch_rows):  # fmt: skip
    make_contact(db, tenant_a, first_name="Ada", phone="+14155552671", mobile="+14155552672")
    content = ("First Name,Phone,Mobile\n"
               "Ada,415 555 2671,415 555 2673\n"
               "Alan,,415 555 2672\n")  # fmt: skip
    job = run_import(tenant_a, content, match="phone", batch_rows=batch_rows)
    assert (job.updated, job.created, job.rejected) == (1, 1, 0), _rejections(db, job)
