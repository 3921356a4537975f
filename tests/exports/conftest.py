"""The import helpers, for round trips."""

from tests.imports.conftest import app, run_import, write_file  # noqa: F401
