"""Import helpers: files built in the test, jobs run through the real service and runner."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapport.core.auth import Actor
from rapport.imports import runner, service
from rapport.imports.worker import claim

HEADER = "First Name,Surname,E-mail,Mobile Phone,Zip,Country,Account ID,External ID\n"


@pytest.fixture
def write_file(tmp_path):
    def write(content: str | bytes, name: str = "contacts.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content.encode(encoding) if isinstance(content, str) else content)
        return path

    return write


@pytest.fixture
def run_import(session_factory, write_file):
    """Create, claim and run an import job for a tenant; returns the finished job."""

    def run(tenant, content, name="contacts.csv", batch_rows=500, **options):
        path = content if isinstance(content, Path) else write_file(content, name)
        actor = Actor(via="import", label="test import")
        with session_factory() as db:
            job = service.create_job(db=db, tenant_id=tenant.id, actor=actor,
                                     filename=path.name, file_path=path, **options)  # fmt: skip
            assert claim(db=db, tenant_id=tenant.id, job_id=job.id)
            db.commit()
        return runner.run(session_factory=session_factory, tenant_id=tenant.id, job_id=job.id,
                          batch_rows=batch_rows)  # fmt: skip

    return run


def upload(persona, content: str | bytes, name: str = "contacts.csv", **form):
    data = content.encode() if isinstance(content, str) else content
    fields = {k: str(v).lower() if isinstance(v, bool) else v for k, v in form.items()}
    return persona.client.post("/api/v1/imports", files={"file": (name, data)}, data=fields)


@pytest.fixture
def app(app, tmp_path):
    """Uploads go to the test's own directory, not the working tree."""
    app.state.settings = app.state.settings.model_copy(update={"data_dir": tmp_path / "data"})
    return app
