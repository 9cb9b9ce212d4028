# The two commands: `make run` and `make test`. Both install what they need first.
SHELL := /bin/bash
# Python 3.12 on purpose (Mesa >= 3.4 needs it); found on PATH or in pyenv's versions.
PYTHON ?= $(shell for p in python3.12 /root/.pyenv/versions/3.12*/bin/python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12 python3.13 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
EXPERIMENT ?= experiments/default.toml

.PHONY: run test install browser bench bench-nl app

run: install
	$(BIN)/sim run $(EXPERIMENT)

# The advisers' what-if screen in the browser (sim app; Ctrl-C stops it). No internet needed.
app: install
	$(BIN)/sim app

test: install browser
	$(BIN)/python -m pytest -q

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: Python >= 3.12 not found (set PYTHON=/path/to/python3.12)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

# Headless Chromium renders report.html in the tests (Debian's package; needs root and apt).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "warning: could not install chromium; the report-rendering test will be skipped"; }

bench: install
	$(BIN)/sim bench --households 24000 --years 40
	$(BIN)/sim bench --households 24000 --years 40 --bare

# All Dutch households for 40 years: about 9 minutes and 1.6 GiB on one core.
bench-nl: install
	$(BIN)/sim bench --households 8200000 --years 40
