# ZoneDesk: `make demo` and `make test` work on a fresh machine with Python >= 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ZD := $(BIN)/zonedesk
HOST ?= 127.0.0.1:8000

.PHONY: demo test bench bench-load lint format install messages clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(ZD) migrate --noinput
	$(ZD) demo
	@echo "ZoneDesk: http://$(HOST)/  (Ctrl-C stops the server and the worker)"
	@trap 'kill 0' INT TERM EXIT; $(ZD) worker --quiet & $(ZD) runserver --noreload $(HOST)

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

$(VENV)/.bench: pyproject.toml | $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test,bench]'
	touch $@

bench: install $(VENV)/.bench
	$(BIN)/python -m bench

# 40 concurrent clients for 30 s against a real server (docs/performance.md).
bench-load: install
	$(BIN)/python -m bench load

lint: install
	$(BIN)/ruff check zonedesk bench
	$(BIN)/ruff format --check zonedesk bench

format: install
	$(BIN)/ruff check --fix zonedesk bench
	$(BIN)/ruff format zonedesk bench

messages: install
	cd zonedesk && ../$(ZD) makemessages -l en --no-obsolete && ../$(ZD) compilemessages -l en

clean:
	rm -rf $(VENV) var build *.egg-info
