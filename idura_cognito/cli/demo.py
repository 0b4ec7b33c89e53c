"""``idura-cognito demo``: the whole product on a laptop, with no AWS or Idura account.

Starts moto server (AWS) and the Idura emulator on free ports, points the stack at them (its
``aws.endpoint_url`` and ``idura.domain`` are replaced), synthesizes it, applies it with the real terraform and
AWS provider (the apply may change the emulated Idura), logs in through every identity provider exactly as
Cognito would, checks that a second, read-only plan has no changes, and prints the outputs. Everything starts
empty, so every run ends with the same result.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import secrets
import shutil
import ssl
from pathlib import Path
from typing import TYPE_CHECKING

from idura_verify.program import environment

from .. import escrow
from ..aws import aws_client, describe_aws_error
from ..config import config_path
from ..config.model import BackendSettings, ProjectConfig, StackConfig
from ..errors import CommandError, UsageError
from ..terraform import environment as terraform_environment
from ..terraform.runner import Terraform
from . import options, workflow
from .deploy import deploy
from .progress import Progress

if TYPE_CHECKING:  # the local part is imported when the demo runs, never when the CLI starts
    from ..local.processes import IduraEmulator, LocalServer

DEMO_DIR = Path(".demo")
#: The demo's config, shipped with the tool: used in a folder without an idura-cognito.toml of its own.
EMBEDDED_CONFIG = Path(__file__).resolve().parent.parent / "demo" / "idura-cognito.toml"
EXTERNAL = "registry.terraform.io/hashicorp/external"


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "demo",
        help="deploy a stack to local emulators (moto, Idura emulator), log in, print the outputs",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    options.add_config(parser)
    parser.add_argument("--stack", default="demo", metavar="ENV", help="environment to deploy (default: demo)")
    parser.add_argument("--quiet", action="store_true", help="print only the outputs")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from .. import extras

    extras.require("local", "demo")
    extras.require_cdk("demo")
    from ..local.processes import start_idura_emulator, start_moto

    if args.config is None and not config_path().is_file():
        args.config = str(EMBEDDED_CONFIG)  # any folder: the demo config that ships with the tool
    config, stack = options.load_stack(args)
    if stack.aws.endpoint_url is None:
        raise UsageError(
            f"stacks.{stack.name}.aws.endpoint_url is not set: the demo only runs against local emulators; "
            "use `idura-cognito synth` and `cdktf deploy` for real AWS"
        )
    progress = Progress(quiet=args.quiet)
    workdir = DEMO_DIR.resolve()
    shutil.rmtree(workdir, ignore_errors=True)  # fresh emulators know nothing of an earlier state
    # moto accepts any credentials; never fall through to a real AWS profile.
    os.environ.update(AWS_ACCESS_KEY_ID="demo", AWS_SECRET_ACCESS_KEY="demo")  # noqa: S105
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        os.environ.pop(name, None)

    servers: list[LocalServer] = []
    try:
        with progress.step("starting moto server (AWS) and the Idura emulator"):
            moto = start_moto(workdir / "logs")
            servers.append(moto)
            idura = start_idura_emulator(workdir / "idura", token=secrets.token_urlsafe(24))
            servers.append(idura.server)
        progress.info(f"    moto at {moto.url}, Idura emulator at {idura.base_url}")
        local = _localize(stack, moto.url, idura.domain, workdir)
        _deploy(local, config.source, idura, workdir, progress)
    finally:
        for server in servers:
            server.stop()
    return 0


def _deploy(stack: StackConfig, source: str, idura: IduraEmulator, workdir: Path, progress: Progress) -> None:
    with progress.step(f"synthesizing stack {stack.name}"):
        from ..stacks.app import synth

        outdir = synth(ProjectConfig(source=source, stacks={stack.name: stack}), workdir / "cdktf.out")
    generated = None
    if not stack.idura.managed:
        with progress.step("escrowing a generated client secret (hand-registered mode)"):
            generated = _escrow_generated_secret(stack)
    terraform = Terraform.for_root(
        outdir / "stacks" / stack.name, _cli_config(stack, workdir, progress), extra_env=idura.environment()
    )
    for switch in (environment.ALLOW_CHANGES, environment.DEPLOY_GRANT):
        terraform.env.pop(switch, None)  # as deploy: only its grant lets the program change the emulated Idura
    with progress.step("terraform init"):
        terraform.init()
    progress.info("==> deploying as `idura-cognito deploy --auto-approve` does: review plan, Idura, apply")
    deploy(workflow.Root(stack, terraform.workdir, terraform), progress, auto_approve=True)
    outputs = terraform.outputs()
    if generated is not None:
        _register_by_hand(stack, idura, generated)  # what a person does in Idura's dashboard
    logins = {}
    with progress.step("logging in through every identity provider as Cognito does"):
        for name in stack.idp_names:
            logins[name] = _login(stack, str(outputs["user_pool_id"]), name, idura)
    with progress.step("second plan, read-only (expects no changes)"):
        converged = terraform.plan()[0] == 0
    if not converged:
        raise CommandError("the second plan shows changes: the stack does not converge")
    _print(stack, outputs, _idura_action(Path(stack.backend.path or "")), logins)


def _localize(stack: StackConfig, endpoint_url: str, idura_domain: str, workdir: Path) -> StackConfig:
    return dataclasses.replace(
        stack,
        aws=dataclasses.replace(stack.aws, endpoint_url=endpoint_url),
        idura=dataclasses.replace(stack.idura, domain=idura_domain),
        backend=BackendSettings(type="local", path=str(workdir / f"terraform.{stack.name}.tfstate")),
    )


def _cli_config(stack: StackConfig, workdir: Path, progress: Progress) -> Path:
    """The project's CLI config, plus the test stand-in for hashicorp/external where it cannot be had.

    On an offline machine whose provider mirror lacks hashicorp/external (this project's CI image), managed
    mode can only run with the stand-in the tests use. Anywhere else Terraform gets the real provider.
    """
    extra = []
    mirrors = terraform_environment.find_mirrors()
    offline_without_external = mirrors and not any(
        EXTERNAL in terraform_environment.mirrored_providers(m) for m in mirrors
    )
    if stack.idura.managed and offline_without_external:
        from ..local.external_stand_in import install_stand_in

        extra.append(install_stand_in(workdir / "stand-in-mirror"))
        progress.info(
            "    note: offline provider mirror without hashicorp/external; using the STAND-IN for offline "
            "machines (idura_cognito/local/external_stand_in.py)"
        )
    return terraform_environment.write_cli_config(workdir / "cli.tfrc", extra_mirrors=extra)


def _escrow_generated_secret(stack: StackConfig) -> str:
    from idura_verify.emulator.state import idura_secret

    secret = idura_secret()
    try:
        escrow.put_secret(aws_client("secretsmanager", stack.aws), stack, secret)
    except Exception as exc:  # noqa: BLE001 - one line, never the request
        raise CommandError(f"cannot write the escrow: {describe_aws_error(exc)}") from None
    return secret


def _register_by_hand(stack: StackConfig, idura: IduraEmulator, secret: str) -> None:
    """Hand-registered mode: register the application with the escrowed secret, as a person does in Idura's
    dashboard."""
    import httpx

    body = {
        "domain": idura.domain,
        "realm": stack.idura.client_id,
        "name": stack.idura.application_name,
        "returnUrls": [stack.redirect_url],
        "secret": secret,
    }
    with httpx.Client(verify=ssl.create_default_context(cafile=idura.ca_file)) as http:
        response = http.post(
            f"{idura.base_url}/_emulator/register", json=body, headers={"Authorization": f"Bearer {idura.token}"}
        )
        response.raise_for_status()


def _login(stack: StackConfig, user_pool_id: str, name: str, idura: IduraEmulator) -> str:
    from ..local.federated_login import LoginError, login  # deferred: httpx is not needed by the other commands

    cognito = aws_client("cognito-idp", stack.aws)
    details = cognito.describe_identity_provider(UserPoolId=user_pool_id, ProviderName=name)
    try:
        claims = login(
            details["IdentityProvider"]["ProviderDetails"],
            stack.redirect_url,
            verify=ssl.create_default_context(cafile=idura.ca_file),
        )
    except LoginError as exc:
        raise CommandError(f"login through {name} failed: {exc}") from None
    return f"{claims.get('identityscheme', '?')}: {claims.get('name', '?')} (sub {claims.get('sub', '?')})"


def _idura_action(state_file: Path) -> str:
    """What the external program did at Idura in the last run, read from the state file (non-secret keys only;
    reading the file directly spares a Terraform process that loads the AWS provider)."""
    state = json.loads(state_file.read_text()) if state_file.exists() else {}
    for resource in state.get("resources", []):
        if resource.get("mode") == "data" and resource.get("type") == "external":
            result = resource["instances"][0]["attributes"]["result"]
            return f"{result['action']} (application {result['application_id']})"
    return "hand-registered (no management calls)"


def _print(stack: StackConfig, outputs: dict, action: str, logins: dict[str, str]) -> None:
    print(f"\nStack {stack.name} is deployed to local moto and the Idura emulator; a second plan has no changes.\n")
    print(f"  user pool id        {outputs['user_pool_id']}")
    print(f"  app client id       {outputs['app_client_id']}")
    print(f"  issuer              {outputs['issuer']}")
    print(f"  Idura               {stack.idura.issuer}, client id {stack.idura.client_id}")
    print(f"  at Idura            {action}")
    print(f"  redirect URL        {outputs['idura_redirect_url']}")
    print(f"  escrow              {outputs['escrow_secret_name']} (the secret is never printed)")
    print("  hosted login URLs:")
    for name, url in dict(outputs["hosted_login_urls"]).items():
        print(f"    {name:<12} {url}")
    print("  logins as Cognito does them (authorize, token with client_secret_post, userinfo):")
    for name, result in logins.items():
        print(f"    {name:<12} ok, {result}")
