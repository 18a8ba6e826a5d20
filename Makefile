# Khabar: `make serve` runs the site, `make test` runs every check. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
BIN := $(VENV)/bin
KHABAR := $(BIN)/khabar
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15

# Python >= 3.12: the first of python3.13, python3.12 (also pyenv's copies), python3.
PYTHON ?= $(shell for c in python3.13 $$(ls -d $$HOME/.pyenv/versions/3.13*/bin/python3 2>/dev/null) python3.12 $$(ls -d $$HOME/.pyenv/versions/3.12*/bin/python3 2>/dev/null) python3; do \
	if $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then command -v $$c || echo $$c; break; fi; done)

.PHONY: screenshots test-fast lighthouse serve-deps test-deps install-test help install serve test lint check unit unit-pg browser-deps bench bench-smoke demo messages clean

help:
	@echo "make serve   install, migrate, load demo content, serve http://$(HOST):$(PORT)"
	@echo "make test    lint, Django checks, tests on SQLite and (when reachable) PostgreSQL + Redis"
	@echo "make bench   the benchmark suite (writes var/bench/*.json)"

# What serving needs: Khabar and its runtime packages, and msgfmt for the translations.
$(VENV)/.installed: pyproject.toml constraints.txt
	@if [ -z "$(PYTHON)" ]; then echo "Khabar needs Python >= 3.12 (python3.13 or python3.12); none was found." >&2; exit 1; fi
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e .
	touch $@

# What testing and benchmarking add: the test extras, the validators and browser, wrk and nginx.
$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $@

install: $(VENV)/.installed serve-deps
install-test: install $(VENV)/.installed-test test-deps node_modules/.installed

# Third-party validators used by the tests: axe-core (accessibility), the Nu Html Checker, Lighthouse.
node_modules/.installed: package.json package-lock.json | test-deps
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

define apt_install
	if [ -n "$(1)" ]; then \
		echo "Installing Debian packages:$(1)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null; \
	fi
endef

# Debian tools a site needs: msgfmt (translations).
serve-deps:
	@missing=""; command -v msgfmt >/dev/null || missing=" gettext"; \
	$(call apt_install,$$missing)

# Debian tools the tests and the bench use: chromium (browser tests), java (Nu Html Checker),
# npm (the validators), wrk and nginx (the bench's load and reference).
test-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v wrk >/dev/null || missing="$$missing wrk"; \
	test -x /usr/sbin/nginx || command -v nginx >/dev/null || missing="$$missing nginx-light"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	$(call apt_install,$$missing)

messages: install
	DEBUG=1 $(KHABAR) compilemessages --ignore=.venv --ignore=var -v 0

var:
	mkdir -p var

var/secret_key: | var
	@umask 077; $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

serve: install messages var/secret_key
	@export SECRET_KEY_FILE=$${SECRET_KEY_FILE:-$(CURDIR)/var/secret_key}; \
	$(KHABAR) collectstatic --noinput -v 0 && \
	$(KHABAR) migrate --noinput -v 0 && \
	$(KHABAR) demo && \
	$(KHABAR) ensure_admin && \
	exec $(KHABAR) serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

lint: install-test
	$(BIN)/ruff check khabar bench
	$(BIN)/ruff format --check khabar bench

check: install-test messages | var
	DEBUG=1 $(KHABAR) check --fail-level WARNING
	DEBUG=1 $(KHABAR) makemigrations --check --dry-run -v 1

unit: install-test messages
	DEBUG=0 SECRET_KEY=test-only-secret $(KHABAR) collectstatic --noinput -v 0
	SECRET_KEY=test-only-secret $(KHABAR) test --parallel 2 $(TESTS)

unit-pg: install-test messages
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then \
		echo "== Tests on PostgreSQL + Redis"; \
		SECRET_KEY=test-only-secret DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_TEST_URL) $(KHABAR) test --parallel 2 $(TESTS); \
	else \
		echo "== PostgreSQL or Redis not reachable on 127.0.0.1: PostgreSQL + Redis run NOT done"; \
		if [ -n "$$CI" ]; then exit 1; fi; \
	fi

test: lint check unit unit-pg bench-smoke

# The edit-test loop: SQLite only, without the browser, validator and load tests (`make test` runs all).
test-fast: install-test messages
	DEBUG=0 SECRET_KEY=test-only-secret $(KHABAR) collectstatic --noinput -v 0
	SECRET_KEY=test-only-secret $(KHABAR) test --parallel 2 --exclude-tag browser --exclude-tag slow $(TESTS)

# The benchmark suite: real server, wrk, nginx reference; sites of 1,000 and 100,000 articles (~20 min).
# BENCH_ARGS passes options, e.g. BENCH_ARGS="--scales 1000 --seconds 5".
bench: install-test messages
	DEBUG=0 SECRET_KEY=bench-collectstatic-only $(KHABAR) collectstatic --noinput -v 0
	$(BIN)/python bench/bench.py --lighthouse $(BENCH_ARGS)

# Lighthouse (npm 12.2.3, Debian's Chromium) on home, a section and an article of both editions of a
# 1,000-article site; scores printed and written into var/bench/bench-*.json.
lighthouse: install-test messages
	DEBUG=0 SECRET_KEY=bench-collectstatic-only $(KHABAR) collectstatic --noinput -v 0
	$(BIN)/python bench/bench.py --scales 1000 --seconds 2 --comments 0 --lighthouse

# The same script on a tiny site with 2-second runs: proves it works end to end (part of `make test`).
# The admin screenshots in docs/images/ (docs/newsroom.md), from a fresh demo site in Chromium.
screenshots: install-test messages
	$(BIN)/python docs/screenshots.py

bench-smoke: install-test messages
	DEBUG=0 SECRET_KEY=bench-collectstatic-only $(KHABAR) collectstatic --noinput -v 0
	$(BIN)/python bench/bench.py --smoke

clean:
	rm -rf $(VENV) var/static var/cache
