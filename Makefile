# The two commands a new user needs: `make proofs` and `make test`.
# Each creates .venv and installs the project into it when missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: proofs test bench pdf clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

proofs: $(STAMP)
	$(BIN)/python -m proofsheet.build

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m proofsheet.bench

pdf: proofs

clean:
	rm -rf build
