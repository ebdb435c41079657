PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.setup-stamp
export SOC2GAP_DATA_DIR ?= $(CURDIR)/.data
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup run test lint typecheck pytest bench clean eval

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch 2.13.0 CPU is the build this machine carries; pinning it first keeps pip from a CUDA download.
	$(BIN)/pip install -q "torch==2.13.0"
	# compat mode puts the checkout on the path, so packages added later import without a reinstall.
	$(BIN)/pip install -q -e ".[embeddings,postgres,dev]" --config-settings editable_mode=compat
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/soc2-gap serve --bootstrap

test: setup lint typecheck pytest eval

lint: setup
	$(BIN)/ruff check agent server evals tests bench
	$(BIN)/ruff format --check agent server evals tests bench

typecheck: setup
	$(BIN)/mypy agent server

pytest: setup
	$(BIN)/pytest -q

eval: setup
	$(BIN)/soc2-gap eval retrieval --queries evals/retrieval/queries.yaml --json bench/results/retrieval-eval.json
	$(BIN)/soc2-gap eval scoring --fixtures evals/fixtures --json bench/results/scoring-eval.json

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .data
