"""The environment variables the Idura side reads, each named once (standard library only).

Credentials and switches come from the environment, never from Terraform's ``query`` (stored in state).
"""

from __future__ import annotations

import json
import os
import stat
import time

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
#: Set by `idura-cognito deploy` for the one run it lets change Idura, after the plan was reviewed: the path of a
#: grant it wrote for that run (a file of mode 0600 in a private folder, removed when the run ends) naming the
#: changes the reviewed plan announced and a digest of the inputs they were announced for. The program carries out
#: those changes, for exactly those inputs, or none (application.py). A shell cannot export one by accident: a
#: name that outlives its run names no file, and the program then refuses to run at all.
DEPLOY_GRANT = "IDURA_COGNITO_DEPLOY_GRANT"
#: A CDKTF stack runs its program with this flag: then only a grant lets it change Idura (never the switch alone),
#: because `cdktf diff` and `cdktf deploy` plan and apply in one go, before any review.
DEPLOY_ONLY_FLAG = "--changes-only-in-idura-cognito-deploy"
#: How long a grant is good for after deploy wrote it: the allowed plan follows the approval at once.
GRANT_SECONDS = 3600
MAX_GRANT_BYTES = 64 * 1024
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
    DEPLOY_GRANT,
    TFC_BRANCH,
)


class SwitchError(ValueError):
    """The allow-changes switch holds a value that is neither on, off nor a branch condition."""


class GrantError(ValueError):
    """The deploy grant is missing, unsafe, expired or malformed: the run must not change anything."""


def load_grant(path: str, now: float | None = None) -> dict:
    """The grant deploy wrote for this run: ``{"digest", "intent", "expires"}``. Only a regular file of
    this user, readable by nobody else, is trusted (never through a link); anything else raises GrantError."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        raise GrantError(
            f"{DEPLOY_GRANT} names no grant (only `idura-cognito deploy` writes one, for one run, and removes it): "
            "unset it; nothing was changed"
        ) from None
    except OSError as exc:
        raise GrantError(f"{DEPLOY_GRANT}: the grant cannot be opened ({exc.strerror or type(exc).__name__})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o077 or info.st_uid != os.getuid():
            raise GrantError(f"{DEPLOY_GRANT}: the grant is not a private file of this user; nothing was changed")
        raw = os.read(fd, MAX_GRANT_BYTES + 1)
    finally:
        os.close(fd)
    try:
        grant = json.loads(raw.decode("utf-8")) if len(raw) <= MAX_GRANT_BYTES else None
    except (UnicodeDecodeError, ValueError):
        grant = None
    valid = (
        isinstance(grant, dict)
        and isinstance(grant.get("digest"), str)
        and isinstance(grant.get("expires"), (int, float))
        and isinstance(grant.get("intent"), list)
        and all(isinstance(i, list) and len(i) == 2 and all(isinstance(p, str) for p in i) for i in grant["intent"])
    )
    if not valid:
        raise GrantError(f"{DEPLOY_GRANT}: the grant is malformed; nothing was changed")
    if grant["expires"] < (time.time() if now is None else now):
        raise GrantError(f"{DEPLOY_GRANT}: the grant has expired; run `idura-cognito deploy` again")
    return grant


def claim_grant(path: str) -> None:
    """Use the grant up before the first change: a second run with the same grant finds none (one time)."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        raise GrantError(f"{DEPLOY_GRANT}: the grant was used by another run; nothing was changed") from None


def changes_allowed(environ: dict[str, str] | None = None, *, deploy_only: bool = False) -> bool:
    """Whether this run may change Idura by the switch: ``true``/``1`` always; ``branch:<name>`` only in a Terraform
    Cloud run whose configuration came from that branch (pull request plans come from their own branch); unset,
    ``false`` or ``0``: never. ``deploy_only`` (a CDKTF stack): never by the switch, only by a deploy grant."""
    env = os.environ if environ is None else environ
    value = "" if deploy_only else env.get(ALLOW_CHANGES, "").strip()
    if value.lower() in ("", "0", "false", "no"):
        return False
    if value.lower() in ("1", "true", "yes"):
        return True
    if value.startswith("branch:") and value[len("branch:") :]:
        return env.get(TFC_BRANCH, "") == value[len("branch:") :]
    raise SwitchError(
        f"{ALLOW_CHANGES} must be true, false or branch:<git branch>; got a value of {len(value)} characters"
    )
