# acttutor: build the book, run the tests, open the notebooks.
# `make help` lists every target with the one-line `##` comment written beside it.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q
JB     := $(VENV)/bin/jupyter-book
# Kernels at once when executing the book (make book JOBS=1 for one at a time).
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)

# Kernels started by the build and by nbmake keep TensorFlow's C++ start-up
# lines out of the cell outputs (see tools/ipython/.../ipython_kernel_config.py).
export IPYTHONDIR := $(CURDIR)/tools/ipython

# The book build and the tests never record exercise progress in the reader's home
# (~/.acttutor): the build records nothing, the tests record under _build/. Both give
# the checkers four times their time budget per call (two kernels share two cores).
BOOK_ENV := ACTTUTOR_PROGRESS=0 ACTTUTOR_HOME=$(CURDIR)/_build/.acttutor-home ACTTUTOR_TIME_SCALE=4
TEST_ENV := ACTTUTOR_HOME=$(CURDIR)/_build/.acttutor-test-home ACTTUTOR_TIME_SCALE=4

.PHONY: help venv book test lint unit notebooks booktest stages lab labtest dist wheeltest \
        sequencetest pdftest testbuild floors newest pdf screenshots clean

help: ## list the targets
	@echo "usage: make TARGET   (the first run creates .venv and installs the project)"
	@grep -E '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) \
	  | sed -E 's/^([a-z-]+):.*## (.*)/  \1\t\2/' | expand -t 16

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

# The project installs through uv: on a fresh machine about 50 s against pip's 160 s here,
# compiling the bytecode as it installs (kernels and test workers then import TensorFlow
# without compiling it). PIP_ONLY=1 installs with pip instead, for example where pip.conf
# names a package index, which uv does not read.
UV := $(VENV)/bin/uv
INSTALL := $(if $(PIP_ONLY),$(PIP) install,VIRTUAL_ENV="$(abspath $(VENV))" $(UV) pip install -q --compile-bytecode)
$(UV): | $(PY)
	$(PIP) install uv

# One stamp per extra set: a second `make` with an unchanged pyproject.toml installs nothing.
# The stamps only decide what to install; the book's cache does not look at them.
$(VENV)/.installed-book: pyproject.toml | $(PY) $(if $(PIP_ONLY),,$(UV))
	$(INSTALL) -e ".[book]"
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY) $(if $(PIP_ONLY),,$(UV))
	$(INSTALL) -e ".[book,test]"
	@touch $@ $(VENV)/.installed-book

$(VENV)/.installed-lab: pyproject.toml | $(PY) $(if $(PIP_ONLY),,$(UV))
	$(INSTALL) -e ".[book,lab]"
	@touch $@

venv: $(VENV)/.installed-test ## create .venv and install the project with the book and test extras

# The executed outputs are kept in _build/.jupyter_cache under a key of what they
# depend on (tools/book_cache.py: acttutor/'s files, the installed versions of
# [project].dependencies, Python, the MNIST file, the kernel settings). A changed key
# clears them; then tools/execute_book.py runs every notebook the cache lacks, JOBS
# at a time, and the build itself executes nothing.
book: $(VENV)/.installed-book ## build the HTML book into _build/html (cached by content; FORCE=1 re-executes all)
	@$(BOOK_ENV) $(PY) tools/book_cache.py $(if $(FORCE),--force)
	$(BOOK_ENV) $(PY) tools/execute_book.py --jobs $(JOBS)
	$(BOOK_ENV) $(JB) build . -W -n --keep-going

test: $(VENV)/.installed-test ## lint, unit tests, every notebook under nbmake, the book build and its tests
	$(MAKE) --no-print-directory lint unit notebooks booktest

lint: $(VENV)/.installed-test ## ruff on the code, actionlint on the GitHub workflows
	$(PY) -m ruff check acttutor tests benchmarks tools book && $(PY) -m ruff format --check book
	$(VENV)/bin/actionlint -no-color .github/workflows/*.yml

# Doctests come from every module under acttutor/ and tests/; the conftest.py files are
# skipped as doctest modules (two share the name, which pytest 9 refuses), not as conftests.
unit: $(VENV)/.installed-test ## unit and checker tests, doctests (no notebooks)
	$(TEST_ENV) $(PY) -m pytest -q -n 2 --durations=15 -m "not book" --doctest-modules --ignore-glob="**/conftest.py" acttutor tests

# Every notebook runs once under nbmake, in a copy of the book; the executed
# copies are then built into HTML without running them again. (The copy is not
# under _build/: nbmake skips any notebook whose path contains "_build".)
TESTBOOK := .testbook
notebooks: $(VENV)/.installed-test ## run every notebook once under nbmake (into .testbook)
	$(PY) tools/prepare_testbook.py $(TESTBOOK)
	$(TEST_ENV) $(PY) -m pytest -q -p no:cacheprovider --nbmake --nbmake-timeout=900 \
	  --overwrite -n 2 --durations=0 --durations-min=20 $(TESTBOOK)/book

# The book build test: build the executed copies (no execution), then check the
# HTML, the chapters' claims, the exercises with solutions, and the browser view.
# Tests marked `stage` (wheel, JupyterLab, build sequence, PDF) run in their own targets.
# `--dist loadfile` gives each test file to one worker, so a file's module-scoped fixtures
# (a browser walk over every page, the PDF) run once. (`loadgroup` set some of them up twice.)
# It hands out the files with the most tests first: test_browser.py (a test per page and
# theme for its walk with the accessibility audit, the longest fixture) starts at once.
booktest: testbuild ## build the executed copies, then the chapter, build and browser tests
	$(TEST_ENV) $(PY) -m pytest -q -n 2 --dist loadfile --durations=25 -m "book and not stage" tests/book

testbuild: notebooks ## build the executed copies in .testbook into HTML (no execution)
	$(JB) build $(TESTBOOK) -W -n --keep-going

stages: labtest wheeltest sequencetest pdftest ## the slower checks that .ci/run runs after make test

# The notebooks ask for the kernel "python3". JUPYTER_PATH puts this venv's kernel specs
# first, so that name starts .venv's Python (where acttutor is installed) even when a
# user-level "python3" kernel points at another Python. Jupyter refuses to start as root
# (containers, CI machines) without --allow-root. LAB_ARGS passes more options, for
# example LAB_ARGS="--no-browser --port=8899 --IdentityProvider.token=secret".
LAB_ARGS ?=
lab: $(VENV)/.installed-lab ## open JupyterLab on book/ with this project's kernel (LAB_ARGS=... for more options)
	JUPYTER_PATH="$(CURDIR)/$(VENV)/share/jupyter$${JUPYTER_PATH:+:$$JUPYTER_PATH}" \
	  $(VENV)/bin/jupyter lab --ServerApp.root_dir="$(CURDIR)/book" \
	  $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

labtest: $(VENV)/.installed-test $(VENV)/.installed-lab ## start make lab, run a chapter, an exercise and a slider in it with Chromium
	$(TEST_ENV) $(PY) -m pytest -q -p no:cacheprovider tests/book/test_lab.py \
	  tests/book/test_sliders.py::test_a_slider_works_in_jupyterlab

dist: $(VENV)/.installed-test ## build the wheel and the sdist into dist/
	rm -rf dist
	$(PY) -m build --outdir dist .

wheeltest: $(VENV)/.installed-test ## install the wheel and the git URL into fresh venvs outside the repository; try them
	$(TEST_ENV) $(PY) -m pytest -q -p no:cacheprovider tests/book/test_wheel.py

# After make test the test build is there already; alone, this builds it first.
pdftest: $(VENV)/.installed-test ## print the test book to PDF with Chromium and read it back
	@[ -f $(TESTBOOK)/_build/html/book/index.html ] || $(MAKE) --no-print-directory testbuild
	$(TEST_ENV) $(PY) -m pytest -q -p no:cacheprovider tests/book/test_pdf.py

sequencetest: $(VENV)/.installed-test ## make book's cache on a tiny book: what each change re-executes
	$(TEST_ENV) $(PY) -m pytest -q -p no:cacheprovider tests/book/test_build_sequence.py

floors: ## CI stage: the oldest declared versions (ci/floors.txt) on Python 3.11
	.ci/stage floors

newest: ## CI stage: the newest versions on Python 3.13
	.ci/stage newest

# Headless Chromium prints the built book (tools/book_pdf.py); tests/book/test_pdf.py
# prints the test book the same way in `make pdftest`.
pdf: book ## the book as one PDF, _build/pdf/book.pdf (Chromium's print-to-PDF, offline)
	$(PY) tools/book_pdf.py --html _build/html --out _build/pdf/book.pdf

# Chromium screenshots of the landing page and a chapter, as shown in the README.
screenshots: $(VENV)/.installed-test book ## refresh the README's screenshots (docs/images) from the built book
	$(PY) tools/book_browser.py screenshots --html _build/html --out docs/images

clean: ## remove build outputs (keeps .venv)
	rm -rf _build $(TESTBOOK) dist .pytest_cache .ruff_cache
