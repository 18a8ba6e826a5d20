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

.PHONY: system-deps help install serve test lint check unit unit-pg browser-deps bench bench-smoke demo messages clean

help:
	@echo "make serve   install, migrate, load demo content, serve http://$(HOST):$(PORT)"
	@echo "make test    lint, Django checks, tests on SQLite and (when reachable) PostgreSQL + Redis"
	@echo "make bench   the benchmark suite (writes var/bench/*.json)"

$(VENV)/.installed: pyproject.toml constraints.txt
	@if [ -z "$(PYTHON)" ]; then echo "Khabar needs Python >= 3.12 (python3.13 or python3.12); none was found." >&2; exit 1; fi
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $@

install: $(VENV)/.installed system-deps node_modules/.installed

# Third-party validators used by the tests: axe-core (accessibility) and the Nu Html Checker.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian tools the project uses: msgfmt (translations), chromium (browser tests), java (Nu Html Checker).
system-deps:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

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

lint: install
	$(BIN)/ruff check khabar
	$(BIN)/ruff format --check khabar

check: install messages
	DEBUG=1 $(KHABAR) check --fail-level WARNING
	DEBUG=1 $(KHABAR) makemigrations --check --dry-run -v 1

unit: install messages
	DEBUG=0 SECRET_KEY=test-only-secret $(KHABAR) collectstatic --noinput -v 0
	SECRET_KEY=test-only-secret $(KHABAR) test --parallel 2 $(TESTS)

unit-pg: install messages
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then \
		echo "== Tests on PostgreSQL + Redis"; \
		SECRET_KEY=test-only-secret DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_TEST_URL) $(KHABAR) test --parallel 2 $(TESTS); \
	else \
		echo "== PostgreSQL or Redis not reachable on 127.0.0.1: PostgreSQL + Redis run NOT done"; \
		if [ -n "$$CI" ]; then exit 1; fi; \
	fi

test: lint check unit unit-pg

bench: install messages var/secret_key
	$(BIN)/python -m khabar.bench

bench-smoke: install messages
	$(BIN)/python -m khabar.bench --smoke

clean:
	rm -rf $(VENV) var/static var/cache
