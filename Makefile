# Lantern: `make demo` sets up and serves; `make test` sets up and runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STATIC := src/lantern/web/static/vendor
GOVUK_VERSION := 6.6.0
HTMX_VERSION := 2.0.11
export LANTERN_DATABASE_URL ?= sqlite:///./var/lantern.db

.PHONY: install demo test lint typecheck unit browser-deps jre vendor migrate clean

install: $(VENV)/.installed vendor migrate ## set up only: venv, packages, vendored assets, migrations

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,spark]'
	touch $@

vendor: $(STATIC)/.installed

$(STATIC)/.installed:
	mkdir -p build/npm $(STATIC)/govuk $(STATIC)/htmx
	test -f build/npm/package.json || echo '{"private": true}' > build/npm/package.json
	cd build/npm && npm install --no-audit --no-fund --silent govuk-frontend@$(GOVUK_VERSION) htmx.org@$(HTMX_VERSION)
	cp -r build/npm/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css \
	      build/npm/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js \
	      build/npm/node_modules/govuk-frontend/dist/govuk/assets $(STATIC)/govuk/
	cp build/npm/node_modules/htmx.org/dist/htmx.min.js $(STATIC)/htmx/
	touch $@

migrate: $(VENV)/.installed
	$(BIN)/lantern db upgrade

demo: install ## set up, seed the scenarios and a small population, print logins, serve :8000
	$(BIN)/lantern demo --host 127.0.0.1 --port 8000

browser-deps: ## Debian chromium for the browser tests (installed when missing, as root)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "chromium is missing: run 'sudo apt-get install chromium'"; exit 1; fi; }

jre: ## Debian's Java runtime for linkage on Spark (installed when missing, as root)
	@command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; \
	  else echo "java is missing: run 'sudo apt-get install default-jre-headless'"; exit 1; fi; }

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(VENV)/.installed
	$(BIN)/mypy

test: install browser-deps jre lint typecheck ## the whole suite, on SQLite and PostgreSQL
	$(BIN)/python -m pytest -p no:cacheprovider; status=$$?; \
	  if [ $$status -eq 5 ]; then echo 'pytest ran no tests: that is a failure'; exit 1; fi; exit $$status

clean:
	rm -rf $(VENV) build $(STATIC) var
