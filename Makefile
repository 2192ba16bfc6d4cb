# Two commands do everything on a fresh machine: `make book` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv book test test-fast lint clean

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@echo "==> creating $(VENV) and installing pinned requirements (torch==2.13.0 CPU from local disk)"
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt 2>&1 | grep -v "is ignored" || true
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e . 2>&1 | grep -v "is ignored" || true
	$(BIN)/python -c "import torch, keras, torchinfo, myst_nb, nbval, cnnlib; assert torch.__version__.startswith('2.13.0'), torch.__version__"
	$(BIN)/python -m ipykernel install --sys-prefix --name cnnlib --display-name "Python (cnnlib)" >/dev/null
	touch $(STAMP)

test-fast: venv
	$(BIN)/python -m pytest -q tests -m "not browser and not slow"

lint: venv
	$(BIN)/ruff check cnnlib tests bench

clean:
	rm -rf _build .jupyter_cache
