"""``idura-cognito deploy`` / ``destroy``: plan, show, ask, apply, with the project's Terraform settings.

deploy: a read-only plan is shown with its summary; after a yes (or ``--auto-approve``) it is applied. When the
plan found work at Idura (create the application, add a redirect URL, issue a secret), the apply runs with
changes at Idura allowed (IDURA_MANAGEMENT_ALLOW_CHANGES), planning once more so the program can make them;
otherwise exactly the reviewed plan is applied. Without a terminal, ``--auto-approve`` is required.

destroy: the same for ``terraform destroy``. Terraform cannot delete what a data source made, so
``--purge-idura`` also deletes the Idura application and the escrow.
"""

from __future__ import annotations

import argparse

from ..aws import aws_client, describe_aws_error
from ..config.model import StackConfig
from ..errors import CommandError
from . import options, workflow
from .progress import Progress


def register(commands: argparse._SubParsersAction) -> None:
    for verb in ("deploy", "destroy"):
        parser = commands.add_parser(
            verb,
            help=f"{verb} one environment: show the plan, ask, apply",
            description=__doc__,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        options.add_config(parser)
        options.add_stack(parser, required=True)
        workflow.add_root_options(parser)
        parser.add_argument("--auto-approve", action="store_true", help="apply without asking (automation)")
        options.add_quiet(parser)
        if verb == "destroy":
            parser.add_argument(
                "--purge-idura", action="store_true", help="also delete the Idura application and the escrow"
            )
        parser.set_defaults(handler=run, verb=verb)


def run(args: argparse.Namespace) -> int:
    config, stack = options.load_stack(args)
    progress = Progress(quiet=args.quiet)
    root = workflow.prepare(args, config, stack, progress)
    destroying = args.verb == "destroy"
    with workflow.saved_plan(root, *(["-destroy"] if destroying else [])) as (code, plan_file, summary):
        workflow.report(summary)
        if code == 0 and not summary.idura_work:
            print("Nothing to change.")
        else:
            workflow.confirm(args.verb, stack, args.auto_approve)
            if summary.idura_work and not destroying:
                progress.info("==> the plan found work at Idura: applying with changes at Idura allowed")
                root.terraform.env.update(workflow.allow_idura_changes())
                root.terraform.apply(stream=True)
            else:
                root.terraform.apply(str(plan_file), stream=True)
    if destroying and args.purge_idura:
        with progress.step("deleting the Idura application and the escrow"):
            _purge(stack)
    return 0


def _purge(stack: StackConfig) -> None:
    if stack.idura.managed:
        from idura_verify.management import ManagementClient, ManagementError

        try:
            client = ManagementClient.from_environment()
            app = client.find(stack.idura.domain, stack.idura.client_id)
            if app is not None:
                client.delete(stack.idura.domain, app.id)
        except ManagementError as exc:
            raise CommandError(f"the stack is destroyed, but the Idura application was not deleted: {exc}") from None
    secrets = aws_client("secretsmanager", stack.aws)
    try:
        secrets.delete_secret(SecretId=stack.escrow_name, ForceDeleteWithoutRecovery=True)
    except secrets.exceptions.ResourceNotFoundException:
        pass  # managed mode: Terraform already deleted it
    except Exception as exc:  # noqa: BLE001
        raise CommandError(f"the escrow {stack.escrow_name} was not deleted: {describe_aws_error(exc)}") from None
