# acttutor: build the book, run the tests, open the notebooks.
#   make book         build the HTML book into _build/html (cached; FORCE=1 re-executes everything)
#   make test         ruff, unit tests, every notebook under nbmake, book build and browser tests
#   make lab          open JupyterLab on book/, with this project's Python as the kernel
#   make screenshots  refresh the README's screenshots (docs/images) from the built book
#   make clean        remove build outputs (keeps .venv)

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q
JB     := $(VENV)/bin/jupyter-book

# Kernels started by the build and by nbmake keep TensorFlow's C++ start-up
# lines out of the cell outputs (see tools/ipython/.../ipython_kernel_config.py).
export IPYTHONDIR := $(CURDIR)/tools/ipython

ACTTUTOR_SRC := $(shell find acttutor -name '*.py' 2>/dev/null)
CACHE_STAMP  := _build/.acttutor-code-stamp

.PHONY: book test unit notebooks booktest lab screenshots clean venv help

help:
	@sed -n '2,7p' Makefile

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
	@touch $@

venv: $(VENV)/.installed-test

# jupyter-cache hashes only the code cells, so an edit to acttutor/ would
# leave stale outputs. When the package changes (a file edited, added or
# removed) or the dependencies are reinstalled, drop the cache AND Sphinx's
# saved environment (.doctrees): Sphinx re-reads only pages whose source
# changed, and myst-nb executes a notebook only while Sphinx reads it, so
# clearing the cache alone would re-execute nothing. FORCE=1 does the same.
ACTTUTOR_DIRS := $(shell find acttutor -type d -not -name __pycache__ 2>/dev/null)
BOOK_STATE   := _build/.jupyter_cache _build/.doctrees
$(CACHE_STAMP): $(ACTTUTOR_SRC) $(ACTTUTOR_DIRS) $(VENV)/.installed-book
	rm -rf $(BOOK_STATE)
	@mkdir -p _build && touch $@

book: $(VENV)/.installed-book $(CACHE_STAMP)
ifdef FORCE
	rm -rf $(BOOK_STATE)
endif
	$(JB) build . -W -n --keep-going

test: $(VENV)/.installed-test
	$(PY) -m ruff check acttutor tests benchmarks tools
	$(MAKE) --no-print-directory unit notebooks booktest

unit:
	$(PY) -m pytest -q -n 2 -m "not book" --doctest-modules acttutor tests

# Every notebook runs once under nbmake, in a copy of the book; the executed
# copies are then built into HTML without running them again. (The copy is not
# under _build/: nbmake skips any notebook whose path contains "_build".)
TESTBOOK := .testbook
notebooks:
	$(PY) tools/prepare_testbook.py $(TESTBOOK)
	$(PY) -m pytest -q -p no:cacheprovider --nbmake --nbmake-timeout=900 --overwrite -n 2 $(TESTBOOK)/book

# The book build test: build the executed copies (no execution), then check the
# HTML, the chapters' claims, the exercises with solutions, and the browser view.
booktest: notebooks
	$(JB) build $(TESTBOOK) -W -n --keep-going
	$(PY) -m pytest -q -n 2 --dist loadgroup -m book tests

# The notebooks ask for the kernel "python3". JUPYTER_PATH puts this venv's kernel specs
# first, so that name starts .venv's Python (where acttutor is installed) even when a
# user-level "python3" kernel points at another Python. Jupyter refuses to start as root
# (containers, CI machines) without --allow-root. LAB_ARGS passes more options.
LAB_ARGS ?=
lab: $(VENV)/.installed-lab
	JUPYTER_PATH="$(CURDIR)/$(VENV)/share/jupyter$${JUPYTER_PATH:+:$$JUPYTER_PATH}" \
	  $(VENV)/bin/jupyter lab --ServerApp.root_dir="$(CURDIR)/book" \
	  $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

# Chromium screenshots of the landing page and a chapter, as shown in the README.
screenshots: $(VENV)/.installed-test book
	$(PY) tools/book_browser.py screenshots --html _build/html --out docs/images

clean:
	rm -rf _build $(TESTBOOK) .pytest_cache .ruff_cache
