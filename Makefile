# `make serve` runs the demo conference; `make test` runs every test (browser tests included).
# Each does its own set-up: `serve` installs the runtime only; `test` adds the test tools
# and the Debian packages the tests need (tools/system-packages.sh).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-installed
TESTING := $(VENV)/.test-installed
# make serve HOST=127.0.0.1 PORT=8080 (empty: the settings' defaults, see `live serve --help`)
HOST ?=
PORT ?=

# Debian packages the tests need: Chromium drives the browser tests (never a browser
# download), the fonts its screenshots fall back on, and PostgreSQL, which the tests start
# themselves in a temporary directory (tests/pg.py) to run every database test on it too.
SYSTEM_PACKAGES := chromium fonts-dejavu-core postgresql

.PHONY: serve test lint system bench clean

$(RUNTIME): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(TESTING): $(RUNTIME)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

serve: $(RUNTIME)
	$(BIN)/live serve $(if $(HOST),--host $(HOST)) $(if $(PORT),--port $(PORT))

# Installs SYSTEM_PACKAGES when missing (apt-get as root, sudo -n otherwise, or it stops
# with the command to run), then checks Chromium and PostgreSQL's programs are there.
system:
	sh tools/system-packages.sh $(SYSTEM_PACKAGES)
	test -x /usr/bin/chromium
	ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null

lint: $(TESTING)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: system lint
	$(BIN)/pytest

bench: $(TESTING)
	$(BIN)/python bench/fanout.py

clean:
	rm -rf $(VENV) live.db live.db-wal live.db-shm
