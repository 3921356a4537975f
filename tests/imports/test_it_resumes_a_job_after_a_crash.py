import time
import uuid

import pytest
from sqlalchemy import func, select

from rapport.contacts.models import Contact
from rapport.core import migrate
from rapport.core.auth import Actor
from rapport.core.db import make_session_factory
from rapport.imports import runner, service, worker
from rapport.imports.models import ImportJob
from rapport.tenants import service as tenants_service
from tests.imports.conftest import upload

ROWS = 7
FILE = "First Name,Email\n" + "".join(f"P{i},p{i}@example.com\n" for i in range(ROWS - 1))
FILE += "Bad,nope\n"  # line 8


class Crash(BaseException):
    """A process dying: nothing after it runs, not even the runner's failure handling."""


def _queue(db, tenant, write_file):
    path = write_file(FILE)
    job = service.create_job(db=db, tenant_id=tenant.id, actor=Actor(via="import", label="t"),
                             filename=path.name, file_path=path)  # fmt: skip
    db.commit()
    return job


def test_a_queued_job_is_claimed_once(session_factory, db, tenant_a, write_file):
    job = _queue(db, tenant_a, write_file)
    with worker.next_job(session_factory=session_factory) as claimed:
        assert claimed == (tenant_a.id, job.id)
        with worker.next_job(session_factory=session_factory) as again:
            assert again is None
    assert not worker.claim(db=db, tenant_id=tenant_a.id, job_id=job.id)


def test_a_job_another_process_is_running_is_not_taken_from_it(
    engine, session_factory, db, tenant_a, write_file
):
    job = _queue(db, tenant_a, write_file)
    with worker.next_job(session_factory=session_factory) as claimed:  # its process is alive
        assert claimed == (tenant_a.id, job.id)
        while_running = worker.requeue_abandoned(session_factory=session_factory)
    once_let_go = worker.requeue_abandoned(session_factory=session_factory)
    if engine.dialect.name == "postgresql":
        assert (while_running, once_let_go) == (0, 1)
    else:  # SQLite serves one process: a job 'running' when it starts was abandoned
        assert (while_running, once_let_go) == (1, 0)


def test_a_job_left_running_resumes_after_its_last_committed_batch(
    session_factory, db, tenant_a, write_file
):
    job = _queue(db, tenant_a, write_file)

    def crash_after_first_batch(progress):
        raise Crash

    with pytest.raises(Crash), worker.next_job(session_factory=session_factory) as claimed:
        tenant_id, job_id = claimed
        runner.run(session_factory=session_factory, tenant_id=tenant_id, job_id=job_id,
                   batch_rows=3, on_progress=crash_after_first_batch)  # fmt: skip
    db.expire_all()
    stuck = db.get(ImportJob, (tenant_a.id, job.id))
    assert (stuck.status, stuck.checkpoint_line, stuck.created) == ("running", 4, 3)

    # The server starts again: the job goes back to the queue and finishes where it left off.
    assert worker.requeue_abandoned(session_factory=session_factory) == 1
    done = worker.run_next(session_factory=session_factory)
    assert done.id == job.id
    assert (done.status, done.created, done.rejected, done.rows_done) == ("completed", 6, 1, 7)
    assert done.attempts == 2
    count = db.scalar(select(func.count()).select_from(Contact).where(
        Contact.tenant_id == tenant_a.id))  # fmt: skip
    assert count == 6


def test_a_failed_job_can_be_resumed_from_the_api(sam, db, tenant_a, session_factory):
    job_id = upload(sam, FILE).json()["id"]
    response = sam.client.post(f"/api/v1/imports/{job_id}/resume")
    assert response.status_code == 409  # completed, not failed
    with session_factory() as other:
        found = other.get(ImportJob, (tenant_a.id, uuid.UUID(job_id)))
        found.status = "failed"
        other.commit()
    assert sam.client.post(f"/api/v1/imports/{job_id}/resume").json()["status"] == "queued"


def test_the_worker_thread_runs_queued_jobs(databases, write_file):
    # A database of its own: the worker commits from its own thread, as in the server.
    engine = databases.create("sqlite")
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    with factory() as db:
        tenant = tenants_service.create(db=db, slug="threads", name="Threads")
        job = _queue(db, tenant, write_file)
    background = worker.ImportWorker(factory, poll_seconds=0.05)
    background.start()
    try:
        for _ in range(200):
            with factory() as db:
                found = db.get(ImportJob, (tenant.id, job.id))
            if found.status == "completed":
                break
            time.sleep(0.05)
    finally:
        background.stop()
    assert (found.status, found.created) == ("completed", ROWS - 1)
