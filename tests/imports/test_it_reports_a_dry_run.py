from sqlalchemy import func, select

from rapport.contacts.models import Contact
from tests.factories import make_contact
from tests.imports.conftest import upload

FILE = (
    "First Name,Last Name,Email,Phone,Country,Priority\n"
    "Ada,Lovelace,ada@example.com,,GB,2\n"          # line 2: updates Ada's priority
    "Alan,Turing,alan@example.com,,,\n"             # line 3: new
    "Grace,Hopper,grace@example.com,,US,\n"         # line 4: same as stored
    "Bad,Email,not-an-email,,,\n"                   # line 5: rejected
    "Bad,Phone,bad@example.com,12,Narnia,\n"        # line 6: two bad fields
)  # fmt: skip


def test_a_dry_run_reports_every_outcome_with_line_numbers_and_writes_nothing(sam, db, tenant_a):
    make_contact(db, tenant_a, first_name="Ada", last_name="Lovelace", email="ada@example.com",
                 country="GB")  # fmt: skip
    make_contact(db, tenant_a, first_name="Grace", last_name="Hopper", email="grace@example.com",
                 country="US")  # fmt: skip
    response = upload(sam, FILE, dry_run=True)
    assert response.status_code == 201, response.text
    report = response.json()
    assert (report["created"], report["updated"], report["unchanged"], report["rejected"]) == (
        1, 1, 1, 2)  # fmt: skip
    assert report["applied"] is False and report["message"].startswith("Dry run")
    rejected = {r["line"]: r for r in report["rejected_rows"]}
    assert sorted(rejected) == [5, 6]
    assert rejected[5]["errors"][0]["field"] == "email"
    assert {e["field"] for e in rejected[6]["errors"]} == {"phone", "country"}
    assert rejected[6]["cells"]["Email"] == "bad@example.com"
    count = db.scalar(select(func.count()).select_from(Contact).where(
        Contact.tenant_id == tenant_a.id))  # fmt: skip
    assert count == 2
    ada = db.scalar(select(Contact).where(Contact.email_key == "ada@example.com"))
    db.refresh(ada)
    assert (ada.priority, ada.version) == (3, 1)
