"""A throwaway PostgreSQL primary with a real streaming replica, for the replica tests.

initdb a primary on a free port (wal_level=replica), copy it with `pg_basebackup -R` (which
writes the standby settings) and start the copy as a second server on another port. The
servers run as the postgres OS user when the tests run as root (PostgreSQL refuses root).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, text

PG_BIN = Path(os.environ.get("RAPPORT_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))


def available() -> str | None:
    """Why the servers cannot run here, or None."""
    if not (PG_BIN / "initdb").exists():
        return f"no PostgreSQL server binaries in {PG_BIN}"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser to switch to the postgres user"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(*args: str) -> None:
    command = [str(a) for a in args]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.strip()[-500:]}")


class StreamingPair:
    def __init__(self) -> None:
        # Not under pytest's temp folder: that is private to the user running the tests.
        self.base = Path(tempfile.mkdtemp(prefix="rapport-replica-"))
        self.primary_dir, self.replica_dir = self.base / "primary", self.base / "replica"
        self.primary_port, self.replica_port = free_port(), free_port()

    def url(self, port: int, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{port}/{database}"

    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres")
        _run(PG_BIN / "initdb", "-D", self.primary_dir, "-A", "trust", "-U", "postgres")
        with open(self.primary_dir / "postgresql.conf", "a") as conf:
            conf.write(
                f"port = {self.primary_port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.base}'\nwal_level = replica\n"
                "max_wal_senders = 4\nfsync = off\nsynchronous_commit = off\n"
                "full_page_writes = off\n"
            )
        self._ctl(self.primary_dir, "start")
        _run(PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", self.primary_port,
             "-U", "postgres", "-D", self.replica_dir, "-R", "-X", "stream")  # fmt: skip
        with open(self.replica_dir / "postgresql.conf", "a") as conf:
            conf.write(f"port = {self.replica_port}\nhot_standby = on\n")
        self.start_replica()

    def _ctl(self, data: Path, action: str) -> None:
        _run(PG_BIN / "pg_ctl", "-D", data, "-l", data / "log", "-w", "-m", "fast", action)

    def start_replica(self) -> None:
        self._ctl(self.replica_dir, "start")

    def stop_replica(self) -> None:
        self._ctl(self.replica_dir, "stop")

    def stop(self) -> None:
        for data in (self.replica_dir, self.primary_dir):
            if (data / "postmaster.pid").exists():
                self._ctl(data, "stop")
        shutil.rmtree(self.base, ignore_errors=True)

    def wait_until_received(self, database: str, *, replayed: bool) -> None:
        """Until the replica has received (or replayed) everything the primary wrote so far."""
        primary = create_engine(self.url(self.primary_port, database))
        replica = create_engine(self.url(self.replica_port, database))
        column = "pg_last_wal_replay_lsn()" if replayed else "pg_last_wal_receive_lsn()"
        try:
            with primary.connect() as p:
                target = p.scalar(text("SELECT pg_current_wal_lsn()::text"))
            with replica.connect() as r:
                r.execute(text("SET statement_timeout = '60s'"))
                # Polls on the server until the replica is there: no sleeps in the test.
                # A WAL receiver that is (re)starting reports no position: keep waiting.
                r.execute(
                    text(
                        "DO $$ BEGIN WHILE COALESCE(pg_wal_lsn_diff(CAST(:t AS pg_lsn), "
                        f"{column}) > 0, true) LOOP PERFORM pg_sleep(0.02); END LOOP; END $$"
                        .replace(":t", f"'{target}'")
                    )
                )
        finally:
            primary.dispose()
            replica.dispose()
