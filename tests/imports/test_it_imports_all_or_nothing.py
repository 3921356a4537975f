from sqlalchemy import select

from rapport.contacts.models import Contact

FILE = "First Name,Email\nAda,ada@example.com\nBad,nope\nAlan,alan@example.com\n"


def _emails(db, tenant):
    return sorted(db.scalars(select(Contact.email_key).where(Contact.tenant_id == tenant.id)))


def test_valid_rows_mode_imports_every_valid_row(run_import, db, tenant_a):
    job = run_import(tenant_a, FILE, mode="valid_rows", batch_rows=2)
    assert (job.status, job.applied, job.created, job.rejected) == ("completed", True, 2, 1)
    assert _emails(db, tenant_a) == ["ada@example.com", "alan@example.com"]


def test_all_or_nothing_imports_nothing_when_a_row_fails(run_import, db, tenant_a):
    job = run_import(tenant_a, FILE, mode="all_or_nothing", batch_rows=2)
    assert (job.status, job.applied, job.rejected) == ("failed", False, 1)
    assert "nothing was imported" in job.message
    assert _emails(db, tenant_a) == []


def test_all_or_nothing_imports_everything_when_every_row_is_valid(run_import, db, tenant_a):
    job = run_import(tenant_a, FILE.replace("Bad,nope", "Bea,bea@example.com"),
                     mode="all_or_nothing")  # fmt: skip
    assert (job.status, job.applied, job.created) == ("completed", True, 3)
    assert len(_emails(db, tenant_a)) == 3
