# The two commands a new user needs: `make proofs` and `make test`.
# Each creates .venv and installs the project into it when missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# `make proofs BUILD_FLAGS=--no-pdf` writes the .tex/.md sheets without compiling PDFs
BUILD_FLAGS ?=

.PHONY: proofs test test-fast lint fmt bench soundness pdf clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# check, replay, figures, sheets; PDFs too when latexmk and xelatex are installed
# (first: is the last build still up to date? then there is nothing to do)
proofs: $(STAMP)
	$(BIN)/python -m proofsheet.sheet.stamp $(BUILD_FLAGS) || \
	$(BIN)/python -m proofsheet.sheet.build $(BUILD_FLAGS)

# the linters first (seconds): ruff's rules and format, and the import-linter contracts;
# then the tests on every core, a test file per worker (the expensive builds are per file)
test: $(STAMP) lint
	$(BIN)/python -m pytest -n auto --dist loadfile

# the tests without the whole build, the hostile inputs and the fuzzing (for the edit loop)
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadfile -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# speed, the cold-run ratios to `import sympy` (including the whole suite), nested-σ depth
# scaling, 500 students graded locally and on a Dask LocalCluster, then the pair set against
# SymPy's simplify (and Math-Verify when installed: pip install -e '.[bench]'), then `check`
# step by step against simplify on proofsheet's and on latex2sympy2_extended's parse;
# `make bench BENCH_FLAGS=pairs` (or speed, floor, scaling, grade, steps) runs one
BENCH_FLAGS ?=
bench: $(STAMP)
	$(BIN)/python -m proofsheet.bench $(BENCH_FLAGS)

# the mutation campaign, hostile inputs and forgeries; fails on any lying verdict
# (figures in build/soundness.json; `SOUNDNESS_FLAGS=--every 10` for a quick slice)
SOUNDNESS_FLAGS ?=
soundness: $(STAMP)
	$(BIN)/python -m proofsheet.soundness $(SOUNDNESS_FLAGS)

# the PDFs are part of `make proofs`; this name is kept for habit
pdf: proofs

clean:
	rm -rf build
