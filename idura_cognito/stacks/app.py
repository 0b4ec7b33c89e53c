"""Build and synthesize the CDKTF app: one stack per environment of the config."""

from __future__ import annotations

from pathlib import Path

from cdktf import App

from ..config.model import ProjectConfig
from .environment import IduraCognitoStack


def build_app(config: ProjectConfig, outdir: str | Path | None = None, stacks: list[str] | None = None) -> App:
    # outdir None: CDKTF's own choice ($CDKTF_OUTDIR when the cdktf CLI runs us, else ./cdktf.out).
    app = App(outdir=None if outdir is None else str(outdir))
    for name in stacks or sorted(config.stacks):
        IduraCognitoStack(app, config.stack(name))
    return app


def synth(config: ProjectConfig, outdir: str | Path | None = None, stacks: list[str] | None = None) -> Path:
    """Write ``<outdir>/stacks/<env>/cdk.tf.json`` for each environment and return ``outdir``."""
    app = build_app(config, outdir, stacks)
    app.synth()
    return Path(app.outdir)
