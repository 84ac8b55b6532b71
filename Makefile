# The two quick-start commands: `make run` (set up, then the main example pipeline) and
# `make test` (set up, then the whole test suite and the docs build). Both create .venv on first use.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PACKAGES := $(wildcard packages/*/pyproject.toml)
STAMP := $(VENV)/.installed

.PHONY: setup run test docs lint bench clean fixtures

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

# Regenerate every reference fixture from its generator script, with the pinned reference
# libraries (requirements-ref*.txt) in venvs of their own. Override REF_PY / REF_VISION_PY to use
# existing interpreters (e.g. make fixtures REF_PY=/work/ref/torch/bin/python).
REF_PY ?= .venv-ref/bin/python
REF_VISION_PY ?= .venv-ref-vision/bin/python
CORE_GENERATORS := $(sort $(filter-out %/make_badfiles.py,$(shell find tests/ember -name 'make_*.py')))
VISION_GENERATORS := $(sort $(wildcard tests/embervision/fixtures/make_*.py))

.venv-ref/bin/python: requirements-ref.txt
	$(PYTHON) -m venv .venv-ref
	.venv-ref/bin/python -m pip install --quiet --index-url https://download.pytorch.org/whl/cpu \
		--extra-index-url https://pypi.org/simple -r requirements-ref.txt

.venv-ref-vision/bin/python: requirements-ref-vision.txt
	$(PYTHON) -m venv .venv-ref-vision
	.venv-ref-vision/bin/python -m pip install --quiet --index-url https://download.pytorch.org/whl/cpu \
		--extra-index-url https://pypi.org/simple -r requirements-ref-vision.txt

fixtures: setup $(REF_PY) $(REF_VISION_PY)
	$(PY) tests/ember/serialization/badfiles/make_badfiles.py
	for g in $(CORE_GENERATORS); do echo "== $$g"; PYTHONPATH=. $(REF_PY) $$g || exit 1; done
	for g in $(VISION_GENERATORS); do echo "== $$g"; PYTHONPATH=. $(REF_VISION_PY) $$g || exit 1; done
	git status --short tests

clean:
	rm -rf $(VENV) site
