"""An operator brings a Google Contacts export in with two commands, a dry run and the import,
on SQLite and PostgreSQL, seeing how the columns map before anything runs."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.imports.samples.make_samples import BAD, GOOD
from tests.imports.test_it_imports_other_systems_exports import ACCOUNTS, SAMPLES

RAPPORT = str(Path(sys.executable).parent / "rapport")


@pytest.fixture(params=["sqlite", "postgresql"])
def run(request, databases, tmp_path):
    engine = databases.create(request.param)
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    env = {**os.environ, "DATABASE_URL": url, "COLUMNS": "200",
           "RAPPORT_SECRET_KEY": "cli-test-secret-" + "k" * 32}  # fmt: skip

    def run(*args):
        return subprocess.run([RAPPORT, *args], capture_output=True, text=True, env=env,
                              cwd=tmp_path, timeout=180)  # fmt: skip

    assert run("tenant", "create", "acme", "--name", "Acme").returncode == 0
    (tmp_path / "google.csv").write_bytes((SAMPLES / "google_contacts.csv").read_bytes())
    return run


def test_the_mapping_is_printed_first_then_a_dry_run_and_the_import(run):
    only = run("contacts", "import", "google.csv", "--tenant", "acme", "--mapping-only")
    assert only.returncode == 0, only.stderr
    assert "Columns (a Google Contacts file):" in only.stdout
    lines = {" ".join(line.split()) for line in only.stdout.splitlines()}
    assert "Phone 1 - Value -> phone, mobile or fax, by its type" in lines
    assert "Address 1 - Country -> country" in lines
    assert "Nickname -- ignored" in lines
    assert "would have" not in only.stdout and "importing" not in only.stderr

    dry = run("contacts", "import", "google.csv", "--tenant", "acme", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.index("Columns") < dry.stdout.index("Dry run: would have")
    assert f"would have {GOOD} created, 0 updated, 0 unchanged, {len(BAD)} rejected" in dry.stdout
    assert f"would create {ACCOUNTS} accounts" in dry.stdout
    assert "email: 'maria.lopez@' is not a valid email address" in dry.stdout

    real = run("contacts", "import", "google.csv", "--tenant", "acme")
    assert real.returncode == 0, real.stderr
    assert f"Imported: {GOOD} created" in real.stdout

