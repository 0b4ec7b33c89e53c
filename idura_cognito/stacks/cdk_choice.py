"""Which CDK the stacks run on: CDKTF (archived upstream, its last release 0.21) or CDK Terrain, its maintained
fork. The stack code is one; ``stacks/cdk.py`` is the only module that imports either.

Chosen by ``$IDURA_COGNITO_CDK`` (``cdktf`` or ``cdk-terrain``) when set, else by what is installed: CDKTF when
its extra is installed (nothing changes for CDKTF users), CDK Terrain when only its extra is. This module imports
neither: commands that never synthesize stay fast, and a missing extra is a one-line error (extras.py).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from importlib import metadata

from ..errors import UsageError

CDK_ENV = "IDURA_COGNITO_CDK"


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
