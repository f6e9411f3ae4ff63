# The union social worker platform. `make run` and `make test` are all a fresh clone needs
# (Python 3.11+ and make); everything else is installed into the project on first use.

SHELL := /bin/bash
PYTHON ?= python3
# Use uv from PATH, else a project-local copy installed from PyPI on first use.
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
PG_ADMIN_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/postgres
PYTEST := $(UV) run --frozen pytest

.PHONY: run test test-pg test-chaos fuzz bench lint format migrate asyncapi asyncapi-check \
        k8s-validate sync token role-table clean

# Installing says what it does on stderr, so that `TOKEN=$$(make token ...)` captures the token
# alone even on the first call.
$(CURDIR)/.tools/bin/uv:
	@echo "installing uv into .tools/" >&2
	@$(PYTHON) -m venv $(CURDIR)/.tools >&2
	@$(CURDIR)/.tools/bin/pip install --quiet uv >&2

.venv/.synced: uv.lock pyproject.toml shared/pyproject.toml dev/pyproject.toml $(wildcard services/*/pyproject.toml) | $(UV)
	@echo "$(UV) sync --frozen" >&2
	@$(UV) sync --frozen >&2
	@touch $@

sync: .venv/.synced

run: sync  ## migrate every service, start the embedded broker and all five apps
	$(UV) run --frozen python -m union_dev.platform run

migrate: sync  ## apply every service's Alembic migrations (URLs from <SERVICE>_DATABASE_URL)
	$(UV) run --frozen python -m union_dev.platform migrate

test: sync  ## the whole suite on the embedded defaults (SQLite + Tansu)
	$(PYTEST)

test-pg: sync  ## the database-touching tests again, on PostgreSQL
	TEST_POSTGRES_URL=$(PG_ADMIN_URL) $(PYTEST) -m db

fuzz: sync  ## only schemathesis against each running service, with a longer budget
	FUZZ_EXAMPLES=30 FUZZ_SECONDS=300 $(PYTEST) -m fuzz -s

test-chaos: sync  ## only the chaos tests (real processes killed mid-stream)
	$(PYTEST) -m chaos

bench: sync  ## benchmarks with their same-run baselines (figures are printed, not asserted)
	$(UV) run --frozen python bench/run_all.py

lint: sync
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen python scripts/lint_sql_in_repositories.py
	$(UV) run --frozen python scripts/lint_routes.py

format: sync
	$(UV) run --frozen ruff check --fix .
	$(UV) run --frozen ruff format .

role-table: sync  ## rewrite the README's role table from the routes' allow(...) declarations
	$(UV) run --frozen python -m union_dev.roles --write

asyncapi: sync  ## write docs/asyncapi.yaml from the event registry
	$(UV) run --frozen python -m union_shared.asyncapi > docs/asyncapi.yaml

asyncapi-check: sync  ## fail when docs/asyncapi.yaml is stale
	@$(UV) run --frozen python -m union_shared.asyncapi | diff -u docs/asyncapi.yaml - \
		|| (echo "docs/asyncapi.yaml is stale: run 'make asyncapi'" >&2; exit 1)

k8s-validate: sync
	$(UV) run --frozen python deploy/k8s/validate.py

token: sync  ## a development bearer token: make token ROLE=city_admin UNIT=<unit id> [WORKER=<id>] [SUB=<name>]
	$(if $(ROLE),,$(error ROLE is required, e.g. make token ROLE=system or ROLE=city_admin UNIT=<unit id>))
	@$(UV) run --frozen python -m union_shared.auth mint --role "$(ROLE)" \
		$(if $(UNIT),--unit "$(UNIT)") $(if $(WORKER),--worker "$(WORKER)") $(if $(SUB),--sub "$(SUB)")

clean:
	rm -rf data .pytest_cache .ruff_cache
