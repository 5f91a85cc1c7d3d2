# Two commands a new user needs (README): `make run` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-loaded test-heavy lint typecheck check bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
# Bytecode now, once: where PYTHONDONTWRITEBYTECODE is set (many containers) no start writes it,
# so every start would compile the package again.
	$(BIN)/python -m compileall -q ethicsdesk
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/ethicsdesk

# Two workers (pytest-xdist), one a core; worksteal hands a worker that is done the queue of the other, so
# the slow tests at the end of one module do not leave a core idle. Each worker isolates its own
# databases, tmux sockets, ports and homes (tests/conftest.py). The 15 slowest tests are listed at the end.
# pytest exits 5 when it collected no test: that is a failure here, not a pass.
WORKERS ?= 2
test: $(STAMP)
	$(BIN)/python -m pytest -q -n $(WORKERS) --dist worksteal --durations=15; code=$$?; \
	if [ $$code -eq 5 ]; then echo "no tests were collected: failing"; exit 1; fi; exit $$code

# The suite beside a busy loop on every core (bench/busy_load.sh), as on a shared CI machine: a test
# that passes only on an idle machine fails here.
test-loaded: $(STAMP)
	bench/busy_load.sh run $(MAKE) test

# The reliability tests with their heavy figures (ETHICSDESK_HEAVY=1: 120 SIGKILLs, 10,000 generated
# files a fuzz test, ...; tests/reliability/conftest.py), by hand before a release: many times longer than `make test`.
test-heavy: $(STAMP)
	ETHICSDESK_HEAVY=1 $(BIN)/python -m pytest -q -n $(WORKERS) --dist worksteal --durations=15 tests/reliability

# ruff, then the layers of the house (import-linter contracts in pyproject.toml, [tool.importlinter]).
lint: $(STAMP)
	$(BIN)/ruff check ethicsdesk tests
	$(BIN)/lint-imports

# The package and its tests, in one run (the tests' helpers and fixtures are code that can be wrong too).
typecheck: $(STAMP)
	$(BIN)/python -m mypy -p ethicsdesk -p tests

check: lint typecheck test

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

bench: $(STAMP)
	$(BIN)/python -m compileall -q ethicsdesk
	$(BIN)/python bench/run.py
