"""Where things are: the checkout, the installed console script, the shipped demo config, and the environment
variables through which the session's Terraform wrapper (tests/conftest.py) is found."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: The embedded demo's config (it ships with the tool).
DEMO_CONFIG = ROOT / "idura_cognito" / "demo" / "idura-cognito.toml"
BIN = Path(sys.executable).parent
CLI = str(BIN / "idura-cognito")
#: The log the counting Terraform wrapper appends one line per invocation to (set for the whole session).
COUNT_ENV = "IDURA_COGNITO_TEST_TERRAFORM_LOG"
#: A folder whose `terraform` counts but never reattaches: Terraform launches its plugins as on a user's machine.
PLAIN_TERRAFORM_ENV = "IDURA_COGNITO_TEST_PLAIN_TERRAFORM"
