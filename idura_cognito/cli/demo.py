"""``idura-cognito demo``: deploy a stack to a local moto server, end to end, with nothing to set up.

The embedded default: no AWS or Idura account needed. The stack must name an ``aws.endpoint_url`` (the demo
replaces it with the port it started moto on). A fresh moto starts empty, so every run starts from an empty
state and ends with the same result.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import secrets
import shutil
from pathlib import Path

from .. import escrow
from ..aws import aws_client, describe_aws_error
from ..config import load_config
from ..config.model import BackendSettings, ProjectConfig, StackConfig
from ..emulators.processes import running_moto
from ..errors import CommandError, UsageError
from ..terraform import Terraform
from . import options
from .progress import Progress

DEMO_DIR = Path(".demo")


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "demo",
        help="deploy a stack to a local moto server and print the outputs",
        description="Start moto server on a free port, synthesize the stack against it, escrow a generated "
        "client secret, apply with the real terraform and AWS provider, print the outputs, stop moto.",
    )
    options.add_config(parser)
    parser.add_argument("--stack", default="demo", metavar="ENV", help="environment to deploy (default: demo)")
    parser.add_argument("--quiet", action="store_true", help="print only the outputs")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    stack = load_config(args.config).stack(args.stack)
    if stack.aws.endpoint_url is None:
        raise UsageError(
            f"stacks.{stack.name}.aws.endpoint_url is not set: the demo only runs against local "
            "emulators; use `idura-cognito synth` and `cdktf deploy` for real AWS"
        )
    progress = Progress(quiet=args.quiet)
    workdir = DEMO_DIR.resolve()
    shutil.rmtree(workdir, ignore_errors=True)  # a fresh moto has nothing of an earlier state
    # moto accepts any credentials; never fall through to a real AWS profile.
    os.environ.update(AWS_ACCESS_KEY_ID="demo", AWS_SECRET_ACCESS_KEY="demo")  # noqa: S105
    os.environ.pop("AWS_PROFILE", None)
    os.environ.pop("AWS_SESSION_TOKEN", None)

    with running_moto(workdir / "logs") as moto:
        progress.info(f"==> moto server (local AWS) at {moto.url}")
        local = _localize(stack, moto.url, workdir)
        with progress.step(f"synthesizing stack {stack.name}"):
            from ..stacks.app import synth

            outdir = synth(ProjectConfig(source="demo", stacks={local.name: local}), workdir / "cdktf.out")
        with progress.step("escrowing a generated client secret (hand-registered mode)"):
            secret = secrets.token_urlsafe(32)
            try:
                escrow.put_secret(aws_client("secretsmanager", local.aws), local, secret)
            except Exception as exc:  # noqa: BLE001 - one line, never the request
                raise CommandError(f"cannot write the escrow: {describe_aws_error(exc)}") from None
        terraform = Terraform.for_stack(outdir / "stacks" / local.name)
        with progress.step("terraform init"):
            terraform.init()
        with progress.step("terraform apply"):
            terraform.apply()
        with progress.step("checking that Cognito holds the escrowed secret"):
            outputs = terraform.outputs()
            _check_cognito_secret(local, str(outputs["user_pool_id"]), secret)
        _print_outputs(local, outputs)
    return 0


def _localize(stack: StackConfig, endpoint_url: str, workdir: Path) -> StackConfig:
    return dataclasses.replace(
        stack,
        aws=dataclasses.replace(stack.aws, endpoint_url=endpoint_url),
        backend=BackendSettings(type="local", path=str(workdir / f"terraform.{stack.name}.tfstate")),
    )


def _check_cognito_secret(stack: StackConfig, user_pool_id: str, secret: str) -> None:
    cognito = aws_client("cognito-idp", stack.aws)
    for name in stack.idp_names:
        details = cognito.describe_identity_provider(UserPoolId=user_pool_id, ProviderName=name)
        held = details["IdentityProvider"]["ProviderDetails"].get("client_secret", "")
        if escrow.digest(held) != escrow.digest(secret):
            raise CommandError(f"identity provider {name} does not hold the escrowed secret")


def _print_outputs(stack: StackConfig, outputs: dict[str, object]) -> None:
    print(f"\nStack {stack.name} is deployed to the local moto server.\n")
    print(f"  user pool id        {outputs['user_pool_id']}")
    print(f"  app client id       {outputs['app_client_id']}")
    print(f"  issuer              {outputs['issuer']}")
    print(f"  register at Idura   {outputs['idura_redirect_url']}")
    print(f"  escrow              {outputs['escrow_secret_name']} (secret generated, never printed)")
    print("  hosted login URLs:")
    for name, url in dict(outputs["hosted_login_urls"]).items():  # type: ignore[call-overload]
        print(f"    {name:<12} {url}")
