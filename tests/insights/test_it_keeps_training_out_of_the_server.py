"""Use case: an operator installs the server; training code and scikit-learn stay out of it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import rapport

PACKAGE = Path(rapport.__file__).resolve().parent


def test_it_serves_without_importing_training_or_scikit_learn() -> None:
    probe = (
        "import sys, rapport.main, rapport.cli; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('training', 'sklearn')); "
        "print(','.join(bad))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_no_module_of_the_server_package_imports_training_code() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            names += [f".{node.module}"] if isinstance(node, ast.ImportFrom) and node.level else []
            for name in names:
                if name.split(".")[0] in ("training", "sklearn") or name in (".train", ".evaluate"):
                    offenders.append(f"{path.relative_to(PACKAGE)}: {name}")
    assert offenders == []


def test_the_training_command_line_still_answers() -> None:
    root = PACKAGE.parent
    done = subprocess.run(
        [sys.executable, "-m", "training.insights", "train", "--help"],
        capture_output=True, text=True, cwd=root,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "--folds" in done.stdout
