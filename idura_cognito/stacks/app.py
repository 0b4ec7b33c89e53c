"""Build and synthesize the CDKTF app: one stack per environment of the config.

CDKTF writes ``<outdir>/stacks/<env>/cdk.tf.json`` and, for a managed stack, the external program as the stack's
asset next to it: the stack folder is self-contained like a rendered HCL root.
"""

from __future__ import annotations

from pathlib import Path

from ..config.model import ProjectConfig
from .cdk import App
from .stack import IduraCognitoStack


def build_app(config: ProjectConfig, outdir: Path, stacks: list[str]) -> App:
    app = App(outdir=str(outdir))
    for name in stacks:
        # Its own synthesized folder is the one `idura-cognito deploy --stack <env>` runs: no --stack-dir.
        deploy = f"idura-cognito deploy --stack {name}"
        IduraCognitoStack(app, name, config.stack(name), project_dir=config.project_dir, deploy_command=deploy)
    return app


def synth(config: ProjectConfig, outdir: Path, stacks: list[str] | None = None) -> Path:
    """Write ``<outdir>/stacks/<env>/cdk.tf.json`` (and the program, managed mode) for each environment.

    The caller decides the folder (synth_cache.py applies CDKTF's default, ``$CDKTF_OUTDIR`` or ``cdktf.out``)."""
    names = stacks or sorted(config.stacks)
    build_app(config, outdir, names).synth()
    return outdir
