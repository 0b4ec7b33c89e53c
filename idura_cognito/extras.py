"""The optional parts of the install, and the one-line error a command gives when the part it needs is missing.

``idura-cognito`` alone renders HCL and runs Terraform (plan, deploy, destroy with ``--hcl``), the doctor, the
secret commands and adopt. Two extras add more:
- ``[cdktf]``: CDKTF and its prebuilt provider bindings (archived upstream; most of the install's size and time),
  for CDKTF stacks: ``synth`` and every command on a synthesized stack (no ``--hcl``), and ``demo``;
- ``[cdk-terrain]``: the same stacks on CDK Terrain, CDKTF's maintained fork (``cdktn``, AWS provider 6); with
  both installed, ``$IDURA_COGNITO_CDK`` chooses (cdk_choice.py);
- ``[local]``: the local emulators (moto for AWS, the Idura emulator) for ``demo``, ``local`` and ``emulator``.
"""

from __future__ import annotations

import importlib.util

from .errors import UsageError
from .stacks.cdk_choice import CDK_TERRAIN, CDKTF, chosen

#: extra -> the modules it brings (each checked by import spec, without importing it).
EXTRAS = {
    CDKTF.extra: CDKTF.modules,
    CDK_TERRAIN.extra: CDK_TERRAIN.modules,
    "local": ("moto", "starlette", "uvicorn", "trustme", "multipart"),
}
_WHY = {
    "cdktf": "synthesizes CDKTF stacks",
    "cdk-terrain": "synthesizes the stacks with CDK Terrain",
    "local": "runs the local emulators (moto and the Idura emulator)",
}


def missing(extra: str) -> list[str]:
    return [module for module in EXTRAS[extra] if importlib.util.find_spec(module) is None]


def require(extra: str, command: str, alternative: str = "") -> None:
    """One line naming the extra to install when a module of it is missing."""
    absent = missing(extra)
    if absent:
        instead = f", or {alternative}" if alternative else ""
        raise UsageError(
            f"{command} {_WHY[extra]} and needs the {extra} extra ({', '.join(absent)} not installed): "
            f"pip install 'idura-cognito[{extra}]' (pipx: pipx install --force 'idura-cognito[{extra}]'){instead}"
        )


def require_cdk(command: str, alternative: str = "") -> None:
    """The CDK this process synthesizes with (cdk_choice.chosen) must be installed."""
    require(chosen().extra, command, alternative)
