"""`rapport contacts import`, run as an operator would: a real process on a temp SQLite file."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

RAPPORT = str(Path(sys.executable).parent / "rapport")
FILE = "First Name;E-mail;Country\nZoé;zoe@example.com;FR\nBad;nope;FR\n"


@pytest.fixture
def run(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
           "RAPPORT_SECRET_KEY": "cli-test-secret-" + "k" * 32, "COLUMNS": "120"}  # fmt: skip

    def run(*args):
        return subprocess.run([RAPPORT, *args], capture_output=True, text=True, env=env,
                              cwd=tmp_path, timeout=120)  # fmt: skip

    assert run("tenant", "create", "acme", "--name", "Acme").returncode == 0
    (tmp_path / "contacts.csv").write_bytes(FILE.encode("cp1252"))
    return run


def test_a_dry_run_all_or_nothing_exits_1_and_lists_the_rejected_rows(run):
    result = run("contacts", "import", "contacts.csv", "--tenant", "acme", "--dry-run",
                 "--mode", "all_or_nothing")  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "would have 1 created" in result.stdout
    assert "line 3: email:" in result.stdout
    assert "importing" in result.stderr and "rows/s" in result.stderr  # the progress bar


def test_valid_rows_imports_and_exits_0_then_a_second_run_changes_nothing(run):
    first = run("contacts", "import", "contacts.csv", "--tenant", "acme")
    assert first.returncode == 0, first.stderr
    assert "1 created" in first.stdout and "1 rejected" in first.stdout
    again = run("contacts", "import", "contacts.csv", "--tenant", "acme", "--match", "email")
    assert "0 created, 0 updated, 1 unchanged" in again.stdout
    exported = run("contacts", "export", "--tenant", "acme", "--format", "csv")
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.splitlines()[1].startswith("Zoé,,")
    assert "exporting" in exported.stderr


def test_bad_options_fail_with_one_line(run):
    result = run("contacts", "import", "contacts.csv", "--tenant", "acme", "--match", "zodiac")
    assert result.returncode == 1 and "match" in result.stderr
    assert run("contacts", "import", "contacts.csv", "--tenant", "nope").returncode == 1
    assert run("contacts", "export", "--tenant", "acme", "--country", "Atlantis").returncode == 1


def test_rows_that_look_like_earlier_ones_are_listed(run, tmp_path):
    (tmp_path / "twins.csv").write_text("First Name,Last Name,Email,City\n"
                                        "Zoé,Martin,zoe@example.com,Lyon\n"
                                        "Zoe,Martin,zoe.m@example.com,Lyon\n")  # fmt: skip
    result = run("contacts", "import", "twins.csv", "--tenant", "acme")
    assert result.returncode == 0, result.stderr
    assert "1 new row looks like a contact already there" in result.stdout
    assert "line 3 looks like line 2 (Zoé Martin): similar name (100%), same city" in result.stdout
