"""The background import worker: `import_jobs` is its durable queue.

A job is claimed with `UPDATE ... SET status='running' WHERE id=... AND status='queued'`: the
row count tells whether this worker won it, on SQLite and PostgreSQL alike, so two workers
never run the same job. On start, jobs left 'running' by a process that died are put back in
the queue; a `valid_rows` job then resumes after its last committed batch.
Rapport runs one worker per server process; run one server process per database.
"""

from __future__ import annotations

import logging
import threading
import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from rapport.core.db import utcnow
from rapport.imports import runner
from rapport.imports.models import ImportJob

log = logging.getLogger(__name__)


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


def claim_next(*, session_factory: sessionmaker[Session]) -> tuple[uuid.UUID, uuid.UUID] | None:
    """The oldest queued job, claimed; None when the queue is empty."""
    with session_factory() as db:
        candidates = db.execute(
            select(ImportJob.tenant_id, ImportJob.id)
            .where(ImportJob.status == "queued")
            .order_by(ImportJob.created_at, ImportJob.id)
            .limit(5)
        ).all()
    for tenant_id, job_id in candidates:
        with session_factory() as db, db.begin():
            if claim(db=db, tenant_id=tenant_id, job_id=job_id):
                return tenant_id, job_id
    return None


def requeue_abandoned(*, session_factory: sessionmaker[Session]) -> int:
    """Jobs left 'running' by a dead process go back to the queue (at start only)."""
    with session_factory() as db, db.begin():
        result = db.execute(
            update(ImportJob)
            .where(ImportJob.status == "running")
            .values(status="queued", updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        return result.rowcount


def run_next(
    *, session_factory: sessionmaker[Session], on_progress: runner.ProgressCallback | None = None
) -> ImportJob | None:
    claimed = claim_next(session_factory=session_factory)
    if claimed is None:
        return None
    tenant_id, job_id = claimed
    return runner.run(
        session_factory=session_factory, tenant_id=tenant_id, job_id=job_id,
        on_progress=on_progress,
    )  # fmt: skip


class ImportWorker:
    """A daemon thread that runs queued jobs one after another while the app is up."""

    def __init__(self, session_factory: sessionmaker[Session], poll_seconds: float = 1.0) -> None:
        self.session_factory = session_factory
        self.poll_seconds = poll_seconds
        # Live progress of running jobs, for one-transaction runs whose counts are not
        # committed until they end.
        self.progress: dict[uuid.UUID, runner.Progress] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        requeued = requeue_abandoned(session_factory=self.session_factory)
        if requeued:
            log.info("re-queued %d import(s) interrupted by a restart", requeued)
        self._thread = threading.Thread(target=self._loop, name="rapport-imports", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                claimed = claim_next(session_factory=self.session_factory)
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
        app.state.import_worker = ImportWorker(app.state.session_factory)
        app.state.import_worker.start()

    def stop() -> None:
        worker = getattr(app.state, "import_worker", None)
        if worker is not None:
            worker.stop()

    app.router.on_startup.append(start)
    app.router.on_shutdown.append(stop)
