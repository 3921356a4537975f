from sqlalchemy import func, select

from rapport.contacts import service as contacts_service
from rapport.contacts.models import Contact
from rapport.imports.models import ImportChange
from tests.factories import make_contact
from tests.imports.conftest import upload

FILE = ("First Name,Email,City,Country\nAda,ada@example.com,Paris,FR\n"
        "Alan,alan@example.com,Wilmslow,GB\nGrace,grace@example.com,Arlington,US\n")  # fmt: skip


def _count(db, tenant):
    return db.scalar(select(func.count()).select_from(Contact).where(
        Contact.tenant_id == tenant.id))  # fmt: skip


def test_rollback_deletes_what_it_created_and_restores_what_it_changed(sam, db, tenant_a):
    ada = make_contact(db, tenant_a, first_name="Ada", email="ada@example.com", city="London",
                       country="GB")  # fmt: skip
    report = upload(sam, FILE).json()
    assert (report["created"], report["updated"]) == (2, 1)
    db.refresh(ada)
    assert (ada.city, ada.country) == ("Paris", "FR")
    # Someone edits Grace after the import: the rollback leaves her alone.
    grace = db.scalar(select(Contact).where(Contact.email_key == "grace@example.com"))
    contacts_service.update(db=db, tenant=tenant_a, contact=grace, changes={"city": "Dallas"})
    db.commit()

    response = sam.client.post(f"/api/v1/imports/{report['id']}/rollback")
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["deleted"], body["restored"], body["kept"]) == (1, 1, 1)
    assert body["import"]["status"] == "rolled_back" and body["import"]["applied"] is False
    db.expire_all()
    assert (ada.city, ada.country, ada.time_zone_source) == ("London", "GB", "inferred")
    assert db.scalar(select(Contact).where(Contact.email_key == "alan@example.com")) is None
    assert _count(db, tenant_a) == 2
    assert db.scalar(select(func.count()).select_from(ImportChange)) == 0
    # Once is enough.
    assert sam.client.post(f"/api/v1/imports/{report['id']}/rollback").status_code == 409


def test_a_dry_run_has_nothing_to_roll_back(sam):
    report = upload(sam, FILE, dry_run=True).json()
    assert sam.client.post(f"/api/v1/imports/{report['id']}/rollback").status_code == 409
