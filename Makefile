# Two commands do everything on a fresh machine:
#   make run   - install into .venv, build the pages' assets, migrate, load the catalogue and demo data, serve
#   make test  - lint, types, migrations check, tests on SQLite and PostgreSQL, browser tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS := src/ctpat/static/vendor/.built
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
export DJANGO_SETTINGS_MODULE := ctpat.settings

.PHONY: run test install assets lint typecheck migrations-check test-sqlite test-postgres test-browser demo bench openapi clean

run: install assets
	$(BIN)/ctpat manage migrate --noinput
	$(BIN)/ctpat manage catalogue_load
	$(BIN)/ctpat manage demo_data --if-empty
	$(BIN)/ctpat manage runserver 127.0.0.1:8000

test: install assets lint typecheck migrations-check openapi-check test-sqlite test-postgres test-browser

install: $(STAMP)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $(STAMP)

assets: $(ASSETS)

$(ASSETS): package.json
	npm install --no-audit --no-fund --silent
	$(BIN)/python scripts/copy_assets.py
	touch $(ASSETS)

lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: install
	$(BIN)/mypy

migrations-check: install
	$(BIN)/ctpat manage makemigrations --check --dry-run

openapi: install
	$(BIN)/ctpat manage export_openapi --output docs/openapi.json

openapi-check: install
	$(BIN)/ctpat manage export_openapi --check docs/openapi.json

test-sqlite: install
	DATABASE_URL= $(BIN)/pytest -m "not browser" -q

# PostgreSQL half: skipped with a reason when no server answers, unless REQUIRE_POSTGRES=1 (CI sets it).
test-postgres: install
	@if $(BIN)/python scripts/pg_available.py "$(PG_URL)"; then \
		DATABASE_URL="$(PG_URL)" $(BIN)/pytest -m "not browser" -q; \
	elif [ "$(REQUIRE_POSTGRES)" = "1" ]; then \
		echo "PostgreSQL is required (REQUIRE_POSTGRES=1) but $(PG_URL) does not answer"; exit 1; \
	else \
		echo "SKIPPED the PostgreSQL half: no server answers at $(PG_URL) (set PG_URL to point at one)"; \
	fi

test-browser: install assets
	@if [ -x "$${CHROMIUM:-/usr/bin/chromium}" ]; then \
		DATABASE_URL= $(BIN)/pytest -m browser -q; \
	elif [ "$(REQUIRE_BROWSER)" = "1" ]; then \
		echo "Chromium is required (REQUIRE_BROWSER=1): apt-get install chromium"; exit 1; \
	else \
		echo "SKIPPED the browser tests: no Chromium at /usr/bin/chromium (apt-get install chromium)"; \
	fi

demo: install
	$(BIN)/ctpat manage demo_data --reset

bench: install
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) node_modules src/ctpat/static/vendor var
