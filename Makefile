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
# The repository's own config is the embedded demo's (it ships with the tool); a user's is ./idura-cognito.toml.
DEMO_CONFIG := idura_cognito/demo/idura-cognito.toml

.PHONY: install demo test test-fast test-upgrade lint fmt generate synth hcl plan deploy destroy bench clean

install: $(VENV)/.installed node_modules/.installed
	@$(BIN)/idura-cognito terraformrc --out $(TFRC) >/dev/null

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -c constraints.txt -e '.[cdktf,cdk-terrain,local,test]' 2>&1 | { grep -v 'is ignored: it is neither' || true; }
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

demo: install
	$(BIN)/idura-cognito demo --config $(DEMO_CONFIG) --stack $(STACK)

# Two workers; each test file stays on one worker (see tests/conftest.py), so its Terraform scenario runs once.
# The run ends with the number of Terraform invocations.
test: install lint
	$(BIN)/pytest -q -n 2 --dist loadgroup --no-loadscope-reorder -m "not upgrade"

# The inner loop: everything that does not start terraform (under a minute). Three workers: these tests mostly
# wait (faults, timeouts), so a third worker fills the gaps; the Terraform suite is CPU-bound and a third gains
# nothing there.
test-fast: install
	$(BIN)/pytest -q -n 3 --dist loadgroup --no-loadscope-reorder -m "not terraform"

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	terraform fmt -check -recursive modules
	$(BIN)/python -m devtools.generate --check

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	terraform fmt -recursive modules

# Upgrading from the previous release (CHANGELOG.md names its commit): deploy with it, upgrade to this tree, plan.
# It builds that release and deploys eight times (about 2 minutes), so it runs beside `make test`; CI runs both.
test-upgrade: install
	$(BIN)/pytest -q -m upgrade tests/upgrade

# Regenerate the module's generated files (variables.tf, outputs.tf, versions.tf, names.tf, README tables).
generate: install
	$(BIN)/python -m devtools.generate

synth: install
	IDURA_COGNITO_CONFIG=$(DEMO_CONFIG) $(BIN)/python main.py

hcl: install
	$(BIN)/idura-cognito hcl --config $(DEMO_CONFIG) --stack $(STACK) --out build/hcl/$(STACK)

plan: install
	$(BIN)/idura-cognito plan --config $(DEMO_CONFIG) --stack $(STACK)

bench: install
	$(BIN)/python bench/run.py

deploy: install
	$(BIN)/idura-cognito deploy --config $(DEMO_CONFIG) --stack $(STACK)

destroy: install
	$(BIN)/idura-cognito destroy --config $(DEMO_CONFIG) --stack $(STACK)

clean:
	rm -rf cdktf.out .demo .terraform.d .idura-cognito .pytest_cache .ruff_cache build dist
