"""An import keeps what the process held before it out of the collector's full passes, and
gives it back after; in a server, whose long-lived objects were frozen when it started, it
leaves that freeze as it found it (unfreezing is all or nothing)."""

from __future__ import annotations

import gc

CONTENT = "Email,First Name\nada@example.com,Ada\nalan@example.com,Alan\n"


def test_a_plain_process_gets_its_objects_back_after_the_import(run_import, tenant_a):
    if gc.get_freeze_count():
        gc.unfreeze()  # another test of this process left some
    job = run_import(tenant_a, CONTENT)
    assert job.created == 2, job.message
    assert gc.get_freeze_count() == 0


def test_a_server_keeps_its_frozen_objects_frozen(run_import, tenant_a):
    gc.freeze()  # as `rapport serve` does once the app is built
    frozen = gc.get_freeze_count()
    try:
        job = run_import(tenant_a, CONTENT)
        assert job.created == 2, job.message
        # (A few frozen objects may be freed meanwhile; unfreezing would leave none.)
        assert gc.get_freeze_count() > frozen * 0.9
    finally:
        gc.unfreeze()
