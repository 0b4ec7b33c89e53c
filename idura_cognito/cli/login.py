"""``idura-cognito login --stack ENV [--idp NAME] [--person ACR]``: a trial login for your own deployed stack.

Against ``idura-cognito local`` only (load its env.sh; deploy the stack there first). Each identity provider of
the stack (the picker, then every pinned eID; ``--idp`` for one) logs the emulator's test person in at the Idura
emulator with the settings Cognito holds, and the report shows, per provider, the Cognito user name, whether the
login made a new user or reached the one it is linked to, and the attributes Cognito would store after the
stack's mapping. Through the picker the person chooses an eID with ``login_hint=acr_values:<acr>`` (the first
pinned eID's by default, or ``--person``). The attributes and users are computed by this product (moto does not
federate; the report says so), and the trial signs the person up in the local pool.
"""

from __future__ import annotations

import argparse
import os
import ssl
from urllib.parse import urlsplit

from idura_verify.program import environment

from ..aws import aws_client, describe_aws_error
from ..errors import CommandError, UsageError
from . import options, workflow

#: The hosts `idura-cognito local` serves on: a trial login never talks to anything else.
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "login",
        help="trial login against the local servers: what each identity provider's login stores in Cognito",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    options.add_config(parser)
    options.add_stack(parser, required=True)
    parser.add_argument("--idp", metavar="NAME", help="only this identity provider (default: every one)")
    parser.add_argument(
        "--person", metavar="ACR", help="the emulator's test person of this eID (default: the first pinned eID's)"
    )
    workflow.add_root_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    config, stack = options.load_stack(args)
    names = [stack.identity_provider.name] + [e.name for e in stack.pinned_eids]
    if args.idp and args.idp not in names:
        raise UsageError(f"--idp: stack {stack.name} has no identity provider {args.idp!r}; it has {', '.join(names)}")
    acrs = [e.acr for e in stack.pinned_eids]
    if args.person and not args.person.startswith("urn:"):
        raise UsageError(f"--person: an eID's acr value (urn:...), e.g. {acrs[0] if acrs else 'urn:grn:authn:mock'}")
    endpoint = stack.aws.endpoint_url or os.environ.get("AWS_ENDPOINT_URL", "")
    if urlsplit(endpoint).hostname not in LOOPBACK:
        raise UsageError(
            "login is a trial for the local servers: start `idura-cognito local` and load its env.sh (AWS goes to "
            f"{endpoint or 'real AWS'}, where only a person's browser can log in)"
        )
    url = os.environ.get(environment.MANAGEMENT_URL, "")
    if not url or urlsplit(url).netloc != stack.idura.domain or urlsplit(url).hostname not in LOOPBACK:
        raise UsageError(
            f"stacks.{stack.name}.idura.domain is {stack.idura.domain!r}, not the local Idura emulator of this "
            "shell: set it to the domain `idura-cognito local` printed and load its env.sh"
        )
    ids = workflow.deployed_ids(args, config, stack)
    aws = stack.aws if stack.aws.endpoint_url else _with_endpoint(stack.aws, endpoint)
    cognito, lam = aws_client("cognito-idp", aws), aws_client("lambda", aws)
    pool_id = ids.user_pool_id
    if pool_id is None:
        from ..doctor.cognito_checks import pools_named

        found = pools_named(cognito, stack.user_pool.name) if not stack.user_pool.is_existing else []
        pool_id = stack.user_pool.existing_id or (found[0] if len(found) == 1 else None)
    if pool_id is None:
        raise CommandError(f"stack {stack.name} is not deployed here: `{options.deploy_command(args, stack)}` first")
    from ..local import trial_login
    from ..local.cognito_sign_in import SignInError

    ca = os.environ.get(environment.CA_BUNDLE)
    verify = ssl.create_default_context(cafile=ca) if ca else True
    try:
        trial = trial_login.run(
            stack, pool_id, cognito, lam, endpoint, only=args.idp, person=args.person, verify=verify
        )
    except SignInError as exc:
        raise CommandError(f"the local Cognito refused the sign-in: {exc}") from None
    except Exception as exc:  # botocore: one line, never the request
        if type(exc).__module__.startswith("botocore"):
            raise CommandError(describe_aws_error(exc)) from None
        raise
    print(trial_login.report(stack, trial))
    return 1 if any(item.error for item in trial.logins) else 0


def _with_endpoint(settings, endpoint: str):
    import dataclasses

    return dataclasses.replace(settings, endpoint_url=endpoint)
