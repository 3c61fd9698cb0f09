# Thin wrapper: every real step is `python -m usmx ...` inside .venv.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help venv data charts report lab refresh test test-slow lint bench check strip clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@if [ -e .git ]; then \
	  git config filter.usmx-nbstrip.clean '$(PY) -m usmx strip-notebooks --stdin' && \
	  git config filter.usmx-nbstrip.smudge cat; fi
	@touch $(STAMP)

venv: $(STAMP) ## Create .venv and install the project with its dev tools

data: $(STAMP) ## Validate data/raw and build data/processed (offline)
	$(PY) -m usmx build

charts: $(STAMP) ## Export every chart to reports/figures (SVG, PDF, PNG, CSV, manifest)
	$(PY) -m usmx charts

report: $(STAMP) ## Set up, build the data, export the charts, run the notebooks into reports/
	$(PY) -m usmx report

refresh: $(STAMP) ## Download new dated snapshots of every source (online; `python -m usmx refresh --list` names them)
	$(PY) -m usmx refresh

lab: $(STAMP) ## Open JupyterLab on notebooks/ with the project's kernel
	$(PY) -m jupyterlab --notebook-dir=notebooks

check: $(STAMP) ## Fail if data/processed differs from a fresh build
	$(PY) -m usmx check

test: $(STAMP) ## Lint, then run the test suite (no network; the slow end-to-end runs: test-slow)
	$(PY) -m ruff check .
	$(PY) -m pytest -q -m "not slow"

test-slow: $(STAMP) ## The slow end-to-end tests: the whole report, JupyterLab in a browser (CI runs them)
	$(PY) -m pytest -q -m slow

strip: $(STAMP) ## Clear the outputs of the notebooks (before a commit)
	$(PY) -m usmx strip-notebooks

lint: $(STAMP) ## ruff only
	$(PY) -m ruff check .

bench: $(STAMP) ## Time build, charts and report against the pandas + matplotlib import floor
	$(PY) scripts/bench.py

clean: ## Remove .venv and caches (data/ is kept)
	rm -rf $(VENV) .pytest_cache .ruff_cache
