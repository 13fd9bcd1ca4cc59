# Needlepoint — the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)
PYTEST_ARGS ?=
PROFILE_ARGS ?=

.PHONY: run test install lock lint types test-sqlite test-postgres cluster-test bench load saturate profile clean catalogues translations

# The exact versions in requirements.lock, checked against their hashes; then Needlepoint
# itself, with no further dependencies.
$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

# localstripe (a fake Stripe server, GPL-3) lives in a venv of its own: a test tool, never
# installed beside Needlepoint nor shipped with it.
LOCALSTRIPE := .tools/localstripe/bin/localstripe
$(LOCALSTRIPE): tests/tools/localstripe.lock
	@test -x .tools/localstripe/bin/python || $(PYTHON) -m venv .tools/localstripe
	.tools/localstripe/bin/python -m pip install --quiet --require-hashes -r tests/tools/localstripe.lock
	@touch $@

# The compiled message catalogues (.mo) the app reads, from the .po files kept in git.
catalogues: $(STAMP)
	@$(BIN)/python -m needlepoint.cli translations --compile

## make translations: add newly marked strings to every .po file (docs/translating.md)
translations: $(STAMP)
	$(BIN)/python -m needlepoint.cli translations

## make run: install, migrate the SQLite database under var/, load the demo once, serve :8000
## with the background worker (reminders, aftercare) beside it; Ctrl+C stops both
run: $(STAMP) catalogues
	@mkdir -p var
	$(BIN)/needlepoint migrate
	$(BIN)/needlepoint demo
	@trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; \
	$(BIN)/needlepoint worker & \
	$(BIN)/needlepoint serve 127.0.0.1:8000

## make test: lint, types, migrations check, the suite on SQLite, then on PostgreSQL if DATABASE_URL
## names one (without the tests marked once, database-independent, nor the browser tests: pages, not SQL)
test: lint types test-sqlite test-postgres

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

## make lock: pin every dependency (and theirs) with hashes, from pyproject.toml's bounds
lock: $(STAMP)
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	  --no-emit-index-url --no-emit-find-links --extra dev \
	  --output-file requirements.lock pyproject.toml
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	  --no-emit-index-url --no-emit-find-links \
	  --output-file tests/tools/localstripe.lock tests/tools/localstripe.in

types: $(STAMP)
	$(BIN)/mypy needlepoint
	env -u DATABASE_URL $(BIN)/python manage.py makemigrations --check --dry-run
	env -u DATABASE_URL $(BIN)/python manage.py check

test-sqlite: $(STAMP) $(LOCALSTRIPE) catalogues
	env -u DATABASE_URL $(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

test-postgres: $(STAMP) $(LOCALSTRIPE) catalogues
	@case "$$DATABASE_URL" in \
	  postgres*) $(BIN)/python -m pytest -n 2 -m "not once and not browser" $(PYTEST_ARGS) ;; \
	  *) if [ -n "$$NEEDLEPOINT_REQUIRE_POSTGRES" ]; then \
	       echo "PostgreSQL run required but DATABASE_URL does not name a PostgreSQL database" >&2; exit 1; \
	     else echo "DATABASE_URL is not PostgreSQL: skipping the PostgreSQL run"; fi ;; \
	esac

## make cluster-test: a primary, a replica, PgBouncer, two web nodes and two workers on this
## machine (tests/cluster/topology.py), photos in a bucket; races, messages, replica reads and
## photos read across nodes checked
cluster-test: $(STAMP) catalogues
	$(BIN)/python -m tests.cluster.topology

bench: $(STAMP) $(LOCALSTRIPE) catalogues
	$(BIN)/python -m bench

## make load: two minutes of mixed load on gunicorn + worker + PostgreSQL; writes docs/benchmarks.md's Load section
load: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,load]'
	$(BIN)/python -m bench.load

## make saturate: each kind of request alone, then the mix, stepped up until p99 passes 250 ms,
## against /health/ in the same run (50,000 bookings; about 15 min); writes docs/benchmarks.md's Saturation section
saturate: $(STAMP) catalogues
	$(BIN)/python -m bench.load --saturate

## make profile: pyinstrument over the availability API, the choose-a-time page and an API booking (SQLite);
## make profile PROFILE_ARGS=--staff: a signed-in practitioner's pages (day calendar, chart, a trivial one) against /health/
profile: $(STAMP) catalogues
	@rm -rf var/profile && mkdir -p var/profile  # a fresh database each time
	env -u DATABASE_URL NEEDLEPOINT_DATA_DIR=$(CURDIR)/var/profile DEBUG=false \
	  SECRET_KEY=profile-only-$$(date +%s)-not-a-secret-not-a-secret-not-a-secret \
	  ALLOWED_HOSTS=testserver $(BIN)/python -m bench.profile $(PROFILE_ARGS)

clean:
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache
