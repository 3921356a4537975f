"""Uploaded files hold customer data: they are kept while their imports may read them again,
then removed; what the imports did (contacts, reports, rollback records) stays."""

import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import update

from rapport.core.db import utcnow
from rapport.imports.models import ImportJob
from rapport.imports.worker import ImportWorker
from tests.imports.conftest import upload
from tests.web.helpers import signed_in

FILE = "First Name,E-mail\nAda,ada@example.com\n"


def _ended(db, tenant, job_id: str, days_ago: float) -> None:
    db.execute(
        update(ImportJob)
        .where(ImportJob.tenant_id == tenant.id, ImportJob.id == uuid.UUID(job_id))
        .values(finished_at=utcnow() - timedelta(days=days_ago))
    )
    db.commit()


def _file_of(db, tenant, job_id: str) -> Path:
    return Path(db.get(ImportJob, (tenant.id, uuid.UUID(job_id))).file_path)


def test_an_upload_is_removed_once_every_import_of_it_ended_long_enough_ago(
    app, sam, db, tenant_a, session_factory
):
    ui = signed_in(app, sam)
    dry = upload(sam, FILE, dry_run=True).json()["id"]
    real = ui.post(f"/contacts/imports/{dry}/import").headers["location"].rsplit("/", 1)[1]
    recent = upload(sam, FILE.replace("ada", "bea"), dry_run=True).json()["id"]
    old_file, recent_file = _file_of(db, tenant_a, dry), _file_of(db, tenant_a, recent)
    assert old_file == _file_of(db, tenant_a, real)  # the import read the dry run's upload
    _ended(db, tenant_a, dry, days_ago=10)
    _ended(db, tenant_a, recent, days_ago=1)
    worker = ImportWorker(session_factory, upload_retention=timedelta(days=7))

    assert worker.remove_old_uploads() == 0  # the import after the dry run ended just now
    _ended(db, tenant_a, real, days_ago=8)
    assert worker.remove_old_uploads() == 1
    assert not old_file.exists() and recent_file.exists()

    # What the import did stays; reading the file again is refused with the reason.
    assert sam.client.get(f"/api/v1/imports/{real}").json()["created"] == 1
    page = ui.get(f"/contacts/imports/{dry}").text
    assert "no longer kept" in page and f'action="/contacts/imports/{dry}/import"' not in page
    again = ui.post(f"/contacts/imports/{dry}/import")
    assert again.status_code == 409 and "upload it again" in again.text


def test_a_file_named_on_the_command_line_is_never_removed(
    db, tenant_a, run_import, session_factory, write_file
):
    path = write_file(FILE)
    job = run_import(tenant_a, path)
    _ended(db, tenant_a, str(job.id), days_ago=30)
    assert ImportWorker(session_factory).remove_old_uploads() == 0
    assert path.exists()


def test_a_failed_import_whose_file_is_gone_cannot_be_resumed(sam, db, tenant_a):
    job_id = upload(sam, FILE).json()["id"]
    db.execute(update(ImportJob).where(ImportJob.id == uuid.UUID(job_id)).values(status="failed"))
    db.commit()
    _file_of(db, tenant_a, job_id).unlink()
    response = sam.client.post(f"/api/v1/imports/{job_id}/resume")
    assert response.status_code == 409
    assert "upload it again" in response.json()["detail"]
    db.expire_all()
    assert db.get(ImportJob, (tenant_a.id, uuid.UUID(job_id))).status == "failed"
