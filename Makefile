# Rapport: `make run` to try it, `make test` to prove it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUN_STAMP  := $(VENV)/.run-installed
TEST_STAMP := $(VENV)/.test-installed

.PHONY: run test lint browser axe screenshots benchmark clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Rapport needs Python 3.11 or newer (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@ $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/rapport migrate
	$(BIN)/rapport demo
	$(BIN)/rapport serve

browser:
	@scripts/ensure-chromium.sh

axe:
	@scripts/ensure-axe.sh

lint: $(TEST_STAMP)
	$(BIN)/ruff check .

test: $(TEST_STAMP) browser axe lint
	$(BIN)/pytest -n auto

screenshots: $(TEST_STAMP) browser
	$(BIN)/python scripts/screenshots.py

benchmark: $(RUN_STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache .cache
