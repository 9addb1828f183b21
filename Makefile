# The two commands of the README's quick start are `make run` and `make test`.
# Each creates .venv when it is missing and installs what it needs.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000

.PHONY: run test test-e2e lint format translations bench clean help

help:
	@echo "make run    set up and run the wallet on embedded defaults (SQLite, embedded Redis, demo data)"
	@echo "make test   set up and run the test suite"
	@echo "make lint   ruff check, ruff format --check, mypy"
	@echo "make bench  verification throughput, ours against the reference validator, recommendations"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed, found " + sys.version' 
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed-run

translations: $(VENV)/.installed-run
	$(BIN)/wallet translations compile

run: $(VENV)/.installed-run translations
	$(BIN)/wallet db upgrade
	$(BIN)/wallet seed-demo
	PORT=$(PORT) $(BIN)/wallet run

test: $(VENV)/.installed-test translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check wallet tests bench migrations
	$(BIN)/ruff format --check wallet tests bench migrations
	$(BIN)/mypy

# bench/reference.py builds bench/.venv-openbadges on its first run (about a minute).
bench: $(VENV)/.installed-test
	$(BIN)/python bench/verify.py
	$(BIN)/python bench/reference.py
	$(BIN)/python -m bench.recommend

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix wallet tests bench migrations
	$(BIN)/ruff format wallet tests bench migrations

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
