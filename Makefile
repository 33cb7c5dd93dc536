# kypho-aid: the two commands a newcomer needs are `make lab` and `make test`.
# Both create .venv and install the exact versions in constraints.txt (the lock) first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCK := constraints.txt
STAMP := $(VENV)/.installed-stamp
NBVAL := $(BIN)/python -m pytest --nbval --nbval-current-env \
	--nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout=120 \
	--nbval-kernel-startup-timeout=120

.DEFAULT_GOAL := help
.PHONY: help setup app hub bench readability lab test lint typecheck unit nbval notebooks figures slides site validate compare lock clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "kypho-aid needs Python 3.11 or newer: run make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(LOCK) -e ".[dev]"
	@touch $(STAMP)

# A snapshot of the checked knowledge base (kypho_aid/snapshot.py): a new kernel loads it in
# milliseconds instead of reading and checking every file. Used only while it matches data/
# and the reading code exactly; remade here whenever either changes.
SNAPSHOT := $(VENV)/.snapshot-stamp
$(SNAPSHOT): $(STAMP) $(wildcard data/*) $(wildcard kypho_aid/*.py kypho_aid/validation/*.py)
	@if $(BIN)/python -m kypho_aid snapshot; then touch $@; else \
		echo "no snapshot: data/ has problems (make validate lists them); tables are read from the files"; fi

setup: $(STAMP) $(SNAPSHOT)  ## create .venv with the locked dependencies

# Offline and local: loopback only, no update checks, news feed or PyPI extension manager.
# JupyterLab refuses root unless told; CI machines run as root.
LAB_OPTIONS := --ServerApp.ip=127.0.0.1 --ServerApp.root_dir="$(CURDIR)" \
	--LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate \
	--LabApp.extension_manager=readonly $(if $(filter 0,$(shell id -u)),--allow-root)

# The session app: hardened standalone Voilà (deploy/kypho_app.py says what it changes): loopback
# only, preheated kernels, each kernel tied to its browser and shut down when the tab closes.
APP_NOTEBOOK := notebooks/05-shared-decision-session.ipynb
APP_PORT ?= 8866
APP_SERVER := JUPYTER_PATH="$(CURDIR)/share/jupyter" $(BIN)/python deploy/kypho_app.py

app: $(STAMP) $(SNAPSHOT)  ## serve the shared-decision session app with Voilà on 127.0.0.1:8866
	$(APP_SERVER) $(APP_NOTEBOOK) --Voila.port=$(APP_PORT) $(APP_ARGS)

# Many users: JupyterHub on 127.0.0.1 (deploy/jupyterhub_config.py), each user a server of their
# own; its proxy comes from the npm registry at an exact version, like the slides' reveal.js.
CHP_VERSION := 5.3.0
CHP := build/hub/node_modules/.bin/configurable-http-proxy
HUB_PORT ?= 8000
HUB_API_PORT ?= 8081
HUB_PROXY_PORT ?= 8001
HUB_STATE ?= build/hub/state

$(CHP):
	npm install --prefix build/hub --no-audit --no-fund --save-exact configurable-http-proxy@$(CHP_VERSION)

hub: $(STAMP) $(SNAPSHOT) $(CHP)  ## JupyterHub on 127.0.0.1:8000: each user their own session app (or JupyterLab)
	mkdir -p $(HUB_STATE)
	KYPHO_HUB_PORT=$(HUB_PORT) KYPHO_HUB_API_PORT=$(HUB_API_PORT) KYPHO_HUB_PROXY_PORT=$(HUB_PROXY_PORT) \
	KYPHO_HUB_STATE="$(HUB_STATE)" KYPHO_HUB_PROXY="$(CURDIR)/$(CHP)" \
	$(BIN)/jupyterhub -f deploy/jupyterhub_config.py $(HUB_ARGS)

lab: $(STAMP) $(SNAPSHOT)  ## start JupyterLab on 127.0.0.1 at notebooks/00-index.ipynb
	$(BIN)/jupyter lab $(LAB_OPTIONS) notebooks/00-index.ipynb $(LAB_ARGS)

test: lint typecheck validate unit nbval  ## everything CI runs: lint, types, data, unit tests, notebooks

lint: $(STAMP)  ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)  ## mypy (strict) on the whole package
	$(BIN)/mypy

validate: $(STAMP)  ## check data/ against its schemas
	$(BIN)/python -m kypho_aid validate data

unit: $(STAMP) $(SNAPSHOT)  ## the pytest suite in tests/
	$(BIN)/python -m pytest tests --doctest-modules kypho_aid

nbval: $(STAMP) $(SNAPSHOT)  ## run every notebook and compare its outputs strictly
	$(NBVAL) notebooks/

notebooks: $(STAMP) $(SNAPSHOT)  ## regenerate notebooks/*.ipynb from notebooks/src/*.py, executed
	$(BIN)/python tools/build_notebooks.py

slides: $(STAMP) $(SNAPSHOT)  ## the teaching deck as offline reveal.js slides and a PDF in build/slides/
	$(BIN)/python tools/build_slides.py --out build/slides

site: $(STAMP) $(SNAPSHOT)  ## every notebook as code-free offline HTML with navigation in build/site/
	$(BIN)/python tools/build_site.py --out build/site

readability: $(STAMP)  ## score every patient-facing text (SMOG, Flesch-Kincaid); target grade 8 or lower
	$(BIN)/python -m kypho_aid.readability

bench: $(STAMP) $(SNAPSHOT)  ## measure speed against same-run baselines; appends to benchmarks/results.md
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

figures: $(STAMP)  ## redraw the README's chart pictures in docs/images/
	$(BIN)/python tools/make_figures.py

compare: $(STAMP)  ## print the comparison table as Markdown
	$(BIN)/python -m kypho_aid compare --format md

lock:  ## re-resolve the newest allowed versions into constraints.txt
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	.venv-lock/bin/python -m pip freeze --exclude-editable --disable-pip-version-check | sort -f > $(LOCK)
	rm -rf .venv-lock

clean:  ## remove the virtual environment and build outputs
	rm -rf $(VENV) build dist test-results .mypy_cache .ruff_cache
