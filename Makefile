# The two commands: `make run` and `make test`. Both install what they need first.
SHELL := /bin/bash
# Python 3.12 on purpose (Mesa >= 3.4 needs it); found on PATH or in pyenv's versions.
PYTHON ?= $(shell for p in python3.12 /root/.pyenv/versions/3.12*/bin/python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12 python3.13 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
EXPERIMENT ?= experiments/default.toml

.PHONY: run test install browser bench bench-nl bench-sweep bench-dask app

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

# The four speed figures beside their targets, one table (sim/bench; about 2 minutes on an idle
# 2-core machine): short stand-ins for the two long ones, beside their last full runs as recorded
# in docs/bench-record.json by the targets below.
bench: install
	$(BIN)/sim bench --table

# All Dutch households (8.2 M) for 40 years, in full, recorded: about 10 minutes and 2 GiB.
bench-nl: install
	$(BIN)/sim bench --nl

# The Olst-Wijhe Sobol sweep (7,193 evaluations) in full on 2 workers, recorded; its results folder is kept.
bench-sweep: install
	$(BIN)/sim bench --sweep full

# One Dask worker against two (LocalCluster) on the same 56 sweep evaluations (four design blocks), recorded.
bench-dask: install
	$(BIN)/sim bench --dask-scaling
