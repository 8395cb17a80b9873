# Regie. `make run` serves the demo; `make test` runs every check. Both set themselves up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
DB ?= var/regie.sqlite3
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/regie
PYTEST_ARGS ?=

.PHONY: install run demo serve test test-sqlite test-postgres lint bench clean help

help:
	@echo "make run    - install, load reference and demo data, serve at http://127.0.0.1:$(PORT)"
	@echo "make test   - install and run linters, type checks and the tests (SQLite and PostgreSQL)"
	@echo "make bench  - benchmarks"

# uv is used from PATH if present, else installed into .tools/ from PyPI.
.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv>=0.5"

$(BIN)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: $(BIN)/.installed

run: install
	$(BIN)/regie demo --db $(DB)
	$(BIN)/regie serve --db $(DB) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy src/regie
	$(BIN)/lint-imports

# The two suites run side by side: each is one process, so on two cores the wall time is the
# longer suite's instead of their sum (CI must stay well under an hour). Their output streams
# as it comes (interleaved), so that a long run is never silent; each ends with its summary.
test: lint
	$(MAKE) --no-print-directory -j2 test-sqlite test-postgres

test-sqlite: install
	$(BIN)/pytest -q $(PYTEST_ARGS)

# PostgreSQL is the production database: in CI (CI=true) a missing server fails the run.
# The server is checked through its maintenance database; the tests create test_<name> there.
test-postgres: install
	@if $(BIN)/python -c "import psycopg; from urllib.parse import urlsplit; \
		psycopg.connect(urlsplit('$(PG_URL)')._replace(path='/postgres').geturl(), connect_timeout=3).close()" 2>/dev/null; then \
		DATABASE_URL=$(PG_URL) $(BIN)/pytest -q $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is not reachable at $(PG_URL): CI requires it." >&2; exit 1; \
	else \
		echo "warning: PostgreSQL is not reachable at $(PG_URL); skipped the PostgreSQL run (CI fails here)." >&2; \
	fi

# Benchmarks. Each reports its scale and, where the issue asks, a ratio against a baseline
# measured in the same process. Results go to var/bench/.
bench: install
	mkdir -p var/bench
	$(BIN)/regie --db var/bench/engine.sqlite3 bench --scale municipality --scale region --scale national --json | tee var/bench/engine.json
	$(BIN)/regie --db var/bench/policy.sqlite3 policy bench --scale national --json | tee var/bench/policy.json
	$(BIN)/regie --db var/bench/sector.sqlite3 sector bench --scale national | tee var/bench/sector.txt
	rm -f var/bench/import.sqlite3 var/bench/import.sqlite3-wal var/bench/import.sqlite3-shm
	$(BIN)/regie --db var/bench/import.sqlite3 import-benchmark --rows 100000 | tee var/bench/import.txt
	$(BIN)/regie --db var/bench/export.sqlite3 export-benchmark --scale national --sample 20 | tee var/bench/export.txt
	$(BIN)/python -m regie.api.bench --seconds 20 --clients 32 --json var/bench/api.json

clean:
	rm -rf $(VENV) .tools var .pytest_cache .mypy_cache .ruff_cache .hypothesis test-artifacts
