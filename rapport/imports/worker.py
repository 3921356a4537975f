"""The background import worker: `import_jobs` is its durable queue.

A job is claimed with `UPDATE ... SET status='running' WHERE id=... AND status='queued'`: the
row count tells whether this process won it, on SQLite and PostgreSQL alike, so two processes
never run the same job. A `valid_rows` job left 'running' by a process that died goes back to
the queue and resumes after its last committed batch.

Telling a dead process's job from one another process is running: on PostgreSQL the process
running a job holds a session lock on it (`pg_try_advisory_lock`), taken before the claim and
released by the database when the process's connection ends, so several server processes can
share one database and pick up each other's abandoned jobs. SQLite serves one process: at
start, every job left 'running' was abandoned.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from rapport.core.db import utcnow
from rapport.imports import runner, service
from rapport.imports.models import ImportJob

log = logging.getLogger(__name__)

SWEEP_SECONDS = 30  # how often a PostgreSQL worker looks for jobs of processes that died
CLEANUP_SECONDS = 3600  # how often uploads past their retention are removed


def claim(*, db: Session, tenant_id: uuid.UUID, job_id: uuid.UUID) -> bool:
    """Take a queued job for this process; False when another got it first."""
    result = db.execute(
        update(ImportJob)
        .where(
            ImportJob.tenant_id == tenant_id,
            ImportJob.id == job_id,
            ImportJob.status == "queued",
        )
        .values(status="running", attempts=ImportJob.attempts + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _engine(session_factory: sessionmaker[Session]) -> Engine:
    return session_factory.kw["bind"].engine  # bound to an engine, or to a connection in tests


def _shares_database(session_factory: sessionmaker[Session]) -> bool:
    """Several server processes may share a PostgreSQL database; SQLite serves one."""
    return _engine(session_factory).dialect.name == "postgresql"


def _claim_now(session_factory: sessionmaker[Session], tenant_id: uuid.UUID,
               job_id: uuid.UUID) -> bool:  # fmt: skip
    with session_factory() as db, db.begin():
        return claim(db=db, tenant_id=tenant_id, job_id=job_id)


@contextmanager
def owning(session_factory: sessionmaker[Session], job_id: uuid.UUID) -> Iterator[bool]:
    """Whether this process may run the job, held until the block ends (see the module)."""
    if not _shares_database(session_factory):
        yield True
        return
    key = int.from_bytes(job_id.bytes[8:], "big", signed=True)  # the id's random half
    connection = _engine(session_factory).connect()
    with connection.execution_options(isolation_level="AUTOCOMMIT"):
        owned = bool(connection.scalar(select(func.pg_try_advisory_lock(key))))
        try:
            yield owned
        finally:
            if owned:
                connection.scalar(select(func.pg_advisory_unlock(key)))


@contextmanager
def next_job(
    *, session_factory: sessionmaker[Session]
) -> Iterator[tuple[uuid.UUID, uuid.UUID] | None]:
    """The oldest queued job, claimed and owned until the block ends; None when none waits."""
    with session_factory() as db:
        candidates = db.execute(
            select(ImportJob.tenant_id, ImportJob.id)
            .where(ImportJob.status == "queued")
            .order_by(ImportJob.created_at, ImportJob.id)
            .limit(5)
        ).all()
    for tenant_id, job_id in candidates:
        with owning(session_factory, job_id) as owned:
            if owned and _claim_now(session_factory, tenant_id, job_id):
                yield tenant_id, job_id
                return
    yield None


def requeue_abandoned(*, session_factory: sessionmaker[Session]) -> int:
    """Jobs left 'running' by a process that died go back to the queue."""
    with session_factory() as db:
        running = db.execute(
            select(ImportJob.tenant_id, ImportJob.id).where(ImportJob.status == "running")
        ).all()
    requeued = 0
    for tenant_id, job_id in running:
        with owning(session_factory, job_id) as owned:
            if not owned:
                continue  # a live process is running it
            with session_factory() as db, db.begin():
                requeued += db.execute(
                    update(ImportJob)
                    .where(ImportJob.tenant_id == tenant_id, ImportJob.id == job_id,
                           ImportJob.status == "running")
                    .values(status="queued", updated_at=utcnow())
                    .execution_options(synchronize_session=False)
                ).rowcount  # fmt: skip
    return requeued


def run_next(
    *, session_factory: sessionmaker[Session], on_progress: runner.ProgressCallback | None = None
) -> ImportJob | None:
    """Run the oldest queued job to its end; None when none waits."""
    with next_job(session_factory=session_factory) as claimed:
        if claimed is None:
            return None
        tenant_id, job_id = claimed
        return runner.run(session_factory=session_factory, tenant_id=tenant_id, job_id=job_id,
                          on_progress=on_progress)  # fmt: skip


class ImportWorker:
    """A daemon thread that runs queued jobs one after another while the app is up."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        poll_seconds: float = 1.0,
        upload_retention: timedelta = timedelta(days=7),
    ) -> None:
        self.session_factory = session_factory
        self.poll_seconds = poll_seconds
        self.upload_retention = upload_retention
        # Live progress of running jobs, for one-transaction runs whose counts are not
        # committed until they end.
        self.progress: dict[uuid.UUID, runner.Progress] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        requeued = requeue_abandoned(session_factory=self.session_factory)
        if requeued:
            log.info("re-queued %d import(s) interrupted by a restart", requeued)
        self.remove_old_uploads()
        self._thread = threading.Thread(target=self._loop, name="rapport-imports", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def remove_old_uploads(self) -> int:
        with self.session_factory() as db, db.begin():
            removed = service.remove_old_uploads(
                db=db, finished_before=utcnow() - self.upload_retention
            )
        if removed:
            log.info("removed %d uploaded import file(s) past their retention", removed)
        return removed

    def _loop(self) -> None:
        # Other server processes may share a PostgreSQL database: look now and then for jobs
        # one of them abandoned. On SQLite the check at start is enough.
        shared = _shares_database(self.session_factory)
        last_sweep = last_cleanup = time.monotonic()
        while not self._stop.is_set():
            try:
                if shared and time.monotonic() - last_sweep > SWEEP_SECONDS:
                    requeue_abandoned(session_factory=self.session_factory)
                    last_sweep = time.monotonic()
                if time.monotonic() - last_cleanup > CLEANUP_SECONDS:
                    self.remove_old_uploads()
                    last_cleanup = time.monotonic()
                with next_job(session_factory=self.session_factory) as claimed:
                    if claimed is None:
                        self._stop.wait(self.poll_seconds)
                        continue
                    tenant_id, job_id = claimed

                    def report(progress: runner.Progress, job_id=job_id) -> None:
                        self.progress[job_id] = progress

                    runner.run(session_factory=self.session_factory, tenant_id=tenant_id,
                               job_id=job_id, on_progress=report)  # fmt: skip
                    self.progress.pop(job_id, None)
            except Exception:  # noqa: BLE001 - keep serving the queue; the job shows its failure
                log.exception("import worker error")
                self._stop.wait(self.poll_seconds)


def attach(app) -> None:
    """Start the worker with the app and stop it with the app."""

    def start() -> None:
        retention = timedelta(days=app.state.settings.upload_retention_days)
        app.state.import_worker = ImportWorker(app.state.session_factory,
                                               upload_retention=retention)  # fmt: skip
        app.state.import_worker.start()

    def stop() -> None:
        worker = getattr(app.state, "import_worker", None)
        if worker is not None:
            worker.stop()

    app.router.on_startup.append(start)
    app.router.on_shutdown.append(stop)
