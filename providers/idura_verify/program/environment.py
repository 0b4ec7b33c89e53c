"""The environment variables the Idura side reads, each named once (standard library only).

Credentials and switches come from the environment, never from Terraform's ``query`` (stored in state).
"""

from __future__ import annotations

import os

MANAGEMENT_URL = "IDURA_MANAGEMENT_URL"
MANAGEMENT_TOKEN = "IDURA_MANAGEMENT_TOKEN"  # noqa: S105 - a variable's name
#: The Idura tenant that owns the domain: the management API lists a tenant's domains (discovery.py).
MANAGEMENT_TENANT = "IDURA_MANAGEMENT_TENANT"
#: A PEM file of CAs trusted in addition to the default ones (a private CA, the emulator's test CA).
CA_BUNDLE = "IDURA_CA_BUNDLE"
#: Per-attempt read timeout and total deadline per call, in seconds.
MANAGEMENT_TIMEOUT = "IDURA_MANAGEMENT_TIMEOUT"
MANAGEMENT_DEADLINE = "IDURA_MANAGEMENT_DEADLINE"
#: The switch that lets a run change Idura (create, update, issue a secret). Unset: every run only reads.
ALLOW_CHANGES = "IDURA_MANAGEMENT_ALLOW_CHANGES"
#: Set by `idura-cognito deploy` for the run it lets change Idura, after the plan was reviewed. A CDKTF stack runs
#: its program with DEPLOY_ONLY_FLAG: there the switch counts only together with this, because `cdktf diff` and
#: `cdktf deploy` plan and apply in one go (a switch in their environment would change Idura before any review).
DEPLOY_RUN = "IDURA_COGNITO_DEPLOY_RUN"
DEPLOY_ONLY_FLAG = "--changes-only-in-idura-cognito-deploy"
#: Terraform Cloud / HCP Terraform sets this in every run: the branch the configuration came from.
TFC_BRANCH = "TFC_CONFIGURATION_VERSION_GIT_BRANCH"
#: The local emulator's management token (never on a command line).
EMULATOR_TOKEN = "IDURA_EMULATOR_TOKEN"  # noqa: S105 - a variable's name
#: The one tenant the local emulator serves (what IDURA_MANAGEMENT_TENANT is set to for it).
EMULATOR_TENANT = "idura-cognito-emulator"

#: Every variable the external program reads: what Terraform's environment must pass through to it.
PROGRAM_VARIABLES = (
    MANAGEMENT_URL,
    MANAGEMENT_TOKEN,
    MANAGEMENT_TENANT,
    CA_BUNDLE,
    MANAGEMENT_TIMEOUT,
    MANAGEMENT_DEADLINE,
    ALLOW_CHANGES,
    TFC_BRANCH,
)


class SwitchError(ValueError):
    """The allow-changes switch holds a value that is neither on, off nor a branch condition."""


def changes_allowed(environ: dict[str, str] | None = None, *, deploy_only: bool = False) -> bool:
    """Whether this run may change Idura: ``true``/``1`` always; ``branch:<name>`` only in a Terraform Cloud run
    whose configuration came from that branch (pull request plans come from their own branch); unset,
    ``false`` or ``0``: never. ``deploy_only`` (a CDKTF stack): never outside a run of `idura-cognito deploy`."""
    env = os.environ if environ is None else environ
    value = env.get(ALLOW_CHANGES, "").strip()
    if deploy_only and env.get(DEPLOY_RUN) != "1":
        value = ""  # the cdktf CLI (or a hand-run terraform) in a synthesized stack: read only, whatever is set
    if value.lower() in ("", "0", "false", "no"):
        return False
    if value.lower() in ("1", "true", "yes"):
        return True
    if value.startswith("branch:") and value[len("branch:") :]:
        return env.get(TFC_BRANCH, "") == value[len("branch:") :]
    raise SwitchError(
        f"{ALLOW_CHANGES} must be true, false or branch:<git branch>; got a value of {len(value)} characters"
    )
