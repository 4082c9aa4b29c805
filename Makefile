# The two Quickstart commands: `make demo` and `make test`. Both work on a fresh machine
# with Python 3.11+: they create .venv when it is missing and install what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   ?= demo-workspace

.PHONY: demo test fuzz llm-local install dev clean

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

# The fuzz suite at length: many more examples than `make test` runs, a fresh seed each time,
# failures kept in .hypothesis/ and replayed first (tests/fuzz/fuzzing.py has the profiles).
fuzz: dev
	HYPOTHESIS_PROFILE=long $(BIN)/python -m pytest tests/fuzz -p no:cacheprovider

# The LLM writer against a real local model server (not in CI): start llama-server, Ollama or
# vLLM first; LLM_LOCAL_URL (default http://127.0.0.1:8080/v1) and LLM_LOCAL_MODEL pick it.
# With no server there it says so and succeeds.
# a real small model on this machine (builds llama-cpp-python's server, ~13 min once; not in CI);
# LLM_LOCAL_URL=http://host:port/v1 measures a server you started instead
llm-local: dev
	$(BIN)/python bench/llm_local.py $(if $(LLM_LOCAL_URL),,--serve)

clean:
	rm -rf $(VENV) $(DEMO) build src/*.egg-info .pytest_cache .hypothesis
