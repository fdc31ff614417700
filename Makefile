# Kỷ Cương — two commands for a fresh Debian 12 machine: `make demo` and `make test`.
# Every step installs what it needs; stamps make repeated runs quick.
SHELL := /bin/bash
# The demo and the tests run with the shipped demo secrets; production never uses this Makefile to serve
# (deploy/) and refuses them (kycuong.core.checks).
export KYCUONG_DEMO ?= true
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: lock redis demo test test-only lint test-postgres install install-test system-deps system-deps-test assets messages migrate seed serve bench clean

# --- system packages (only when run as root; otherwise they must already be there) -----------------
APT_BASE := python3-venv nodejs npm fonts-liberation2 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
APT_TEST := chromium redis-server poppler-utils
define apt_ensure
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	  missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then missing=$$(echo "$$missing" | sed -e 's/ nodejs//' -e 's/ npm//'); fi; \
	  if [ -n "$$(echo $$missing)" ]; then echo "apt-get install$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; fi; \
	fi
endef

system-deps:
	$(call apt_ensure,$(APT_BASE))

system-deps-test: system-deps
	$(call apt_ensure,$(APT_TEST))

# --- Python ----------------------------------------------------------------------------------------
# Every machine installs the same versions: the pinned lock files (requirements/*.lock, made by `make lock`
# from pyproject.toml), then the project itself without resolving again.
$(VENV)/.installed: pyproject.toml requirements/base.lock | system-deps
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements/base.lock
	$(PY) -m pip install -q --no-deps -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements/test.lock
	$(PY) -m pip install -q -r requirements/test.lock
	touch $@

# Re-pin after changing dependencies in pyproject.toml (pip-tools in its own venv; needs the registry).
lock:
	test -x var/piptools/bin/pip-compile || (python3 -m venv var/piptools && var/piptools/bin/pip install -q pip-tools)
	CUSTOM_COMPILE_COMMAND="make lock" var/piptools/bin/pip-compile -q --strip-extras --no-emit-find-links --no-emit-index-url --allow-unsafe \
	  --output-file requirements/base.lock pyproject.toml
	CUSTOM_COMPILE_COMMAND="make lock" var/piptools/bin/pip-compile -q --strip-extras --no-emit-find-links --no-emit-index-url --allow-unsafe \
	  --extra test --output-file requirements/test.lock pyproject.toml

install: $(VENV)/.installed assets messages
install-test: $(VENV)/.installed-test assets messages system-deps-test

# --- Front-end packages from npm (never a CDN, never committed) ------------------------------------
node_modules/.installed: package.json package-lock.json | system-deps
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

kycuong/static/vendor/.built: node_modules/.installed kycuong/portal/scss/kycuong.scss
	mkdir -p kycuong/static/vendor/govuk
	npm run --silent build
	cp node_modules/htmx.org/dist/htmx.min.js kycuong/static/vendor/
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js kycuong/static/vendor/
	cp -r node_modules/govuk-frontend/dist/govuk/assets kycuong/static/vendor/govuk/
	touch $@

assets: kycuong/static/vendor/.built

messages: $(VENV)/.installed
	$(PY) -m kycuong.i18n

# --- Demo -----------------------------------------------------------------------------------------
migrate: install
	$(PY) manage.py migrate --noinput -v 0

seed: migrate
	$(PY) manage.py seed_demo
	$(PY) manage.py scoreboard_rebuild

# Served like production: gunicorn (workers from the CPU count) with whitenoise's hashed, compressed static
# files, and the job consumer beside it (counters, D-1 warnings); both stop together.
WORKERS ?= $(shell echo $$(( $$(nproc) * 2 + 1 )))
serve:
	KYCUONG_HASHED_STATIC=true $(PY) manage.py collectstatic --noinput -v 0
	@echo "Kỷ Cương: http://$(HOST):$(PORT)/ (gunicorn, $(WORKERS) workers)"
	@$(PY) manage.py run_huey --quiet & jobs=$$!; \
	  KYCUONG_HASHED_STATIC=true $(VENV)/bin/gunicorn kycuong.wsgi:application --bind $(HOST):$(PORT) \
	    --workers $(WORKERS) --timeout 60 --graceful-timeout 20 --access-logfile - --error-logfile - & web=$$!; \
	  trap 'kill $$jobs $$web 2>/dev/null; wait' EXIT INT TERM; wait -n; exit 1

demo: seed serve

# --- Tests ----------------------------------------------------------------------------------------
test: install-test redis test-only

# The job-queue tests talk to a real Redis on 127.0.0.1:6379; start one if none answers.
redis:
	@if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then \
	  mkdir -p var/redis && redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" \
	    --appendonly no --dir var/redis --logfile var/redis/redis.log; \
	  for i in $$(seq 1 20); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done; \
	fi

# The layer contract and ruff (both configured in pyproject.toml) before the tests.
lint:
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check kycuong tests benchmarks

test-only: lint
	$(PY) -m pytest $(PYTEST_ARGS)

test-postgres: install-test
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(PY) -m pytest $(PYTEST_ARGS)

bench: install
	$(PY) benchmarks/worktime_bench.py

clean:
	rm -rf $(VENV) node_modules kycuong/static/vendor staticfiles var .pytest_cache
