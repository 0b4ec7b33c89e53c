"""``idura-cognito deploy`` / ``destroy``: plan, show, ask, apply, with the project's Terraform settings.

deploy: a read-only plan is shown with its summary (never with changes at Idura allowed, whatever the
environment holds); after a yes (or ``--auto-approve``) exactly that plan is applied. When it found work at Idura
(create the application, add a redirect URL, issue a secret), the program has to run once more, allowed to make
those changes: that second plan is compared with the reviewed one, resource by resource, and applied only when
it differs in nothing but the values that come from Idura's answer (the secret); any other difference is shown
and asked about again (refused with ``--auto-approve``). Without a terminal, ``--auto-approve`` is required.

Every state a failed or interrupted deploy leaves (a pool without an application, an empty escrow, an apply
stopped half-way) is one deploy reviews and finishes: run it again. An interrupt (Ctrl-C) reaches Terraform
once, so it stops gracefully and saves its state; the command then exits 130.

destroy: the same for ``terraform destroy``. Terraform cannot delete what a data source made: the Idura
application stays (with its live secret) unless ``--purge-idura`` deletes it; the prompt says which.
"""

from __future__ import annotations

import argparse
import sys

from ..aws import aws_client, describe_aws_error
from ..config.model import StackConfig
from ..errors import CommandError
from ..terraform import plan_review
from ..terraform.runner import Interrupted
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
                "--purge-idura",
                action="store_true",
                help="also delete what Terraform cannot: the Idura application (managed) and the escrow",
            )
        parser.set_defaults(handler=run, verb=verb)


def run(args: argparse.Namespace) -> int:
    config, stack = options.load_stack(args)
    progress = Progress(quiet=args.quiet)
    root = workflow.prepare(args, config, stack, progress)
    try:
        if args.verb == "destroy":
            return _destroy(args, root, stack, progress)
        return _deploy(args, root, stack, progress)
    except Interrupted as exc:
        raise Interrupted(
            f"{exc}. Nothing is lost: run `idura-cognito {args.verb} --stack {stack.name}` again; it reviews "
            "what was done and finishes"
        ) from None


def _deploy(
    args: argparse.Namespace, root: workflow.Root, stack: StackConfig, progress: Progress, imported: bool = False
) -> int:
    with workflow.saved_plan(root) as reviewed:
        workflow.report(reviewed.summary)
        stray = workflow.check_orphans(root, reviewed.summary)
        unsure = [o.line(root.path) for o in stray if not o.certain]
        if unsure:
            raise CommandError("the plan would create a second copy of what exists already:\n" + "\n".join(unsure))
        if stray and not imported:
            # Only this stack's (see orphans.py): a run that was cut off created them. Take them back, plan again.
            for orphan in stray:
                with progress.step(f"taking back {orphan.what}, created outside the state by a run that was cut off"):
                    root.terraform.run("import", "-input=false", orphan.address, orphan.resource_id)
            return _deploy(args, root, stack, progress, imported=True)
        if reviewed.code == 0 and not reviewed.summary.idura_work:
            print("Nothing to change.")
            return 0
        workflow.confirm("deploy", stack, args.auto_approve)
        if reviewed.summary.idura_pending:
            _apply_with_idura_changes(args, root, stack, progress, reviewed)
        elif reviewed.summary.idura_deferred:
            # The program runs during this apply (an input is known only then): it may change Idura there.
            progress.info(
                "==> the program runs during this apply and may change Idura there: create the application, add "
                "redirect URLs, issue a new client secret (the old one then stops working)"
            )
            root.allowed().apply(str(reviewed.file), stream=True)
        else:
            root.terraform.apply(str(reviewed.file), stream=True)
    return 0


def _apply_with_idura_changes(
    args: argparse.Namespace,
    root: workflow.Root,
    stack: StackConfig,
    progress: Progress,
    reviewed: workflow.SavedPlan,
) -> None:
    """Plan again with changes at Idura allowed (the program makes them now), then apply that plan only if it
    is the reviewed one but for Idura's answer."""
    progress.info("==> planning again with changes at Idura allowed: the program makes them now")
    with workflow.saved_plan(root, allowed=True, stream=False) as applying:
        found = plan_review.differences(_show(root, reviewed.file), _show(root, applying.file))
        if found:
            print("The plan to apply differs from the one reviewed above:", file=sys.stderr)
            for line in found:
                print(f"  {line}", file=sys.stderr)
            # Idura has changed already: a secret issued now replaced the one Cognito holds.
            broken = (
                "the changes at Idura were made; if a new client secret was issued, Cognito still holds the old "
                "one and logins fail until a deploy completes"
            )
            if args.auto_approve:
                raise CommandError(
                    f"nothing was applied: something changed between the review and the apply (listed above); "
                    f"{broken}. Run deploy again to review the new plan"
                )
            print(f"Note: {broken}; answering no leaves it so.", file=sys.stderr)
            workflow.confirm(
                "deploy",
                stack,
                auto_approve=False,
                question=f"Apply this plan, with the differences listed above, to stack {stack.name}?",
            )
        root.allowed().apply(str(applying.file), stream=True)


def _show(root: workflow.Root, plan_file) -> dict:
    return plan_review.load(root.terraform.run("show", "-json", str(plan_file)).stdout)


def _destroy(args: argparse.Namespace, root: workflow.Root, stack: StackConfig, progress: Progress) -> int:
    with workflow.saved_plan(root, "-destroy") as reviewed:
        workflow.report(reviewed.summary)
        for line in idura_consequences(stack, args.purge_idura):
            print(line, file=sys.stderr)
        if reviewed.code == 0 and not args.purge_idura:
            print("Nothing to destroy.")
            return 0
        workflow.confirm("destroy", stack, args.auto_approve)
        if reviewed.code != 0:
            root.terraform.apply(str(reviewed.file), stream=True)
    if args.purge_idura:
        _purge(stack, progress)
    return 0


def idura_consequences(stack: StackConfig, purge: bool) -> list[str]:
    """What a destroy does, and does not do, outside Terraform: said before the question."""
    if stack.idura.managed and not purge:
        return [
            f"Idura: the application {stack.idura.client_id} on {stack.idura.domain} stays, with its live client "
            f"secret and the redirect URL {stack.redirect_url}, which will lead nowhere once the domain is gone. "
            f"Remove it with `idura-cognito destroy --stack {stack.name} --purge-idura` (or in Idura's dashboard)."
        ]
    if stack.idura.managed:
        return [
            f"Idura: --purge-idura deletes the application {stack.idura.client_id} on {stack.idura.domain} "
            "(its secret stops working at once); Terraform deletes the escrow."
        ]
    if purge:
        return [
            f"--purge-idura deletes the escrow {stack.escrow_name} at once (no recovery window). The Idura "
            f"application {stack.idura.client_id} was registered by hand and stays at Idura: remove it, or its "
            f"redirect URL {stack.redirect_url}, in Idura's dashboard."
        ]
    return [
        f"Idura: the hand-registered application {stack.idura.client_id} stays at Idura, and the escrow "
        f"{stack.escrow_name} stays in Secrets Manager (the next deploy reuses it); --purge-idura deletes the "
        "escrow too."
    ]


def _purge(stack: StackConfig, progress: Progress) -> None:
    if stack.idura.managed:
        from idura_verify.program.management import ManagementClient, ManagementError

        with progress.step(f"deleting the Idura application {stack.idura.client_id} on {stack.idura.domain}"):
            try:
                client = ManagementClient.from_environment()
                app = client.find(stack.idura.domain, stack.idura.client_id)
                if app is not None:
                    client.delete(stack.idura.domain, app.id)
            except ManagementError as exc:
                raise CommandError(
                    f"the stack is destroyed, but the Idura application was not deleted: {exc}"
                ) from None
    with progress.step(f"deleting the escrow {stack.escrow_name}"):
        secrets = aws_client("secretsmanager", stack.aws)
        try:
            secrets.delete_secret(SecretId=stack.escrow_name, ForceDeleteWithoutRecovery=True)
        except secrets.exceptions.ResourceNotFoundException:
            pass  # managed mode: Terraform already deleted it
        except Exception as exc:  # noqa: BLE001
            raise CommandError(f"the escrow {stack.escrow_name} was not deleted: {describe_aws_error(exc)}") from None
