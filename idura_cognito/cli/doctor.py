"""``idura-cognito doctor``: check every link of the login chain; pass / fail / warn, each with its fix."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys

from idura_verify.program import environment

from ..aws import aws_client
from . import options, workflow


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "doctor",
        help="explain a broken login: check Idura, Cognito and the escrow, with a fix per failure",
        description="Check every link between Cognito and Idura for one environment: Idura discovery, issuer, "
        "client authentication and pinned eIDs; the application at Idura (with management credentials); the user "
        "pool, domain, identity providers, app client and the secret they hold; the escrow. Exit 1 when a check "
        "fails. Reads IDURA_MANAGEMENT_URL/IDURA_MANAGEMENT_TOKEN (optional) and IDURA_CA_BUNDLE.",
    )
    options.add_config(parser)
    options.add_stack(parser, required=True)
    workflow.add_root_options(parser)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    config, stack = options.load_stack(args)
    ids = workflow.deployed_ids(args, config, stack)  # check what the state deployed, not a namesake
    if ids.note:
        print(f"note: {ids.note}; the checks look resources up by their configured names", file=sys.stderr)
    import httpx

    from idura_verify.program.management import ManagementClient, ManagementError, trust_store

    from ..doctor.results import json_report, text_report
    from ..doctor.run import Clients, Deployed, run_checks

    verify = trust_store(os.environ.get(environment.CA_BUNDLE))  # a private CA adds to the default ones
    management = None
    if os.environ.get(environment.MANAGEMENT_URL) and os.environ.get(environment.MANAGEMENT_TOKEN):
        try:
            management = ManagementClient.from_environment()
        except ManagementError as exc:
            print(f"warning: management checks skipped: {exc}", file=sys.stderr)
    with httpx.Client(verify=verify, timeout=10.0, trust_env=False, follow_redirects=False) as http:
        clients = Clients(
            aws_client("cognito-idp", stack.aws),
            aws_client("secretsmanager", stack.aws),
            http,
            management,
            lam=aws_client("lambda", stack.aws),
            # Cognito takes a custom domain's certificate only from us-east-1, whatever the pool's region.
            acm_us_east_1=aws_client("acm", dataclasses.replace(stack.aws, region="us-east-1")),
        )
        results = run_checks(stack, clients, Deployed(ids.user_pool_id, ids.app_client_ids))
    if management is not None:
        management.close()
    if args.json:
        print(json_report(stack.name, results))
    else:
        print(text_report(stack.name, results, colour=sys.stdout.isatty() and "NO_COLOR" not in os.environ))
    return 1 if any(r.status == "fail" for r in results) else 0
