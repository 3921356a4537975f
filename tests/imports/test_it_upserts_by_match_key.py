import pytest
from sqlalchemy import func, select

from rapport.audit.models import AuditEvent
from rapport.contacts.models import Contact
from tests.factories import make_contact


def _count(db, model, tenant):
    return db.scalar(select(func.count()).select_from(model).where(model.tenant_id == tenant.id))


@pytest.mark.parametrize(
    "match, header, key_cell",
    [("email", "Email", "ADA@example.com"), ("phone", "Mobile", "(415) 555-2671"),
     ("external_id", "External ID", "crm-1")],
)  # fmt: skip
def test_an_existing_contact_is_updated_by_the_chosen_key(run_import, db, tenant_a, match,
                                                           header, key_cell):  # fmt: skip
    ada = make_contact(db, tenant_a, first_name="Ada", last_name="Lovelace",
                       email="ada@example.com", mobile="+14155552671", external_id="crm-1",
                       city="London")  # fmt: skip
    job = run_import(tenant_a, f"{header},City,Last Name\n{key_cell},Paris,\n", match=match)
    assert (job.created, job.updated, job.rejected) == (0, 1, 0), job.message
    db.refresh(ada)
    # An empty cell leaves the field as it is.
    assert (ada.city, ada.last_name, ada.version) == ("Paris", "Lovelace", 2)


def test_a_row_without_a_match_creates_a_contact(run_import, db, tenant_a):
    make_contact(db, tenant_a, email="ada@example.com")
    job = run_import(tenant_a, "Email,First Name\nalan@example.com,Alan\n", match="email")
    assert (job.created, job.updated) == (1, 0)


def test_importing_the_same_file_again_changes_nothing(run_import, db, tenant_a):
    content = ("First Name,Last Name,Email,Mobile,Country,State,Zip,Priority,Preferred Channels,"
               "Custom Attributes\n"
               'Ada,Lovelace,ada@example.com,415 555 2671,us,California,94103,2,"voice, sms",'
               '"{""tier"": ""gold""}"\n'
               "Alan,Turing,alan@example.com,,GB,,,,email,\n")  # fmt: skip
    first = run_import(tenant_a, content)
    assert (first.created, first.rejected) == (2, 0), first.message
    ada = db.scalar(select(Contact).where(Contact.email_key == "ada@example.com"))
    assert ada.custom_attributes == {"tier": "gold"} and ada.preferred_channels == ["voice", "sms"]
    events = _count(db, AuditEvent, tenant_a)
    again = run_import(tenant_a, content)
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 2, 0)
    db.refresh(ada)
    assert ada.version == 1
    assert _count(db, AuditEvent, tenant_a) == events
    assert _count(db, Contact, tenant_a) == 2


def test_a_phone_matching_two_contacts_is_rejected(run_import, db, tenant_a):
    make_contact(db, tenant_a, phone="+14155552671")
    make_contact(db, tenant_a, mobile="+14155552672")
    job = run_import(tenant_a, "Phone,Mobile\n4155552671,4155552672\n", match="phone")
    assert job.rejected == 1
