# The two quick-start commands: `make run` (set up, then the main example pipeline) and
# `make test` (set up, then the whole test suite and the docs build). Both create .venv on first use.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PACKAGES := $(wildcard packages/*/pyproject.toml)
STAMP := $(VENV)/.installed

.PHONY: setup run test docs lint bench clean

setup: $(STAMP)

$(STAMP): $(PACKAGES) requirements-dev.txt Makefile
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt $(foreach p,$(PACKAGES),-e $(dir $(p)))
	touch $(STAMP)

run: setup
	$(PY) examples/run_main.py

test: setup
	$(PY) -m ruff check packages tests examples benchmarks
	$(PY) -m pytest -n 2 --dist loadgroup tests
	$(PY) -m mkdocs build --strict --quiet

docs: setup
	$(PY) -m mkdocs build --strict

lint: setup
	$(PY) -m ruff check packages tests examples benchmarks

bench: setup
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) site
