# The two commands of the README's quick start are `make run` and `make test`.
# Each creates .venv when it is missing and installs what it needs.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000

.PHONY: run test test-e2e lint format translations bench bench-quick load clean help

help:
	@echo "make run    set up and run the wallet on embedded defaults (SQLite, embedded Redis, demo data)"
	@echo "make test   set up and run the test suite"
	@echo "make lint   ruff check, ruff format --check, mypy"
	@echo "make bench  every benchmark of bench/ in one table (BENCH_ARGS=--quick, --only awards,pages)"
	@echo "make load   locust load test on PostgreSQL + Redis (DATABASE_URL, REDIS_URL; LOAD_ARGS)"

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

$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@touch $@

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

# Every benchmark of bench/ (verify, reference, awards, pages, events, recommend) as one table;
# SQLite unless DATABASE_URL is set. bench/reference.py builds bench/.venv-openbadges on its first
# run (about a minute). A full run takes about 5 minutes on SQLite, --quick about 4 (the awards
# bench is what --quick shortens most; on PostgreSQL a full run of awards alone takes 2 minutes).
bench: $(VENV)/.installed-test translations
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

bench-quick: $(VENV)/.installed-test translations
	$(BIN)/python bench/run_all.py --quick $(BENCH_ARGS)

# 200 locust users for 60 s against gunicorn's production settings on PostgreSQL + Redis.
LOAD_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/wallet_load
LOAD_REDIS_URL    ?= redis://127.0.0.1:6379/14
load: $(VENV)/.installed-bench translations
	DATABASE_URL=$${DATABASE_URL:-$(LOAD_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(LOAD_REDIS_URL)} \
		PYTHONPATH=. $(BIN)/python bench/load.py $(LOAD_ARGS)

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix wallet tests bench migrations
	$(BIN)/ruff format wallet tests bench migrations

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
