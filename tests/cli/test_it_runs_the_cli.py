"""The `rapport` command, run as an operator would: a real process on a real database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

RAPPORT = str(Path(sys.executable).parent / "rapport")


@pytest.fixture
def run(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "RAPPORT_SECRET_KEY": "cli-test-secret-" + "k" * 32,
    }

    def run(*args, stdin=None):
        return subprocess.run(
            [RAPPORT, *args], capture_output=True, text=True, env=env, cwd=tmp_path,
            input=stdin, timeout=120,
        )  # fmt: skip

    return run


def test_every_command_has_help(run):
    for command in ([], ["serve"], ["migrate"], ["demo"], ["tenant", "create"],
                    ["user", "create"], ["token", "create"], ["token", "revoke"]):  # fmt: skip
        result = run(*command, "--help")
        assert result.returncode == 0, (command, result.stderr)
        assert "Usage" in result.stdout


def test_an_operator_sets_up_a_tenant_user_and_token(run):
    assert run("migrate").returncode == 0
    created = run("tenant", "create", "northwind", "--name", "Northwind", "--default-country", "gb",
                  "--time-zone", "Europe/London")  # fmt: skip
    assert created.returncode == 0, created.stderr
    user = run("user", "create", "--tenant", "northwind", "--email", "ops@northwind.example",
               "--role", "admin", stdin="a long password\n")  # fmt: skip
    assert user.returncode == 0, user.stderr
    token = run("token", "create", "--tenant", "northwind", "--user", "ops@northwind.example")
    assert token.returncode == 0, token.stderr
    secret = token.stdout.strip()
    assert secret.startswith("rpt_") and "\n" not in secret
    listed = run("token", "list", "--tenant", "northwind")
    assert "active" in listed.stdout
    revoked = run("token", "revoke", secret, "--tenant", "northwind")
    assert revoked.returncode == 0, revoked.stderr
    assert "revoked" in run("token", "list", "--tenant", "northwind").stdout


@pytest.mark.parametrize(
    "args, words",
    [
        (["tenant", "create", "Bad Slug!", "--name", "X"], "slug"),
        (["tenant", "create", "ok", "--name", "X", "--default-country", "Narnia"], "country"),
        (["user", "create", "--tenant", "nope", "--email", "a@b.example", "--role", "agent",
          "--password", "long enough pw"], "No tenant"),
        (["token", "create", "--tenant", "nope", "--user", "a@b.example"], "No tenant"),
    ],
)  # fmt: skip
def test_errors_are_one_line_and_exit_non_zero(run, args, words):
    result = run(*args)
    assert result.returncode != 0
    assert words.lower() in result.stderr.lower()
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_demo_is_idempotent_and_prints_a_working_login(run):
    first = run("demo")
    second = run("demo")
    assert first.returncode == second.returncode == 0
    assert "admin@example.com" in first.stdout
    token = next(line.split()[-1] for line in first.stdout.splitlines() if "API token" in line)
    assert token in second.stdout
    assert "tenant is loaded" in second.stdout
    users = run("user", "list", "--tenant", "demo").stdout.strip().splitlines()
    assert len(users) == 3
