# acttutor: build the book, run the tests, open the notebooks.
#   make book         build the HTML book into _build/html (cached; FORCE=1 re-executes everything)
#   make test         ruff, unit tests, every notebook under nbmake, book build and browser tests
#   make lab          open JupyterLab on book/
#   make clean        remove build outputs (keeps .venv)

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q
JB     := $(VENV)/bin/jupyter-book

# Kernels started by the build and by nbmake keep TensorFlow's C++ start-up
# lines out of the cell outputs (see tools/ipython/.../ipython_kernel_config.py).
export IPYTHONDIR := $(CURDIR)/tools/ipython
export PYTHONWARNINGS ?=
# Keep matplotlib off any display.
export MPLBACKEND ?= Agg

ACTTUTOR_SRC := $(shell find acttutor -name '*.py' 2>/dev/null)
CACHE_STAMP  := _build/.acttutor-code-stamp

.PHONY: book test unit notebooks booktest lab clean venv help

help:
	@sed -n '2,6p' Makefile

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

# One stamp per extra set: a second `make` with an unchanged pyproject.toml installs nothing.
$(VENV)/.installed-book: pyproject.toml | $(PY)
	$(PIP) install -e ".[book]"
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PIP) install -e ".[book,test]"
	@touch $@ $(VENV)/.installed-book

$(VENV)/.installed-lab: pyproject.toml | $(PY)
	$(PIP) install -e ".[book,lab]"
	$(PY) -m ipykernel install --sys-prefix --name acttutor --display-name "acttutor (.venv)"
	@touch $@

venv: $(VENV)/.installed-test

# jupyter-cache hashes only the code cells, so an edit to acttutor/ would
# leave stale outputs: drop the cache whenever the package changes.
$(CACHE_STAMP): $(ACTTUTOR_SRC)
	rm -rf _build/.jupyter_cache
	@mkdir -p _build && touch $@

book: $(VENV)/.installed-book $(CACHE_STAMP)
ifdef FORCE
	rm -rf _build/.jupyter_cache
endif
	$(JB) build . -W -n --keep-going

test: $(VENV)/.installed-test
	$(PY) -m ruff check acttutor tests benchmarks tools
	$(MAKE) --no-print-directory unit notebooks booktest

unit:
	$(PY) -m pytest -q -m "not book" tests

# Every notebook runs once under nbmake, in a copy of the book; the executed
# copies are then built into HTML without running them again.
TESTBOOK := _build/testbook
notebooks:
	$(PY) tools/prepare_testbook.py $(TESTBOOK)
	$(PY) -m pytest -q -p no:cacheprovider --nbmake --nbmake-timeout=900 --overwrite -n 2 $(TESTBOOK)/book

# The book build test: build the executed copies (no execution), then check the
# HTML, the chapters' claims, the exercises with solutions, and the browser view.
booktest: notebooks
	$(JB) build $(TESTBOOK) -W -n --keep-going
	$(PY) -m pytest -q -n 2 -m book tests

lab: $(VENV)/.installed-lab
	$(VENV)/bin/jupyter lab book/

clean:
	rm -rf _build .pytest_cache .ruff_cache
