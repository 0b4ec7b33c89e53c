#!/usr/bin/env bash
# `terraform validate` of the idura-cognito module, its submodule and each example, as pre-commit runs it.
# Uses TF_CLI_CONFIG_FILE when set, else the project's CLI config (a provider mirror when the machine has one).
# Examples in managed mode need hashicorp/external: from the registry, or from a mirror on offline machines.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${TF_CLI_CONFIG_FILE:-}" ] || [ ! -f "${TF_CLI_CONFIG_FILE}" ]; then
  TF_CLI_CONFIG_FILE=$(idura-cognito terraformrc --out .terraform.d/cli.tfrc)
  export TF_CLI_CONFIG_FILE
fi
export CHECKPOINT_DISABLE=1
status=0
for dir in modules/idura-cognito modules/idura-cognito/modules/idura-application modules/idura-cognito/examples/*/; do
  if ! out=$(terraform -chdir="$dir" init -backend=false -input=false -no-color 2>&1) ||
     ! out=$(terraform -chdir="$dir" validate -no-color 2>&1); then
    echo "terraform validate failed in $dir:" >&2
    echo "$out" | sed 's/^/  /' >&2
    status=1
  fi
done
exit $status
