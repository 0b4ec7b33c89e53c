# The verbs of idura-cognito. Every target installs what it needs first (`make install` is a no-op when up to date).
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
STACK ?= demo
TFRC := $(CURDIR)/.terraform.d/cli.tfrc

export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export CHECKPOINT_DISABLE := 1
export TF_CLI_CONFIG_FILE := $(TFRC)
export PATH := $(CURDIR)/$(BIN):$(PATH)

# `cdktf deploy` runs `terraform providers lock`, which needs the registry; skip it when providers come from a mirror.
SKIP_LOCK = $$(grep -q filesystem_mirror $(TFRC) 2>/dev/null && echo --skip-provider-lock)

.PHONY: install demo test test-unit lint fmt synth hcl deploy destroy bench docs clean

install: $(VENV)/.installed node_modules/.installed
	@$(BIN)/idura-cognito terraformrc --out $(TFRC) >/dev/null

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -e '.[local,test]' 2>&1 | { grep -v 'is ignored: it is neither' || true; }
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

demo: install
	$(BIN)/idura-cognito demo --stack $(STACK)

# Two workers; each test file stays on one worker (see tests/conftest.py), so its Terraform scenario runs once.
test: install lint
	$(BIN)/pytest -q -n 2 --dist loadgroup

test-unit: install
	$(BIN)/pytest -q -m "not integration"

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	terraform fmt -check -recursive modules

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	terraform fmt -recursive modules

synth: install
	$(BIN)/python main.py

hcl: install
	$(BIN)/idura-cognito hcl --stack $(STACK) --out build/hcl/$(STACK)

bench: install
	$(BIN)/python bench/run.py

docs: install
	$(BIN)/idura-cognito module-docs

deploy: install
	npx cdktf deploy $(STACK) --auto-approve $(SKIP_LOCK)

destroy: install
	npx cdktf destroy $(STACK) --auto-approve $(SKIP_LOCK)

clean:
	rm -rf cdktf.out .demo .terraform.d .pytest_cache .ruff_cache build
