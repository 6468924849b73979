# The study's front door. `make help` lists the targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
ARTICLES ?=
OUT ?=
RUN_ARGS := $(if $(ARTICLES),--articles $(ARTICLES)) $(if $(OUT),--out "$(OUT)")

.PHONY: help setup study test lab bench clean

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(BIN)/.installed: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

setup: $(BIN)/.installed  ## create .venv and install the pinned requirements

study: setup  ## run every notebook (ARTICLES='my/*.txt' OUT=runs/my-study to use other articles)
	$(BIN)/framing run $(RUN_ARGS)

test: setup  ## run the whole test suite (executes every notebook)
	$(BIN)/python -m pytest

lab: setup  ## open JupyterLab on notebooks/
	$(BIN)/jupyter lab notebooks/

bench: setup  ## run the benchmarks (they print figures; see benchmarks/)
	for script in benchmarks/*.py; do $(BIN)/python $$script || exit 1; done

clean:  ## remove .venv and caches (never seeds/ or committed outputs)
	rm -rf $(VENV) .pytest_cache .staging-* build *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
