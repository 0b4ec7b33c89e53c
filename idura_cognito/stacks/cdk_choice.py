"""Which CDK the stacks run on: CDKTF (archived upstream, its last release 0.21) or CDK Terrain, its maintained
fork. The stack code is one; ``stacks/cdk.py`` is the only module that imports either.

Chosen by ``$IDURA_COGNITO_CDK`` (``cdktf`` or ``cdk-terrain``) when set, else by what is installed: CDKTF when
its extra is installed (nothing changes for CDKTF users), CDK Terrain when only its extra is. This module imports
neither: commands that never synthesize stay fast, and a missing extra is a one-line error (extras.py).

The choice belongs to the project, not to a shell: the two CDKs pin different AWS providers (5 and 6), and one
state planned by both would be rewritten back and forth. A project's ``cdktf.json`` records it
(``"context": {"idura-cognito:cdk": "cdktf"}``; `init` writes it, the first synth of an older project adds it and
says so): then that CDK is used, and a shell whose ``$IDURA_COGNITO_CDK`` names the other is refused, naming both.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ..errors import UsageError

CDK_ENV = "IDURA_COGNITO_CDK"
#: The key of cdktf.json's context that records the project's CDK.
RECORD_KEY = "idura-cognito:cdk"
PROJECT_FILE = "cdktf.json"


@dataclass(frozen=True)
class Cdk:
    name: str  # the value of $IDURA_COGNITO_CDK
    extra: str  # pip install 'idura-cognito[<extra>]'
    core: str  # the core module (App, TerraformStack, ...)
    aws: str  # the prebuilt AWS provider bindings
    external: str  # the prebuilt hashicorp/external bindings
    distributions: tuple[str, ...]  # whose versions reach the synthesized JSON (the synth cache's key)
    cli_package: str  # the npm package of its CLI
    cli: str  # the CLI's command
    aws_pinned: str  # the AWS provider version its bindings pin
    external_pinned: str

    @property
    def modules(self) -> tuple[str, ...]:
        return (self.core, self.aws, self.external, "jsii", "constructs")


CDKTF = Cdk(
    name="cdktf",
    extra="cdktf",
    core="cdktf",
    aws="cdktf_cdktf_provider_aws",
    external="cdktf_cdktf_provider_external",
    distributions=("cdktf", "cdktf-cdktf-provider-aws", "cdktf-cdktf-provider-external", "jsii", "constructs"),
    cli_package="cdktf-cli@0.21.0",
    cli="cdktf",
    aws_pinned="5.100.0",
    external_pinned="2.3.5",
)
CDK_TERRAIN = Cdk(
    name="cdk-terrain",
    extra="cdk-terrain",
    core="cdktn",
    aws="cdktn_provider_aws",
    external="cdktn_provider_external",
    distributions=("cdktn", "cdktn-provider-aws", "cdktn-provider-external", "jsii", "constructs"),
    cli_package="cdktn-cli@0.24.0",  # needs Node.js 22.19 or newer
    cli="cdktn",
    aws_pinned="6.69.1",
    external_pinned="2.4.2",
)
CHOICES = {cdk.name: cdk for cdk in (CDKTF, CDK_TERRAIN)}


@functools.cache  # metadata lookups scan sys.path: once per process (the warm synth path asks twice)
def installed(cdk: Cdk) -> bool:
    """Its distributions are installed (by metadata: a folder named ``cdktf`` beside an app is not a CDK)."""
    for name in cdk.distributions:
        try:
            metadata.distribution(name)
        except metadata.PackageNotFoundError:
            return False
    return True


_pinned: Cdk | None = None


def pin(cdk: Cdk) -> None:
    """stacks/cdk.py imported this CDK: from now on this process answers with it (the synth cache's key too),
    whatever the environment says later."""
    global _pinned
    _pinned = cdk


def chosen() -> Cdk:
    """The CDK this process synthesizes with (see the module's docstring)."""
    if _pinned is not None:
        return _pinned
    value = os.environ.get(CDK_ENV, "").strip()
    if value:
        if value not in CHOICES:
            raise UsageError(f"{CDK_ENV}={value[:40]!r} is not a CDK this tool runs on; allowed: {', '.join(CHOICES)}")
        return CHOICES[value]
    for cdk in (CDKTF, CDK_TERRAIN):
        if installed(cdk):
            return cdk
    return CDKTF  # neither: the error names the default extra


def recorded(folder: Path) -> str | None:
    """The CDK the project in ``folder`` records in its cdktf.json (None: no file, or no record)."""
    try:
        document = json.loads((folder / PROJECT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    context = document.get("context") if isinstance(document, dict) else None
    value = context.get(RECORD_KEY) if isinstance(context, dict) else None
    return value if isinstance(value, str) else None


def for_project(folder: Path, *, record: bool = False) -> Cdk:
    """The project's CDK: its record wins over what is installed; a ``$IDURA_COGNITO_CDK`` that names another is
    refused. With ``record``, a cdktf.json without a record gets the CDK chosen now (said on stderr)."""
    value = recorded(folder)
    if value is not None and value not in CHOICES:
        raise UsageError(
            f"{folder / PROJECT_FILE}: context {RECORD_KEY!r} is {value[:40]!r}; allowed: {', '.join(CHOICES)}"
        )
    asked = os.environ.get(CDK_ENV, "").strip()
    if value is not None and asked and asked != value:
        raise UsageError(
            f"this project runs on {value} ({folder / PROJECT_FILE}, context {RECORD_KEY}), but {CDK_ENV}={asked[:40]} "
            f"in this environment chooses {asked[:40]}: unset {CDK_ENV}, or move the project to the other CDK on "
            "purpose (docs/migrating.md) and change the record"
        )
    cdk = CHOICES[value] if value is not None else chosen()
    if value is None and record and (folder / PROJECT_FILE).is_file():
        _record(folder / PROJECT_FILE, cdk)
    return cdk


def _record(path: Path, cdk: Cdk) -> None:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # not ours to repair: the cdktf CLI says what is wrong with it
    if not isinstance(document, dict):
        return
    document.setdefault("context", {})[RECORD_KEY] = cdk.name
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"recorded this project's CDK ({cdk.name}) in {path} (context {RECORD_KEY}): commit it", file=sys.stderr)
