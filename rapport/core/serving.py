"""How `rapport serve` runs uvicorn in production: workers, proxies, shutdown, access log."""

from __future__ import annotations

import gc
import os
from typing import Any

from rapport.core.config import Settings

# Seconds a stopping process gives requests in flight before closing them; event streams
# are ended at once (sse-starlette follows uvicorn's exit signal), so this bounds slow ones.
GRACEFUL_SHUTDOWN_SECONDS = 30
# Python's default first threshold is 700 new objects; measured with a page of 50 contacts,
# 20,000 cost a tenth less CPU per page (http_bench), for a few MB more between collections.
GC_THRESHOLDS = (20_000, 10, 10)


class ServeError(ValueError):
    """The serving options cannot work together; the message says why in one line."""


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def worker_count(settings: Settings, requested: int | None) -> int:
    """Processes to run: as asked, else one per core on PostgreSQL and one on SQLite."""
    sqlite = settings.database_url.startswith("sqlite")
    workers = requested if requested is not None else settings.workers
    if workers <= 0:
        workers = 1 if sqlite else cpu_count()
    if sqlite and workers > 1:
        # Each process would hold its own in-process event bus and its own write queue.
        raise ServeError("SQLite serves one process; use PostgreSQL for --workers above 1")
    return workers


def uvicorn_options(
    settings: Settings, *, host: str, port: int, workers: int, access_log: bool
) -> dict[str, Any]:
    """Keyword arguments of `uvicorn.run` for the app (or its factory, with workers)."""
    trusted = ",".join(p.strip() for p in settings.trusted_proxies.split(",") if p.strip())
    return {
        "host": host,
        "port": port,
        "workers": workers,
        "log_level": settings.log_level,
        "access_log": access_log,
        # uvloop and httptools come with uvicorn[standard]; "auto" picks them.
        "loop": "auto",
        "http": "auto",
        # X-Forwarded-For/-Proto only from the configured proxies; uvicorn's own default
        # would trust 127.0.0.1 (or $FORWARDED_ALLOW_IPS), which must not happen silently.
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": trusted or "",
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_SECONDS,
        # Idle keep-alive connections close after 5 s and request heads are capped at 16 KB,
        # so slow or idle clients cannot pile up; a stalled body gets 408 (RequestGuard).
        "timeout_keep_alive": 5,
        "h11_max_incomplete_event_size": 16 * 1024,
        "server_header": False,
    }


def settle_memory() -> None:
    """Once the app is built: its objects (routes, schemas, country and phone data) live as
    long as the process, so they leave the collector's view (`gc.freeze`): a full collection
    then walks what requests made, not the ~200,000 objects of the app each time. The young
    generation is collected less often: a page of contacts makes thousands of short-lived
    objects, and each collection of it also walked the survivors of the last one."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
