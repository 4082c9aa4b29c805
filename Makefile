# The two Quickstart commands: `make demo` and `make test`. Both work on a fresh machine
# with Python 3.11+: they create .venv when it is missing and install what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   ?= demo-workspace

.PHONY: demo test install dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[charts]"

dev: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'

demo: install
	$(BIN)/execbrief demo --out $(DEMO)

test: dev
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(DEMO) build src/*.egg-info .pytest_cache
