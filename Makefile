# Rapport: `make run` to try it, `make test` to prove it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUN_STAMP  := $(VENV)/.run-installed
TEST_STAMP := $(VENV)/.test-installed

# The Citus suite's cluster (a coordinator and two workers); built once per machine.
CITUS_CLUSTER ?= $(abspath ../shared/citus/cluster)

.PHONY: run test test-citus lint browser nginx axe screenshots benchmark clean

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

nginx:
	@scripts/ensure-nginx.sh

axe:
	@scripts/ensure-axe.sh

lint: $(TEST_STAMP)
	$(BIN)/ruff check .

test: $(TEST_STAMP) browser nginx axe lint
	$(BIN)/pytest -n auto -m "not citus"
	@$(MAKE) --no-print-directory test-citus

# Starts the cluster, runs tests/citus on it, stops it. Under CI a cluster that does not
# start fails the run; elsewhere (e.g. not root) the suite is skipped with a note.
test-citus: $(TEST_STAMP)
	@url=$$("$(CITUS_CLUSTER)" start) || { \
		if [ "$$CI" = true ]; then echo "Citus cluster did not start ($(CITUS_CLUSTER))" >&2; exit 1; fi; \
		echo "Skipping the Citus suite: the cluster did not start ($(CITUS_CLUSTER))." >&2; exit 0; }; \
	RAPPORT_TEST_CITUS="$$url" $(BIN)/pytest -n0 -m citus tests/citus; status=$$?; \
	"$(CITUS_CLUSTER)" stop; exit $$status

screenshots: $(TEST_STAMP) browser
	$(BIN)/python scripts/screenshots.py

benchmark: $(RUN_STAMP)
	@[ ! -f benchmarks/run.py ] || $(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/http_bench.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache .cache
