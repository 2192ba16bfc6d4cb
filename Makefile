# Two commands do everything on a fresh machine: `make book` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv vendor book serve slides execute nbval test test-core test-fast test-unit test-browser lint clean

# The notebooks' kernel "cnnlib" is registered inside the venv; prefer it over any user-level
# kernel of the same name, so the book, nbval and `make execute` all run the venv's Python.
export JUPYTER_PREFER_ENV_PATH := 1
# Keras 3 defaults to TensorFlow, which is not installed: every keras import here uses torch.
export KERAS_BACKEND := torch
export PYDEVD_DISABLE_FILE_VALIDATION := 1
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))
# Inputs whose change must rebuild every page (Sphinx re-reads only changed sources): every file
# of the package, the exercise bank's JS/CSS included.
BOOK_DEPS := $(sort $(shell find cnnlib -type f \( -name '*.py' -o -name '*.js' -o -name '*.css' \) \
               -not -path '*/__pycache__/*')) requirements.txt requirements-dev.txt

# The chapters are trusted (signed in this user's Jupyter data directory), so JupyterLab runs
# their precomputed sliders' scripts and shows the committed outputs as they are; re-signed on
# every make, since a pulled or re-executed notebook is a new file to Jupyter.
venv: $(STAMP)
	@$(BIN)/jupyter trust $(NOTEBOOKS) >/dev/null

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@echo "==> creating $(VENV) and installing pinned requirements (torch==2.13.0 CPU from local disk)"
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt 2>&1 | grep -v "is ignored" || true
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e . 2>&1 | grep -v "is ignored" || true
	$(BIN)/python -c "import torch, keras, torchinfo, myst_nb, nbval, cnnlib; assert torch.__version__.startswith('2.13.0'), torch.__version__"
	$(BIN)/python -m ipykernel install --sys-prefix --name cnnlib --display-name "Python (cnnlib)" --env KERAS_BACKEND torch >/dev/null
	touch $(STAMP)

vendor: venv
	$(BIN)/python tools/vendor_assets.py

# Build the HTML book: vendored assets, notebooks executed (cached) with the cnnlib kernel,
# Sphinx warnings are errors, then a check that no page loads anything from the network.
book: venv
	@echo "==> [1/4] offline assets (pinned npm packages, sha512-checked: tools/vendor_assets.py)"
	$(BIN)/python tools/vendor_assets.py
	@echo "==> [2/4] stale pages: cleared when cnnlib/ or the pins change"
	@mkdir -p _build; h=$$(cat $(BOOK_DEPS) | sha256sum | cut -c1-16); \
	if [ "$$(cat _build/.book-deps 2>/dev/null)" != "$$h" ]; then \
	  echo "    inputs changed: clearing _build/.doctrees, _build/html"; \
	  rm -rf _build/.jupyter_cache _build/.doctrees _build/html; echo "$$h" > _build/.book-deps; \
	else echo "    up to date"; fi
	@echo "==> [3/4] jupyter-book build . -W -n --keep-going (executes every changed chapter inline)"
	@start=$$(date +%s); \
	$(BIN)/jupyter-book build . -W -n --keep-going > _build/book.log 2>&1; rc=$$?; \
	grep -E "Executing notebook|Executed notebook|WARNING|ERROR|Error|build succeeded|build finished" _build/book.log | grep -v IPKernelApp | sed 's/\x1b\[[0-9;]*m//g; s/^/    /'; \
	echo "    ($$(( $$(date +%s) - start )) s; full log: _build/book.log)"; \
	if [ $$rc -ne 0 ]; then echo "book: build FAILED (warnings are errors); reports: _build/html/reports/"; exit $$rc; fi
	@echo "==> [4/4] checking that the built pages load nothing from the network"
	$(BIN)/python tools/check_offline.py _build/html
	@echo ""
	@echo "Book built. Open it offline in a browser: file://$(CURDIR)/_build/html/index.html"
	@echo "  or run \`make serve\` to read it over http, where pages can be made live."

# Serve _build/html on 127.0.0.1 (port 8000 or the next free one; the URL is printed), with the
# cache headers that make a second "Make this page live" fast (tools/serve.py). Ctrl-C stops it.
serve:
	@test -f _build/html/index.html || { echo "serve: no built book: run make book first"; exit 1; }
	@$(if $(wildcard $(BIN)/python),$(BIN)/python,$(PY)) tools/serve.py _build/html --port $(or $(PORT),8000)

# Re-execute every notebook in place with the cnnlib kernel, so committed outputs are exactly
# what the code produces (nbval in `make test` checks that they still are), and store the
# values of the prose's {eval} expressions where JupyterLab (jupyterlab-myst) and the slides
# read them (tools/execute_notebooks.py; `make nbval` checks they are current).
execute: venv
	$(BIN)/python tools/execute_notebooks.py $(NOTEBOOKS)
	@$(BIN)/jupyter trust $(NOTEBOOKS) >/dev/null

# Every chapter as a reveal.js deck in _build/html/slides/ (vendored reveal.js 4, MathJax 2):
# a lecture made from the chapter, which is executed once more with its figures drawn for the
# projector (cached in _build/.slides_runs/). Run it after `make book` (a changed book rebuild
# clears html/). SLIDES_ARGS passes options, e.g. SLIDES_ARGS="--root /tmp/other-book".
SLIDES_ARGS ?=
slides: venv
	@echo "==> reveal.js decks -> _build/html/slides/"
	$(BIN)/python tools/build_slides.py $(SLIDES_ARGS)

# Re-run the notebooks and compare with their committed outputs (volatile ids sanitized).
nbval: venv
	$(BIN)/python -m pytest -q -p no:cacheprovider --nbval $(NOTEBOOKS) \
	  --nbval-kernel-name cnnlib --nbval-sanitize-with nbval_sanitize.cfg --nbval-cell-timeout 300
	@echo "==> the prose's stored {eval} values (nbval does not look at markdown)"
	$(BIN)/python tools/execute_notebooks.py --check $(NOTEBOOKS)

lint: venv
	$(BIN)/ruff check $(wildcard cnnlib tests bench) tools

# The core's tests run in a Python that refuses torch, keras, pandas, matplotlib and
# ipywidgets (tests/core/conftest.py, CNNLIB_CORE_ONLY=1): the core needs the standard library only.
test-core: venv
	CNNLIB_CORE_ONLY=1 $(BIN)/python -m pytest -q -p no:cacheprovider tests/core

test-fast: test-core
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/book tests/site -m "not browser and not slow"

# core (without third-party packages), book, the torch/Keras agreement (oracle) and the
# site's non-browser checks
test-unit: test-core
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/book tests/oracle tests/site -m "not browser"

test-browser: venv
	@# one pytest per file: each starts its own Playwright (two sync sessions cannot share a process)
	@rc=0; for f in tests/site/test_book.py tests/site/test_slides.py tests/site/test_exercises_browser.py \
	              tests/site/test_live.py tests/site/test_live_pack.py tests/site/test_responsive.py \
	              tests/site/test_jupyterlab.py; do \
	  echo "    $$f"; $(BIN)/python -m pytest -q -p no:cacheprovider -m browser $$f || rc=1; done; exit $$rc

# Everything, in order. Every step runs even if an earlier one failed (except the browser tests,
# which need the book), then a summary; the exit status is non-zero if any step failed.
TEST_STEPS := lint test-unit nbval book slides test-browser
test: venv
	@failed=""; n=0; total=$$(echo $(TEST_STEPS) | wc -w); \
	for step in $(TEST_STEPS); do n=$$((n+1)); \
	  if { [ $$step = test-browser ] || [ $$step = slides ]; } && echo " $$failed " | grep -q " book "; then \
	    echo "==> [$$n/$$total] $$step: not run (the book did not build)"; failed="$$failed $$step"; continue; fi; \
	  echo "==> [$$n/$$total] make $$step"; t0=$$(date +%s); \
	  if $(MAKE) --no-print-directory $$step; then echo "==> $$step passed ($$(( $$(date +%s) - t0 )) s)"; \
	  else echo "==> $$step FAILED ($$(( $$(date +%s) - t0 )) s)"; failed="$$failed $$step"; fi; \
	done; \
	if [ -n "$$failed" ]; then echo "make test: FAILED:$$failed"; exit 1; fi; \
	echo "make test: all $$total steps passed"

clean:
	rm -rf _build .jupyter_cache vendor_static
