# Tirek — every target bootstraps what it needs from a fresh clone.
SHELL := /bin/bash
.ONESHELL:
.SHELLFLAGS := -eu -o pipefail -c

VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
TIREK := $(VENV)/bin/tirek
UV_VERSION := 0.13.9
VENDOR := src/tirek/web/static/vendor
# Tests run with debug off, as in production; the key below is for the test databases only.
TEST_ENV := TIREK_DEBUG=0 TIREK_SECRET_KEY=tirek-test-key-not-for-production-0123456789
PG_URL := postgres://tirek:tirek@127.0.0.1:5432/tirek
XDIST := -n 2 --dist loadfile

.PHONY: setup system-packages venv static messages migrate collectstatic demo test check-migrations test-sqlite test-postgres test-browser \
        check-catalogues lint scan fmt messages-update bench clean

setup: system-packages venv static messages migrate collectstatic

# Debian packages: installed when run as root and missing; otherwise reported.
system-packages:
	@missing=""
	for cmd in msgfmt:gettext chromium:chromium pg_ctlcluster:postgresql npm:npm; do
	  command -v "$${cmd%%:*}" >/dev/null 2>&1 || missing="$$missing $${cmd##*:}"
	done
	# WeasyPrint (printed plans) loads Pango and HarfBuzz at run time and embeds DejaVu Sans.
	for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; do
	  dpkg -s "$$pkg" >/dev/null 2>&1 || missing="$$missing $$pkg"
	done
	if [ -n "$$missing" ]; then
	  if [ "$$(id -u)" = 0 ]; then
	    echo "Installing Debian packages:$$missing"
	    apt-get update -qq
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing fonts-dejavu-core >/dev/null
	  else
	    echo "Missing Debian packages:$$missing (run 'make setup' as root or install them)"; exit 1
	  fi
	fi

venv: $(VENV)/.synced
$(VENV)/.synced: pyproject.toml uv.lock
	[ -x $(PY) ] || python3 -m venv $(VENV)
	[ -x $(UV) ] || $(VENV)/bin/pip install -q "uv==$(UV_VERSION)"
	$(UV) sync --frozen --quiet
	touch $@

static: $(VENDOR)/.done
$(VENDOR)/.done: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	mkdir -p $(VENDOR)/fonts
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map \
	   node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map \
	   node_modules/htmx.org/dist/htmx.min.js node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map node_modules/bootstrap-icons/font/bootstrap-icons.min.css $(VENDOR)/
	cp node_modules/bootstrap-icons/font/fonts/* $(VENDOR)/fonts/
	touch $@

messages: venv
	cd src/tirek && $(TEST_ENV) ../../$(TIREK) compilemessages -v 0

migrate: venv
	mkdir -p var
	TIREK_DEBUG=1 $(TIREK) migrate --no-input -v 0

# Production-like static files (hashed names, compressed) for everything that runs with debug off.
collectstatic: venv static
	$(TEST_ENV) $(TIREK) collectstatic --no-input -v 0

# The worker runs the background tasks (long exports) beside the server and stops when the server does.
# Two-step sign-in is optional in the demo (anyone can try it from their profile), so that every printed login
# opens without a phone; production requires it for managers, analysts and administrators.
DEMO_ENV := TIREK_DEBUG=1 TIREK_TWO_FACTOR_ROLES=
demo: setup
	$(DEMO_ENV) $(TIREK) demo
	$(DEMO_ENV) $(TIREK) worker --no-reload & worker=$$!
	trap 'kill $$worker 2>/dev/null || true' EXIT
	$(DEMO_ENV) $(TIREK) runserver 127.0.0.1:8000

# The whole suite: lint, catalogues, migrations, SQLite, PostgreSQL and the browser; it ends with pytest's
# summary line of the browser run and stops at the first failing step.
test: setup lint scan check-catalogues check-migrations test-sqlite test-postgres test-browser

check-migrations: venv
	$(TEST_ENV) $(TIREK) makemigrations --check --dry-run -v 1

# Each database: the suite in parallel, then the few tests that empty the database, alone.
test-sqlite: setup
	$(TEST_ENV) $(VENV)/bin/pytest $(XDIST) -m "not browser and not serial" -q
	$(TEST_ENV) $(VENV)/bin/pytest -m "serial" -q

test-postgres: setup
	scripts/postgres-up
	$(TEST_ENV) TIREK_DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest $(XDIST) -m "not browser and not serial" -q
	$(TEST_ENV) TIREK_DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -m "serial" -q

test-browser: setup
	$(TEST_ENV) $(VENV)/bin/pytest -m browser -q

check-catalogues: venv
	$(PY) scripts/check-catalogues

lint: venv
	$(VENV)/bin/ruff check src tests scripts/check-catalogues scripts/audit-dependencies
	$(VENV)/bin/ruff format --check src tests

# Security scanning: bandit fails on any high-severity finding in the application (settings in pyproject.toml's
# [tool.bandit]; false positives are marked `# nosec BXXX` with the reason); pip-audit checks the locked
# dependencies against PyPI's vulnerability feed and says so when the feed cannot be reached.
scan: venv
	$(VENV)/bin/bandit -r src -c pyproject.toml --severity-level high --quiet
	$(PY) scripts/audit-dependencies

fmt: venv
	$(VENV)/bin/ruff check --fix src tests
	$(VENV)/bin/ruff format src tests

# Refresh the kk and ru catalogues from the source after changing user-facing strings.
messages-update: venv
	cd src/tirek && for lang in kk ru; do \
	  ../../$(TIREK) makemessages -l $$lang --no-obsolete --ignore=static -v 0; \
	  ../../$(TIREK) makemessages -d djangojs -l $$lang --no-obsolete --ignore=static/vendor -v 0 || true; \
	done

# Search timings on 250,000 generated persons on SQLite (var/bench.sqlite3, scripts/bench-search), then the
# national-scale benchmark on PostgreSQL (database tirek_bench, scripts/bench): `tirek generate` data of
# 250,000 persons, 100,000 cases and 10,000,000 sessions (reused when already there), pages, dashboards,
# reports against their SQL floor, exports and the import. Then the load test on the same data (scripts/load):
# gunicorn with production settings and locust's mix of searches, case pages, day pages, logged sessions and
# dashboards aiming at 200 requests a second for 2 minutes; BENCH_SOAK_MINUTES=30 adds a 30-minute soak that
# samples the workers' memory. Each writes its tables into docs/performance.md.
# A quicker try: make bench BENCH_ARGS="--persons 20000 --visits-per-case 20".
BENCH_ARGS ?=
BENCH_SOAK_MINUTES ?=
bench: venv
	mkdir -p var
	$(TEST_ENV) TIREK_DATABASE_URL=sqlite:///$(CURDIR)/var/bench.sqlite3 $(PY) scripts/bench-search --persons 250000
	if scripts/postgres-up; then
	  $(TEST_ENV) TIREK_DATABASE_URL=$(PG_URL)_bench $(PY) scripts/bench $(BENCH_ARGS)
	  TIREK_DATABASE_URL=$(PG_URL)_bench $(PY) scripts/load $(if $(BENCH_SOAK_MINUTES),--soak-minutes $(BENCH_SOAK_MINUTES))
	else
	  echo "PostgreSQL is not available: the national-scale benchmark needs it (measured search on SQLite only)."
	fi

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var .pytest_cache .ruff_cache
