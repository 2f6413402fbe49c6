# The two commands of the README's quick start: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test build lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps make re-installs happen only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

serve: $(VENV)/.installed
	$(BIN)/mkdocs serve -a 127.0.0.1:8000

build: $(VENV)/.installed
	$(BIN)/mkdocs build --strict

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check mkdocs_sysdesign tests bench
	$(BIN)/mypy

clean:
	rm -rf site build .pytest_cache

# The benchmark (bench/README.md): plain Material against the plugin, every suite.
# Options go in BENCH_ARGS, for example `make bench BENCH_ARGS=--quick`.
.PHONY: bench
bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py $(BENCH_ARGS)
